import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDataUpload } from '../../../src/ingest/hj212/encode';
import { encodeFrame } from '../../../src/ingest/hj212/frame';
import { hj212GatewayRef } from '../../../src/ingest/hj212/service';
import { seededRandom } from '../../../src/demo/random';
import { startTestHub, type TestHub } from '../../support/hub';
import { createMonitor } from '../../support/monitoring';
import { eventually, RawDevice } from './device-client';

const PW = '123456';
const BASE = new Date('2024-05-01T00:00:00Z');

const frame = (mn: string, n: number) =>
  encodeFrame(
    buildDataUpload({
      qn: `202405010800${String(n).padStart(5, '0')}`,
      st: '32',
      cn: '2011',
      pw: PW,
      mn,
      dataTime: new Date(BASE.getTime() + n * 1000),
      items: [{ code: 'w01018', values: { Rtd: n }, flag: 'N' }],
    }),
  );

async function stats(th: TestHub, admin: string) {
  const { body } = await th.graphql<{
    hj212GatewayStats: {
      connectionsOpen: number;
      connectionsRefused: number;
      connectionsIdleClosed: number;
      framesAccepted: number;
      readingsStored: number;
      rejections: { reason: string; count: number }[];
    };
  }>(`{ hj212GatewayStats { connectionsOpen connectionsRefused connectionsIdleClosed framesAccepted readingsStored rejections { reason count } } }`, {}, admin);
  return body.data!.hj212GatewayStats;
}

/** The gateway has seen every earlier connection close. */
const settled = (th: TestHub, admin: string) => eventually(async () => ((await stats(th, admin)).connectionsOpen === 0 ? true : undefined));

const rejected = (s: Awaited<ReturnType<typeof stats>>, reason: string) => s.rejections.find((r) => r.reason === reason)?.count ?? 0;

// These limits live in the gateway alone; the embedded engine stands in for both.
describe('HJ 212 gateway limits (pglite)', () => {
  let th: TestHub;
  let admin: string;
  let port: number;

  beforeAll(async () => {
    th = await startTestHub({ env: { HJ212_MAX_FRAMES_PER_SECOND: '5', HJ212_MAX_CONNECTIONS: '3', HJ212_MAX_FRAME_BYTES: '512' } });
    admin = await th.token({ roles: ['admin'] });
    for (const mn of ['LIM001', 'LIM002', 'LIM003']) await createMonitor(th, admin, { mn, password: PW });
    port = th.hub.services.get(hj212GatewayRef).port as number;
  });
  afterAll(async () => {
    await th?.stop();
  });

  it('refuses frames over the per-connection rate and counts them', async () => {
    const device = await RawDevice.connect(port);
    device.write(Array.from({ length: 20 }, (_, i) => frame('LIM001', i + 1)).join(''));
    // Once the bucket has refilled, a marker frame is answered after everything before it.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    device.write(frame('LIM001', 100));
    const answered: string[] = [];
    for (;;) {
      const ack = await device.next();
      answered.push(ack.qn ?? '');
      if (ack.qn === '20240501080000100') break;
    }
    expect(answered).toEqual([1, 2, 3, 4, 5, 100].map((n) => `202405010800${String(n).padStart(5, '0')}`));
    expect(rejected(await stats(th, admin), 'rate-limited')).toBe(15);
    device.close();
  });

  it('refuses a connection beyond the maximum and accepts one again when a slot frees up', async () => {
    await settled(th, admin);
    const open = await Promise.all([1, 2, 3].map(() => RawDevice.connect(port)));
    // An answered frame on each proves the gateway has taken all three, each for its own device.
    for (const [i, device] of open.entries()) {
      device.write(frame(`LIM00${i + 1}`, 200 + i));
      expect((await device.next()).cn).toBe('9014');
    }
    const extra = await RawDevice.connect(port);
    await extra.closed;
    expect((await stats(th, admin)).connectionsRefused).toBe(1);

    open[0]?.close();
    await open[0]?.closed;
    let again: RawDevice | undefined;
    for (let attempt = 0; attempt < 50 && !again; attempt++) {
      const candidate = await RawDevice.connect(port);
      candidate.write(frame('LIM001', 300));
      try {
        expect((await candidate.next(2000)).qn).toBe('20240501080000300');
        again = candidate;
      } catch {
        // The gateway had not yet seen the first connection close.
      }
    }
    expect(again?.isOpen).toBe(true);
    for (const device of [...open, again]) device?.close();
  });

  it('survives random garbage, stores nothing from it, and still serves a valid frame afterwards', async () => {
    await settled(th, admin);
    const storedBefore = (await stats(th, admin)).readingsStored;
    const random = seededRandom(212);
    const pieces = ['##', '##0', '##9999', '##0010', '&&', 'CP=&&', '\r\n', 'QN=', ';', '\u0000', '中文'];
    for (let round = 0; round < 5; round++) {
      const device = await RawDevice.connect(port);
      for (let write = 0; write < 40; write++) {
        const bytes: number[] = [];
        const length = Math.floor(random() * 200);
        for (let i = 0; i < length; i++) bytes.push(Math.floor(random() * 256));
        const piece = pieces[Math.floor(random() * pieces.length)] as string;
        device.write(Buffer.concat([Buffer.from(bytes), Buffer.from(piece)]));
      }
      device.close();
      await settled(th, admin);
    }
    const oversized = await RawDevice.connect(port);
    oversized.write(`##0600${'x'.repeat(600)}ABCD\r\n`);
    oversized.write(frame('LIM001', 400));
    expect((await oversized.next()).qn).toBe('20240501080000400');
    const s = await stats(th, admin);
    expect(rejected(s, 'too-long')).toBeGreaterThanOrEqual(1);
    expect(rejected(s, 'bad-header')).toBeGreaterThan(0);
    oversized.close();

    const fresh = await RawDevice.connect(port);
    fresh.write(frame('LIM001', 401));
    expect((await fresh.next()).qn).toBe('20240501080000401');
    // Only the two valid frames' readings were stored.
    expect((await stats(th, admin)).readingsStored).toBe(storedBefore + 2);
    fresh.close();
  });
});

describe('HJ 212 gateway idle timeout (pglite)', () => {
  let th: TestHub;
  let admin: string;

  beforeAll(async () => {
    th = await startTestHub({ env: { HJ212_IDLE_TIMEOUT_SECONDS: '1' } });
    admin = await th.token({ roles: ['admin'] });
  });
  afterAll(async () => {
    await th?.stop();
  });

  it('closes a connection that stays silent', async () => {
    const device = await RawDevice.connect(th.hub.services.get(hj212GatewayRef).port as number);
    await device.closed;
    expect((await stats(th, admin)).connectionsIdleClosed).toBe(1);
  });
});
