import { expect } from 'vitest';
import type { TestHub } from '../../support/hub';

/** Two days of hourly data, Asia/Shanghai: day D = 2024-05-01 and day D+1 = 2024-05-02. */
export const DAY_D = new Date('2024-04-30T16:00:00.000Z');
export const HOUR_MS = 3_600_000;
export const RIVER_CELL = '51011202002001';
export const LAKE_CELL = '51011210013003';
export const RIVER_MN = 'WQTEST0001';
export const LAKE_MN = 'WQTEST0002';

/** Local hour `h` of day D (h may run past 23 into D+1). */
export function localHour(h: number): Date {
  return new Date(DAY_D.getTime() + h * HOUR_MS);
}

interface Reading {
  mn: string;
  factor: string;
  interval: 'HOUR';
  time: string;
  value: number;
  flag: string;
}

/**
 * The river station's data (target class II):
 * - day D: class II all day except hour 10 (DO 4.0, NH3-N 0.75, TP 0.25: class IV) and hour 11
 *   (Pb 60 ug/L = 0.06 mg/L: class V); TP flagged M (maintenance) at hours 0-4, so only 19 valid
 *   TP hours that day; Pb reported at hour 11 only.
 * - day D+1: CODMn 5.0 (class III) every hour; NH3-N flagged D at hours 0-3, 20 valid hours.
 */
export function riverReadings(): Reading[] {
  const readings: Reading[] = [];
  const push = (h: number, factor: string, value: number, flag = 'N'): void => {
    readings.push({ mn: RIVER_MN, factor, interval: 'HOUR', time: localHour(h).toISOString(), value, flag });
  };
  for (let h = 0; h < 24; h += 1) {
    push(h, 'w01001', 7.5);
    push(h, 'w01010', 18);
    push(h, 'w21001', 1.6);
    push(h, 'w01019', 3.0);
    push(h, 'w01009', h === 10 ? 4.0 : 7.0);
    push(h, 'w21003', h === 10 ? 0.75 : 0.3);
    push(h, 'w21011', h === 10 ? 0.25 : 0.08, h < 5 ? 'M' : 'N');
    if (h === 11) push(h, 'w20120', 60);
  }
  for (let h = 24; h < 48; h += 1) {
    push(h, 'w01001', 7.5);
    push(h, 'w01010', 18);
    push(h, 'w21001', 1.6);
    push(h, 'w01019', 5.0);
    push(h, 'w01009', 7.0);
    push(h, 'w21003', 0.4, h < 28 ? 'D' : 'N');
    push(h, 'w21011', 0.08);
  }
  return readings;
}

const INGEST = `mutation ($r: [ReadingInput!]!) {
  ingestReadings(readings: $r) { __typename ... on MutationIngestReadingsSuccess { data { accepted rejected } } }
}`;

const CREATE_SOURCE = `mutation ($input: CreateWaterSourceInput!) {
  createWaterSource(input: $input) {
    __typename
    ... on MutationCreateWaterSourceSuccess { data { code targetClass } }
    ... on Error { message }
  }
}`;

const CREATE_STATION = `mutation ($input: CreateWaterStationInput!) {
  createWaterStation(input: $input) {
    __typename
    ... on MutationCreateWaterStationSuccess { data { code mn monitor { kind ownerModule ownerId intervalSeconds cellCode } } }
    ... on Error { message }
  }
}`;

/** A river source (first-level zone) and a lake source (explicit class III), one station each. */
export async function createFixture(t: TestHub, admin: string): Promise<void> {
  const river = await t.graphql(CREATE_SOURCE, { input: { code: 'T-RIV', name: '测试河流水源', waterbody: 'RIVER', protectionZone: 'FIRST' } }, admin);
  expect(river.body.data).toEqual({ createWaterSource: { __typename: 'MutationCreateWaterSourceSuccess', data: { code: 'T-RIV', targetClass: 'II' } } });
  const lake = await t.graphql(CREATE_SOURCE, { input: { code: 'T-LAKE', name: '测试水库水源', waterbody: 'LAKE', targetClass: 'III' } }, admin);
  expect(lake.body.data).toEqual({ createWaterSource: { __typename: 'MutationCreateWaterSourceSuccess', data: { code: 'T-LAKE', targetClass: 'III' } } });

  const station = await t.graphql(
    CREATE_STATION,
    {
      input: {
        code: 'T-RIV-01',
        name: '测试河流取水口站',
        source: 'T-RIV',
        cellCode: RIVER_CELL,
        mn: RIVER_MN,
        devicePassword: '123456',
        longitude: 104.2,
        latitude: 30.5,
      },
    },
    admin,
  );
  expect(station.body.data).toEqual({
    createWaterStation: {
      __typename: 'MutationCreateWaterStationSuccess',
      data: {
        code: 'T-RIV-01',
        mn: RIVER_MN,
        monitor: { kind: 'WATER_STATION', ownerModule: 'water', ownerId: 'T-RIV-01', intervalSeconds: 3600, cellCode: RIVER_CELL },
      },
    },
  });
  const lakeStation = await t.graphql(
    CREATE_STATION,
    { input: { code: 'T-LAKE-01', name: '测试水库坝前站', source: 'T-LAKE', cellCode: LAKE_CELL, mn: LAKE_MN, devicePassword: '654321' } },
    admin,
  );
  expect(lakeStation.body.data?.createWaterStation).toMatchObject({ __typename: 'MutationCreateWaterStationSuccess' });

  const readings = riverReadings();
  const ingest = await t.graphql(INGEST, { r: readings }, admin);
  expect(ingest.body.data).toEqual({ ingestReadings: { __typename: 'MutationIngestReadingsSuccess', data: { accepted: readings.length, rejected: 0 } } });
}
