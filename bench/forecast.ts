/**
 * The forecast methods' skill and cost. A rolling-origin backtest (each origin sees only the hours
 * before it) on the demo district's stored hourly series, their history first extended to three
 * weeks by the demo devices' own generator, and on synthetic series of known shape; then the cost
 * of forecasting 500 series as the FORECAST_INTERVAL_SECONDS job does.
 *   npm run bench:forecast
 */
import { monitoringServiceRef, type ReadingInput } from '../src/monitoring/public';
import { KIND_PROFILES } from '../src/simulator/profiles';
import { DeviceMeasurements } from '../src/simulator/values';
import { backtestSeries, forecastSeries, type Backtest, type BacktestOptions } from '../src/monitoring/forecast/backtest';
import { DEFAULT_ROLLING } from '../src/monitoring/forecast/rolling';
import { benchHub } from './support';
import { series, seeded } from '../test/monitoring/forecast/synthetic';

const HOUR = 3_600_000;
const DAYS = 21;
const OPTIONS: BacktestOptions = { ...DEFAULT_ROLLING, probability: 0.5, level: 0.9, scoreFrom: 119 };

const f = (x: number | null | undefined, digits = 2): string => (x === null || x === undefined ? '-' : x.toFixed(digits));

function printBacktest(title: string, backtest: Backtest): void {
  console.log(`\n${title}: ${backtest.origins} origins; uses ${backtest.chosen}${backtest.fallback ? ' (fallback)' : ''}: ${backtest.reason}`);
  console.log('  method          MAE    ' + [1, 2, 3, 4, 5, 6].map((h) => `h${h} MAE/POD/FAR/cov`.padEnd(22)).join('') + 'crossings detected lead(h)');
  for (const m of backtest.methods) {
    const cells = m.horizons.map((h) => `${f(h.mae)}/${f(h.pod)}/${f(h.far)}/${f(h.coverage)}`.padEnd(22)).join('');
    console.log(
      `  ${m.method.padEnd(15)} ${f(m.mae).padStart(6)} ${cells}${String(m.crossings).padStart(9)} ${String(m.detected).padStart(8)} ${f(m.meanLeadHours, 1).padStart(7)}`,
    );
  }
}

async function demoDistrict(): Promise<void> {
  const { hub, stop } = await benchHub('pglite', { HUB_SEED: 'true', SIMULATOR: 'false' });
  try {
    const monitoring = hub.services.get(monitoringServiceRef);
    const now = new Date();
    const end = Math.floor(now.getTime() / HOUR) * HOUR;
    const start = end - DAYS * 24 * HOUR;
    const viewer = { roles: ['admin'] } as never;
    const monitors = (await monitoring.listMonitors(viewer, {}, { limit: 500, afterId: undefined })).filter((m) => KIND_PROFILES[m.kind]);
    const random = seeded(2017);
    let series = 0;
    for (const monitor of monitors) {
      const device = new DeviceMeasurements(KIND_PROFILES[monitor.kind]!, random, false);
      const readings: ReadingInput[] = [];
      for (let t = start; t < end; t += HOUR) {
        // the demo devices' own excursions, about one a day, so that some hours cross their limits
        device.maybeStartSpell(new Date(t), 3600, 24);
        for (const item of device.periodItems(new Date(t), HOUR)) {
          readings.push({
            monitorId: monitor.id,
            factor: item.code,
            interval: 'HOUR',
            time: new Date(t),
            value: item.values.Avg ?? null,
            converted: item.values.ZsAvg ?? null,
            flag: 'N',
          });
        }
      }
      for (let i = 0; i < readings.length; i += 5000) await monitoring.ingest(readings.slice(i, i + 5000));
      const limits = (await monitoring.limitsOf(monitor)).filter((l) => l.period === 'HOUR' && l.validTo === null);
      for (const limit of limits) {
        const result = await monitoring.forecastBacktest(monitor, limit.factor, { from: new Date(start), to: new Date(end), horizon: 6, probability: 0.5 });
        if (result.origins === 0) continue;
        series += 1;
        if (series <= 6)
          printBacktest(`demo ${monitor.mn} ${limit.factor} (limit ${limit.upper ?? ''}${limit.lower !== null ? ` lower ${limit.lower}` : ''})`, result);
        tally(result);
      }
    }
    console.log(`\ndemo district: ${series} series with an hourly limit backtested over ${DAYS} days`);
  } finally {
    await stop();
  }
}

const chosen = new Map<string, number>();
function tally(backtest: Backtest): void {
  chosen.set(backtest.chosen, (chosen.get(backtest.chosen) ?? 0) + 1);
}

function synthetic(): void {
  const shapes = [
    { name: 'daily cycle, rising, crossing daily', shape: { base: 50, slope: 0.03, amplitude: 30, noise: 3 }, limit: 85 },
    { name: 'daily cycle, flat, rare crossings', shape: { base: 60, slope: 0, amplitude: 15, noise: 4 }, limit: 78 },
    { name: 'slow rise to the limit, weak cycle', shape: { base: 20, slope: 0.15, amplitude: 3, noise: 2 }, limit: 85 },
  ];
  for (const { name, shape, limit } of shapes) {
    const values = series(shape, DAYS * 24, 7);
    const { backtest } = backtestSeries(values, { upper: limit, lower: null }, OPTIONS);
    printBacktest(`synthetic: ${name} (limit ${limit})`, backtest);
  }
  // a random walk: no cycle, no trend to find; persistence is the method to beat
  const random = seeded(9);
  let level = 50;
  const walk = Array.from({ length: DAYS * 24 }, () => (level += (random() - 0.5) * 6));
  const { backtest } = backtestSeries(walk, { upper: 70, lower: null }, OPTIONS);
  printBacktest('synthetic: random walk (limit 70)', backtest);
}

function cost(): void {
  const days = 14;
  const batch = Array.from({ length: 500 }, (_, i) =>
    series({ base: 20 + (i % 50), slope: 0.01, amplitude: 5 + (i % 7), noise: 1 + (i % 3) }, days * 24, i + 1),
  );
  for (const values of batch.slice(0, 20)) forecastSeries(values, { upper: 80, lower: null }, OPTIONS);
  const started = performance.now();
  for (const values of batch) forecastSeries(values, { upper: 80, lower: null }, OPTIONS);
  const ms = performance.now() - started;
  const perSeries = ms / batch.length;
  console.log(`\ncost: 500 series of ${days} days, forecast with their backtest: ${f(ms, 0)} ms, ${f(perSeries, 1)} ms per series`);
  console.log(`  every 5 minutes: ${f((ms / 300_000) * 100, 2)} % of one core; once per new hourly value (the job's cache): ${f((ms / 3_600_000) * 100, 2)} %`);
}

synthetic();
await demoDistrict();
console.log(`methods chosen on the demo series: ${[...chosen].map(([m, n]) => `${m} ${n}`).join(', ')}`);
cost();
