/**
 * Fan-out: N subscribers (in a separate process) on loopback, M events per second published for a
 * few seconds; prints delivery latency p50/p99 from commit to client and the hub's memory.
 *   npx tsx bench/fanout.ts [subscribers,...] [events/s] [seconds]
 */
import { spawn } from 'node:child_process';
import { exceedanceOpened, type ExceedanceEventPayload } from '../src/monitoring/events';
import { benchHub, type Engine } from './support';

const SUBSCRIBERS = (process.argv[2] ?? '100,1000,5000').split(',').map(Number);
const RATE = Number(process.argv[3] ?? 100);
const SECONDS = Number(process.argv[4] ?? 5);
// the server engine by default: a duty room's hub runs on PostgreSQL, the embedded engine is single-connection
const ENGINE = (process.env.BENCH_ENGINE ?? 'postgres') as Engine;

const payload = (n: number): ExceedanceEventPayload => ({
  exceedanceId: n,
  monitorId: 1,
  mn: 'FANOUT',
  monitorName: 'fan-out probe',
  monitorKind: 'WASTEWATER_OUTLET',
  ownerModule: null,
  ownerId: null,
  enterpriseUscc: null,
  cellCode: '51011201001001',
  factor: 'w01018',
  interval: 'RTD',
  severity: 'EXCEEDANCE',
  value: 120,
  peakValue: 120,
  limitUpper: 100,
  limitLower: null,
  at: new Date().toISOString(),
});

const mb = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MB`;

for (const count of SUBSCRIBERS) {
  const { hub, token, stop } = await benchHub(ENGINE, { WS_KEEPALIVE_SECONDS: '60' });
  try {
    const rssBefore = process.memoryUsage().rss;
    const events = RATE * SECONDS;
    const clients = spawn(
      process.execPath,
      ['--import', 'tsx', new URL('./fanout-clients.ts', import.meta.url).pathname, String(hub.port), await token(['district']), String(count), String(events)],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let output = '';
    const done = new Promise<string>((resolve) => clients.on('exit', () => resolve(output)));
    await new Promise<void>((resolve) =>
      clients.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('READY')) resolve();
      }),
    );
    await new Promise((resolve) => setTimeout(resolve, 500));
    const rssConnected = process.memoryUsage().rss;
    let peak = rssConnected;
    const started = performance.now();
    for (let n = 0; n < events; n += 1) {
      const due = started + (n * 1000) / RATE;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      await hub.bus.publish(exceedanceOpened, payload(n));
      if (n % RATE === 0) peak = Math.max(peak, process.memoryUsage().rss);
    }
    const result = JSON.parse((await done).split('\n').find((line) => line.startsWith('{')) ?? '{}') as Record<string, number | undefined>;
    console.log(
      `${ENGINE} ${String(count).padStart(5)} subscribers, ${RATE} events/s for ${SECONDS}s: delivered ${result.received}/${events * count}, ` +
        `latency p50 ${result.p50} ms, p99 ${result.p99} ms, max ${result.max} ms; hub RSS ${mb(rssBefore)} -> ${mb(rssConnected)} connected, peak ${mb(peak)}\n` +
        `      first subscriber of each event p50 ${result.firstP50} / p99 ${result.firstP99} ms; first to last subscriber p50 ${result.spreadP50} / p99 ${result.spreadP99} ms`,
    );
  } finally {
    await stop();
  }
}
