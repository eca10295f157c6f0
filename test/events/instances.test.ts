import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import postgres from 'postgres';
import { createServerDatabase, SERVER_ENGINE, startTestHub, type TestHub } from '../support/hub';
import { connectWs, collect, type WsHandle } from '../support/ws';
import { createMonitor, eventually, ingest, setLimit } from '../support/monitoring';
import { defineEvent } from '../../src/events/topics';

const EVENTS = 'subscription($since: ID) { exceedanceEvents(since: $since) { eventId kind mn } }';
type Result = { exceedanceEvents: { eventId: string; kind: string; mn: string } };

describe(`two hub instances on one database (${SERVER_ENGINE})`, () => {
  let database: { url: string; drop: () => Promise<void> };
  let a: TestHub;
  let b: TestHub;
  let admin: string;
  let ws: WsHandle;
  const base = Date.now() - 12 * 3600_000;

  beforeAll(async () => {
    database = await createServerDatabase();
    a = await startTestHub({ engine: SERVER_ENGINE, databaseUrl: database.url });
    b = await startTestHub({ engine: SERVER_ENGINE, databaseUrl: database.url });
    admin = await a.token({ roles: ['admin'] });
    await createMonitor(a, admin, { mn: 'TWIN-1', cellCode: '51011201001001' });
    await setLimit(a, admin, { monitorKind: 'WASTEWATER_OUTLET', factor: 'w01018', upper: 100 });
    ws = connectWs(b.hub.port, await b.token({ roles: ['district'] }));
  });
  afterAll(async () => {
    await ws?.dispose();
    await a?.stop();
    await b?.stop();
    await database?.drop();
  });

  it('delivers an exceedance raised through A to a subscriber on B', async () => {
    const stream = collect<Result>(ws.client, EVENTS, {});
    await new Promise((resolve) => setTimeout(resolve, 200));
    await ingest(a, admin, [{ mn: 'TWIN-1', time: new Date(base), value: 180 }]);
    await stream.until(1);
    expect(stream.received.map((r) => r.data?.exceedanceEvents.kind)).toEqual(['OPENED']);
    stream.dispose();
  });

  it('catches up from the outbox when B’s listening connection drops and comes back', async () => {
    const since = await a.hub.bus.latestId();
    const stream = collect<Result>(ws.client, EVENTS, { since: String(since) });
    const admin_ = postgres(database.url, { max: 1, onnotice: () => {} });
    // cut every LISTEN connection (both instances'), then publish while they reconnect
    const killed = await admin_`SELECT pg_terminate_backend(pid) FROM pg_stat_activity
                                WHERE datname = current_database() AND pid <> pg_backend_pid() AND query ILIKE 'listen%'`;
    expect(killed.length).toBeGreaterThanOrEqual(1);
    await ingest(a, admin, [
      { mn: 'TWIN-1', time: new Date(base + 60_000), value: 10 },
      { mn: 'TWIN-1', time: new Date(base + 120_000), value: 200 },
    ]);
    await stream.until(2);
    expect(stream.received.map((r) => r.data?.exceedanceEvents.kind)).toEqual(['CLOSED', 'OPENED']);
    // and the listener is back: a later event arrives too
    await ingest(a, admin, [{ mn: 'TWIN-1', time: new Date(base + 180_000), value: 20 }]);
    await stream.until(3);
    expect(stream.received.map((r) => r.data?.exceedanceEvents.kind)).toEqual(['CLOSED', 'OPENED', 'CLOSED']);
    const ids = stream.received.map((r) => Number(r.data?.exceedanceEvents.eventId));
    expect(ids).toEqual([...ids].sort((x, y) => x - y));
    await admin_.end();
    stream.dispose();
  });
});

describe('module workers consume events at least once and resume after a restart (pglite)', () => {
  const probe = defineEvent<{ n: number }>('test.probe.happened');
  let th: TestHub;
  beforeAll(async () => {
    th = await startTestHub();
  });
  afterAll(() => th.stop());

  it('handles each event, retries a failure, and resumes from its stored offset', async () => {
    const handled: number[] = [];
    let failOnce = true;
    const stop = await th.hub.bus.consume({
      name: 'test.consumer',
      topics: [probe],
      retryDelayMs: 50,
      handle: async (event) => {
        const n = (event.payload as { n: number }).n;
        if (n === 2 && failOnce) {
          failOnce = false;
          throw new Error('transient failure');
        }
        handled.push(n);
      },
    });
    for (const n of [1, 2, 3]) await th.hub.bus.publish(probe, { n });
    await eventually(async () => handled.length === 3);
    expect(handled).toEqual([1, 2, 3]);
    stop();

    for (const n of [4, 5]) await th.hub.bus.publish(probe, { n });
    const resumed: number[] = [];
    const stopAgain = await th.hub.bus.consume({
      name: 'test.consumer',
      topics: [probe],
      handle: async (event) => void resumed.push((event.payload as { n: number }).n),
    });
    await eventually(async () => resumed.length === 2);
    expect(resumed).toEqual([4, 5]);
    stopAgain();
  });
});
