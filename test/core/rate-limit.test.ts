import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRateLimiter } from '../../src/graphql/rate-limit';
import { startTestHub, type TestHub } from '../support/hub';
import { connectWs, execute } from '../support/ws';

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
