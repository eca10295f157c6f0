import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoDevicePassword } from '../../../src/demo/devices';
import { monitoringServiceRef, type ReadingInput } from '../../../src/monitoring/public';
import { complianceFigures, hourlyMeansOf } from '../../../modules/source/service/compliance';
import { data, RESULT_FIELDS, startSourceHub, uscc, type SourceHub } from './support';
import { ENGINES_WITH_PLAIN } from '../../support/hub';

const HOUR = 3_600_000;

describe('complianceFigures', () => {
  const t0 = new Date('2024-05-01T00:00:00Z');
  const hour = (h: number) => new Date(t0.getTime() + h * HOUR);

  it('judges each valid hour against the limit valid then and reports the worst hour relative to its limit', () => {
    const hours = [
      { hour: hour(0), mean: 40 },
      { hour: hour(1), mean: 120 },
      { hour: hour(2), mean: null },
      { hour: hour(3), mean: 65 },
    ];
    const limitAt = (at: Date) => (at < hour(3) ? { upper: 100, lower: null } : { upper: 50, lower: null });
    expect(complianceFigures(hours, 5, limitAt)).toEqual({
      expectedHours: 5,
      validHours: 3,
      validDataRate: 0.6,
      exceedanceHours: 2,
      compliantHours: 1,
      complianceRate: 0.3333,
      worstValue: 65,
      worstAt: hour(3),
    });
  });

  it('counts a valid hour without a limit as compliant, and a range breached on either side', () => {
    const hours = [5, 7, 9.5, null].map((mean, h) => ({ hour: hour(h), mean }));
    expect(complianceFigures(hours, 4, () => ({ upper: 9, lower: 6 }))).toMatchObject({ validHours: 3, exceedanceHours: 2, complianceRate: 0.3333 });
    expect(complianceFigures(hours, 4, () => undefined)).toMatchObject({ validHours: 3, exceedanceHours: 0, complianceRate: 1, worstValue: 9.5 });
    expect(complianceFigures([], 0, () => undefined)).toMatchObject({ validDataRate: null, complianceRate: null, worstValue: null });
  });

  it('averages the valid values of each hour and leaves an hour of invalid values empty', () => {
    const at = (minutes: number) => new Date(t0.getTime() + minutes * 60_000);
    expect(
      hourlyMeansOf([
        { time: at(0), value: 10, valid: true },
        { time: at(30), value: 20, valid: true },
        { time: at(40), value: 999, valid: false },
        { time: at(70), value: 5, valid: false },
      ]),
    ).toEqual([
      { hour: t0, mean: 15 },
      { hour: new Date(t0.getTime() + HOUR), mean: null },
    ]);
  });
});

describe.each(ENGINES_WITH_PLAIN)('compliance on %s', (engine) => {
  let s: SourceHub;
  const code = uscc(21);
  const t0 = new Date(Math.floor((Date.now() - 2 * 86_400_000) / HOUR) * HOUR);
  const hour = (h: number) => new Date(t0.getTime() + h * HOUR);
  const period = { from: hour(0).toISOString(), to: hour(10).toISOString() };

  const compliance = async (outletCode: string, factor: string, token: string) =>
    data<Record<string, unknown>>(
      await s.hub.graphql(
        `query($uscc: String!, $outlet: String!, $factor: String!, $from: DateTime!, $to: DateTime!) {
          outletCompliance(enterpriseUscc: $uscc, outletCode: $outlet, factor: $factor, from: $from, to: $to) {
            ${RESULT_FIELDS}
            ... on QueryOutletComplianceSuccess { data { expectedHours validHours validDataRate exceedanceHours compliantHours complianceRate episodes worstValue worstAt basis source } }
          }
        }`,
        { uscc: code, outlet: outletCode, factor, ...period },
        token,
      ),
      'outletCompliance',
    );

  beforeAll(async () => {
    s = await startSourceHub(engine);
    const { enterprises, registry } = s.source;
    await enterprises.create({ uscc: code, name: '达标测试企业', industry: '食品制造', controlLevel: 'CITY', cellCode: 'G01001001' });
    const permit = await registry.createPermit({
      enterpriseUscc: code,
      number: `${code}001P`,
      validFrom: new Date('2023-01-01T00:00:00Z'),
      validTo: new Date('2030-01-01T00:00:00Z'),
    });
    await registry.createOutlet({
      enterpriseUscc: code,
      code: 'DW001',
      name: '废水总排口',
      kind: 'WASTEWATER',
      monitors: [{ mn: 'CMPW', password: demoDevicePassword('CMPW') }],
    });
    await registry.createOutlet({
      enterpriseUscc: code,
      code: 'DA001',
      name: '锅炉排口',
      kind: 'FLUE_GAS',
      monitors: [{ mn: 'CMPG', password: demoDevicePassword('CMPG') }],
    });
    const from = new Date('2024-01-01T00:00:00Z');
    await registry.setPermitLimit({ permitNumber: permit.number, outletCode: 'DW001', factor: 'w01018', upper: 100, validFrom: from });
    // the permit tightens COD from the seventh hour on
    await registry.setPermitLimit({ permitNumber: permit.number, outletCode: 'DW001', factor: 'w01018', upper: 50, validFrom: hour(6) });
    await registry.setPermitLimit({ permitNumber: permit.number, outletCode: 'DA001', factor: 'a21026', upper: 50, validFrom: from });
    const cod: [number, number, string][] = [
      [0, 40, 'N'],
      [1, 120, 'N'],
      [2, 30, 'N'],
      [3, 500, 'F'],
      [4, 70, 'N'],
      [5, 30, 'N'],
      [6, 65, 'N'],
      [7, 20, 'N'],
    ];
    const readings: ReadingInput[] = cod.map(([h, value, flag]) => ({ mn: 'CMPW', factor: 'w01018', interval: 'HOUR', time: hour(h), value, flag }));
    readings.push(
      { mn: 'CMPG', factor: 'a21026', interval: 'HOUR', time: hour(0), value: 40, converted: 60, flag: 'N' },
      { mn: 'CMPG', factor: 'a21026', interval: 'HOUR', time: hour(1), value: 60, converted: 35, flag: 'N' },
    );
    await s.hub.hub.services.get(monitoringServiceRef).ingest(readings);
  }, 60_000);

  afterAll(async () => {
    await s?.hub.stop();
  });

  it('reports valid-data rate, exceedance hours, episodes, compliance rate and worst value of a wastewater factor', async () => {
    const report = await compliance('DW001', 'w01018', s.tokens.district);
    expect(report).toMatchObject({
      expectedHours: 10,
      validHours: 7,
      validDataRate: 0.7,
      exceedanceHours: 2,
      compliantHours: 5,
      complianceRate: 0.7143,
      episodes: 2,
      worstValue: 65,
      worstAt: hour(6).toISOString(),
      basis: 'RAW',
    });
    expect(report.source).toBe(s.hub.hub.db.capabilities.timescaledb ? 'continuous-aggregate' : 'on-the-fly');
  });

  it('judges flue gas on values converted to the reference O2', async () => {
    expect(await compliance('DA001', 'a21026', s.tokens.district)).toMatchObject({
      validHours: 2,
      exceedanceHours: 1,
      complianceRate: 0.5,
      worstValue: 60,
      basis: 'CONVERTED',
      source: 'raw',
      episodes: 1,
    });
  });

  it('sums the district by control level', async () => {
    const response = await s.hub.graphql(
      `query($from: DateTime!, $to: DateTime!) { complianceSummary(from: $from, to: $to) { ${RESULT_FIELDS} ... on QueryComplianceSummarySuccess { data { controlLevel enterprises seriesJudged expectedHours validHours exceedanceHours complianceRate episodes } } } }`,
      period,
      s.tokens.district,
    );
    const rows = data<Record<string, unknown>[]>(response, 'complianceSummary');
    expect(rows.find((r) => r.controlLevel === 'CITY')).toEqual({
      controlLevel: 'CITY',
      enterprises: 1,
      seriesJudged: 2,
      expectedHours: 20,
      validHours: 9,
      exceedanceHours: 3,
      complianceRate: 0.6667,
      episodes: 3,
    });
    expect(rows.find((r) => r.controlLevel === 'STATE')).toMatchObject({ enterprises: 0, seriesJudged: 0, complianceRate: null });
  });

  it('keeps other enterprises’ compliance from an enterprise account, and refuses long periods', async () => {
    const other = await s.enterpriseToken(uscc(22));
    expect(await compliance('DW001', 'w01018', other)).toMatchObject({ __typename: 'NotFoundError' });
    const own = await s.enterpriseToken(code);
    expect(await compliance('DW001', 'w01018', own)).toMatchObject({ validHours: 7 });
    const long = await s.hub.graphql(
      `{ outletCompliance(enterpriseUscc: "${code}", outletCode: "DW001", factor: "w01018", from: "2024-01-01T00:00:00Z", to: "2024-12-01T00:00:00Z") { ${RESULT_FIELDS} } }`,
      {},
      s.tokens.district,
    );
    expect(data(long, 'outletCompliance')).toMatchObject({ __typename: 'ValidationError', problems: [{ path: 'to', message: 'a period of at most 92 days' }] });
  });
});
