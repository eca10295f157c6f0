import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDataUpload } from '../../../src/ingest/hj212/encode';
import { encodeFrame } from '../../../src/ingest/hj212/frame';
import { hj212GatewayRef } from '../../../src/ingest/hj212/service';
import { ENGINES, startTestHub, type TestHub } from '../../support/hub';
import { createMonitor } from '../../support/monitoring';
import { eventually, RawDevice } from './device-client';

const PW = '123456';
const BASE = new Date('2024-05-01T00:00:00Z');
let qn = 0;

function frame(mn: string, pw = PW): string {
  qn += 1;
  return encodeFrame(
    buildDataUpload({
      qn: `202405010900${String(qn).padStart(5, '0')}`,
      st: '32',
      cn: '2011',
      pw,
      mn,
      dataTime: new Date(BASE.getTime() + qn * 1000),
      items: [{ code: 'w01018', values: { Rtd: qn }, flag: 'N' }],
    }),
  );
}

type Stats = {
  connectionsOpen: number;
  connectionsRefused: number;
  connectionsEvicted: number;
  connectionsUnauthenticated: number;
  passwordChecks: number;
  authLockouts: number;
  readingsStored: number;
  rejections: { reason: string; count: number }[];
};

/** The QnRtn of the gateway's answer, or 'ack' for a 9014. */
async function answer(device: RawDevice, segment: string): Promise<string> {
  device.write(segment);
  const reply = await device.next();
  return reply.cn === '9014' ? 'ack' : `QnRtn ${reply.cpFields.QnRtn}`;
}

describe.each(ENGINES)('HJ 212 gateway guard (%s)', (engine) => {
  let th: TestHub;
  let admin: string;
  let port: number;
  const logged: { msg: string; mn?: string; address?: string; scope?: string }[] = [];

  const stats = async (): Promise<Stats> => {
    const { body } = await th.graphql<{ hj212GatewayStats: Stats }>(
      `{ hj212GatewayStats { connectionsOpen connectionsRefused connectionsEvicted connectionsUnauthenticated passwordChecks authLockouts readingsStored rejections { reason count } } }`,
      {},
      admin,
    );
    return body.data!.hj212GatewayStats;
  };
  const settled = () => eventually(async () => ((await stats()).connectionsOpen === 0 ? true : undefined));
  const held = (n: number) => eventually(async () => ((await stats()).connectionsOpen === n ? true : undefined));

  beforeAll(async () => {
    const logger = pino({ level: 'info' }, { write: (line: string) => void logged.push(JSON.parse(line) as (typeof logged)[number]) });
    th = await startTestHub({
      engine,
      logger,
      env: {
        HJ212_MAX_CONNECTIONS: '6',
        HJ212_MAX_UNAUTHENTICATED_PER_ADDRESS: '2',
        HJ212_AUTH_MAX_FAILURES_PER_MN: '3',
        HJ212_AUTH_MAX_FAILURES_PER_ADDRESS: '6',
        HJ212_AUTH_LOCKOUT_SECONDS: '2',
      },
    });
    admin = await th.token({ roles: ['admin'] });
    for (let i = 1; i <= 16; i++) await createMonitor(th, admin, { mn: `GD${String(i).padStart(3, '0')}`, password: PW });
    port = th.hub.services.get(hj212GatewayRef).port as number;
  });
  afterAll(async () => {
    await th?.stop();
  });

  it('lets one address hold only its share of unauthenticated connections, its oldest giving way', async () => {
    const before = (await stats()).connectionsEvicted;
    const first = await RawDevice.connect(port, '127.0.0.21');
    const second = await RawDevice.connect(port, '127.0.0.21');
    await held(2);
    const third = await RawDevice.connect(port, '127.0.0.21');
    await first.closed;
    // A device authenticates on one; it no longer counts, and is never the one to give way.
    expect(await answer(second, frame('GD001'))).toBe('ack');
    const more = [await RawDevice.connect(port, '127.0.0.21'), await RawDevice.connect(port, '127.0.0.21')];
    await third.closed;
    const s = await stats();
    expect(s.connectionsEvicted).toBe(before + 2);
    expect(s.connectionsUnauthenticated).toBe(2);
    expect(await answer(second, frame('GD001'))).toBe('ack');
    for (const device of [second, ...more]) device.close();
    await settled();
  });

  it('gives real devices the slots of unauthenticated connections, refusing only when every slot has a device', async () => {
    const before = await stats();
    const idle = await Promise.all([31, 32, 33, 34, 35, 36].map((n) => RawDevice.connect(port, `127.0.0.${n}`)));
    await held(6);
    const devices: RawDevice[] = [];
    for (let i = 2; i <= 7; i++) {
      const device = await RawDevice.connect(port, `127.0.0.${40 + i}`);
      expect(await answer(device, frame(`GD00${i}`))).toBe('ack');
      devices.push(device);
    }
    await Promise.all(idle.map((device) => device.closed));
    const extra = await RawDevice.connect(port, '127.0.0.37');
    await extra.closed;
    const after = await stats();
    expect(after.connectionsEvicted - before.connectionsEvicted).toBe(6);
    expect(after.connectionsRefused - before.connectionsRefused).toBe(1);

    // A device that reconnects leaves its old connection with no device on it: that one gives way next.
    devices[5]?.close();
    await held(5);
    const old = devices[0] as RawDevice;
    const reconnected = await RawDevice.connect(port, '127.0.0.42');
    expect(await answer(reconnected, frame('GD002'))).toBe('ack');
    const newcomer = await RawDevice.connect(port, '127.0.0.38');
    await old.closed;
    expect(newcomer.isOpen).toBe(true);
    for (const device of [...devices, reconnected, newcomer]) device.close();
    await settled();
  });

  it('locks an MN out after its limit of wrong PWs, without locking its real device out, and lets it go after the lockout', async () => {
    const device = await RawDevice.connect(port, '127.0.0.51');
    expect(await answer(device, frame('GD008'))).toBe('ack');
    const before = await stats();
    const attacker = await RawDevice.connect(port, '127.0.0.52');
    for (const pw of ['000001', '000002', '000003']) expect(await answer(attacker, frame('GD008', pw))).toBe('QnRtn 3');
    // Locked: refused unchecked, the right PW too, so the lock tells a guesser nothing.
    expect(await answer(attacker, frame('GD008', '000004'))).toBe('QnRtn 2');
    // Answered once per connection: the next answer on it is for the frame after.
    attacker.write(frame('GD008', '000005'));
    expect(await answer(attacker, frame('GD001'))).toBe('ack');
    const probe = async () => {
      const connection = await RawDevice.connect(port, '127.0.0.52');
      const reply = await answer(connection, frame('GD008'));
      connection.close();
      return reply;
    };
    expect(await probe()).toBe('QnRtn 2');
    const locked = await stats();
    expect(locked.passwordChecks - before.passwordChecks).toBe(3);
    expect(locked.authLockouts - before.authLockouts).toBe(1);
    expect(logged).toContainEqual(expect.objectContaining({ msg: 'hj212 MN locked out after wrong passwords', mn: 'GD008', scope: 'mn' }));

    // The device on its own connection, and again from its own address, is served throughout.
    expect(await answer(device, frame('GD008'))).toBe('ack');
    device.close();
    const again = await RawDevice.connect(port, '127.0.0.51');
    expect(await answer(again, frame('GD008'))).toBe('ack');
    // The lockout ends.
    await eventually(async () => ((await probe()) === 'ack' ? true : undefined));
    for (const d of [again, attacker]) d.close();
    await settled();
  });

  it('locks an address out after its limit of wrong PWs across MNs', async () => {
    const attacker = await RawDevice.connect(port, '127.0.0.61');
    for (let i = 9; i <= 14; i++) expect(await answer(attacker, frame(`GD${String(i).padStart(3, '0')}`, '999999'))).toBe('QnRtn 3');
    expect(await answer(attacker, frame('GD015'))).toBe('QnRtn 2');
    expect(logged).toContainEqual(
      expect.objectContaining({ msg: 'hj212 client address locked out after wrong passwords', address: '127.0.0.61', scope: 'address' }),
    );
    const elsewhere = await RawDevice.connect(port, '127.0.0.62');
    expect(await answer(elsewhere, frame('GD015'))).toBe('ack');
    for (const d of [attacker, elsewhere]) d.close();
    await settled();
  });

  it('checks a PW a device keeps sending wrong once, and does not count the repeats as guesses', async () => {
    const before = await stats();
    const device = await RawDevice.connect(port, '127.0.0.71');
    for (let i = 0; i < 10; i++) expect(await answer(device, frame('GD016', '654321'))).toBe('QnRtn 3');
    const after = await stats();
    expect(after.passwordChecks - before.passwordChecks).toBe(1);
    expect(after.authLockouts).toBe(before.authLockouts);
    device.close();
    await settled();
  });

  it('drops frames a closed connection left queued instead of checking and storing them later', async () => {
    const before = await stats();
    const device = await RawDevice.connect(port, '127.0.0.81');
    // GD016's right PW has not been checked yet: the first frame waits for a scrypt run.
    device.write(Array.from({ length: 30 }, () => frame('GD016')).join(''));
    device.close();
    const dropped = (s: Stats) => s.rejections.find((r) => r.reason === 'connection-closed')?.count ?? 0;
    // The frame being checked when the socket closed is dropped once its check is done.
    const after = await eventually(async () => {
      const s = await stats();
      return dropped(s) - dropped(before) >= 30 ? s : undefined;
    });
    expect(dropped(after) - dropped(before)).toBe(30);
    expect(after.readingsStored).toBe(before.readingsStored);
    expect(after.connectionsOpen).toBe(0);
  });
});
