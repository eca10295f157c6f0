/**
 * HJ 212 forwarding figures: a district hub forwards to a city hub's gateway over loopback TCP.
 *  1. live: uploads stored in the district (every monitor at each step) until the city has stored
 *     them all: uploads per second forwarded, each waiting for its 9014;
 *  2. outage: the city stops while the district stores as much again; a fresh city starts on the
 *     same port, and the backlog is timed from the first acknowledgement to an empty backlog,
 *     read from the district's store a page (HJ212_FORWARD_READ_ROWS) at a time.
 * Each phase also has one 2041 run-time report per monitor. Bounded in count and time; prints
 * figures, asserts nothing. Run: npm run bench:hj212-forward (BENCH_ENGINES=pglite to skip the
 * server; BENCH_MONITORS, BENCH_UPLOADS to size it; BENCH_READ_ROWS for the page, default 100,
 * less than a monitor's backlog, so the catch-up goes page by page).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hj212ForwardingRef } from '../src/ingest/hj212/forward/service';
import { monitoringServiceRef, type ReadingInput } from '../src/monitoring/public';
import type { Hub } from '../src/hub';
import { createServerDatabase } from '../test/support/hub';
import { benchHub, engines, type Engine } from './support';

const MONITORS = Number(process.env.BENCH_MONITORS ?? 50);
const UPLOADS = Number(process.env.BENCH_UPLOADS ?? 40);
const FACTORS = ['w01018', 'w21003', 'w01001', 'w00000'];
const PHASE_TIMEOUT_MS = 300_000;
const BASE = Date.UTC(2024, 4, 1);
const READ_ROWS = process.env.BENCH_READ_ROWS ?? '100';

const mnOf = (i: number) => `FWB${String(i).padStart(4, '0')}`;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

async function registerMonitors(hub: Hub): Promise<number[]> {
  const monitoring = hub.services.get(monitoringServiceRef);
  const ids: number[] = [];
  for (let i = 0; i < MONITORS; i += 1) {
    const monitor = await monitoring.createMonitor({ mn: mnOf(i), password: '123456', name: mnOf(i), kind: 'WASTEWATER_OUTLET', intervalSeconds: 60 });
    ids.push(monitor.id);
  }
  return ids;
}

/** Every monitor's upload at each of `steps` minutes from `first`: one batch per minute, as the gateway writes them. */
async function store(hub: Hub, ids: readonly number[], first: number, steps: number): Promise<void> {
  const monitoring = hub.services.get(monitoringServiceRef);
  for (let step = first; step < first + steps; step += 1) {
    const time = new Date(BASE + step * 60_000);
    const items: ReadingInput[] = ids.flatMap((monitorId) =>
      FACTORS.map((factor, f) => ({ monitorId, factor, interval: 'RTD' as const, time, value: 10 + f + (step % 7), flag: 'N' })),
    );
    await monitoring.ingest(items);
  }
}

/** One 2041 report per monitor, for the day `day` days after BASE. */
async function storeRunTimes(hub: Hub, ids: readonly number[], day: number): Promise<void> {
  const monitoring = hub.services.get(monitoringServiceRef);
  for (const id of ids) await monitoring.recordFacilityRunTimes(id, new Date(BASE + day * 86_400_000), [{ facility: 'SB1', runHours: 20 + day }]);
}

/** Readings and 2041 reports a hub holds: both are forwarded. */
async function storedIn(hub: Hub): Promise<{ readings: number; runTimes: number }> {
  const [row] = await hub.db.query<{ r: number | string; f: number | string }>(
    'SELECT (SELECT count(*) FROM monitoring_readings) AS r, (SELECT count(*) FROM monitoring_facility_run_times) AS f',
  );
  return { readings: Number(row?.r ?? 0), runTimes: Number(row?.f ?? 0) };
}

/** The largest heap seen while `until` waited (both hubs share the process: an upper bound for the district's). */
let heapPeak = 0;

async function until(what: string, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + PHASE_TIMEOUT_MS;
  while (!(await check())) {
    heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed);
    if (Date.now() > deadline) throw new Error(`${what}: not done in ${PHASE_TIMEOUT_MS} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const mb = (bytes: number) => `${Math.round(bytes / 1048576)} MB`;

async function run(engine: Engine): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'envhub-bench-forward-'));
  const port = await freePort();
  const targets = join(dir, 'targets.json');
  writeFileSync(
    targets,
    JSON.stringify({
      targets: [
        {
          name: 'city',
          host: '127.0.0.1',
          port,
          pw: '123456',
          commands: ['2011', '2051', '2061', '2031', '2041'],
          monitors: Array.from({ length: MONITORS }, (_, i) => ({ mn: mnOf(i) })),
        },
      ],
    }),
  );
  // the city comes back on its own data, monitors registered, as a restarted platform does
  const cityDatabase = engine === 'postgres' ? await createServerDatabase() : undefined;
  const cityEnv = {
    HJ212_PORT: String(port),
    HJ212_MAX_FRAMES_PER_SECOND: '100000',
    ...(cityDatabase ? { DATABASE_URL: cityDatabase.url } : { HUB_DATA_DIR: join(dir, 'city') }),
  };
  let city = await benchHub(engine, cityEnv);
  await registerMonitors(city.hub);
  const district = await benchHub(engine, { HJ212_FORWARD_TARGETS_FILE: targets, HJ212_FORWARD_MAX_PER_SECOND: '10000', HJ212_FORWARD_READ_ROWS: READ_ROWS });
  try {
    const ids = await registerMonitors(district.hub);
    const forwarding = district.hub.services.get(hj212ForwardingRef);
    await until('monitors found', async () => (await forwarding.targets())[0]?.monitors.every((m) => m.monitorId !== null) ?? false);

    // a phase: every monitor's uploads, and one 2041 report each
    const uploads = MONITORS * (UPLOADS + 1);
    const readings = MONITORS * UPLOADS * FACTORS.length;
    const arrived = async (phases: number) => {
      const held = await storedIn(city.hub);
      return held.readings >= phases * readings && held.runTimes >= phases * MONITORS;
    };
    const liveStart = performance.now();
    await store(district.hub, ids, 0, UPLOADS);
    await storeRunTimes(district.hub, ids, 0);
    const storedMs = performance.now() - liveStart;
    await until('live forwarding', () => arrived(1));
    const liveMs = performance.now() - liveStart;
    console.log(
      `${engine}: live: ${uploads} uploads (${readings} readings and ${MONITORS} 2041 reports, ${MONITORS} monitors) stored in ${(storedMs / 1000).toFixed(1)} s, all in the city after ${(liveMs / 1000).toFixed(1)} s: ${Math.round(uploads / (liveMs / 1000))} uploads/s forwarded, each acknowledged`,
    );

    await city.stop();
    const outageStart = performance.now();
    await store(district.hub, ids, UPLOADS, UPLOADS);
    await storeRunTimes(district.hub, ids, 1);
    const [down] = await forwarding.targets();
    const pages = Math.ceil((UPLOADS * FACTORS.length + 1) / Number(READ_ROWS));
    console.log(
      `${engine}: outage: ${down?.backlog} uploads waiting (about ${pages} pages of ${READ_ROWS} rows a monitor), connected ${down?.connected}, ${((performance.now() - outageStart) / 1000).toFixed(1)} s of storing`,
    );

    city = await benchHub(engine, cityEnv);
    const before = (await forwarding.targets())[0]?.acknowledged ?? 0;
    const restarted = performance.now();
    await until('reconnect', async () => ((await forwarding.targets())[0]?.acknowledged ?? 0) > before);
    const catchUpStart = performance.now();
    heapPeak = 0;
    await until('catch-up', () => arrived(2));
    const catchUpMs = performance.now() - catchUpStart;
    const [after] = await forwarding.targets();
    console.log(
      `${engine}: catch-up: reconnected ${((catchUpStart - restarted) / 1000).toFixed(1)} s after the city was back (backoff), ${uploads} uploads in ${(catchUpMs / 1000).toFixed(1)} s: ${Math.round(uploads / (catchUpMs / 1000))} uploads/s; backlog now ${after?.backlog}, resent ${after?.resent}, errors ${after?.errors}; heap at most ${mb(heapPeak)} (both hubs, one process)`,
    );
  } finally {
    await district.stop();
    await city.stop();
    await cityDatabase?.drop();
    rmSync(dir, { recursive: true, force: true });
  }
}

for (const engine of engines()) await run(engine);
