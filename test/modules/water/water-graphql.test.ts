import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, startTestHub, type TestHub } from '../../support/hub';
import { createFixture, DAY_D, HOUR_MS, LAKE_CELL, localHour } from './fixture';

const CLASSIFY = `query ($input: ClassifyWaterInput!) {
  classifyWater(input: $input) {
    class quality { zh } targetClass meetsTarget
    items { factor role class limit { bound value min max } exceedanceMultiple failsTarget }
    failingItems { factor }
    supplementary { factor limit exceeds }
  }
}`;

const QUALITY = `query ($station: String!, $from: DateTime!, $to: DateTime!, $granularity: WaterGranularity) {
  waterQuality(station: $station, from: $from, to: $to, granularity: $granularity) {
    time class targetClass meetsTarget incompleteFactors
    items { factor value class limit { bound value } exceedanceMultiple failsTarget sampleCount }
    failingItems { factor class exceedanceMultiple }
  }
}`;

const SOURCES = `{ waterSources(first: 10) { edges { node { code waterbody protectionZone targetClass stations { code cellCode } } } pageInfo { hasNextPage } } }`;

type Item = {
  factor: string;
  value: number;
  class: string | null;
  limit: { bound: string; value: number | null } | null;
  exceedanceMultiple: number | null;
  failsTarget: boolean;
  sampleCount: number | null;
};
type Point = {
  time: string;
  class: string | null;
  targetClass: string;
  meetsTarget: boolean | null;
  incompleteFactors: string[];
  items: Item[];
  failingItems: { factor: string; class: string; exceedanceMultiple: number | null }[];
};

const itemOf = (point: Point | undefined, factor: string): Item | undefined => point?.items.find((i) => i.factor === factor);

describe.each(ENGINES)('water module over GraphQL (%s)', (engine) => {
  let t: TestHub;
  let admin: string;
  let district: string;

  beforeAll(async () => {
    t = await startTestHub({ engine, env: { HUB_MODULES: 'water' } });
    admin = await t.token({ roles: ['admin'] });
    district = await t.token({ roles: ['district'] });
    await createFixture(t, admin);
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('classifies a sample through the public calculator, without a token', async () => {
    const { body } = await t.graphql(CLASSIFY, {
      input: {
        waterbody: 'RIVER',
        targetClass: 'II',
        values: [
          { factor: 'w01001', value: 7.2 },
          { factor: 'w01009', value: 4.5 },
          { factor: 'w21003', value: 1.2 },
          { factor: 'w21011', value: 0.1 },
          { factor: 'w21001', value: 3.0 },
          { factor: 'Fe', value: 0.4 },
        ],
      },
    });
    expect(body.errors).toBeUndefined();
    const result = (body.data as { classifyWater: Record<string, unknown> & { items: Item[] } }).classifyWater;
    expect(result).toMatchObject({ class: 'IV', quality: { zh: '轻度污染' }, targetClass: 'II', meetsTarget: false });
    expect(result.items).toEqual([
      { factor: 'w01001', role: 'CLASSED', class: 'I', limit: { bound: 'RANGE', value: null, min: 6, max: 9 }, exceedanceMultiple: null, failsTarget: false },
      {
        factor: 'w01009',
        role: 'CLASSED',
        class: 'IV',
        limit: { bound: 'LOWER', value: 6, min: null, max: null },
        exceedanceMultiple: null,
        failsTarget: true,
      },
      {
        factor: 'w21003',
        role: 'CLASSED',
        class: 'IV',
        limit: { bound: 'UPPER', value: 0.5, min: null, max: null },
        exceedanceMultiple: 1.4,
        failsTarget: true,
      },
      // TP at the class II river limit is class II: limits are inclusive
      {
        factor: 'w21011',
        role: 'CLASSED',
        class: 'II',
        limit: { bound: 'UPPER', value: 0.1, min: null, max: null },
        exceedanceMultiple: null,
        failsTarget: false,
      },
      // TN is reported, not classed, on a river
      { factor: 'w21001', role: 'REPORTED', class: null, limit: null, exceedanceMultiple: null, failsTarget: false },
    ]);
    expect(result.failingItems).toEqual([{ factor: 'w01009' }, { factor: 'w21003' }]);
    expect(result.supplementary).toEqual([{ factor: 'Fe', limit: 0.3, exceeds: true }]);

    // the same TP in a lake is class IV (lake limits), and TN is classed there
    const lake = await t.graphql(CLASSIFY, {
      input: {
        waterbody: 'LAKE',
        values: [
          { factor: 'w21011', value: 0.1 },
          { factor: 'w21001', value: 3.0 },
        ],
      },
    });
    const lakeResult = (lake.body.data as { classifyWater: { class: string; targetClass: null; meetsTarget: null; items: Item[] } }).classifyWater;
    expect(lakeResult.class).toBe('WORSE_THAN_V');
    expect(lakeResult.targetClass).toBeNull();
    expect(lakeResult.meetsTarget).toBeNull();
    expect(lakeResult.items.map((i) => [i.factor, i.class])).toEqual([
      ['w21011', 'IV'],
      ['w21001', 'WORSE_THAN_V'],
    ]);
  });

  it('refuses a calculator input it cannot judge', async () => {
    const duplicate = await t.graphql(CLASSIFY, {
      input: {
        waterbody: 'RIVER',
        values: [
          { factor: 'w01009', value: 5 },
          { factor: 'w01009', value: 6 },
        ],
      },
    });
    expect(duplicate.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const badTarget = await t.graphql(CLASSIFY, { input: { waterbody: 'RIVER', targetClass: 'WORSE_THAN_V', values: [{ factor: 'w01009', value: 5 }] } });
    expect(badTarget.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const tooMany = await t.graphql(CLASSIFY, { input: { waterbody: 'RIVER', values: Array.from({ length: 65 }, (_, i) => ({ factor: `x${i}`, value: 1 })) } });
    expect(tooMany.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('lists sources with their stations and the target class from the zone', async () => {
    const { body } = await t.graphql(SOURCES, {}, district);
    expect(body.data).toEqual({
      waterSources: {
        edges: [
          {
            node: {
              code: 'T-RIV',
              waterbody: 'RIVER',
              protectionZone: 'FIRST',
              targetClass: 'II',
              stations: [{ code: 'T-RIV-01', cellCode: '51011202002001' }],
            },
          },
          { node: { code: 'T-LAKE', waterbody: 'LAKE', protectionZone: null, targetClass: 'III', stations: [{ code: 'T-LAKE-01', cellCode: LAKE_CELL }] } },
        ],
        pageInfo: { hasNextPage: false },
      },
    });
    const page = await t.graphql(`{ waterSources(first: 1) { edges { node { code } } pageInfo { hasNextPage endCursor } } }`, {}, district);
    const first = page.body.data as { waterSources: { edges: { node: { code: string } }[]; pageInfo: { hasNextPage: boolean; endCursor: string } } };
    expect(first.waterSources.edges.map((e) => e.node.code)).toEqual(['T-RIV']);
    expect(first.waterSources.pageInfo.hasNextPage).toBe(true);
    const next = await t.graphql(
      `query ($after: String) { waterSources(first: 1, after: $after) { edges { node { code } } } }`,
      { after: first.waterSources.pageInfo.endCursor },
      district,
    );
    expect(next.body.data).toEqual({ waterSources: { edges: [{ node: { code: 'T-LAKE' } }] } });
  });

  it('answers sources, stations, monitors and open episodes in a fixed number of statements', async () => {
    const query = `query ($n: Int) { waterSources(first: $n) { edges { node { code stations { code source { code } monitor { mn } openEpisode { status } } } } } }`;
    const statementsFor = async (n: number): Promise<number> => {
      const before = t.hub.db.statementCount();
      const { body } = await t.graphql(query, { n }, district);
      expect((body.data as { waterSources: { edges: unknown[] } }).waterSources.edges).toHaveLength(n);
      return t.hub.db.statementCount() - before;
    };
    const one = await statementsFor(1);
    expect(await statementsFor(2)).toBe(one);
  });

  it('refuses a duplicate station code and an unknown source with typed errors', async () => {
    const mutation = `mutation ($input: CreateWaterStationInput!) { createWaterStation(input: $input) { __typename ... on NotFoundError { entity key } } }`;
    const duplicate = await t.graphql(
      mutation,
      { input: { code: 'T-RIV-01', name: 'x', source: 'T-RIV', cellCode: '51011202002001', mn: 'WQTEST0099', devicePassword: '1' } },
      admin,
    );
    expect(duplicate.body.data).toEqual({ createWaterStation: { __typename: 'ConflictError' } });
    const unknown = await t.graphql(
      mutation,
      { input: { code: 'T-X-01', name: 'x', source: 'NOPE', cellCode: '51011202002001', mn: 'WQTEST0098', devicePassword: '1' } },
      admin,
    );
    expect(unknown.body.data).toEqual({ createWaterStation: { __typename: 'NotFoundError', entity: 'WaterSource', key: 'NOPE' } });
    // the failed duplicate left no monitor behind
    const monitor = await t.graphql(`{ monitor(mn: "WQTEST0099") { mn } }`, {}, admin);
    expect(monitor.body.data).toEqual({ monitor: null });
  });

  it('gives hourly results with the failing items, their class and 超标倍数', async () => {
    const { body } = await t.graphql(
      QUALITY,
      { station: 'T-RIV-01', from: localHour(9).toISOString(), to: localHour(12).toISOString(), granularity: 'HOUR' },
      district,
    );
    expect(body.errors).toBeUndefined();
    const points = (body.data as { waterQuality: Point[] }).waterQuality;
    expect(points.map((p) => [p.time, p.class, p.meetsTarget])).toEqual([
      [localHour(9).toISOString(), 'II', true],
      [localHour(10).toISOString(), 'IV', false],
      [localHour(11).toISOString(), 'V', false],
    ]);
    const breach = points[1];
    expect(breach?.targetClass).toBe('II');
    expect(breach?.failingItems).toEqual([
      { factor: 'w01009', class: 'IV', exceedanceMultiple: null },
      { factor: 'w21003', class: 'III', exceedanceMultiple: 0.5 },
      { factor: 'w21011', class: 'IV', exceedanceMultiple: 1.5 },
    ]);
    expect(itemOf(breach, 'w21011')).toMatchObject({ value: 0.25, limit: { bound: 'UPPER', value: 0.1 }, sampleCount: 1 });
    expect(itemOf(breach, 'w01010')).toMatchObject({ class: null, failsTarget: false });
    // Pb arrives in ug/L: 60 ug/L is 0.06 mg/L, class V, five times over the class II limit
    expect(points[2]?.failingItems).toEqual([{ factor: 'w20120', class: 'V', exceedanceMultiple: 5 }]);
    expect(itemOf(points[2], 'w20120')?.value).toBeCloseTo(0.06, 10);
    // TP flagged M (maintenance) is not a valid value: hour 4 is classed without it
    const early = await t.graphql(QUALITY, { station: 'T-RIV-01', from: localHour(4).toISOString(), to: localHour(5).toISOString() }, district);
    const [hour4] = (early.body.data as { waterQuality: Point[] }).waterQuality;
    expect(hour4?.items.map((i) => i.factor).sort()).toEqual(['w01001', 'w01009', 'w01010', 'w01019', 'w21001', 'w21003']);
  });

  it('gives daily results from valid hourly values, at least 20 of them', async () => {
    const from = DAY_D.toISOString();
    const to = new Date(DAY_D.getTime() + 48 * HOUR_MS).toISOString();
    const { body } = await t.graphql(QUALITY, { station: 'T-RIV-01', from, to, granularity: 'DAY' }, district);
    expect(body.errors).toBeUndefined();
    const [dayD, dayD1, ...rest] = (body.data as { waterQuality: Point[] }).waterQuality;
    expect(rest).toEqual([]);
    expect(dayD?.time).toBe(DAY_D.toISOString());
    expect(dayD?.class).toBe('II');
    expect(dayD?.meetsTarget).toBe(true);
    // TP has 19 valid hours on day D and Pb one: no daily value for either
    expect([...(dayD?.incompleteFactors ?? [])].sort()).toEqual(['w20120', 'w21011']);
    expect(itemOf(dayD, 'w21011')).toBeUndefined();
    expect(itemOf(dayD, 'w01009')).toMatchObject({ class: 'II', sampleCount: 24 });
    expect(itemOf(dayD, 'w01009')?.value).toBeCloseTo(165 / 24, 10);
    expect(itemOf(dayD, 'w21003')?.value).toBeCloseTo((23 * 0.3 + 0.75) / 24, 10);

    expect(dayD1?.class).toBe('III');
    expect(dayD1?.meetsTarget).toBe(false);
    expect(dayD1?.incompleteFactors).toEqual([]);
    expect(dayD1?.failingItems).toEqual([{ factor: 'w01019', class: 'III', exceedanceMultiple: 0.25 }]);
    // exactly 20 valid NH3-N hours still make a daily value
    expect(itemOf(dayD1, 'w21003')).toMatchObject({ value: 0.4, class: 'II', sampleCount: 20 });

    // a range inside a day widens to that whole day
    const inside = await t.graphql(
      QUALITY,
      { station: 'T-RIV-01', from: localHour(30).toISOString(), to: localHour(31).toISOString(), granularity: 'DAY' },
      district,
    );
    expect((inside.body.data as { waterQuality: Point[] }).waterQuality.map((p) => p.time)).toEqual([new Date(DAY_D.getTime() + 24 * HOUR_MS).toISOString()]);
  });

  it('bounds the range and names an unknown station', async () => {
    const tooLong = await t.graphql(
      QUALITY,
      { station: 'T-RIV-01', from: DAY_D.toISOString(), to: new Date(DAY_D.getTime() + 32 * 24 * HOUR_MS).toISOString() },
      district,
    );
    expect(tooLong.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const backwards = await t.graphql(QUALITY, { station: 'T-RIV-01', from: localHour(5).toISOString(), to: localHour(4).toISOString() }, district);
    expect(backwards.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const unknown = await t.graphql(QUALITY, { station: 'NOPE', from: localHour(4).toISOString(), to: localHour(5).toISOString() }, district);
    expect(unknown.body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });

  it('keeps station data from enterprises and the public, and town officers to their cells', async () => {
    const enterprise = await t.token({ roles: ['enterprise'], enterprise: '91510112MA6C000001' });
    const range = { from: localHour(9).toISOString(), to: localHour(10).toISOString() };
    for (const token of [enterprise, undefined]) {
      const code = token ? 'FORBIDDEN' : 'UNAUTHENTICATED';
      expect((await t.graphql(SOURCES, {}, token)).body.errors?.[0]?.extensions?.code).toBe(code);
      expect((await t.graphql(`{ waterStation(code: "T-RIV-01") { code } }`, {}, token)).body.errors?.[0]?.extensions?.code).toBe(code);
      expect((await t.graphql(QUALITY, { station: 'T-RIV-01', ...range }, token)).body.errors?.[0]?.extensions?.code).toBe(code);
      expect((await t.graphql(`{ waterEpisodes { edges { node { stationCode } } } }`, {}, token)).body.errors?.[0]?.extensions?.code).toBe(code);
    }
    const upstream = await t.token({ roles: ['upstream'] });
    expect((await t.graphql(`{ waterStation(code: "T-RIV-01") { code source { code } } }`, {}, upstream)).body.data).toEqual({
      waterStation: { code: 'T-RIV-01', source: { code: 'T-RIV' } },
    });

    const town = await t.token({ roles: ['town'], cells: ['51011210'] });
    expect((await t.graphql(`{ waterStation(code: "T-RIV-01") { code } }`, {}, town)).body.data).toEqual({ waterStation: null });
    expect((await t.graphql(`{ waterStation(code: "T-LAKE-01") { code } }`, {}, town)).body.data).toEqual({ waterStation: { code: 'T-LAKE-01' } });
    expect((await t.graphql(QUALITY, { station: 'T-RIV-01', ...range }, town)).body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const sources = (await t.graphql(SOURCES, {}, town)).body.data as { waterSources: { edges: { node: { code: string; stations: { code: string }[] } }[] } };
    expect(sources.waterSources.edges.map((e) => [e.node.code, e.node.stations.map((s) => s.code)])).toEqual([['T-LAKE', ['T-LAKE-01']]]);
    // nor can an enterprise create stations
    const create = await t.graphql(
      `mutation { createWaterSource(input: { code: "E", name: "e", waterbody: RIVER, protectionZone: FIRST }) { __typename } }`,
      {},
      enterprise,
    );
    expect(create.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});
