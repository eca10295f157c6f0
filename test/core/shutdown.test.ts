import { spawn } from 'node:child_process';
import { request } from 'node:http';
import { describe, expect, it } from 'vitest';

const ROOT = new URL('../../', import.meta.url).pathname;

/** Starts `envhub serve` as a real process and waits for its ready log line. */
function startProcess(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', 'serve'], {
    cwd: ROOT,
    env: { ...process.env, HUB_HOST: '127.0.0.1', HUB_PORT: '0', HUB_DATA_DIR: 'memory://', HJ212_ENABLED: 'false', JWT_SECRET: 'shutdown-test-secret', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const ready = new Promise<number>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /"url":"http:\/\/[^:]+:(\d+)\/graphql"/.exec(output);
      if (match) resolve(Number(match[1]));
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.on('exit', (code) => reject(new Error(`exited ${code}: ${output}`)));
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, ready, exited, output: () => output };
}

describe('the process', () => {
  it('finishes a request in flight on SIGTERM, then stops cleanly with exit code 0', async () => {
    const hub = startProcess({});
    const port = await hub.ready;
    const body = JSON.stringify({ query: '{ hub { version } }' });
    const response = new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, path: '/graphql', method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      });
      req.on('error', reject);
      // half the body now, the rest after the signal: the request is in flight when shutdown starts
      req.write(body.slice(0, 10));
      setTimeout(() => {
        hub.child.kill('SIGTERM');
        setTimeout(() => req.end(body.slice(10)), 300);
      }, 300);
    });
    const answered = await response;
    expect(answered.status).toBe(200);
    expect(JSON.parse(answered.text)).toEqual({ data: { hub: { version: expect.any(String) } } });
    expect(await hub.exited).toBe(0);
    expect(hub.output()).toContain('"msg":"stopped"');
  });

  it('refuses to start with a module whose dependency is off, exit code 2', async () => {
    const hub = startProcess({ HUB_MODULES: 'nosuchmodule' });
    await expect(hub.ready).rejects.toThrow(/exited 2: .*unknown module "nosuchmodule"/s);
  });
});
