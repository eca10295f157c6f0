/**
 * Time to the first answer, as a newcomer meets it: the command `npm start` runs (package.json's
 * `start` script, without npm's own start-up), on a new data directory (migrations, the demo
 * district's seed and its history) and again on the directory it left (a restart). For each:
 * - first answer: seconds from spawn until `{ hub { version } }` answers over HTTP without errors;
 * - district read: until a token-protected read (enterprises) returns demo rows;
 * - started: until the hub logs `envhub ready` (seeded, workers and the simulator running);
 * - the hub's CPU seconds at the first answer and at `envhub ready`;
 * - where the time goes: the phases the hub logs (ms; `process` is node's start and the loading of
 *   the hub's modules, the embedded database starting alongside; `database` what is left of its
 *   start after that).
 * Each start is run BENCH_RUNS times (default 3) on fresh directories; medians are printed, with
 * the load average, since the figures move with whatever else the machine is doing.
 *   npm run bench:startup
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { signToken } from '../src/auth/jwt';

const ROOT = new URL('..', import.meta.url).pathname;
const PORT = Number(process.env.BENCH_PORT ?? 4590);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);

/** `npm start`'s command as package.json has it, node being this node. */
function startCommand(): { command: string; args: string[] } {
  const script = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts.start ?? '';
  const [command, ...args] = script.split(/\s+/);
  if (command !== 'node') throw new Error(`the start script is not a node command: ${script}`);
  return { command: process.execPath, args };
}

async function answers(query: string, token?: string): Promise<Record<string, unknown> | undefined> {
  try {
    const response = await fetch(`http://127.0.0.1:${PORT}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query }),
    });
    const body = (await response.json()) as { data?: Record<string, unknown> | null; errors?: unknown[] };
    return response.status === 200 && !body.errors && body.data ? body.data : undefined;
  } catch {
    return undefined;
  }
}

/** CPU seconds the process and its children have used (Linux /proc), or NaN elsewhere. */
function cpuSeconds(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return Number.NaN;
  }
}

interface Run {
  firstAnswer: number;
  districtRead: number;
  started: number;
  cpuFirst: number;
  cpuStarted: number;
  load: number;
  phases: Record<string, number>;
}

async function start(dataDir: string): Promise<{ child: ChildProcess; run: Run }> {
  const { command, args } = startCommand();
  const began = performance.now();
  const seconds = (): number => (performance.now() - began) / 1000;
  const child = spawn(command, args, {
    cwd: ROOT,
    env: {
      ...process.env,
      HUB_DATA_DIR: dataDir,
      HUB_PORT: String(PORT),
      HUB_HOST: '127.0.0.1',
      HJ212_PORT: String(PORT + 1),
      HJ212_HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const run: Run = { firstAnswer: NaN, districtRead: NaN, started: NaN, cpuFirst: NaN, cpuStarted: NaN, load: loadavg()[0] ?? NaN, phases: {} };
  createInterface({ input: child.stdout! }).on('line', (line) => {
    if (!line.startsWith('{')) return;
    const entry = JSON.parse(line) as { msg?: string; phases?: Record<string, number>; level?: number };
    if (entry.level !== undefined && entry.level >= 50) process.stderr.write(`${line}\n`);
    if (entry.phases) run.phases = entry.phases;
    if (entry.msg === 'envhub ready') {
      run.started = seconds();
      run.cpuStarted = cpuSeconds(child.pid as number);
    }
  });
  let token: string | undefined;
  while (Number.isNaN(run.districtRead) || Number.isNaN(run.started)) {
    if (child.exitCode !== null) throw new Error(`the hub exited with ${child.exitCode}`);
    if (Number.isNaN(run.firstAnswer) && (await answers('{ hub { version } }'))) {
      run.firstAnswer = seconds();
      run.cpuFirst = cpuSeconds(child.pid as number);
    }
    if (!Number.isNaN(run.firstAnswer) && Number.isNaN(run.districtRead)) {
      token ??= await signToken({ sub: 'bench', roles: ['district'] }, readFileSync(join(dataDir, 'jwt-secret'), 'utf8').trim(), { ttlSeconds: 600 }).catch(
        () => undefined,
      );
      const data = token ? await answers('{ enterprises(first: 1) { edges { node { uscc } } } }', token) : undefined;
      if (((data?.enterprises as { edges?: unknown[] } | undefined)?.edges?.length ?? 0) > 0) run.districtRead = seconds();
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return { child, run };
}

async function stop(child: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

function median(values: number[]): number {
  const sorted = values.filter((value) => !Number.isNaN(value)).sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

const f = (value: number, width: number, digits = 1): string => value.toFixed(digits).padStart(width);
const runs: Record<string, Run[]> = { 'new data directory': [], restart: [] };
console.log(`${RUNS} run(s) of each; seconds from spawn (${startCommand().args.join(' ')})`);
console.log('start                first answer  district read  started  CPU at answer  CPU at started  load');
const line = (label: string, run: Run): void =>
  console.log(
    `${label.padEnd(20)} ${f(run.firstAnswer, 12)} ${f(run.districtRead, 14)} ${f(run.started, 8)} ${f(run.cpuFirst, 14)} ${f(run.cpuStarted, 15)} ${f(run.load, 5, 2)}`,
  );
for (let index = 0; index < RUNS; index++) {
  const dataDir = mkdtempSync(join(tmpdir(), 'envhub-startup-'));
  try {
    for (const label of Object.keys(runs)) {
      const { child, run } = await start(dataDir);
      await stop(child);
      runs[label]?.push(run);
      line(label, run);
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}
console.log('\nmedians');
for (const [label, list] of Object.entries(runs)) {
  const pick = (key: Exclude<keyof Run, 'phases'>): number => median(list.map((run) => run[key]));
  line(label, {
    firstAnswer: pick('firstAnswer'),
    districtRead: pick('districtRead'),
    started: pick('started'),
    cpuFirst: pick('cpuFirst'),
    cpuStarted: pick('cpuStarted'),
    load: pick('load'),
    phases: {},
  });
}
console.log('\nphases, ms (medians; the first answer comes after `listen`)');
const names = [...new Set(Object.values(runs).flatMap((list) => list.flatMap((run) => Object.keys(run.phases))))];
console.log(
  `${'phase'.padEnd(12)} ${Object.keys(runs)
    .map((label) => label.padStart(20))
    .join('')}`,
);
for (const name of names) {
  console.log(
    `${name.padEnd(12)} ${Object.values(runs)
      .map((list) => f(median(list.map((run) => run.phases[name] ?? NaN)), 20, 0))
      .join('')}`,
  );
}
