/**
 * What a device reports beyond its averages travels from the TCP gateway to GraphQL: -Min, -Max
 * and -Cou of hourly and daily uploads, 2041 facility run times, and the emission totals summed
 * from -Cou per outlet and per enterprise. A 2005 logger's Flag=3 (bit D without PNUM/PNO) is
 * stored as a single message and answered in its dialect.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDataUpload, encodeSegment, type UploadItem } from '../../../src/ingest/hj212/encode';
import { encodeFrame } from '../../../src/ingest/hj212/frame';
import { formatHj212Time } from '../../../src/ingest/hj212/message';
import { hj212GatewayRef } from '../../../src/ingest/hj212/service';
import { ENGINES } from '../../support/hub';
import { startSourceHub, uscc, type SourceHub } from '../../modules/source/support';
import { RawDevice } from './device-client';

const PW = '123456';
const ENTERPRISE = uscc(701);
/** Asia/Shanghai local time as a Date */
const local = (text: string) => new Date(`${text}+08:00`);

describe.each(ENGINES)('HJ 212 minimum, maximum, cumulative amounts and run times over TCP (%s)', (engine) => {
  let s: SourceHub;
  let device: RawDevice;

  beforeAll(async () => {
    s = await startSourceHub(engine);
    const { enterprises, registry } = s.source;
    await enterprises.create({ uscc: ENTERPRISE, name: '化工企业701', industry: '化学原料制造', controlLevel: 'CITY', cellCode: 'G01001001' });
    await registry.createOutlet({
      enterpriseUscc: ENTERPRISE,
      code: 'DW001',
      name: '废水总排口',
      kind: 'WASTEWATER',
      monitors: [{ mn: 'EX701A', password: PW }],
    });
    await registry.createOutlet({
      enterpriseUscc: ENTERPRISE,
      code: 'DW002',
      name: '清下水排口',
      kind: 'WASTEWATER',
      monitors: [{ mn: 'EX701B', password: PW }],
    });
    device = await RawDevice.connect(s.hub.hub.services.get(hj212GatewayRef).port as number);
  }, 60_000);

  afterAll(async () => {
    device?.close();
    await s?.hub.stop();
  });

  async function send(segment: string) {
    device.write(encodeFrame(segment));
    const ack = await device.next();
    expect(ack.cn).toBe('9014');
    return ack;
  }

  const upload = (mn: string, cn: '2061' | '2031', time: string, items: UploadItem[], flag = 5) =>
    send(buildDataUpload({ qn: `${formatHj212Time(local(time))}001`, st: '32', cn, pw: PW, mn, flag, dataTime: local(time), items }));

  it('stores each value with its minimum, maximum and amount, and totals the amounts per day and month', async () => {
    // a 2005 logger's Flag=3: bit D without PNUM/PNO, one whole message, answered in the 2005 dialect
    const ack = await upload(
      'EX701A',
      '2061',
      '2024-05-01T08:00:00',
      [
        { code: '011', values: { Avg: 40, Min: 31.5, Max: 52, Cou: 1.5 } },
        { code: 'B01', values: { Cou: 120 } },
      ],
      3,
    );
    expect(ack.edition).toBe('2005');
    expect(ack.cpFields.CN).toBe('2061');
    await upload('EX701A', '2061', '2024-05-01T09:00:00', [
      { code: 'w01018', values: { Avg: 45, Min: 40, Max: 49, Cou: 2.25 } },
      { code: 'w00000', values: { Cou: 130 } },
    ]);
    // day 2 brings both its hours and its day: the day's own -Cou counts, not the hours' again
    await upload('EX701A', '2061', '2024-05-02T08:00:00', [{ code: 'w01018', values: { Avg: 50, Min: 45, Max: 55, Cou: 99 } }]);
    await upload('EX701A', '2031', '2024-05-02T00:00:00', [
      { code: 'w01018', values: { Avg: 42, Min: 30, Max: 55, Cou: 10 } },
      { code: 'w00000', values: { Cou: 2900 } },
    ]);
    await upload('EX701B', '2031', '2024-05-01T00:00:00', [{ code: 'w01018', values: { Avg: 20, Min: 10, Max: 30, Cou: 5 } }]);
    // a resent upload is acknowledged again and stored once
    await upload('EX701A', '2061', '2024-05-01T09:00:00', [
      { code: 'w01018', values: { Avg: 45, Min: 40, Max: 49, Cou: 2.25 } },
      { code: 'w00000', values: { Cou: 130 } },
    ]);

    const admin = s.tokens.admin;
    const { body } = await s.hub.graphql<{ monitor: { id: string } }>(`{ monitor(mn: "EX701A") { id } }`, {}, admin);
    const hours = await s.hub.graphql<{ readings: { points: unknown[] } }>(
      `query($m: ID!) { readings(monitor: $m, factor: "w01018", interval: HOUR, from: "2024-04-30T00:00:00Z", to: "2024-05-03T00:00:00Z") { points { time value min max cou } } }`,
      { m: body.data?.monitor.id },
      admin,
    );
    expect(hours.body.data?.readings.points).toEqual([
      { time: local('2024-05-01T08:00:00').toISOString(), value: 40, min: 31.5, max: 52, cou: 1.5 },
      { time: local('2024-05-01T09:00:00').toISOString(), value: 45, min: 40, max: 49, cou: 2.25 },
      { time: local('2024-05-02T08:00:00').toISOString(), value: 50, min: 45, max: 55, cou: 99 },
    ]);
    const flow = await s.hub.graphql<{ readings: { points: unknown[] } }>(
      `query($m: ID!) { readings(monitor: $m, factor: "w00000", interval: DAY, from: "2024-04-30T00:00:00Z", to: "2024-05-03T00:00:00Z") { points { time value min max cou } } }`,
      { m: body.data?.monitor.id },
      admin,
    );
    expect(flow.body.data?.readings.points).toEqual([{ time: local('2024-05-02T00:00:00').toISOString(), value: null, min: null, max: null, cou: 2900 }]);

    const totals = `query($u: String!, $f: String!, $p: EmissionPeriod!) { enterprise(uscc: $u) {
        emissionTotals(factor: $f, period: $p, from: "2024-04-01T00:00:00+08:00", to: "2024-06-01T00:00:00+08:00") { start amount unit days }
        outlets { code emissionTotals(factor: $f, period: $p, from: "2024-04-01T00:00:00+08:00", to: "2024-06-01T00:00:00+08:00") { start amount unit days } } } }`;
    type Totals = { enterprise: { emissionTotals: unknown[]; outlets: { code: string; emissionTotals: unknown[] }[] } };
    const days = await s.hub.graphql<Totals>(totals, { u: ENTERPRISE, f: 'w01018', p: 'DAY' }, await s.enterpriseToken(ENTERPRISE));
    expect(days.body.errors).toBeUndefined();
    const day1 = local('2024-05-01T00:00:00').toISOString();
    const day2 = local('2024-05-02T00:00:00').toISOString();
    expect(days.body.data?.enterprise.emissionTotals).toEqual([
      { start: day1, amount: 8.75, unit: 'kg', days: 2 },
      { start: day2, amount: 10, unit: 'kg', days: 1 },
    ]);
    const byOutlet = Object.fromEntries(days.body.data?.enterprise.outlets.map((o) => [o.code, o.emissionTotals]) ?? []);
    expect(byOutlet).toEqual({
      DW001: [
        { start: day1, amount: 3.75, unit: 'kg', days: 1 },
        { start: day2, amount: 10, unit: 'kg', days: 1 },
      ],
      DW002: [{ start: day1, amount: 5, unit: 'kg', days: 1 }],
    });
    const months = await s.hub.graphql<Totals>(totals, { u: ENTERPRISE, f: 'w00000', p: 'MONTH' }, admin);
    expect(months.body.data?.enterprise.emissionTotals).toEqual([
      { start: local('2024-05-01T00:00:00').toISOString(), amount: 250 + 2900, unit: 'm3', days: 2 },
    ]);
  });

  it('stores 2041 run times per monitor and facility, once however often they are resent', async () => {
    const report = (qn: string) =>
      encodeSegment({ qn, st: '32', cn: '2041', pw: PW, mn: 'EX701A', flag: 5, cp: 'DataTime=20240501000000;SB1-RT=20.5;SB2-RT=3' });
    await send(report('20240502000100001'));
    await send(report('20240502000200001'));
    await send(encodeSegment({ qn: '20240503000100001', st: '32', cn: '2041', pw: PW, mn: 'EX701A', flag: 5, cp: 'DataTime=20240502000000;SB1-RT=24' }));

    const { body } = await s.hub.graphql<{ monitor: { facilityRunTimes: unknown[] } }>(
      `{ monitor(mn: "EX701A") { facilityRunTimes(from: "2024-05-01T00:00:00+08:00", to: "2024-05-03T00:00:00+08:00") { facility day runHours } } }`,
      {},
      s.tokens.district,
    );
    expect(body.data?.monitor.facilityRunTimes).toEqual([
      { facility: 'SB1', day: local('2024-05-02T00:00:00').toISOString(), runHours: 24 },
      { facility: 'SB1', day: local('2024-05-01T00:00:00').toISOString(), runHours: 20.5 },
      { facility: 'SB2', day: local('2024-05-01T00:00:00').toISOString(), runHours: 3 },
    ]);
  });
});
