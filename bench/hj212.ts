/**
 * HJ 212 gateway figures, on both engines in one run:
 *  1. readings per second from many concurrent device connections, each sending real-time frames
 *     the way loggers do (one frame, wait for its 9014, next frame), to stored-and-evaluated;
 *  2. the same number of rows written raw into the same table: COPY on the server engine, one
 *     multi-row INSERT ... SELECT FROM jsonb_to_recordset on the embedded engine;
 *  3. idle device connections held at once, and the hub process's memory per connection.
 * Bounded in count and time; prints figures, asserts nothing. Run: npm run bench:hj212, or
 * NODE_OPTIONS=--expose-gc npx tsx bench/hj212.ts for steadier memory figures
 * (BENCH_ENGINES=pglite to skip the server; the server engine uses a fresh database on
 * 127.0.0.1:5432, dropped afterwards).
 */

import { spawn } from 'node:child_process';
import { connect } from 'node:net';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import postgres from 'postgres';
import type { Hub } from '../src/hub';
import { buildDataUpload } from '../src/ingest/hj212/encode';
import { encodeFrame, FrameDecoder } from '../src/ingest/hj212/frame';
import { parseSegment } from '../src/ingest/hj212/message';
import { hj212GatewayRef } from '../src/ingest/hj212/service';
import { monitoringServiceRef } from '../src/monitoring/public';
import { benchHub, engines, type Engine } from './support';

const DEVICES = Number(process.env.BENCH_DEVICES ?? 100);
const FRAMES_PER_DEVICE = Number(process.env.BENCH_FRAMES ?? 40);
const FACTORS = ['w01018', 'w21003', 'w01001', 'w00000'];
const IDLE_CONNECTIONS = Number(process.env.BENCH_IDLE_CONNECTIONS ?? 2000);
const PHASE_TIMEOUT_MS = 120_000;
const PW = '123456';

type Row = { time: string; monitor_id: number; factor: string; interval: string; value: number; converted: number | null; flag: string };

function withTimeout<T>(what: string, promise: Promise<T>): Promise<T> {
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${what} took over ${PHASE_TIMEOUT_MS} ms`)), PHASE_TIMEOUT_MS).unref()),
  ]);
}

function frameOf(mn: string, qn: string, time: Date, seed: number): string {
  return encodeFrame(
    buildDataUpload({
      qn,
      st: '32',
      cn: '2011',
      pw: PW,
      mn,
      dataTime: time,
      // Every 50th COD value is over the limit, so evaluation opens and closes episodes.
      items: FACTORS.map((code, i) => ({ code, values: { Rtd: code === 'w01018' && seed % 50 === 0 ? 180 : 10 + i + (seed % 7) }, flag: 'N' })),
    }),
  );
}

/** One device: sends its frames one at a time, each after the previous one's 9014. */
function playDevice(port: number, mn: string, deviceIndex: number, start: Date, frames: number, first: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    const decoder = new FrameDecoder({ maxSegmentBytes: 9999 });
    let sent = first;
    let expected = '';
    const next = () => {
      if (sent === first + frames) {
        socket.end();
        resolve();
        return;
      }
      expected = `2024010100${String(deviceIndex).padStart(4, '0')}${String(sent).padStart(3, '0')}`;
      socket.write(frameOf(mn, expected, new Date(start.getTime() + sent * 1000), deviceIndex + sent));
      sent += 1;
    };
    socket.on('connect', next);
    socket.on('data', (chunk: Buffer) => {
      for (const frame of decoder.push(chunk)) {
        if (!frame.ok) continue;
        const parsed = parseSegment(frame.segment);
        if (!parsed.ok) continue;
        if (parsed.message.cn !== '9014') return reject(new Error(`device ${mn} answered ${parsed.message.cn} ${parsed.message.cp}`));
        if (parsed.message.qn === expected) next();
      }
    });
    socket.on('error', reject);
  });
}

async function throughput(hub: Hub, monitors: { id: number; mn: string }[]): Promise<{ readings: number; seconds: number; stored: number; opened: number }> {
  const port = hub.services.get(hj212GatewayRef).port as number;
  const start = new Date(Date.now() - 6 * 3600_000);
  // A first frame each, untimed: it pays for the device's password check (scrypt), once per device.
  await withTimeout('warm-up', Promise.all(monitors.map((m, i) => playDevice(port, m.mn, i, start, 1, 0))));
  const warm = hub.services.get(hj212GatewayRef).status().readingsStored;
  const began = performance.now();
  await withTimeout('device traffic', Promise.all(monitors.map((m, i) => playDevice(port, m.mn, i, start, FRAMES_PER_DEVICE, 1))));
  const seconds = (performance.now() - began) / 1000;
  const status = hub.services.get(hj212GatewayRef).status();
  const [opened] = await hub.db.query<{ n: number }>('SELECT count(*)::int AS n FROM monitoring_exceedances');
  return { readings: monitors.length * FRAMES_PER_DEVICE * FACTORS.length, seconds, stored: status.readingsStored - warm, opened: opened?.n ?? 0 };
}

/** The same rows, a year later so nothing collides, written without the gateway or evaluation. */
function rawRows(monitors: { id: number }[]): Row[] {
  const start = Date.now() - 365 * 86400_000;
  const rows: Row[] = [];
  for (const [d, m] of monitors.entries()) {
    for (let f = 0; f < FRAMES_PER_DEVICE; f++) {
      for (const [i, factor] of FACTORS.entries()) {
        rows.push({
          time: new Date(start + f * 1000).toISOString(),
          monitor_id: m.id,
          factor,
          interval: 'RTD',
          value: 10 + i + ((d + f) % 7),
          converted: null,
          flag: 'N',
        });
      }
    }
  }
  return rows;
}

async function rawWrite(hub: Hub, rows: Row[]): Promise<{ method: string; seconds: number }> {
  const began = performance.now();
  const url = hub.config.databaseUrl;
  if (url) {
    const sql = postgres(url, { max: 1, onnotice: () => {} });
    try {
      const writable = await sql`COPY monitoring_readings (time, monitor_id, factor, interval, value, converted, flag) FROM STDIN`.writable();
      const lines = rows.map((r) => `${r.time}\t${r.monitor_id}\t${r.factor}\t${r.interval}\t${r.value}\t\\N\t${r.flag}\n`);
      await pipeline(Readable.from(lines), writable);
    } finally {
      await sql.end();
    }
    return { method: 'COPY FROM STDIN', seconds: (performance.now() - began) / 1000 };
  }
  await hub.db.query(
    `INSERT INTO monitoring_readings (time, monitor_id, factor, interval, value, converted, flag)
     SELECT time, monitor_id, factor, interval, value, converted, flag
       FROM jsonb_to_recordset($1::jsonb) AS x(time timestamptz, monitor_id int, factor text, interval text, value float8, converted float8, flag text)`,
    [JSON.stringify(rows)],
  );
  return { method: 'INSERT ... SELECT FROM jsonb_to_recordset', seconds: (performance.now() - began) / 1000 };
}

/** A child process opens the connections, so the hub's memory is measured apart from theirs. */
const IDLE_CLIENT = `
const net = require('node:net');
const [port, count] = process.argv.slice(1).map(Number);
let connected = 0, failed = 0;
const report = () => { if (connected + failed === count) process.stdout.write(JSON.stringify({ connected, failed }) + '\\n'); };
for (let i = 0; i < count; i++) setTimeout(() => {
  const s = net.connect({ host: '127.0.0.1', port });
  let settled = false;
  s.on('connect', () => { settled = true; connected++; report(); });
  s.on('error', () => { if (!settled) { settled = true; failed++; report(); } });
}, Math.floor(i / 50) * 50);
setInterval(() => {}, 1 << 30);
`;

/**
 * Idle device connections held at once, and what each costs the hub process. Measured before any
 * data flows, so the database engine's own growth (the embedded engine's memory never shrinks)
 * does not count against the connections.
 */
async function idleConnections(hub: Hub): Promise<{ held: number; failed: number; rssPerConnectionKiB: number; heapPerConnectionKiB: number }> {
  const gc = (globalThis as { gc?: () => void }).gc;
  const settle = async () => {
    gc?.();
    await new Promise((resolve) => setTimeout(resolve, 500));
    gc?.();
  };
  await settle();
  const before = process.memoryUsage();
  const gateway = hub.services.get(hj212GatewayRef);
  const child = spawn(process.execPath, ['-e', IDLE_CLIENT, String(gateway.port), String(IDLE_CONNECTIONS)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const reported = new Promise<{ connected: number; failed: number }>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      if (out.includes('\n')) resolve(JSON.parse(out) as { connected: number; failed: number });
    });
    child.on('exit', (code) => reject(new Error(`idle client exited with ${code}`)));
  });
  try {
    const result = await withTimeout('idle connections', reported);
    // The client counts a connection when the kernel accepted it; wait until the gateway has too.
    const deadline = Date.now() + 10_000;
    while (gateway.status().connectionsOpen < result.connected && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    await settle();
    const after = process.memoryUsage();
    const held = gateway.status().connectionsOpen;
    return {
      held,
      failed: result.failed,
      rssPerConnectionKiB: (after.rss - before.rss) / 1024 / Math.max(1, held),
      heapPerConnectionKiB: (after.heapUsed - before.heapUsed) / 1024 / Math.max(1, held),
    };
  } finally {
    child.kill();
  }
}

async function runEngine(engine: Engine): Promise<void> {
  const { hub, stop } = await benchHub(engine, {
    SIMULATOR: 'false',
    HJ212_MAX_CONNECTIONS: String(IDLE_CONNECTIONS + DEVICES + 100),
    // Every client here is 127.0.0.1: lift the per-address share so the idle connections all stay.
    HJ212_MAX_UNAUTHENTICATED_PER_ADDRESS: String(IDLE_CONNECTIONS + DEVICES + 100),
    HJ212_MAX_FRAMES_PER_SECOND: '100000',
  });
  try {
    const monitoring = hub.services.get(monitoringServiceRef);
    const monitors: { id: number; mn: string }[] = [];
    for (let i = 0; i < DEVICES; i += 10) {
      const batch = await Promise.all(
        Array.from({ length: Math.min(10, DEVICES - i) }, (_, j) =>
          monitoring.createMonitor({
            mn: `BENCH${String(i + j).padStart(5, '0')}`,
            password: PW,
            name: `bench outlet ${i + j}`,
            kind: 'WASTEWATER_OUTLET',
            intervalSeconds: 30,
          }),
        ),
      );
      monitors.push(...batch.map((m) => ({ id: m.id, mn: m.mn })));
    }
    await monitoring.setLimit({
      monitorId: null,
      monitorKind: 'WASTEWATER_OUTLET',
      factor: 'w01018',
      period: 'RTD',
      basis: 'RAW',
      upper: 100,
      lower: null,
      warningRatio: 0.8,
      standard: 'bench',
      validFrom: new Date('2000-01-01T00:00:00Z'),
    });

    const idle = await idleConnections(hub);
    const gateway = await throughput(hub, monitors);
    const raw = await rawWrite(hub, rawRows(monitors));

    const rate = (n: number, s: number) => Math.round(n / s).toLocaleString('en-US');
    process.stdout.write(
      [
        `\n== ${engine}${hub.db.capabilities.timescaledb ? ' + TimescaleDB' : ''} ==`,
        `gateway  ${DEVICES} connections x ${FRAMES_PER_DEVICE} frames x ${FACTORS.length} factors = ${gateway.readings} readings`,
        `         stored ${gateway.stored}, exceedance episodes ${gateway.opened}, ${gateway.seconds.toFixed(2)} s: ${rate(gateway.readings, gateway.seconds)} readings/s stored and evaluated, acknowledged`,
        `raw      ${raw.method}: ${gateway.readings} rows in ${raw.seconds.toFixed(2)} s: ${rate(gateway.readings, raw.seconds)} rows/s`,
        `idle     ${idle.held} idle device connections held (${idle.failed} failed to connect); hub memory per connection: RSS ${idle.rssPerConnectionKiB.toFixed(1)} KiB, JS heap ${idle.heapPerConnectionKiB.toFixed(1)} KiB`,
        '',
      ].join('\n'),
    );
  } finally {
    await stop();
  }
}

for (const engine of engines()) await runEngine(engine);
