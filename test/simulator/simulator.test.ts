import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoDevicePassword } from '../../src/demo/devices';
import { hj212GatewayRef } from '../../src/ingest/hj212/service';
import { KIND_PROFILES } from '../../src/simulator/profiles';
import { speaks2005, startSimulator, type Simulator } from '../../src/simulator/simulator';
import { monitorsFromGraphql } from '../../src/simulator/sources';
import { startTestHub, type TestHub } from '../support/hub';
import { createMonitor } from '../support/monitoring';
import { eventually } from '../ingest/hj212/device-client';

type Latest = { factor: string; interval: string; value: number | null; converted: number | null; flag: string | null };

/** The first MN of a pattern whose device speaks (or does not speak) the 2005 edition. */
function mnFor(prefix: string, edition2005: boolean): string {
  for (let i = 1; ; i++) {
    const mn = `${prefix}${String(i).padStart(4, '0')}`;
    if (speaks2005(mn) === edition2005) return mn;
  }
}

describe('device simulator (pglite)', () => {
  let th: TestHub;
  let admin: string;
  let simulator: Simulator;
  const devices = {
    wastewater2005: { mn: mnFor('SIMWW', true), kind: 'WASTEWATER_OUTLET' },
    flueGas: { mn: mnFor('SIMFG', false), kind: 'FLUE_GAS_OUTLET' },
    air: { mn: mnFor('SIMAQ', false), kind: 'AIR_STATION' },
    water: { mn: mnFor('SIMWQ', false), kind: 'WATER_STATION' },
  } as const;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    th = await startTestHub();
    admin = await th.token({ roles: ['admin'] });
    for (const { mn, kind } of Object.values(devices)) {
      ids[mn] = await createMonitor(th, admin, { mn, kind, password: demoDevicePassword(mn), intervalSeconds: 60 });
    }
    simulator = startSimulator({
      host: '127.0.0.1',
      port: th.hub.services.get(hj212GatewayRef).port as number,
      source: monitorsFromGraphql(`http://127.0.0.1:${th.hub.port}/graphql`, admin),
      logger: pino({ level: 'silent' }),
      rtdSeconds: 1,
      ackTimeoutMs: 3000,
      exceedanceMeanHours: 0,
      silenceMeanHours: 0,
    });
    await simulator.ready;
  });
  afterAll(async () => {
    await simulator?.stop();
    await th?.stop();
  });

  async function latest(mn: string): Promise<Latest[]> {
    const { body } = await th.graphql<{ latestReadings: Latest[] }>(
      `query($m: [ID!]!) { latestReadings(monitors: $m) { factor interval value converted flag } }`,
      { m: [ids[mn]] },
      admin,
    );
    return body.data?.latestReadings ?? [];
  }

  /** Waits until the monitor has a value of every factor its kind reports, at the interval given. */
  const reported = (mn: string, kind: keyof typeof KIND_PROFILES, interval: string) =>
    eventually(async () => {
      const wanted = KIND_PROFILES[kind]?.factors.map((f) => f.code) ?? [];
      const rows = (await latest(mn)).filter((r) => r.interval === interval);
      return wanted.every((code) => rows.some((r) => r.factor === code)) ? rows : undefined;
    }, 20_000);

  it('plays every device it finds, about one in five in the 2005 edition', () => {
    expect(
      simulator
        .devices()
        .map((d) => [d.mn, d.edition])
        .sort(),
    ).toEqual(
      Object.values(devices)
        .map((d) => [d.mn, speaks2005(d.mn) ? '2005' : '2017'])
        .sort(),
    );
  });

  it('sends real-time values of outlets, 2005 factor codes stored under 2017 codes', async () => {
    const rows = await reported(devices.wastewater2005.mn, 'WASTEWATER_OUTLET', 'RTD');
    const cod = rows.find((r) => r.factor === 'w01018');
    expect(cod?.flag).toBe('N');
    expect(cod?.value).toBeGreaterThan(0);
    const ph = rows.find((r) => r.factor === 'w01001')?.value ?? 0;
    expect(ph).toBeGreaterThan(6);
    expect(ph).toBeLessThan(9);
  });

  it('sends flue-gas values with their values at reference O2', async () => {
    const rows = await reported(devices.flueGas.mn, 'FLUE_GAS_OUTLET', 'RTD');
    const so2 = rows.find((r) => r.factor === 'a21026');
    expect(so2?.converted).not.toBeNull();
    expect(rows.find((r) => r.factor === 'a19001')?.converted).toBeNull();
  });

  it('sends hourly values of the past hour for air and water stations', async () => {
    const air = await reported(devices.air.mn, 'AIR_STATION', 'HOUR');
    expect(air.map((r) => r.factor).sort()).toEqual(['a05024', 'a21004', 'a21005', 'a21026', 'a34002', 'a34004']);
    const water = await reported(devices.water.mn, 'WATER_STATION', 'HOUR');
    expect(water.map((r) => r.factor).sort()).toEqual(['w01001', 'w01009', 'w01019', 'w21003', 'w21011']);
  });

  it('answers commands: a new real-time interval is set and read back', async () => {
    const mn = devices.flueGas.mn;
    await eventually(async () => (simulator.devices().find((d) => d.mn === mn)?.online ? true : undefined));
    const send = async (command: Record<string, unknown>) => {
      const { body } = await th.graphql<{ sendHj212Command: { __typename: string; data?: { succeeded: boolean; rtdIntervalSeconds: number | null } } }>(
        `mutation($mn: String!, $c: Hj212CommandInput!) { sendHj212Command(mn: $mn, command: $c) {
           __typename ... on MutationSendHj212CommandSuccess { data { succeeded rtdIntervalSeconds } } } }`,
        { mn, c: command },
        admin,
      );
      return body.data?.sendHj212Command;
    };
    expect(await send({ kind: 'SET_RTD_INTERVAL', rtdIntervalSeconds: 45 })).toEqual({
      __typename: 'MutationSendHj212CommandSuccess',
      data: { succeeded: true, rtdIntervalSeconds: null },
    });
    expect(await send({ kind: 'GET_RTD_INTERVAL' })).toEqual({
      __typename: 'MutationSendHj212CommandSuccess',
      data: { succeeded: true, rtdIntervalSeconds: 45 },
    });
  });

  it('retains a sample on 3015 and reports the bottles of its carousel in turn', async () => {
    const mn = devices.wastewater2005.mn;
    await eventually(async () => (simulator.devices().find((d) => d.mn === mn)?.online ? true : undefined));
    const retain = async () => {
      const { body } = await th.graphql<{
        sendHj212Command: { __typename: string; data?: { qnRtn: number; exeRtn: number; succeeded: boolean; data: Record<string, string> } };
      }>(
        `mutation($mn: String!) { sendHj212Command(mn: $mn, command: { kind: RETAIN_SAMPLE, polId: "w01018" }) {
           __typename ... on MutationSendHj212CommandSuccess { data { qnRtn exeRtn succeeded data } } } }`,
        { mn },
        admin,
      );
      return body.data?.sendHj212Command;
    };
    const first = await retain();
    expect(first).toMatchObject({ __typename: 'MutationSendHj212CommandSuccess', data: { qnRtn: 1, exeRtn: 1, succeeded: true, data: { VaseNo: '1' } } });
    expect(first?.data?.data.DataTime).toMatch(/^\d{14}$/);
    expect((await retain())?.data?.data.VaseNo).toBe('2');
  });
});
