/**
 * The HJ 212 gateway under siege, on both engines: 2,000 idle connections that never authenticate
 * (from 100 addresses, plus 300 more from a single one) take every slot, and 40 connections flood
 * wrong PWs for the real devices' MNs at 50 frames per second each, while 50 real devices report a
 * frame a second and each drop and redial once. Prints whether every real frame was acknowledged,
 * how long acknowledgements took, what the gateway did with the attackers, and the hub process's
 * CPU and memory throughout. Attackers and devices run in processes of their own. Asserts nothing.
 *   npm run bench:hj212-siege   (BENCH_ENGINES=pglite|postgres, BENCH_SECONDS=60)
 */

import { spawn, type ChildProcess } from 'node:child_process';
import { availableParallelism, loadavg } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { hj212GatewayRef } from '../src/ingest/hj212/service';
import { monitoringServiceRef } from '../src/monitoring/public';
import { benchHub, engines, type Engine } from './support';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 60);
const DEVICES = 50;
const IDLE = 2000;
const IDLE_ADDRESSES = 100;
const GREEDY = 300;
const FLOOD = 40;
const FLOOD_ADDRESSES = 20;
const PW = '123456';
const SETTINGS = { HJ212_AUTH_TIMEOUT_SECONDS: '20' };

type Counts = Record<string, number | boolean | null>;

/** Starts a client process; `last()` is its latest report, `stop()` its final one. */
function clients(args: string[]): { last: () => Counts; stop: () => Promise<Counts> } {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', new URL('./hj212-siege-clients.ts', import.meta.url).pathname, ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let latest: Counts = {};
  let buffer = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    for (let nl = buffer.indexOf('\n'); nl >= 0; nl = buffer.indexOf('\n')) {
      latest = JSON.parse(buffer.slice(0, nl)) as Counts;
      buffer = buffer.slice(nl + 1);
    }
  });
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  return {
    last: () => latest,
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

async function runEngine(engine: Engine): Promise<void> {
  const { hub, stop } = await benchHub(engine, { SIMULATOR: 'false', ...SETTINGS });
  try {
    const monitoring = hub.services.get(monitoringServiceRef);
    const mns = Array.from({ length: DEVICES }, (_, i) => `SIEGE${String(i).padStart(3, '0')}`);
    for (const mn of mns) await monitoring.createMonitor({ mn, password: PW, name: `siege outlet ${mn}`, kind: 'WASTEWATER_OUTLET', intervalSeconds: 60 });
    const gateway = hub.services.get(hj212GatewayRef);
    const port = String(gateway.port);
    const settings = hub.config.hj212;

    const attackers = clients(['attackers', port, String(IDLE), String(IDLE_ADDRESSES), String(GREEDY), String(FLOOD), String(FLOOD_ADDRESSES), mns.join(',')]);
    // The siege first takes every slot.
    for (let waited = 0; gateway.status().connectionsOpen < settings.maxConnections && waited < 30_000; waited += 200) await sleep(200);
    const filled = gateway.status();

    const loop = monitorEventLoopDelay({ resolution: 10 });
    loop.enable();
    const memoryBefore = process.memoryUsage();
    const samples: { cpu: number; rss: number; heap: number }[] = [];
    let cpu = process.cpuUsage();
    let at = performance.now();
    const sampler = setInterval(() => {
      const used = process.cpuUsage(cpu);
      const now = performance.now();
      samples.push({ cpu: (used.user + used.system) / 1000 / (now - at), rss: process.memoryUsage().rss, heap: process.memoryUsage().heapUsed });
      cpu = process.cpuUsage();
      at = now;
    }, 1000);

    const devices = clients(['devices', port, mns.join(','), PW, '1000']);
    await sleep(SECONDS * 1000);
    const real = await devices.stop();
    const attack = await attackers.stop();
    clearInterval(sampler);
    loop.disable();
    const status = gateway.status();

    const cpuMean = samples.reduce((sum, s) => sum + s.cpu, 0) / Math.max(1, samples.length);
    const cpuMax = Math.max(0, ...samples.map((s) => s.cpu));
    const rssPeak = Math.max(memoryBefore.rss, ...samples.map((s) => s.rss));
    const heapPeak = Math.max(memoryBefore.heapUsed, ...samples.map((s) => s.heap));
    const unanswered = n(real.sent) - n(real.acked);
    const rejected = (reason: string) => status.rejections.find((r) => r.reason === reason)?.count ?? 0;
    process.stdout.write(
      [
        `\n== ${engine}${hub.db.capabilities.timescaledb ? ' + TimescaleDB' : ''}: ${SECONDS} s under siege (machine load average ${loadavg()[0]?.toFixed(1)} on ${availableParallelism()} cores) ==`,
        `settings  HJ212_MAX_CONNECTIONS ${settings.maxConnections}, HJ212_MAX_UNAUTHENTICATED_PER_ADDRESS ${settings.maxUnauthenticatedPerAddress}, HJ212_AUTH_TIMEOUT_SECONDS ${settings.authTimeoutSeconds}, wrong PWs ${settings.authMaxFailuresPerMn} per MN / ${settings.authMaxFailuresPerAddress} per address, lockout ${settings.authLockoutSeconds} s`,
        `siege     ${fmt(IDLE)} idle connections from ${IDLE_ADDRESSES} addresses and ${GREEDY} from one, redialling when closed; ${FLOOD} connections from ${FLOOD_ADDRESSES} addresses sending wrong PWs for the ${DEVICES} real MNs at ${fmt(FLOOD * 50)} frames/s`,
        `          slots taken before the devices came: ${fmt(filled.connectionsOpen)} of ${settings.maxConnections} (${fmt(filled.connectionsUnauthenticated)} unauthenticated)`,
        `devices   ${DEVICES} real devices, a frame a second each, each redialling once: sent ${fmt(n(real.sent))}, acknowledged ${fmt(n(real.acked))}, unanswered at the end ${unanswered} (the frames in flight), resent after 10 s without an answer ${fmt(n(real.resent))}, refused ${fmt(n(real.refusedQnRtn2) + n(real.refusedQnRtn3) + n(real.refusedQnRtn4))}`,
        `          redials ${fmt(n(real.reconnects))}, connections the gateway closed on them ${fmt(n(real.deviceClosedByGateway) - n(real.reconnects))}, connects that failed ${fmt(n(real.deviceConnectFailed))}; acknowledgement after p50 ${real.p50} ms, p99 ${real.p99} ms, max ${real.max} ms`,
        `gateway   unauthenticated connections replaced ${fmt(status.connectionsEvicted)}, closed at the auth deadline ${fmt(status.connectionsAuthTimedOut)}, connections refused ${fmt(status.connectionsRefused)}; idle attackers redialled ${fmt(n(attack.idleClosedByGateway) + n(attack.greedyClosedByGateway))} times`,
        `          wrong PWs sent ${fmt(n(attack.floodSent))}: PWs checked (scrypt) in all ${fmt(status.passwordChecks)} (${DEVICES} of them the devices' first frames), answered unchecked as locked out ${fmt(n(attack.floodQnRtn2))}, refused over the frame rate ${fmt(rejected('rate-limited'))}, lockouts ${fmt(status.authLockouts)}`,
        `hub       CPU ${(cpuMean * 100).toFixed(0)} % of one core on average, ${(cpuMax * 100).toFixed(0)} % in the busiest second; RSS ${mb(memoryBefore.rss)} before, ${mb(rssPeak)} at peak, ${mb(process.memoryUsage().rss)} at the end; JS heap peak ${mb(heapPeak)}; event loop delay p99 ${(loop.percentile(99) / 1e6).toFixed(1)} ms, max ${(loop.max / 1e6).toFixed(1)} ms`,
        '',
      ].join('\n'),
    );
  } finally {
    await stop();
  }
}

for (const engine of engines()) await runEngine(engine);
