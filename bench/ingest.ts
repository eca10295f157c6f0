/**
 * Readings per second into the readings table with evaluation on: through the monitoring service,
 * through the GraphQL mutation, and a raw COPY of the same rows (no evaluation, no events) both as
 * one statement and in the service's batch size, in one run per engine. Each path runs once per
 * round, rounds interleave the paths, and the median is printed with the range. Prints figures;
 * asserts nothing.
 *
 * The service runs once with one caller (each batch after the previous one) and once with several
 * callers sending their own monitors' batches at the same time, as the HJ 212 gateway does with
 * many loggers (BENCH_CALLERS, by default the gateway's batches in flight: 4 on the server engine).
 *
 *   npx tsx bench/ingest.ts [readings]   env: BENCH_ENGINES, BENCH_BATCH, BENCH_ROUNDS, BENCH_CALLERS,
 *                                        BENCH_MODULES (`all` for every module's workers)
 */
import { monitoringServiceRef } from '../src/monitoring/public';
import type { ReadingInput } from '../src/monitoring/ingest';
import { ingestBatchesInFlight } from '../src/ingest/hj212/module';
import { benchHub, engines, type Engine } from './support';

const TOTAL = Number(process.argv[2] ?? 60_000);
const MONITORS = 100;
const BATCH = Number(process.env.BENCH_BATCH ?? 5_000);
const FACTORS = ['w01018', 'w21003', 'w01001'];

function rows(phase: number, count: number): ReadingInput[] {
  // each phase its own day (60,000 readings span 200 minutes), so phases never collide on the unique key
  const start = Date.UTC(2026, 0, 1) + phase * 24 * 3600_000;
  return Array.from({ length: count }, (_, i) => {
    const monitor = i % MONITORS;
    const step = Math.floor(i / MONITORS);
    const factor = FACTORS[step % FACTORS.length] as string;
    const minute = Math.floor(step / FACTORS.length);
    // COD (w01018) in a slow wave with excursions above its limit, so episodes open and close;
    // ammonia (w21003) and pH (w01001) inside theirs
    const value = factor === 'w01018' ? 60 + 50 * Math.sin((minute + monitor) / 7) : factor === 'w21003' ? 5 + (minute % 3) : 6.5 + 0.5 * (minute % 3);
    return { mn: `BENCH${String(monitor).padStart(3, '0')}`, factor, interval: 'RTD', time: new Date(start + minute * 60_000), value, flag: 'N' };
  });
}

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
/**
 * Callers sending batches at the same time in the `callers` path (the service path has one): by
 * default as many as the HJ 212 gateway keeps in the service with the default pool.
 */
const CALLERS = Number(process.env.BENCH_CALLERS ?? 0);
/** The core alone by default: the modules' workers reacting to the episodes are other work. */
const MODULES = process.env.BENCH_MODULES ?? 'monitoring';

/** A figure for rows the service turned away would be no figure at all. */
function accepted(result: { accepted: number; rejected: number; items: { reason?: string }[] }, expected: number): void {
  if (result.accepted !== expected)
    throw new Error(`service accepted ${result.accepted} of ${expected}: ${result.items.find((item) => item.reason)?.reason ?? 'duplicates'}`);
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
const rate = (rows: number, ms: number): number => rows / (ms / 1000);

async function run(engine: Engine): Promise<void> {
  const { hub, token, stop } = await benchHub(engine, MODULES === 'all' ? {} : { HUB_MODULES: MODULES });
  try {
    const monitoring = hub.services.get(monitoringServiceRef);
    const callers = CALLERS || ingestBatchesInFlight(hub.db.engine, hub.config.databasePoolMax);
    for (let m = 0; m < MONITORS; m += 1) {
      await monitoring.createMonitor({
        mn: `BENCH${String(m).padStart(3, '0')}`,
        password: 'bench1',
        name: `bench ${m}`,
        kind: 'WASTEWATER_OUTLET',
        intervalSeconds: 60,
      });
    }
    await monitoring.setLimit({ monitorKind: 'WASTEWATER_OUTLET', factor: 'w01018', period: 'RTD', upper: 100, validFrom: new Date('2000-01-01T00:00:00Z') });
    // and each outlet's own limits from its permit, revised once, as the source module sets them
    for (const monitor of await hub.db.query<{ id: number }>('SELECT id FROM monitoring_monitors')) {
      for (const [validFrom, validTo] of [
        ['2020-01-01', '2025-01-01'],
        ['2025-01-01', null],
      ] as const) {
        const valid = { validFrom: new Date(`${validFrom}T00:00:00Z`), validTo: validTo ? new Date(`${validTo}T00:00:00Z`) : null };
        await monitoring.setLimit({ monitorId: monitor.id, factor: 'w21003', period: 'RTD', upper: 15, ...valid });
        await monitoring.setLimit({ monitorId: monitor.id, factor: 'w01001', period: 'RTD', lower: 6, upper: 9, ...valid });
      }
    }
    const admin = await token(['admin']);
    const ids = new Map((await hub.db.query<{ id: number; mn: string }>('SELECT id, mn FROM monitoring_monitors')).map((r) => [r.mn, r.id]));
    const csvOf = (list: ReadingInput[]) => list.map((r) => `${r.time.toISOString()},${ids.get(r.mn as string)},${r.factor},RTD,${r.value},N`).join('\n');

    const paths: Record<string, (phase: number) => Promise<number>> = {
      service: async (phase) => {
        const list = rows(phase, TOTAL);
        const started = performance.now();
        for (let i = 0; i < list.length; i += BATCH) accepted(await monitoring.ingest(list.slice(i, i + BATCH)), Math.min(BATCH, list.length - i));
        return performance.now() - started;
      },
      callers: async (phase) => {
        // the hub serves many loggers at once: each caller sends its own monitors' batches, all callers together
        const list = rows(phase, TOTAL);
        const parts = Array.from({ length: callers }, (_, caller) => list.filter((_, i) => (i % MONITORS) % callers === caller));
        const started = performance.now();
        await Promise.all(
          parts.map(async (part) => {
            for (let i = 0; i < part.length; i += BATCH) accepted(await monitoring.ingest(part.slice(i, i + BATCH)), Math.min(BATCH, part.length - i));
          }),
        );
        return performance.now() - started;
      },
      graphql: async (phase) => {
        const list = rows(phase, TOTAL);
        const started = performance.now();
        for (let i = 0; i < list.length; i += BATCH) {
          const response = await fetch(`${hub.url}`.replace('localhost', '127.0.0.1'), {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}` },
            body: JSON.stringify({
              query:
                'mutation($r: [ReadingInput!]!) { ingestReadings(readings: $r) { __typename ... on MutationIngestReadingsSuccess { data { accepted } } } }',
              variables: { r: list.slice(i, i + BATCH).map((r) => ({ ...r, time: r.time.toISOString() })) },
            }),
          });
          const body = (await response.json()) as { data?: { ingestReadings: { data?: { accepted: number } } } };
          if (body.data?.ingestReadings.data?.accepted !== Math.min(BATCH, TOTAL - i))
            throw new Error(`GraphQL ingest failed: ${JSON.stringify(body).slice(0, 300)}`);
        }
        return performance.now() - started;
      },
      copy: async (phase) => {
        const csv = csvOf(rows(phase, TOTAL));
        const started = performance.now();
        await hub.db.copyCsv('monitoring_readings', ['time', 'monitor_id', 'factor', 'interval', 'value', 'flag'], csv);
        return performance.now() - started;
      },
      copyBatches: async (phase) => {
        const list = rows(phase, TOTAL);
        const batches: string[] = [];
        for (let i = 0; i < list.length; i += BATCH) batches.push(csvOf(list.slice(i, i + BATCH)));
        const started = performance.now();
        for (const csv of batches) await hub.db.copyCsv('monitoring_readings', ['time', 'monitor_id', 'factor', 'interval', 'value', 'flag'], csv);
        return performance.now() - started;
      },
    };
    // rounds interleave the paths, so a busy moment on the machine does not land on one path only
    const rates: Record<string, number[]> = {};
    const names = Object.keys(paths);
    let phase = 0;
    for (let round = 0; round < ROUNDS; round += 1) {
      const order = round % 2 === 0 ? names : [...names].reverse();
      for (const name of order) {
        const ms = await (paths[name] as (phase: number) => Promise<number>)(phase++);
        (rates[name] ??= []).push(rate(TOTAL, ms));
      }
    }
    const stored = await hub.db.query<{ n: string | number }>('SELECT count(*) AS n FROM monitoring_readings');
    const episodes = await hub.db.query<{ n: string | number }>('SELECT count(*) AS n FROM monitoring_exceedances');
    const copy = median(rates.copy as number[]);
    const line = (label: string, name: string) => {
      const values = rates[name] as number[];
      const value = median(values);
      const spread = `${Math.round(Math.min(...values)).toLocaleString('en')}-${Math.round(Math.max(...values)).toLocaleString('en')}`;
      return `  ${label.padEnd(34)} ${Math.round(value).toLocaleString('en').padStart(9)} readings/s  ${`(${((value / copy) * 100).toFixed(0)} % of COPY)`.padEnd(16)} range ${spread}`;
    };
    console.log(
      `${engine}: ${TOTAL.toLocaleString('en')} readings per path and round, batches of ${BATCH.toLocaleString('en')}, ${MONITORS} monitors, ${ROUNDS} rounds (median), modules: ${MODULES}\n` +
        `  ${Number(stored[0]?.n).toLocaleString('en')} rows stored; ${Number(episodes[0]?.n)} exceedance episodes opened by the service, callers and GraphQL paths\n` +
        [
          line('service ingest (evaluation on)', 'service'),
          line(`service, ${callers} caller${callers === 1 ? '' : 's'} at once`, 'callers'),
          line('GraphQL mutation (evaluation on)', 'graphql'),
          line(`raw COPY, batches of ${BATCH}`, 'copyBatches'),
          line(`raw COPY, one statement`, 'copy'),
        ].join('\n'),
    );
  } finally {
    await stop();
  }
}

for (const engine of engines()) await run(engine);
