/**
 * Time to the first answer, as a newcomer meets it: `envhub demo` (what `npm start` runs) on a new
 * data directory (migrations, the demo district's seed, its history) and again on the directory it
 * left (a restart). Prints the seconds from spawn until `{ hub { version } }` answers, and until the
 * demo district answers a token-protected read (enterprises), with the CPU the hub used meanwhile.
 *   npm run bench:startup
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { signToken } from '../src/auth/jwt';

const ROOT = new URL('..', import.meta.url).pathname;
const PORT = Number(process.env.BENCH_PORT ?? 4590);

async function answers(query: string, token?: string): Promise<boolean> {
  try {
    const response = await fetch(`http://127.0.0.1:${PORT}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query }),
    });
    const body = (await response.json()) as { data?: Record<string, unknown> | null; errors?: unknown[] };
    return response.status === 200 && !body.errors && body.data !== null && body.data !== undefined;
  } catch {
    return false;
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

async function start(dataDir: string): Promise<{ child: ChildProcess; firstAnswer: number; districtAnswer: number; cpu: number }> {
  const started = performance.now();
  const child = spawn(process.execPath, [join(ROOT, 'bin/envhub.js'), 'demo'], {
    cwd: ROOT,
    env: { ...process.env, HUB_DATA_DIR: dataDir, HUB_PORT: String(PORT), HUB_HOST: '127.0.0.1', HJ212_PORT: String(PORT + 1), HJ212_HOST: '127.0.0.1', LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  let firstAnswer = Number.NaN;
  let districtAnswer = Number.NaN;
  let token: string | undefined;
  while (Number.isNaN(districtAnswer)) {
    if (child.exitCode !== null) throw new Error(`the hub exited with ${child.exitCode}`);
    if (Number.isNaN(firstAnswer) && (await answers('{ hub { version } }'))) firstAnswer = (performance.now() - started) / 1000;
    if (!Number.isNaN(firstAnswer)) {
      token ??= await signToken({ sub: 'bench', roles: ['district'] }, readFileSync(join(dataDir, 'jwt-secret'), 'utf8').trim(), { ttlSeconds: 600 }).catch(() => undefined);
      if (token && (await answers('{ enterprises(first: 1) { edges { node { uscc } } } }', token))) districtAnswer = (performance.now() - started) / 1000;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return { child, firstAnswer, districtAnswer, cpu: cpuSeconds(child.pid as number) };
}

async function stop(child: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

const dataDir = mkdtempSync(join(tmpdir(), 'envhub-startup-'));
try {
  console.log('start                first answer s  district read s  hub CPU s  load');
  for (const label of ['new data directory', 'restart']) {
    const run = await start(dataDir);
    console.log(`${label.padEnd(20)} ${run.firstAnswer.toFixed(1).padStart(14)} ${run.districtAnswer.toFixed(1).padStart(16)} ${run.cpu.toFixed(1).padStart(10)}  ${loadavg()[0]?.toFixed(2)}`);
    await stop(run.child);
  }
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}
