import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDataUpload } from '../../../src/ingest/hj212/encode';
import { encodeFrame } from '../../../src/ingest/hj212/frame';
import { hj212GatewayRef } from '../../../src/ingest/hj212/service';
import { startTestHub, type TestHub } from '../../support/hub';
import { createMonitor } from '../../support/monitoring';
import { RawDevice } from './device-client';

const PW = '123456';
const BASE = new Date('2024-05-01T00:00:00Z');
let qn = 0;

/** A real-time upload with a fresh QN; `pw` defaults to the right one. */
function frame(mn: string, pw = PW): string {
  qn += 1;
  return encodeFrame(
    buildDataUpload({
      qn: `202405010800${String(qn).padStart(5, '0')}`,
      st: '32',
      cn: '2011',
      pw,
      mn,
      dataTime: new Date(BASE.getTime() + qn * 1000),
      items: [{ code: 'w01018', values: { Rtd: qn }, flag: 'N' }],
    }),
  );
}

/** Writes `bytes` one byte at a time, one every `everyMs`, until the connection closes. */
function trickle(device: RawDevice, bytes: string, everyMs: number): void {
  let i = 0;
  const timer = setInterval(() => {
    if (!device.isOpen) return clearInterval(timer);
    device.write(bytes.charAt(i % bytes.length));
    i += 1;
  }, everyMs);
  void device.closed.then(() => clearInterval(timer));
}

/** Sends a frame every `everyMs` until the connection closes or `until` settles. */
function keepSending(device: RawDevice, next: () => string, everyMs: number, until: Promise<unknown>): void {
  let stopped = false;
  void until.finally(() => (stopped = true));
  const timer = setInterval(() => {
    if (stopped || !device.isOpen) return clearInterval(timer);
    device.write(next());
  }, everyMs);
}

async function answers(device: RawDevice): Promise<void> {
  while (device.pending > 0) await device.next();
}

// The deadlines live in the gateway alone; the embedded engine stands in for both.
describe('HJ 212 gateway deadlines', () => {
  let th: TestHub;
  let admin: string;
  let port: number;

  const stats = async () => {
    const { body } = await th.graphql<{
      hj212GatewayStats: { connectionsAuthTimedOut: number; connectionsIdleClosed: number; connectionsUnauthenticated: number };
    }>(`{ hj212GatewayStats { connectionsAuthTimedOut connectionsIdleClosed connectionsUnauthenticated } }`, {}, admin);
    return body.data!.hj212GatewayStats;
  };

  beforeAll(async () => {
    th = await startTestHub({ env: { HJ212_AUTH_TIMEOUT_SECONDS: '1', HJ212_IDLE_TIMEOUT_SECONDS: '2' } });
    admin = await th.token({ roles: ['admin'] });
    for (const mn of ['DL001', 'DL002', 'DL003', 'DL004']) await createMonitor(th, admin, { mn, password: PW });
    port = th.hub.services.get(hj212GatewayRef).port as number;
  });
  afterAll(async () => {
    await th?.stop();
  });

  it('closes a connection that presents no authenticated frame in time, whatever else it sends', async () => {
    const real = await RawDevice.connect(port);
    real.write(frame('DL001'));
    expect((await real.next()).cn).toBe('9014');

    const silent = await RawDevice.connect(port);
    // A whole valid frame, but one byte every 100 ms: it would take seconds to complete.
    const trickler = await RawDevice.connect(port);
    trickle(trickler, frame('DL002'), 100);
    const guesser = await RawDevice.connect(port);
    let guess = 100_000;
    const all = Promise.all([silent.closed, trickler.closed, guesser.closed]);
    keepSending(guesser, () => frame('DL002', String((guess += 1))), 200, all);
    // The real device keeps reporting meanwhile and is never cut off.
    keepSending(real, () => frame('DL001'), 300, all);
    await all;

    expect(real.isOpen).toBe(true);
    await answers(real);
    real.write(frame('DL001'));
    expect((await real.next()).cn).toBe('9014');
    const s = await stats();
    expect(s.connectionsAuthTimedOut).toBe(3);
    expect(s.connectionsUnauthenticated).toBe(0);
    real.close();
  });

  it('restarts the idle deadline only on valid frames: an authenticated device trickling bytes or wrong PWs is closed', async () => {
    const idleBefore = (await stats()).connectionsIdleClosed;
    const trickler = await RawDevice.connect(port);
    trickler.write(frame('DL003'));
    expect((await trickler.next()).cn).toBe('9014');
    trickle(trickler, frame('DL003'), 100);

    const guesser = await RawDevice.connect(port);
    guesser.write(frame('DL004'));
    expect((await guesser.next()).cn).toBe('9014');
    let guess = 200_000;
    keepSending(guesser, () => frame('DL004', String((guess += 1))), 200, guesser.closed);

    await Promise.all([trickler.closed, guesser.closed]);
    expect((await stats()).connectionsIdleClosed).toBe(idleBefore + 2);
  });
});
