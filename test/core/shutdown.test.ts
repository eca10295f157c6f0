import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { get, request, type IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { signToken } from '../../src/auth/jwt';

const ROOT = new URL('../../', import.meta.url).pathname;
const SECRET = 'shutdown-test-secret-of-32-bytes-or-more';

/** Uploads a photo of `size` bytes as a district officer; returns its download path and token. */
async function uploadPhoto(port: number, size: number): Promise<{ path: string; token: string; bytes: Buffer }> {
  const token = await signToken({ sub: 'district-1', roles: ['district'] }, SECRET, { ttlSeconds: 600 });
  const bytes = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), randomBytes(size - 4)]);
  const form = new FormData();
  form.append('file', new Blob([bytes], { type: 'image/jpeg' }), 'large.jpg');
  const response = await fetch(`http://127.0.0.1:${port}/media`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form });
  const body = (await response.json()) as { media: { url: string }[] };
  return { path: body.media[0]?.url as string, token, bytes };
}

/** Starts a download and stops reading it at once: the response waits in the sockets' buffers. */
function pausedDownload(port: number, path: string, token: string): Promise<{ response: IncomingMessage; body: Promise<Buffer> }> {
  return new Promise((resolve, reject) => {
    const req = get({ host: '127.0.0.1', port, path, headers: { authorization: `Bearer ${token}` } }, (response) => {
      response.pause();
      const chunks: Buffer[] = [];
      const body = new Promise<Buffer>((done) => {
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        // 'end' for a complete body; 'close' alone when the server cut the connection
        response.on('close', () => done(Buffer.concat(chunks)));
      });
      resolve({ response, body });
    });
    req.on('error', reject);
  });
}

/** Starts `envhub serve` as a real process and waits for its ready log line. */
function startProcess(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', 'serve'], {
    cwd: ROOT,
    env: {
      ...process.env,
      HUB_HOST: '127.0.0.1',
      HUB_PORT: '0',
      HUB_DATA_DIR: 'memory://',
      HJ212_ENABLED: 'false',
      JWT_SECRET: SECRET,
      LOG_LEVEL: 'info',
      ...env,
    },
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
      const req = request(
        {
          host: '127.0.0.1',
          port,
          path: '/graphql',
          method: 'POST',
          headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
        },
        (res) => {
          let text = '';
          res.on('data', (chunk: Buffer) => (text += chunk.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
        },
      );
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

  it('lets a response still being written finish on SIGTERM, and cuts one still unread when the grace is over', { timeout: 180_000 }, async () => {
    const hub = startProcess({ HUB_MODULES: 'grid', SHUTDOWN_GRACE_SECONDS: '6' });
    const port = await hub.ready;
    // twice what the loopback socket buffers hold: half of each body is still in the hub when the signal comes
    const { path, token, bytes } = await uploadPhoto(port, 8 * 1024 * 1024);
    const slow = await pausedDownload(port, path, token);
    const stalled = await pausedDownload(port, path, token);
    expect([slow.response.statusCode, stalled.response.statusCode]).toEqual([200, 200]);
    await new Promise((resolve) => setTimeout(resolve, 300));
    hub.child.kill('SIGTERM');
    // the hub is shutting down while both readers are slow; then one reads on
    await new Promise((resolve) => setTimeout(resolve, 1500));
    slow.response.resume();
    const received = await slow.body;
    expect(received.length).toBe(bytes.length);
    expect(createHash('sha256').update(received).digest('hex')).toBe(createHash('sha256').update(bytes).digest('hex'));
    // the other never read on in time: the grace ends, its connection is cut, the hub stops
    expect(await hub.exited).toBe(0);
    expect(hub.output()).toContain('"msg":"stopped"');
    stalled.response.resume();
    expect((await stalled.body).length).toBeLessThan(bytes.length);
  });

  it('refuses to start with a module whose dependency is off, exit code 2', async () => {
    const hub = startProcess({ HUB_MODULES: 'nosuchmodule' });
    await expect(hub.ready).rejects.toThrow(/exited 2: .*unknown module "nosuchmodule"/s);
  });
});
