import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRateLimiter } from '../../src/graphql/rate-limit';
import { startTestHub, type TestHub } from '../support/hub';
import { connectWs, execute } from '../support/ws';
import WebSocket from 'ws';

describe('the per-address limiter', () => {
  it('allows the rate, refuses beyond it, and refills over time', () => {
    let clock = 0;
    const limiter = createRateLimiter({ perMinute: 2, now: () => clock });
    expect([limiter.take('a'), limiter.take('a'), limiter.take('a')]).toEqual([true, true, false]);
    expect(limiter.take('b')).toBe(true);
    expect(limiter.retryAfter('a')).toBe(30);
    clock += 30_000;
    expect(limiter.take('a')).toBe(true);
    expect(limiter.take('a')).toBe(false);
  });

  it('forgets the least recently seen address past its table size', () => {
    const limiter = createRateLimiter({ perMinute: 1, maxAddresses: 2, now: () => 0 });
    expect(limiter.take('a')).toBe(true);
    expect(limiter.take('b')).toBe(true);
    expect(limiter.take('c')).toBe(true);
    // 'a' was forgotten, so it starts with a full bucket again
    expect(limiter.take('a')).toBe(true);
    expect(limiter.take('c')).toBe(false);
  });
});

describe('anonymous callers over HTTP and WebSocket (pglite)', () => {
  let th: TestHub;
  beforeAll(async () => {
    th = await startTestHub({ env: { PUBLIC_RATE_LIMIT_PER_MINUTE: '3' } });
  });
  afterAll(() => th.stop());

  it('are limited per address, and callers with a token are not', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 4; i += 1) statuses.push((await th.graphql('{ hub { version } }')).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    const refused = await fetch(`http://127.0.0.1:${th.hub.port}/graphql?query=%7Bhub%7Bversion%7D%7D`);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    const token = await th.token({ roles: ['district'] });
    for (let i = 0; i < 5; i += 1) expect((await th.graphql('{ hub { version } }', {}, token)).status).toBe(200);
    const ws = connectWs(th.hub.port);
    const result = await execute(ws.client, '{ hub { version } }');
    expect(result.errors?.[0]?.message).toMatch(/too many operations/);
    await ws.dispose();
  });
});

describe('anonymous batches', () => {
  let th: TestHub;
  beforeAll(async () => {
    th = await startTestHub({ env: { PUBLIC_RATE_LIMIT_PER_MINUTE: '5' } });
  });
  afterAll(() => th.stop());

  const batch = (size: number) =>
    fetch(`http://127.0.0.1:${th.hub.port}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(Array.from({ length: size }, () => ({ query: '{ hub { version } }' }))),
    });

  it('count each operation against the limit, and a batch that does not fit runs nothing', async () => {
    expect((await batch(3)).status).toBe(200);
    const refused = await batch(3);
    expect(refused.status).toBe(429);
    expect(((await refused.json()) as { errors: { extensions: { code: string } }[] }).errors[0]?.extensions.code).toBe('RATE_LIMITED');
    // the refused batch took nothing: two operations are still there
    expect((await batch(2)).status).toBe(200);
    expect((await batch(1)).status).toBe(429);
  });
});

describe('clients behind the bureau’s reverse proxy', () => {
  let th: TestHub;
  beforeAll(async () => {
    // loopback plays the proxy
    th = await startTestHub({ env: { PUBLIC_RATE_LIMIT_PER_MINUTE: '2', HTTP_TRUSTED_PROXIES: '127.0.0.0/8, ::1', WS_MAX_CONNECTIONS_PER_ADDRESS: '2' } });
  });
  afterAll(() => th.stop());

  const asClient = (forwardedFor: string) =>
    fetch(`http://127.0.0.1:${th.hub.port}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': forwardedFor },
      body: JSON.stringify({ query: '{ hub { version } }' }),
    });

  it('are limited one by one, by the nearest address the proxy did not add', async () => {
    expect([(await asClient('203.0.113.7')).status, (await asClient('203.0.113.7')).status, (await asClient('203.0.113.7')).status]).toEqual([200, 200, 429]);
    // another citizen behind the same proxy is another client
    expect((await asClient('198.51.100.20')).status).toBe(200);
    // what a client writes on the left changes nothing: the proxy appended the real address
    expect((await asClient('198.51.100.99, 203.0.113.7')).status).toBe(429);
    // a chain of trusted proxies is walked through
    expect((await asClient('192.0.2.1, 127.0.0.2')).status).toBe(200);
  });

  it('hold at most WS_MAX_CONNECTIONS_PER_ADDRESS WebSocket connections each', async () => {
    const open = (forwardedFor: string) =>
      new Promise<{ socket: WebSocket; status: number }>((resolve) => {
        const socket = new WebSocket(`ws://127.0.0.1:${th.hub.port}/graphql`, 'graphql-transport-ws', { headers: { 'x-forwarded-for': forwardedFor } });
        socket.once('open', () => resolve({ socket, status: 101 }));
        socket.once('unexpected-response', (_request, response) => resolve({ socket, status: response.statusCode ?? 0 }));
      });
    const first = await open('203.0.113.50');
    const second = await open('203.0.113.50');
    const third = await open('203.0.113.50');
    expect([first.status, second.status, third.status]).toEqual([101, 101, 429]);
    expect((await open('203.0.113.51')).status).toBe(101);
    // closing one makes room again
    await new Promise<void>((resolve) => {
      first.socket.once('close', () => resolve());
      first.socket.close();
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    const again = await open('203.0.113.50');
    expect(again.status).toBe(101);
    for (const s of [second.socket, again.socket]) s.close();
  });
});
