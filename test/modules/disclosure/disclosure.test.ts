import { createViewer } from '../../../src/auth/viewer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { airServiceRef } from '../../../modules/air/public';
import { waterStatus } from '../../../modules/disclosure/service/disclosure-service';
import { sourceServiceRef } from '../../../modules/source/public';
import { statementsOf, uscc } from '../source/support';
import { AIR_CODE, HOUR, KEY_USCC, MINOR_USCC, STAFF_PHONE, startDisclosureHub, type DisclosureHub } from './support';
import { ENGINES } from '../../support/hub';

type Gql = DisclosureHub['t']['graphql'];
type Response = Awaited<ReturnType<Gql>>;

const AIR_NOW = `{ publicAirQuality { station { code name level longitude latitude } quality { granularity time aqi level categoryZh categoryEn color primaryPollutants edition } } }`;
const AIR_HISTORY = `query($s: String!, $from: DateTime!, $to: DateTime!, $g: PublicGranularity) {
  publicAirQualityHistory(station: $s, from: $from, to: $to, granularity: $g) {
    __typename
    ... on QueryPublicAirQualityHistorySuccess { data { time day aqi granularity } }
    ... on Error { message }
  }
}`;
const WATER = `query($g: PublicGranularity) { publicWaterQuality(granularity: $g) { stationCode stationName sourceCode sourceName granularity time waterClass targetClass meetsTarget statusZh statusEn } }`;
const ENTERPRISE_FIELDS = `uscc name industry controlLevel outlets { code name kind factors { factor hours values compliance { from to expectedHours validHours exceedanceHours complianceRate } } }`;
const ENTERPRISES = `{ publicEnterprises(first: 4) { edges { node { ${ENTERPRISE_FIELDS} } } pageInfo { hasNextPage endCursor } } }`;
const ENTERPRISE_NAMES = `query($first: Int, $after: String) { publicEnterprises(first: $first, after: $after) { edges { node { uscc name controlLevel } } pageInfo { hasNextPage endCursor } } }`;
const ENTERPRISE = `query($uscc: String!) { publicEnterpriseDisclosure(uscc: $uscc) {
  __typename ... on QueryPublicEnterpriseDisclosureSuccess { data { ${ENTERPRISE_FIELDS} } } ... on Error { message } } }`;
const DECISIONS = `query($first: Int) { publicEnforcementDecisions(first: $first) { edges { node { caseNumber enterpriseUscc enterpriseName decision penaltyYuan decidedAt publishedAt } } pageInfo { hasNextPage } } }`;

function ok<T>(response: Response, field: string): T {
  expect(response.body.errors, JSON.stringify(response.body.errors)).toBeUndefined();
  return (response.body.data as Record<string, T>)[field] as T;
}

describe('waterStatus', () => {
  it('words each class as the public reads it', () => {
    expect(['I', 'II', 'III', 'IV', 'V', 'WORSE_THAN_V'].map((c) => waterStatus(c as Parameters<typeof waterStatus>[0]).zh)).toEqual([
      '优',
      '优',
      '良好',
      '轻度污染',
      '中度污染',
      '重度污染',
    ]);
  });
});

describe.each(ENGINES)('public disclosure on %s', (engine) => {
  let d: DisclosureHub;
  const responses: string[] = [];
  const anonymous = async (query: string, variables?: Record<string, unknown>): Promise<Response> => {
    const response = await d.t.graphql(query, variables);
    responses.push(JSON.stringify(response.body));
    return response;
  };

  beforeAll(async () => {
    d = await startDisclosureHub(engine);
  }, 120_000);
  afterAll(async () => {
    await d?.t.stop();
  });

  it('shows every station’s newest hourly AQI without a token, as the staff view computes it', async () => {
    const [row] = ok<{ station: Record<string, unknown>; quality: Record<string, unknown> | null }[]>(await anonymous(AIR_NOW), 'publicAirQuality');
    expect(row?.station).toEqual({ code: AIR_CODE, name: '公开测试站', level: 'DISTRICT', longitude: 104.2, latitude: 30.5 });
    const latestHour = new Date(d.hourNow - HOUR);
    const staff = await d.t.hub.services.get(airServiceRef).airQuality(createViewer({ subject: 'district-1', roles: ['district'] }), {
      stationCode: AIR_CODE,
      from: latestHour,
      to: new Date(d.hourNow),
      granularity: 'HOUR',
    });
    const expected = staff[0];
    expect(expected?.aqi).toBeGreaterThan(0);
    expect(row?.quality).toEqual({
      granularity: 'HOUR',
      time: latestHour.toISOString(),
      aqi: expected?.aqi,
      level: expected?.level,
      categoryZh: expected?.category?.zh,
      categoryEn: expected?.category?.en,
      color: expected?.color,
      primaryPollutants: expected?.primaryPollutants,
      edition: 'HJ633-2026',
    });
  });

  it('answers a bounded AQI history and refuses ranges beyond 31 days hourly', async () => {
    const to = new Date(d.hourNow);
    const history = ok<{ __typename: string; data: { time: string; aqi: number | null }[] }>(
      await anonymous(AIR_HISTORY, { s: AIR_CODE, from: new Date(d.hourNow - 24 * HOUR).toISOString(), to: to.toISOString(), g: 'HOUR' }),
      'publicAirQualityHistory',
    );
    expect(history.__typename).toBe('QueryPublicAirQualityHistorySuccess');
    expect(history.data).toHaveLength(24);
    expect(history.data.at(-1)?.time).toBe(new Date(d.hourNow - HOUR).toISOString());
    const tooLong = ok<{ __typename: string }>(
      await anonymous(AIR_HISTORY, { s: AIR_CODE, from: new Date(d.hourNow - 32 * 24 * HOUR).toISOString(), to: to.toISOString(), g: 'HOUR' }),
      'publicAirQualityHistory',
    );
    expect(tooLong.__typename).toBe('ValidationError');
    const tooLongDaily = ok<{ __typename: string }>(
      await anonymous(AIR_HISTORY, { s: AIR_CODE, from: new Date(d.hourNow - 400 * 24 * HOUR).toISOString(), to: to.toISOString(), g: 'DAY' }),
      'publicAirQualityHistory',
    );
    expect(tooLongDaily.__typename).toBe('ValidationError');
    const unknown = ok<{ __typename: string }>(
      await anonymous(AIR_HISTORY, { s: '9999', from: new Date(d.hourNow - HOUR).toISOString(), to: to.toISOString() }),
      'publicAirQualityHistory',
    );
    expect(unknown.__typename).toBe('NotFoundError');
  });

  it.each(['HOUR', 'DAY'] as const)('shows each drinking-water station’s %s class against its target', async (granularity) => {
    const rows = ok<Record<string, unknown>[]>(await anonymous(WATER, { g: granularity }), 'publicWaterQuality');
    const common = { sourceCode: 'P-RIV', sourceName: '公开测试水源', granularity, targetClass: 'II' };
    expect(rows.map(({ time: _time, ...rest }) => rest)).toEqual([
      { stationCode: 'P-RIV-01', stationName: '取水口站', ...common, waterClass: 'II', meetsTarget: true, statusZh: '优', statusEn: 'excellent' },
      { stationCode: 'P-RIV-02', stationName: '下游站', ...common, waterClass: 'III', meetsTarget: false, statusZh: '良好', statusEn: 'good' },
    ]);
    if (granularity === 'HOUR') expect(rows[0]?.time).toBe(new Date(d.hourNow - HOUR).toISOString());
  });

  it('lists key enterprises only, with their outlets’ last 24 hourly values and 30-day compliance', async () => {
    const page = ok<{ edges: { node: Record<string, unknown> }[]; pageInfo: { hasNextPage: boolean } }>(await anonymous(ENTERPRISES), 'publicEnterprises');
    expect(page.edges.map((e) => e.node.uscc)).toEqual([KEY_USCC]);
    expect(page.pageInfo.hasNextPage).toBe(false);
    const one = ok<{ __typename: string; data: Record<string, unknown> }>(await anonymous(ENTERPRISE, { uscc: KEY_USCC }), 'publicEnterpriseDisclosure');
    expect(one.data).toEqual(page.edges[0]?.node);
    const outlets = one.data.outlets as {
      code: string;
      kind: string;
      factors: { factor: string; hours: string[]; values: (number | null)[]; compliance: Record<string, unknown> | null }[];
    }[];
    expect(outlets.map((o) => [o.code, o.kind])).toEqual([['DW001', 'WASTEWATER']]);
    const [ph, cod] = outlets[0]?.factors ?? [];
    expect(ph?.factor).toBe('w01001');
    expect(ph?.compliance).toBeNull();
    expect(cod?.factor).toBe('w01018');
    // readings one to 48 hours back: the last 24 hours hold the 23 complete hours before this one
    expect(cod?.hours).toEqual(Array.from({ length: 23 }, (_v, k) => new Date(d.hourNow - (23 - k) * HOUR).toISOString()));
    expect(cod?.values).toEqual(Array.from({ length: 23 }, () => 40));
    expect(ph?.values).toEqual(Array.from({ length: 23 }, () => 7.2));
    expect(cod?.compliance).toEqual({
      from: new Date(d.hourNow - 30 * 24 * HOUR).toISOString(),
      to: new Date(d.hourNow).toISOString(),
      expectedHours: 720,
      validHours: 48,
      exceedanceHours: 2,
      complianceRate: 0.9583,
    });
  });

  it('discloses nothing of an enterprise that is not state-, province- or city-controlled', async () => {
    expect(ok<unknown>(await anonymous(ENTERPRISE, { uscc: MINOR_USCC }), 'publicEnterpriseDisclosure')).toBeNull();
    const names = ok<{ edges: { node: { uscc: string } }[] }>(await anonymous(ENTERPRISE_NAMES, { first: 50 }), 'publicEnterprises');
    expect(names.edges.map((e) => e.node.uscc)).not.toContain(MINOR_USCC);
    expect(ok<{ __typename: string }>(await anonymous(ENTERPRISE, { uscc: 'x'.repeat(200) }), 'publicEnterpriseDisclosure').__typename).toBe('ValidationError');
  });

  it('shows the published decision and never the unpublished one', async () => {
    const page = ok<{ edges: { node: Record<string, unknown> }[] }>(await anonymous(DECISIONS, { first: 10 }), 'publicEnforcementDecisions');
    expect(page.edges.map((e) => e.node)).toEqual([
      expect.objectContaining({
        caseNumber: '龙环罚〔2026〕1号',
        enterpriseUscc: KEY_USCC,
        enterpriseName: '公开重点企业',
        decision: '罚款并责令改正',
        penaltyYuan: 100000,
      }),
    ]);
  });

  it('refuses pages over 50', async () => {
    for (const query of [
      'query($first: Int) { publicEnterprises(first: $first) { pageInfo { hasNextPage } } }',
      'query($first: Int) { publicEnforcementDecisions(first: $first) { pageInfo { hasNextPage } } }',
    ]) {
      const response = await anonymous(query, { first: 51 });
      expect(response.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    }
  });

  it('keeps the statement count of the station and enterprise lists flat as rows grow', async () => {
    const air = await statementsOf(d.t, () => d.t.graphql(AIR_NOW));
    const enterprises = await statementsOf(d.t, () => d.t.graphql(ENTERPRISES));
    await d.t.hub.services.get(airServiceRef).createStation({ code: '9002', name: '第二站', level: 'CITY', devicePassword: '123456' });
    const source = d.t.hub.services.get(sourceServiceRef);
    await source.enterprises.create({ uscc: uscc(503), name: '第二重点企业', industry: '电力', controlLevel: 'STATE' });
    await source.registry.createOutlet({
      enterpriseUscc: uscc(503),
      code: 'DA001',
      name: '烟气排口',
      kind: 'FLUE_GAS',
      monitors: [{ mn: 'PUBG0001', password: '123456' }],
    });
    expect(await statementsOf(d.t, () => d.t.graphql(AIR_NOW))).toBe(air);
    expect(await statementsOf(d.t, () => d.t.graphql(ENTERPRISES))).toBe(enterprises);
  });

  it('never lets personal data, stream addresses, device MNs or internal notes into a public answer', () => {
    const text = responses.join('\n');
    expect(responses.length).toBeGreaterThan(10);
    for (const secret of [STAFF_PHONE, 'rtsp://', 'PUBW0001', 'PWQ0001', '内部调查', '未公开', 'asst-phone']) expect(text).not.toContain(secret);
  });
});
