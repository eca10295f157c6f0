/**
 * The HJ 212 gateway under siege, on both engines. 50 real devices report a frame a second; after
 * a quiet baseline, 2,000 idle connections that never authenticate (from 100 addresses, plus 300
 * more from a single one) take every slot and redial whenever closed, and 40 connections flood
 * wrong PWs for the real devices' MNs at 50 frames per second each. During the siege every device
 * drops its link and redials once, and 10 devices the hub has never seen dial in for the first
 * time. Prints whether every real frame was acknowledged and how fast, against the baseline; what
 * the gateway did with the attackers; and the hub process's CPU and memory. Attackers and devices
 * run in processes of their own. Asserts nothing.
 *   npm run bench:hj212-siege   (BENCH_ENGINES=pglite|postgres, BENCH_SECONDS=60 of siege; with
 *   NODE_OPTIONS=--expose-gc it also prints the heap left after a full collection)
 */

import { spawn } from 'node:child_process';
import { availableParallelism, loadavg } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { hj212GatewayRef } from '../src/ingest/hj212/service';
import { monitoringServiceRef } from '../src/monitoring/public';
import { benchHub, engines, percentile, type Engine } from './support';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 60);
const BASELINE_SECONDS = 15;
const DEVICES = 50;
const NEWCOMERS = 10;
const IDLE = 2000;
const IDLE_ADDRESSES = 100;
const GREEDY = 300;
const FLOOD = 40;
const FLOOD_ADDRESSES = 20;
const PW = '123456';
const SETTINGS = { HJ212_AUTH_TIMEOUT_SECONDS: '20' };

type Line = Record<string, unknown> & { latencies: number[]; firstAcks: number[] };
type Phase = 'baseline' | 'siege';

/** Starts a client process; `onLine` sees each of its reports; `stop()` returns its last. */
function clients(args: string[], onLine: (line: Line) => void): { stop: () => Promise<Line> } {
  const child = spawn(process.execPath, ['--import', 'tsx', new URL('./hj212-siege-clients.ts', import.meta.url).pathname, ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let latest: Line = { latencies: [], firstAcks: [] };
  let buffer = '';
  child.stdout.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    for (let nl = buffer.indexOf('\n'); nl >= 0; nl = buffer.indexOf('\n')) {
      latest = JSON.parse(buffer.slice(0, nl)) as Line;
      buffer = buffer.slice(nl + 1);
      onLine(latest);
    }
  });
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  return {
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
      return latest;
    },
  };
}

const n = (value: unknown) => (typeof value === 'number' ? value : 0);
const fmt = (value: number) => Math.round(value).toLocaleString('en-US');
const mb = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MB`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const spread = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0
    ? 'none'
    : `p50 ${percentile(sorted, 50)} ms, p99 ${percentile(sorted, 99)} ms, max ${sorted.at(-1)} ms (${fmt(sorted.length)} frames)`;
};

async function runEngine(engine: Engine): Promise<void> {
  const { hub, stop } = await benchHub(engine, { SIMULATOR: 'false', ...SETTINGS });
  try {
    const monitoring = hub.services.get(monitoringServiceRef);
    const mns = Array.from({ length: DEVICES + NEWCOMERS }, (_, i) => `SIEGE${String(i).padStart(3, '0')}`);
    for (const mn of mns) await monitoring.createMonitor({ mn, password: PW, name: `siege outlet ${mn}`, kind: 'WASTEWATER_OUTLET', intervalSeconds: 60 });
    const regulars = mns.slice(0, DEVICES);
    const gateway = hub.services.get(hj212GatewayRef);
    const port = String(gateway.port);
    const settings = hub.config.hj212;

    let phase: Phase = 'baseline';
    const acks: Record<Phase, number[]> = { baseline: [], siege: [] };
    const newcomerFirstAcks: number[] = [];
    const cpu: Record<Phase, number[]> = { baseline: [], siege: [] };
    const rss: number[] = [];
    const heap: number[] = [];
    let cpuAt = process.cpuUsage();
    let at = performance.now();
    const sampler = setInterval(() => {
      const used = process.cpuUsage(cpuAt);
      const now = performance.now();
      cpu[phase].push((used.user + used.system) / 1000 / (now - at));
      if (phase === 'siege') {
        rss.push(process.memoryUsage().rss);
        heap.push(process.memoryUsage().heapUsed);
      }
      cpuAt = process.cpuUsage();
      at = now;
    }, 1000);

    // Redials fall in the siege whatever its filling takes: from 10 s in to 10 s before its end.
    const redialFrom = (BASELINE_SECONDS + 10) * 1000;
    const devices = clients(
      ['devices', port, regulars.join(','), PW, '1000', '0', String(redialFrom), String(redialFrom + Math.max(5, SECONDS - 20) * 1000)],
      (line) => {
        // First frames (each device's first password check) come as firstAcks: left out here.
        acks[phase].push(...line.latencies);
      },
    );
    await sleep(BASELINE_SECONDS * 1000);

    phase = 'siege';
    const memoryBefore = process.memoryUsage();
    const loop = monitorEventLoopDelay({ resolution: 10 });
    loop.enable();
    const began = performance.now();
    const attackers = clients(
      ['attackers', port, String(IDLE), String(IDLE_ADDRESSES), String(GREEDY), String(FLOOD), String(FLOOD_ADDRESSES), regulars.join(',')],
      () => {},
    );
    for (let waited = 0; gateway.status().connectionsUnauthenticated < settings.maxConnections - DEVICES && waited < 30_000; waited += 200) await sleep(200);
    const filled = gateway.status();
    const filledAfter = (performance.now() - began) / 1000;
    const besieged = performance.now();
    await sleep((SECONDS * 1000) / 2);
    const newcomers = clients(['devices', port, mns.slice(DEVICES).join(','), PW, '1000', String(DEVICES), '0', '0'], (line) => {
      newcomerFirstAcks.push(...line.firstAcks);
      acks.siege.push(...line.latencies);
    });
    await sleep(Math.max(0, SECONDS * 1000 - (performance.now() - besieged)));

    const late = await newcomers.stop();
    const real = await devices.stop();
    const attack = await attackers.stop();
    const siegeSeconds = (performance.now() - began) / 1000;
    clearInterval(sampler);
    loop.disable();
    const status = gateway.status();
    // With --expose-gc: what stays once the siege's garbage is collected.
    const gc = (globalThis as { gc?: () => void }).gc;
    gc?.();
    await sleep(500);
    gc?.();
    const collected = gc ? ` (${mb(process.memoryUsage().heapUsed)} after a full collection)` : '';
    const rejected = (reason: string) => status.rejections.find((r) => r.reason === reason)?.count ?? 0;
    const mean = (values: number[]) => values.reduce((sum, v) => sum + v, 0) / Math.max(1, values.length);
    const pct = (share: number) => `${(share * 100).toFixed(0)} %`;
    const sent = n(real.sent) + n(late.sent);
    const acked = n(real.acked) + n(late.acked);
    process.stdout.write(
      [
        `\n== ${engine}${hub.db.capabilities.timescaledb ? ' + TimescaleDB' : ''}: ${BASELINE_SECONDS} s baseline, then ${SECONDS} s under siege once the slots are taken (machine load average ${loadavg()[0]?.toFixed(1)} on ${availableParallelism()} cores) ==`,
        `settings  HJ212_MAX_CONNECTIONS ${settings.maxConnections}, HJ212_MAX_UNAUTHENTICATED_PER_ADDRESS ${settings.maxUnauthenticatedPerAddress}, HJ212_AUTH_TIMEOUT_SECONDS ${settings.authTimeoutSeconds}, wrong PWs ${settings.authMaxFailuresPerMn} per MN / ${settings.authMaxFailuresPerAddress} per address, lockout ${settings.authLockoutSeconds} s`,
        `siege     ${fmt(IDLE)} idle connections from ${IDLE_ADDRESSES} addresses and ${GREEDY} from one, redialling when closed; ${FLOOD} connections from ${FLOOD_ADDRESSES} addresses sending wrong PWs for the ${DEVICES} devices' MNs, ${fmt(FLOOD * 50)} frames/s`,
        `          ${fmt(filled.connectionsOpen)} of ${fmt(settings.maxConnections)} slots taken after ${filledAfter.toFixed(1)} s (${fmt(filled.connectionsUnauthenticated)} unauthenticated, ${fmt(filled.devicesConnected)} devices)`,
        `devices   ${DEVICES} devices a frame a second, plus ${NEWCOMERS} first seen midway: sent ${fmt(sent)}, acknowledged ${fmt(acked)}, in flight at the end ${fmt(sent - acked)}, resent after 10 s unanswered ${fmt(n(real.resent) + n(late.resent))}, refused ${fmt(n(real.refusedQnRtn2) + n(real.refusedQnRtn3) + n(late.refusedQnRtn2) + n(late.refusedQnRtn3))}`,
        `          acknowledged after: baseline ${spread(acks.baseline)}; under siege ${spread(acks.siege)}`,
        `          redials under siege ${fmt(n(real.redials))}, each admitted (connects that failed ${fmt(n(real.deviceConnectFailed) + n(late.deviceConnectFailed))}, links the gateway closed ${fmt(n(real.deviceClosedByGateway) - n(real.redials) + n(late.deviceClosedByGateway))}); newcomers' first frame (a password check) acknowledged after ${spread(newcomerFirstAcks)}`,
        `gateway   unauthenticated connections replaced ${fmt(status.connectionsEvicted)}, closed at the auth deadline ${fmt(status.connectionsAuthTimedOut)}, refused ${fmt(status.connectionsRefused)}; attackers' connections made ${fmt(n(attack.idleConnected) + n(attack.greedyConnected) + n(attack.floodConnected))}`,
        `          wrong PWs sent ${fmt(n(attack.floodSent))}: checked ${fmt(status.passwordChecks - DEVICES - NEWCOMERS)} (answered QnRtn 3 ${fmt(n(attack.floodQnRtn3))}), refused unchecked while locked out ${fmt(rejected('auth-locked'))}, dropped with their closed connection ${fmt(rejected('connection-closed'))}, over the frame rate ${fmt(rejected('rate-limited'))}, the rest never read (their connections replaced or timed out first); lockouts ${fmt(status.authLockouts)}`,
        `hub       CPU: baseline ${pct(mean(cpu.baseline))} of one core; under siege ${pct(mean(cpu.siege))} on average, ${pct(Math.max(0, ...cpu.siege))} in the busiest second (on the same cores the attackers' process used ${pct(n(attack.cpuMs) / 1000 / siegeSeconds)} of one)`,
        `          memory: RSS ${mb(memoryBefore.rss)} before the siege, ${mb(Math.max(memoryBefore.rss, ...rss))} at peak, ${mb(process.memoryUsage().rss)} at the end; JS heap ${mb(memoryBefore.heapUsed)} before, ${mb(Math.max(memoryBefore.heapUsed, ...heap))} at peak${collected}; event loop delay p99 ${(loop.percentile(99) / 1e6).toFixed(1)} ms`,
        '',
      ].join('\n'),
    );
  } finally {
    await stop();
  }
}

for (const engine of engines()) await runEngine(engine);
