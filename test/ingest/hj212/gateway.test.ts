import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDataUpload, encodeSegment } from '../../../src/ingest/hj212/encode';
import { encodeFrame } from '../../../src/ingest/hj212/frame';
import { hj212GatewayRef } from '../../../src/ingest/hj212/service';
import { ENGINES, startTestHub, type TestHub } from '../../support/hub';
import { createMonitor } from '../../support/monitoring';
import { eventually, RawDevice } from './device-client';

const PW = '123456';
/** 2024-05-01 08:00 in Asia/Shanghai; readings are looked for around it. */
const BASE = new Date('2024-05-01T00:00:00Z');
const at = (minutes: number) => new Date(BASE.getTime() + minutes * 60_000);

describe.each(ENGINES)('HJ 212 gateway end to end (%s)', (engine) => {
  let th: TestHub;
  let admin: string;
  let port: number;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    th = await startTestHub({ engine });
    admin = await th.token({ roles: ['admin'] });
    for (const mn of ['GW0001', 'GW0002', 'GW0003', 'GW0004', 'GW0005', 'GW2005A']) {
      ids[mn] = await createMonitor(th, admin, { mn, password: PW });
    }
    port = th.hub.services.get(hj212GatewayRef).port as number;
  });
  afterAll(async () => {
    await th?.stop();
  });

  async function series(mn: string, factor: string, interval = 'RTD') {
    const { body } = await th.graphql<{ readings: { points: { time: string; value: number | null; converted: number | null; flag: string | null }[] } | null }>(
      `query($m: ID!, $f: String!, $i: ReadingInterval, $from: DateTime!, $to: DateTime!) {
         readings(monitor: $m, factor: $f, interval: $i, from: $from, to: $to) { points { time value converted flag } } }`,
      { m: ids[mn], f: factor, i: interval, from: at(-1440).toISOString(), to: at(1440).toISOString() },
      admin,
    );
    if (!body.data?.readings) throw new Error(JSON.stringify(body));
    return body.data.readings.points;
  }

  async function stats() {
    const { body } = await th.graphql<{
      hj212GatewayStats: { acksSent: number; readingsStored: number; readingsDuplicate: number; rejections: { reason: string; count: number }[] };
    }>(`{ hj212GatewayStats { acksSent readingsStored readingsDuplicate rejections { reason count } } }`, {}, admin);
    return body.data!.hj212GatewayStats;
  }

  const rtd = (mn: string, qn: string, minutes: number, cod: number) =>
    buildDataUpload({
      qn,
      st: '32',
      cn: '2011',
      pw: PW,
      mn,
      dataTime: at(minutes),
      items: [
        { code: 'w01018', values: { Rtd: cod }, flag: 'N' },
        { code: 'a21026', values: { Rtd: 20, ZsRtd: 24.5 }, flag: 'N' },
      ],
    });

  it('acknowledges a data upload with its QN once stored, and the reading shows in GraphQL', async () => {
    const device = await RawDevice.connect(port);
    device.write(encodeFrame(rtd('GW0001', '20240501080000001', 0, 41.5)));
    const ack = await device.next();
    expect(ack).toMatchObject({ cn: '9014', st: '91', qn: '20240501080000001', mn: 'GW0001', pw: PW, flag: 4, cp: '' });
    expect(await series('GW0001', 'w01018')).toEqual([{ time: at(0).toISOString(), value: 41.5, converted: null, flag: 'N' }]);
    expect(await series('GW0001', 'a21026')).toEqual([{ time: at(0).toISOString(), value: 20, converted: 24.5, flag: 'N' }]);

    const { body } = await th.graphql<{ latestReadings: { factor: string; interval: string; value: number }[] }>(
      `query($m: [ID!]!) { latestReadings(monitors: $m) { factor interval value } }`,
      { m: [ids.GW0001] },
      admin,
    );
    expect(body.data?.latestReadings.map((r) => [r.factor, r.interval, r.value]).sort()).toEqual([
      ['a21026', 'RTD', 20],
      ['w01018', 'RTD', 41.5],
    ]);

    // The device did not see the answer and sends the same frame again.
    device.write(encodeFrame(rtd('GW0001', '20240501080000001', 0, 41.5)));
    expect(await device.next()).toMatchObject({ cn: '9014', qn: '20240501080000001' });
    expect(await series('GW0001', 'w01018')).toHaveLength(1);
    const counted = await stats();
    expect(counted.readingsStored).toBeGreaterThanOrEqual(2);
    expect(counted.readingsDuplicate).toBeGreaterThanOrEqual(2);
    device.close();
  });

  it('answers nothing to a frame with a bad CRC and stores nothing from it', async () => {
    const device = await RawDevice.connect(port);
    const good = encodeFrame(rtd('GW0002', '20240501080100001', 1, 50));
    const bad = good.replace(/[0-9A-F]{4}\r\n$/, (crc) => `${crc === 'AAAA' ? 'BBBB' : 'AAAA'}\r\n`);
    device.write(bad);
    device.write(encodeFrame(rtd('GW0002', '20240501080200001', 2, 60)));
    // Frames of one connection are answered in order: an answer to the bad one would come first.
    expect(await device.next()).toMatchObject({ cn: '9014', qn: '20240501080200001' });
    expect((await series('GW0002', 'w01018')).map((p) => p.value)).toEqual([60]);
    expect((await stats()).rejections).toContainEqual({ reason: 'bad-crc', count: 1 });
    device.close();
  });

  it('refuses an unknown MN with QnRtn 4 and a wrong PW with QnRtn 3, storing nothing', async () => {
    const device = await RawDevice.connect(port);
    device.write(encodeFrame(rtd('NOSUCHDEVICE', '20240501080300001', 3, 70)));
    expect(await device.next()).toMatchObject({ cn: '9011', st: '91', qn: '20240501080300001', mn: 'NOSUCHDEVICE', cpFields: { QnRtn: '4' } });
    device.write(encodeFrame(rtd('GW0003', '20240501080300002', 3, 70).replace(`PW=${PW}`, 'PW=654321')));
    expect(await device.next()).toMatchObject({ cn: '9011', qn: '20240501080300002', mn: 'GW0003', cpFields: { QnRtn: '3' } });
    expect(await series('GW0003', 'w01018')).toEqual([]);
    // The right password still works afterwards on the same connection.
    device.write(encodeFrame(rtd('GW0003', '20240501080300003', 3, 71)));
    expect(await device.next()).toMatchObject({ cn: '9014', qn: '20240501080300003' });
    expect((await series('GW0003', 'w01018')).map((p) => p.value)).toEqual([71]);
    const { rejections } = await stats();
    expect(rejections).toContainEqual({ reason: 'unknown-mn', count: 1 });
    expect(rejections).toContainEqual({ reason: 'bad-pw', count: 1 });
    device.close();
  });

  it('reads several frames from one write and one frame sent byte by byte', async () => {
    const device = await RawDevice.connect(port);
    const frames = [10, 11, 12].map((m) => encodeFrame(rtd('GW0004', `2024050108${m}00001`, m, m * 2)));
    device.write(frames.join(''));
    for (const m of [10, 11, 12]) expect((await device.next()).qn).toBe(`2024050108${m}00001`);
    const single = Buffer.from(encodeFrame(rtd('GW0004', '20240501081300001', 13, 26)));
    for (const byte of single) device.write(Buffer.from([byte]));
    expect((await device.next()).qn).toBe('20240501081300001');
    expect((await series('GW0004', 'w01018')).map((p) => p.value)).toEqual([20, 22, 24, 26]);
    device.close();
  });

  it('answers a 2005-edition device in the 2005 form and stores its 2005 factor codes', async () => {
    const device = await RawDevice.connect(port);
    const segment = `ST=32;CN=2011;QN=20240501082000001;PW=${PW};MN=GW2005A;Flag=1;CP=&&DataTime=20240501082000;011-Rtd=33.3,011-Flag=N;060-Rtd=1.25&&`;
    device.write(encodeFrame(segment));
    const ack = await device.next();
    expect(ack).toMatchObject({ cn: '9014', st: '91', edition: '2005', mn: 'GW2005A', cpFields: { QN: '20240501082000001', CN: '2011' } });
    expect(ack.qn).toBeUndefined();
    expect(ack.flag).toBeUndefined();
    expect((await series('GW2005A', 'w01018')).map((p) => [p.time, p.value, p.flag])).toEqual([[at(20).toISOString(), 33.3, 'N']]);
    expect((await series('GW2005A', 'w21003')).map((p) => p.value)).toEqual([1.25]);
    device.close();
  });

  it('stores a split message once its last packet is in, acknowledging every packet', async () => {
    const device = await RawDevice.connect(port);
    const packet = (pno: number, qn: string, items: string) =>
      encodeFrame(encodeSegment({ qn, st: '32', cn: '2061', pw: PW, mn: 'GW0005', flag: 7, pnum: 2, pno, cp: `DataTime=20240501070000;${items}` }));
    device.write(packet(1, '20240501080500001', 'w01018-Avg=44.4,w01018-Min=40,w01018-Max=50,w01018-Flag=N'));
    expect(await device.next()).toMatchObject({ cn: '9014', qn: '20240501080500001' });
    expect(await series('GW0005', 'w01018', 'HOUR')).toEqual([]);
    device.write(packet(2, '20240501080500002', 'w21003-Avg=2.2,w21003-Flag=N'));
    expect(await device.next()).toMatchObject({ cn: '9014', qn: '20240501080500002' });
    expect(await series('GW0005', 'w01018', 'HOUR')).toEqual([{ time: at(-60).toISOString(), value: 44.4, converted: null, flag: 'N' }]);
    expect((await series('GW0005', 'w21003', 'HOUR')).map((p) => p.value)).toEqual([2.2]);
    // A retransmitted last packet is answered again and stores nothing new.
    device.write(packet(2, '20240501080500002', 'w21003-Avg=2.2,w21003-Flag=N'));
    expect(await device.next()).toMatchObject({ cn: '9014', qn: '20240501080500002' });
    expect(await series('GW0005', 'w21003', 'HOUR')).toHaveLength(1);
    device.close();
  });

  it('records 2021 facility status and 2081 restart time on the monitor', async () => {
    const device = await RawDevice.connect(port);
    const status = encodeSegment({
      qn: '20240501080600001',
      st: '32',
      cn: '2021',
      pw: PW,
      mn: 'GW0005',
      flag: 5,
      cp: 'DataTime=20240501080600;SB1-RS=1;SB2-RS=3,SB2-RT=12.5',
    });
    const restart = encodeSegment({
      qn: '20240501080600002',
      st: '32',
      cn: '2081',
      pw: PW,
      mn: 'GW0005',
      flag: 5,
      cp: 'DataTime=20240501080600;RestartTime=20240501080412',
    });
    device.write(encodeFrame(status) + encodeFrame(restart));
    expect((await device.next()).qn).toBe('20240501080600001');
    expect((await device.next()).qn).toBe('20240501080600002');
    const { body } = await th.graphql<{ monitor: { facilityStatus: unknown; restartedAt: string } }>(
      `{ monitor(mn: "GW0005") { facilityStatus restartedAt } }`,
      {},
      admin,
    );
    expect(body.data?.monitor.restartedAt).toBe('2024-05-01T00:04:12.000Z');
    expect(body.data?.monitor.facilityStatus).toEqual({
      time: at(6).toISOString(),
      facilities: [
        { id: 'SB1', runStatus: 1, runStatusText: 'running', runHours: null },
        { id: 'SB2', runStatus: 3, runStatusText: 'maintenance', runHours: 12.5 },
      ],
    });
    device.close();
  });

  it('counts what it did, for administrators only', async () => {
    const counted = await eventually(async () => {
      const s = await stats();
      return s.acksSent >= 14 ? s : undefined;
    });
    expect(counted.acksSent).toBe(14);
    const enterprise = await th.token({ roles: ['enterprise'], enterprise: '91510112MA0000000X' });
    const { body } = await th.graphql(`{ hj212GatewayStats { acksSent } }`, {}, enterprise);
    expect(body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});
