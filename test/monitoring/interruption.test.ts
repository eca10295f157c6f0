import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHub, type TestHub } from '../support/hub';
import { connectWs, collect, type WsHandle } from '../support/ws';
import { createMonitor, eventually, ingest } from '../support/monitoring';

describe('data interruption (pglite)', () => {
  let th: TestHub;
  let admin: string;
  let ws: WsHandle;
  let clock = Date.now();

  beforeAll(async () => {
    th = await startTestHub({ env: { INTERRUPTION_CHECK_SECONDS: '1', INTERRUPTION_FACTOR: '3' }, now: () => new Date(clock) });
    admin = await th.token({ roles: ['admin'] });
    await createMonitor(th, admin, { mn: 'QUIET-1', intervalSeconds: 60, cellCode: '51011201001001' });
    await createMonitor(th, admin, { mn: 'CHATTY-1', intervalSeconds: 60, cellCode: '51011201001001' });
    ws = connectWs(th.hub.port, admin);
  });
  afterAll(async () => {
    await ws.dispose();
    await th.stop();
  });

  const status = async (mn: string) => {
    const { body } = await th.graphql<{ monitor: { status: string } }>('query($mn: String) { monitor(mn: $mn) { status } }', { mn }, admin);
    return body.data?.monitor.status;
  };

  it('marks a monitor silent for three intervals offline, announces it, and brings it back when data returns', async () => {
    const stream = collect<{ monitorStatus: { status: string; mn: string } }>(ws.client, 'subscription { monitorStatus { status mn } }');
    await ingest(th, admin, [
      { mn: 'QUIET-1', time: new Date(clock - 60_000), value: 10 },
      { mn: 'CHATTY-1', time: new Date(clock - 60_000), value: 10 },
    ]);
    expect(await status('QUIET-1')).toBe('ONLINE');
    clock += 2 * 60_000;
    await ingest(th, admin, [{ mn: 'CHATTY-1', time: new Date(clock - 1000), value: 11 }]);
    // two intervals of silence: still online
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(await status('QUIET-1')).toBe('ONLINE');
    clock += 2 * 60_000;
    await ingest(th, admin, [{ mn: 'CHATTY-1', time: new Date(clock - 1000), value: 12 }]);
    await eventually(async () => (await status('QUIET-1')) === 'OFFLINE');
    expect(await status('CHATTY-1')).toBe('ONLINE');
    await ingest(th, admin, [{ mn: 'QUIET-1', time: new Date(clock - 1000), value: 9 }]);
    expect(await status('QUIET-1')).toBe('ONLINE');
    await stream.until(2);
    expect(stream.received.map((r) => [r.data?.monitorStatus.mn, r.data?.monitorStatus.status])).toEqual([
      ['QUIET-1', 'OFFLINE'],
      ['QUIET-1', 'ONLINE'],
    ]);
    stream.dispose();
  });
});
