/**
 * HJ 212 forwarding figures: a district hub forwards to a city hub's gateway over loopback TCP.
 *  1. live: uploads stored in the district (every monitor at each step) until the city has stored
 *     them all: uploads per second forwarded, each waiting for its 9014;
 *  2. outage: the city stops while the district stores as much again; a fresh city starts on the
 *     same port, and the backlog is timed from the first acknowledgement to an empty backlog.
 * Bounded in count and time; prints figures, asserts nothing. Run: npm run bench:hj212-forward
 * (BENCH_ENGINES=pglite to skip the server; BENCH_MONITORS, BENCH_UPLOADS to size it).
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
    const items: ReadingInput[] = ids.flatMap((monitorId) => FACTORS.map((factor, f) => ({ monitorId, factor, interval: 'RTD' as const, time, value: 10 + f + (step % 7), flag: 'N' })));
    await monitoring.ingest(items);
  }
}

async function readingsIn(hub: Hub): Promise<number> {
  const [row] = await hub.db.query<{ n: number | string }>('SELECT count(*) AS n FROM monitoring_readings');
  return Number(row?.n ?? 0);
}

async function until(what: string, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + PHASE_TIMEOUT_MS;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what}: not done in ${PHASE_TIMEOUT_MS} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function run(engine: Engine): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'envhub-bench-forward-'));
  const port = await freePort();
  const targets = join(dir, 'targets.json');
  writeFileSync(targets, JSON.stringify({ targets: [{ name: 'city', host: '127.0.0.1', port, pw: '123456', monitors: Array.from({ length: MONITORS }, (_, i) => ({ mn: mnOf(i) })) }] }));
  // the city comes back on its own data, monitors registered, as a restarted platform does
  const cityDatabase = engine === 'postgres' ? await createServerDatabase() : undefined;
  const cityEnv = { HJ212_PORT: String(port), HJ212_MAX_FRAMES_PER_SECOND: '100000', ...(cityDatabase ? { DATABASE_URL: cityDatabase.url } : { HUB_DATA_DIR: join(dir, 'city') }) };
  let city = await benchHub(engine, cityEnv);
  await registerMonitors(city.hub);
  const district = await benchHub(engine, { HJ212_FORWARD_TARGETS_FILE: targets, HJ212_FORWARD_MAX_PER_SECOND: '10000' });
  try {
    const ids = await registerMonitors(district.hub);
    const forwarding = district.hub.services.get(hj212ForwardingRef);
    await until('monitors found', async () => (await forwarding.targets())[0]?.monitors.every((m) => m.monitorId !== null) ?? false);

    const uploads = MONITORS * UPLOADS;
    const liveStart = performance.now();
    await store(district.hub, ids, 0, UPLOADS);
    const storedMs = performance.now() - liveStart;
    await until('live forwarding', async () => (await readingsIn(city.hub)) >= uploads * FACTORS.length);
    const liveMs = performance.now() - liveStart;
    console.log(`${engine}: live: ${uploads} uploads (${uploads * FACTORS.length} readings, ${MONITORS} monitors) stored in ${(storedMs / 1000).toFixed(1)} s, all in the city after ${(liveMs / 1000).toFixed(1)} s: ${Math.round(uploads / (liveMs / 1000))} uploads/s forwarded, each acknowledged`);

    await city.stop();
    const outageStart = performance.now();
    await store(district.hub, ids, UPLOADS, UPLOADS);
    const [down] = await forwarding.targets();
    console.log(`${engine}: outage: ${down?.backlog} uploads waiting, connected ${down?.connected}, ${((performance.now() - outageStart) / 1000).toFixed(1)} s of storing`);

    city = await benchHub(engine, cityEnv);
    const before = (await forwarding.targets())[0]?.acknowledged ?? 0;
    const restarted = performance.now();
    await until('reconnect', async () => ((await forwarding.targets())[0]?.acknowledged ?? 0) > before);
    const catchUpStart = performance.now();
    await until('catch-up', async () => (await readingsIn(city.hub)) >= 2 * uploads * FACTORS.length);
    const catchUpMs = performance.now() - catchUpStart;
    const [after] = await forwarding.targets();
    console.log(
      `${engine}: catch-up: reconnected ${((catchUpStart - restarted) / 1000).toFixed(1)} s after the city was back (backoff), ${uploads} uploads in ${(catchUpMs / 1000).toFixed(1)} s: ${Math.round(uploads / (catchUpMs / 1000))} uploads/s; backlog now ${after?.backlog}, resent ${after?.resent}, errors ${after?.errors}`,
    );
  } finally {
    await district.stop();
    await city.stop();
    await cityDatabase?.drop();
    rmSync(dir, { recursive: true, force: true });
  }
}

for (const engine of engines()) await run(engine);
