import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, startTestHub, type EngineName, type TestHub } from '../support/hub';
import { connectWs, collect, type WsHandle } from '../support/ws';
import { signToken } from '../../src/auth/jwt';
import { createMonitor, ingest, minutesAgo, setLimit } from '../support/monitoring';

const EVENTS = `subscription($since: ID, $filter: ExceedanceEventFilter) {
  exceedanceEvents(since: $since, filter: $filter) { eventId kind severity value mn cellCode enterpriseUscc }
}`;

interface EventResult {
  exceedanceEvents: { eventId: string; kind: string; severity: string; value: number; mn: string; cellCode: string | null; enterpriseUscc: string | null };
}

const ids = (results: { data?: EventResult | null }[]): number[] => results.map((r) => Number(r.data?.exceedanceEvents.eventId));

/** Alternating out/in values: every pair opens and closes one episode (two events). */
function toggles(mn: string, count: number, base: number): { mn: string; time: Date; value: number }[] {
  return Array.from({ length: count }, (_, i) => ({ mn, time: new Date(base + i * 1000), value: i % 2 === 0 ? 150 : 10 }));
}

describe.each(ENGINES)('exceedance events (%s)', (engine) => {
  let th: TestHub;
  let admin: string;
  let ws: WsHandle;
  const base = Date.now() - 24 * 3600_000;

  beforeAll(async () => {
    th = await startTestHub({ engine });
    admin = await th.token({ roles: ['admin'] });
    await createMonitor(th, admin, { mn: 'LIVE-A', cellCode: '51011201001001', enterpriseUscc: '91510112MA6CAAAAA1' });
    await createMonitor(th, admin, { mn: 'LIVE-B', cellCode: '51011202002001', enterpriseUscc: '91510112MA6CBBBBB2' });
    await setLimit(th, admin, { monitorKind: 'WASTEWATER_OUTLET', factor: 'w01018', upper: 100 });
    ws = connectWs(th.hub.port, admin);
  });
  afterAll(async () => {
    await ws.dispose();
    await th.stop();
  });

  it('replays from `since` in order, then continues live without gap or duplicate', async () => {
    const before = await th.hub.bus.latestId();
    await ingest(th, admin, toggles('LIVE-A', 4, base));
    const stream = collect<EventResult>(ws.client, EVENTS, { since: String(before) });
    await stream.until(4);
    expect(stream.received.map((r) => r.data?.exceedanceEvents.kind)).toEqual(['OPENED', 'CLOSED', 'OPENED', 'CLOSED']);
    await ingest(th, admin, toggles('LIVE-A', 2, base + 10_000));
    await stream.until(6);
    const seen = ids(stream.received);
    expect(seen).toHaveLength(6);
    expect([...seen].sort((a, b) => a - b)).toEqual(seen);
    expect(new Set(seen).size).toBe(6);
    stream.dispose();
  });

  it('misses nothing and repeats nothing when events arrive during the replay', async () => {
    const since = await th.hub.bus.latestId();
    const first = ingest(th, admin, toggles('LIVE-A', 200, base + 100_000));
    const stream = collect<EventResult>(ws.client, EVENTS, { since: String(since) });
    const second = Promise.all([ingest(th, admin, toggles('LIVE-B', 100, base + 100_000)), ingest(th, admin, toggles('LIVE-A', 100, base + 400_000))]);
    await Promise.all([first, second]);
    const expected = (
      await th.hub.db.query<{ id: string | number }>("SELECT id FROM hub_events WHERE id > $1 AND topic LIKE 'monitoring.exceedance.%' ORDER BY id", [since])
    ).map((row) => Number(row.id));
    // concurrent batches of one series can make one of them late data (no episodes): count from the outbox
    expect(expected.length).toBeGreaterThanOrEqual(200);
    await stream.until(expected.length);
    expect(ids(stream.received)).toEqual(expected);
    stream.dispose();
  });

  it('filters by cell, including the cells under it, and by severity', async () => {
    const since = await th.hub.bus.latestId();
    await ingest(th, admin, [...toggles('LIVE-A', 2, base + 900_000), ...toggles('LIVE-B', 2, base + 900_000)]);
    const byTown = collect<EventResult>(ws.client, EVENTS, { since: String(since), filter: { cellCode: '51011202' } });
    await byTown.until(2);
    expect(byTown.received.map((r) => r.data?.exceedanceEvents.mn)).toEqual(['LIVE-B', 'LIVE-B']);
    byTown.dispose();
  });

  it('applies the viewer’s row scope: an enterprise sees only itself, an assistant only their cells', async () => {
    const since = await th.hub.bus.latestId();
    await ingest(th, admin, [...toggles('LIVE-A', 2, base + 1_000_000), ...toggles('LIVE-B', 2, base + 1_000_000)]);
    const enterprise = connectWs(th.hub.port, await th.token({ roles: ['enterprise'], enterprise: '91510112MA6CBBBBB2' }));
    const assistant = connectWs(th.hub.port, await th.token({ roles: ['assistant'], cells: ['51011201001001'] }));
    const own = collect<EventResult>(enterprise.client, EVENTS, { since: String(since) });
    const cells = collect<EventResult>(assistant.client, EVENTS, { since: String(since) });
    await Promise.all([own.until(2), cells.until(2)]);
    // one more event for each, so a leak would have had time to arrive
    await ingest(th, admin, [...toggles('LIVE-A', 1, base + 1_100_000), ...toggles('LIVE-B', 1, base + 1_100_000)]);
    await Promise.all([own.until(3), cells.until(3)]);
    expect(new Set(own.received.map((r) => r.data?.exceedanceEvents.enterpriseUscc))).toEqual(new Set(['91510112MA6CBBBBB2']));
    expect(new Set(cells.received.map((r) => r.data?.exceedanceEvents.mn))).toEqual(new Set(['LIVE-A']));
    await enterprise.dispose();
    await assistant.dispose();
  });

  it('lets live subscribers of one operation share a stream, each getting every event, until the last leaves', async () => {
    const LIVE = 'subscription { exceedanceEvents { eventId kind mn enterpriseUscc } }';
    const until = async (check: () => boolean) => {
      for (let i = 0; i < 200 && !check(); i += 1) await new Promise((resolve) => setTimeout(resolve, 25));
    };
    const other = connectWs(th.hub.port, admin);
    const enterprise = connectWs(th.hub.port, await th.token({ roles: ['enterprise'], enterprise: '91510112MA6CBBBBB2' }));
    const streams = [collect<EventResult>(ws.client, LIVE), collect<EventResult>(ws.client, LIVE), collect<EventResult>(other.client, LIVE)];
    await until(() => th.hub.bus.subscriberCount === 1);
    // three subscribers, one viewer and one operation: one stream
    expect(th.hub.bus.subscriberCount).toBe(1);
    const own = collect<EventResult>(enterprise.client, LIVE);
    await until(() => th.hub.bus.subscriberCount === 2);
    expect(th.hub.bus.subscriberCount).toBe(2);
    // a document that can replay, subscribed without an id, is live too: two of them share a stream
    const unreplayed = [collect<EventResult>(ws.client, EVENTS, {}), collect<EventResult>(other.client, EVENTS, {})];
    await until(() => th.hub.bus.subscriberCount === 3);
    expect(th.hub.bus.subscriberCount).toBe(3);
    for (const stream of unreplayed) stream.dispose();
    await until(() => th.hub.bus.subscriberCount === 2);
    expect(th.hub.bus.subscriberCount).toBe(2);

    const eventsAfter = async (id: number) =>
      (
        await th.hub.db.query<{ id: string | number }>("SELECT id FROM hub_events WHERE id > $1 AND topic LIKE 'monitoring.exceedance.%' ORDER BY id", [id])
      ).map((row) => Number(row.id));
    const since = await th.hub.bus.latestId();
    await ingest(th, admin, [...toggles('LIVE-A', 4, base + 2_000_000), ...toggles('LIVE-B', 4, base + 2_000_000)]);
    const expected = await eventsAfter(since);
    expect(expected.length).toBeGreaterThanOrEqual(6);
    await Promise.all(streams.map((s) => s.until(expected.length)));
    for (const stream of streams) expect(ids(stream.received)).toEqual(expected);
    await own.until(2);
    expect(own.received.length).toBeGreaterThanOrEqual(2);
    expect(new Set(own.received.map((r) => r.data?.exceedanceEvents.enterpriseUscc))).toEqual(new Set(['91510112MA6CBBBBB2']));

    // one leaves: the others go on
    streams[0]?.dispose();
    const next = await th.hub.bus.latestId();
    await ingest(th, admin, toggles('LIVE-A', 2, base + 2_100_000));
    const more = await eventsAfter(next);
    expect(more).toHaveLength(2);
    await Promise.all([streams[1]?.until(expected.length + 2), streams[2]?.until(expected.length + 2)]);
    expect(ids(streams[1]?.received ?? [])).toEqual([...expected, ...more]);
    expect(ids(streams[2]?.received ?? [])).toEqual([...expected, ...more]);
    expect(streams[0]?.received).toHaveLength(expected.length);

    // the last ones leave: their streams end without waiting for another event
    streams[1]?.dispose();
    await other.dispose();
    own.dispose();
    await until(() => th.hub.bus.subscriberCount === 0);
    expect(th.hub.bus.subscriberCount).toBe(0);
    await enterprise.dispose();
  });

  it('refuses the public and closes a connection with a bad token (4401)', async () => {
    const anonymous = connectWs(th.hub.port);
    const refused = collect<EventResult>(anonymous.client, EVENTS, {});
    await refused.until(1);
    expect(JSON.stringify(refused.ended?.error ?? refused.received)).toMatch(/UNAUTHENTICATED|authentication required/);
    await anonymous.dispose();
    const bad = connectWs(th.hub.port, 'not.a.token');
    expect(await bad.closed).toEqual({ code: 4401, reason: 'token invalid' });
    const expired = connectWs(th.hub.port, await th.token({ roles: ['district'] }, -60));
    expect((await expired.closed).code).toBe(4401);
    const otherSecret = connectWs(
      th.hub.port,
      await signToken({ sub: 'x', roles: ['district'] }, 'a-secret-of-another-data-directory-32', { ttlSeconds: 600 }),
    );
    expect(await otherSecret.closed).toEqual({
      code: 4401,
      reason: 'token signed with another secret: check the data directory (HUB_DATA_DIR) and JWT_SECRET',
    });
  });
});

describe('a subscriber that stops reading (pglite)', () => {
  let th: TestHub;
  afterAll(() => th?.stop());

  it('is disconnected with 4429 while others receive everything and the hub stays bounded', { timeout: 240_000 }, async () => {
    // keep-alive far off, so the stall rule is what acts (a missed pong would cut the link as well)
    th = await startTestHub({
      // the queue limit well above a round's burst: the healthy client may fall behind a round on a busy machine
      env: { SUBSCRIBER_STALL_SECONDS: '2', SUBSCRIBER_QUEUE_MAX: '5000', WS_KEEPALIVE_SECONDS: '600', GRAPHQL_MAX_ALIASES: '200' },
    });
    const admin = await th.token({ roles: ['admin'] });
    await createMonitor(th, admin, { mn: 'SLOW-1', cellCode: '51011201001001' });
    await setLimit(th, admin, { monitorKind: 'WASTEWATER_OUTLET', factor: 'w01018', upper: 100 });
    const healthy = connectWs(th.hub.port, admin);
    const slow = connectWs(th.hub.port, admin);
    const good = collect<{ exceedanceEvents: { eventId: string } }>(healthy.client, 'subscription { exceedanceEvents { eventId } }', {});
    // large messages (the same field under many aliases) fill the socket buffers with fewer events
    const padding = Array.from({ length: 150 }, (_, i) => `p${i}: monitorName`).join(' ');
    const stalled = collect<EventResult>(slow.client, `subscription { exceedanceEvents { eventId ${padding} } }`, {});
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(th.hub.bus.subscriberCount).toBe(2);
    // stop reading: the socket buffers fill and the hub's sends stop completing
    const raw = slow.tcp();
    raw.pause();
    const base = Date.now() - 40 * 24 * 3600_000;
    // enough to fill the socket buffers of the stopped client, then time for the stall to show;
    // the client starts reading again as soon as the hub has let it go, to see the close code
    let sent = 0;
    const producing = (async () => {
      for (let round = 0; round < 60 && th.hub.bus.subscriberCount > 1; round += 1) {
        await ingest(th, admin, toggles('SLOW-1', 2000, base + round * 2_000_000));
        sent += 2000;
      }
    })();
    while (th.hub.bus.subscriberCount > 1 && sent < 120_000) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(th.hub.bus.subscriberCount).toBe(1);
    raw.resume();
    expect(await slow.closed).toEqual({ code: 4429, reason: 'subscriber is not reading' });
    await producing;
    await good.until(sent);
    expect(good.received).toHaveLength(sent);
    expect(stalled.received.length).toBeLessThan(sent);
    await healthy.dispose();
  });
});
