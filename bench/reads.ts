/**
 * Read throughput of the measured reads (Q1-Q3 of the side-by-side comparison with PostGraphile, and
 * the headline operations) on a hub seeded with the demo district, with authentication, row scope
 * and limits as in production. For each operation: requests per second, p50/p99 latency, the hub
 * process's CPU milliseconds per request and the statements one request sends. The clients run in
 * their own process; the load average is printed alongside, since a busy machine lowers req/s
 * (statements and CPU per request move much less).
 *   npm run bench:reads                      # the server engine (TimescaleDB at 127.0.0.1:5433)
 *   BENCH_ENGINE=pglite SECONDS=5 CONNS=16 OPS=Q1,Q2 npm run bench:reads
 *   GRAPHQL_COMPILED=false npm run bench:reads  # operations on graphql-js instead of compiled
 */
import { spawn } from 'node:child_process';
import { loadavg } from 'node:os';
import { startTestHub, type EngineName } from '../test/support/hub';
import { readWorkload, statementsPerRequest, type ReadOperation } from '../test/support/reads';

const ENGINE = (process.env.BENCH_ENGINE ?? 'timescaledb') as EngineName;
const SECONDS = Number(process.env.SECONDS ?? 5);
const CONNS = Number(process.env.CONNS ?? 16);
const OPS = process.env.OPS?.split(',');

function load(port: number, operation: ReadOperation, seconds: number): Promise<{ answers: number; failures: number; p50: number; p99: number }> {
  const body = JSON.stringify({ query: operation.query, variables: operation.variables });
  const clients = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      new URL('./reads-clients.ts', import.meta.url).pathname,
      String(port),
      `/${operation.endpoint}`,
      operation.token,
      body,
      String(CONNS),
      String(seconds),
    ],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  let output = '';
  clients.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve, reject) =>
    clients.on('exit', (code) => (code === 0 ? resolve(JSON.parse(output) as never) : reject(new Error(`clients exited with ${code}`)))),
  );
}

const th = await startTestHub({
  engine: ENGINE,
  env: { HUB_SEED: 'true', LOG_LEVEL: 'silent', ...(process.env.GRAPHQL_COMPILED ? { GRAPHQL_COMPILED: process.env.GRAPHQL_COMPILED } : {}) },
});
try {
  const workload = (await readWorkload(th)).filter((o) => !OPS || OPS.includes(o.name));
  console.log(`engine ${ENGINE}, NODE_ENV ${process.env.NODE_ENV ?? '(unset)'}, ${CONNS} connections, ${SECONDS} s each`);
  console.log('operation              req/s    p50 ms   p99 ms  cpu ms/req  statements  load');
  for (const operation of workload) {
    const statements = await statementsPerRequest(th, operation);
    await load(th.hub.port, operation, 1);
    const cpu = process.cpuUsage();
    const result = await load(th.hub.port, operation, SECONDS);
    const used = process.cpuUsage(cpu);
    const requests = result.answers + result.failures;
    console.log(
      [
        operation.name.padEnd(22),
        (result.answers / SECONDS).toFixed(0).padStart(6),
        result.p50.toFixed(1).padStart(9),
        result.p99.toFixed(1).padStart(8),
        ((used.user + used.system) / 1000 / requests).toFixed(2).padStart(11),
        String(statements).padStart(11),
        `  ${loadavg()[0]?.toFixed(2)}${result.failures ? `  (${result.failures} failed)` : ''}`,
      ].join(' '),
    );
  }
} finally {
  await th.stop();
}
