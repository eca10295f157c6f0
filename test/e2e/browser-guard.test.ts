import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openScreen } from '../support/browser';
import { loopbackOnlyLibrary } from '../support/browser-guard';

// TEST-NET-1 (RFC 5737): documentation addresses that route nowhere
const OUTSIDE = '192.0.2.1';

describe('the loopback guard of the browser the screen tests drive', () => {
  let server: Server;
  let origin: string;
  beforeAll(async () => {
    server = createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('<!doctype html><title>loopback</title><p>served on loopback</p>');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('loads a page on loopback and closes clean', async () => {
    const screen = await openScreen();
    await screen.page.goto(origin);
    expect(await screen.page.title()).toBe('loopback');
    expect(screen.refused()).toEqual([]);
    await expect(screen.close()).resolves.toBeUndefined();
  });

  it('fails TCP and UDP beyond loopback in any process it is preloaded into, and records each', () => {
    const dir = mkdtempSync(join(tmpdir(), 'envhub-guard-'));
    const log = join(dir, 'refused.log');
    const script = `
      const net = require('node:net');
      const dgram = require('node:dgram');
      const tcp = new Promise((resolve) => net.connect(80, '${OUTSIDE}').on('error', (e) => resolve(e.code)).on('connect', () => resolve('connected')));
      const udp = new Promise((resolve) => { const s = dgram.createSocket('udp4'); s.send('x', 53, '${OUTSIDE}', (e) => { s.close(); resolve(e ? e.code : 'sent'); }); });
      const local = new Promise((resolve) => { const s = dgram.createSocket('udp4'); s.send('x', 9, '127.0.0.1', (e) => { s.close(); resolve(e ? e.code : 'sent'); }); });
      Promise.all([tcp, udp, local]).then((codes) => console.log(codes.join(' ')));`;
    try {
      const out = execFileSync(process.execPath, ['-e', script], { env: { ...process.env, LD_PRELOAD: loopbackOnlyLibrary(), ENVHUB_REFUSED_LOG: log } });
      expect(out.toString().trim()).toBe('ENETUNREACH ENETUNREACH sent');
      expect(readFileSync(log, 'utf8').split('\n').filter(Boolean).sort()).toEqual([`connect tcp ${OUTSIDE} 80`, `sendmsg udp ${OUTSIDE} 53`]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a connection beyond loopback before it is made, and the test that asked for it fails', async () => {
    // without its proxy the browser would connect to the address itself
    const screen = await openScreen({ direct: [OUTSIDE] });
    await expect(screen.page.goto(`http://${OUTSIDE}/`, { timeout: 30_000 })).rejects.toThrow(/ERR_(ADDRESS|NETWORK)_UNREACHABLE|ERR_CONNECTION_FAILED/);
    expect(screen.refused()).toContain(`connect tcp ${OUTSIDE} 80`);
    await expect(screen.close()).rejects.toThrow(`the browser tried to reach beyond loopback (refused by its guard):\nconnect tcp ${OUTSIDE} 80`);
  });
});
