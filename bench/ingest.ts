/**
 * Readings per second into the readings table with evaluation on: through the monitoring service,
 * through the GraphQL mutation, and a raw COPY of the same rows (no evaluation, no events), in one
 * run per engine. Prints figures; asserts nothing.  npx tsx bench/ingest.ts [readings]
 */
import { monitoringServiceRef } from '../src/monitoring/public';
import type { ReadingInput } from '../src/monitoring/ingest';
import { benchHub, engines, type Engine } from './support';

const TOTAL = Number(process.argv[2] ?? 60_000);
const MONITORS = 100;
const BATCH = Number(process.env.BENCH_BATCH ?? 5_000);
const FACTORS = ['w01018', 'w21003', 'w01001'];

function rows(phase: number, count: number): ReadingInput[] {
  // each phase its own hour range, so phases never collide on the unique key
  const start = Date.UTC(2026, 0, 1) + phase * 30 * 24 * 3600_000;
  return Array.from({ length: count }, (_, i) => {
    const monitor = i % MONITORS;
    const step = Math.floor(i / MONITORS);
    const factor = FACTORS[step % FACTORS.length] as string;
    const minute = Math.floor(step / FACTORS.length);
    // a slow wave with excursions above the COD limit, so episodes open and close
    const value = factor === 'w01018' ? 60 + 50 * Math.sin((minute + monitor) / 7) : 5 + (minute % 3);
    return { mn: `BENCH${String(monitor).padStart(3, '0')}`, factor, interval: 'RTD', time: new Date(start + minute * 60_000), value, flag: 'N' };
  });
}

async function run(engine: Engine): Promise<void> {
  const { hub, token, stop } = await benchHub(engine);
  try {
    const monitoring = hub.services.get(monitoringServiceRef);
    for (let m = 0; m < MONITORS; m += 1) {
      await monitoring.createMonitor({ mn: `BENCH${String(m).padStart(3, '0')}`, password: 'bench1', name: `bench ${m}`, kind: 'WASTEWATER_OUTLET', intervalSeconds: 60 });
    }
    await monitoring.setLimit({ monitorKind: 'WASTEWATER_OUTLET', factor: 'w01018', period: 'RTD', upper: 100, validFrom: new Date('2000-01-01T00:00:00Z') });

    const serviceRows = rows(0, TOTAL);
    let started = performance.now();
    let opened = 0;
    for (let i = 0; i < serviceRows.length; i += BATCH) opened += (await monitoring.ingest(serviceRows.slice(i, i + BATCH))).opened;
    const serviceRate = TOTAL / ((performance.now() - started) / 1000);

    const admin = await token(['admin']);
    const graphqlRows = rows(1, TOTAL);
    started = performance.now();
    for (let i = 0; i < graphqlRows.length; i += BATCH) {
      const response = await fetch(`${hub.url}`.replace('localhost', '127.0.0.1'), {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}` },
        body: JSON.stringify({
          query: 'mutation($r: [ReadingInput!]!) { ingestReadings(readings: $r) { __typename ... on MutationIngestReadingsSuccess { data { accepted } } } }',
          variables: { r: graphqlRows.slice(i, i + BATCH).map((r) => ({ ...r, time: r.time.toISOString() })) },
        }),
      });
      const body = (await response.json()) as { data?: { ingestReadings: { data?: { accepted: number } } } };
      if (body.data?.ingestReadings.data?.accepted !== Math.min(BATCH, TOTAL - i)) throw new Error(`GraphQL ingest failed: ${JSON.stringify(body).slice(0, 300)}`);
    }
    const graphqlRate = TOTAL / ((performance.now() - started) / 1000);

    const ids = new Map((await hub.db.query<{ id: number; mn: string }>('SELECT id, mn FROM monitoring_monitors')).map((r) => [r.mn, r.id]));
    const copyRows = rows(2, TOTAL);
    const csv = copyRows.map((r) => `${r.time.toISOString()},${ids.get(r.mn as string)},${r.factor},RTD,${r.value},N`).join('\n');
    started = performance.now();
    await hub.db.copyCsv('monitoring_readings', ['time', 'monitor_id', 'factor', 'interval', 'value', 'flag'], csv);
    const copyRate = TOTAL / ((performance.now() - started) / 1000);

    const stored = await hub.db.query<{ n: string | number }>('SELECT count(*) AS n FROM monitoring_readings');
    console.log(
      `${engine.padEnd(8)} ${TOTAL} readings x3 (${Number(stored[0]?.n)} stored; ${opened} episodes opened by the service run)\n` +
        `  service ingest : ${Math.round(serviceRate).toLocaleString('en')} readings/s  (${((serviceRate / copyRate) * 100).toFixed(0)} % of COPY)\n` +
        `  GraphQL mutation: ${Math.round(graphqlRate).toLocaleString('en')} readings/s  (${((graphqlRate / copyRate) * 100).toFixed(0)} % of COPY)\n` +
        `  raw COPY        : ${Math.round(copyRate).toLocaleString('en')} readings/s`,
    );
  } finally {
    await stop();
  }
}

for (const engine of engines()) await run(engine);
