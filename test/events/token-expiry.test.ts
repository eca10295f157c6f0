import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, startTestHub, type EngineName, type TestHub } from '../support/hub';
import { collect, connectWs } from '../support/ws';
import { createMonitor, ingest, setLimit } from '../support/monitoring';

const EVENTS = 'subscription($since: ID) { exceedanceEvents(since: $since) { eventId kind mn } }';
type EventResult = { exceedanceEvents: { eventId: string; kind: string; mn: string } };

describe.each(ENGINES)('a subscription lives no longer than its token (%s)', (engine) => {
  let th: TestHub;
  let admin: string;
  const base = Date.now() - 3_600_000;
  /** one episode opened and closed: two events */
  const episode = (k: number) => [
    { mn: 'EXP-W1', time: new Date(base + k * 2000), value: 150 },
    { mn: 'EXP-W1', time: new Date(base + k * 2000 + 1000), value: 10 },
  ];

  beforeAll(async () => {
    // no clock tolerance: the token's exp is the moment it stops working
    th = await startTestHub({ engine, env: { JWT_CLOCK_TOLERANCE: '0' } });
    admin = await th.token({ roles: ['admin'] }, 3600);
    await createMonitor(th, admin, { mn: 'EXP-W1', cellCode: '51011201001001', enterpriseUscc: '91510112MA6CAAAAA1' });
    await setLimit(th, admin, { monitorKind: 'WASTEWATER_OUTLET', factor: 'w01018', upper: 100 });
  });
  afterAll(() => th?.stop());

  it('is closed with 4401 at the token’s expiry; a fresh token and `since` resume without a gap', async () => {
    const shortLived = await th.token({ roles: ['district'], sub: 'duty-room' }, 2);
    const first = connectWs(th.hub.port, shortLived);
    const live = collect<EventResult>(first.client, EVENTS);
    await new Promise((resolve) => setTimeout(resolve, 200));
    await ingest(th, admin, episode(0));
    await live.until(2);
    expect(live.received.map((r) => r.data?.exceedanceEvents.kind)).toEqual(['OPENED', 'CLOSED']);
    const lastSeen = live.received.at(-1)?.data?.exceedanceEvents.eventId;

    expect(await first.closed).toEqual({ code: 4401, reason: 'token expired' });
    // HTTP refuses the same token by now
    const http = await th.graphql('{ factors { code } }', {}, shortLived);
    expect(http.status).toBe(401);

    // published while the dashboard was away
    await ingest(th, admin, [...episode(1), ...episode(2)]);
    expect(live.received).toHaveLength(2);

    const second = connectWs(th.hub.port, await th.token({ roles: ['district'], sub: 'duty-room' }, 600));
    try {
      const resumed = collect<EventResult>(second.client, EVENTS, { since: lastSeen });
      await resumed.until(4);
      const expected = await th.hub.db.query<{ id: string | number }>(
        "SELECT id FROM hub_events WHERE id > $1 AND topic LIKE 'monitoring.exceedance.%' ORDER BY id",
        [Number(lastSeen)],
      );
      expect(resumed.received.map((r) => Number(r.data?.exceedanceEvents.eventId))).toEqual(expected.map((row) => Number(row.id)));
      expect(resumed.received.map((r) => r.data?.exceedanceEvents.kind)).toEqual(['OPENED', 'CLOSED', 'OPENED', 'CLOSED']);
      resumed.dispose();
    } finally {
      await second.dispose();
      await first.dispose();
    }
  });

  it('refuses a token that has already expired at connection_init with 4401', async () => {
    const expired = await th.token({ roles: ['district'] }, -5);
    const ws = connectWs(th.hub.port, expired);
    expect(await ws.closed).toEqual({ code: 4401, reason: 'token expired' });
    await ws.dispose();
  });
});
