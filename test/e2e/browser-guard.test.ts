import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openScreen } from '../support/browser';

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

  it('refuses a connection beyond loopback before it is made, and the test that asked for it fails', async () => {
    // without its proxy the browser would connect to the address itself
    const screen = await openScreen({ direct: [OUTSIDE] });
    await expect(screen.page.goto(`http://${OUTSIDE}/`, { timeout: 30_000 })).rejects.toThrow(/ERR_(ADDRESS|NETWORK)_UNREACHABLE|ERR_CONNECTION_FAILED/);
    expect(screen.refused()).toContain(`connect tcp ${OUTSIDE} 80`);
    await expect(screen.close()).rejects.toThrow(`the browser tried to reach beyond loopback (refused by its guard):\nconnect tcp ${OUTSIDE} 80`);
  });
});
