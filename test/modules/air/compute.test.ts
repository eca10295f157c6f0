import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, startTestHub, type TestHub } from '../../support/hub';
import { iaqiByItem, QUALITY_FIELDS, type Quality } from './support';

const COMPUTE = `query($input: ComputeAqiInput!) { computeAqi(input: $input) {
  __typename
  ... on QueryComputeAqiSuccess { data { ${QUALITY_FIELDS} } }
  ... on ValidationError { message problems { path message } } } }`;

type ComputeResult = {
  computeAqi: { __typename: string; data?: Quality; problems?: { path: string; message: string }[] };
};

describe.each(ENGINES)('computeAqi on %s', (engine) => {
  let th: TestHub;
  beforeAll(async () => {
    th = await startTestHub({ engine, env: { HUB_MODULES: 'air', INTERRUPTION_CHECK_SECONDS: '86400' } });
  });
  afterAll(async () => th?.stop());

  // No token: the calculator is public.
  const compute = async (input: Record<string, unknown>) => (await th.graphql<ComputeResult>(COMPUTE, { input })).body;

  const WORKED_EXAMPLE = [
    { pollutant: 'PM2_5', averaging: 'TWENTY_FOUR_HOURS', value: 80 },
    { pollutant: 'PM10', averaging: 'TWENTY_FOUR_HOURS', value: 120 },
    { pollutant: 'SO2', averaging: 'TWENTY_FOUR_HOURS', value: 20 },
    { pollutant: 'NO2', averaging: 'TWENTY_FOUR_HOURS', value: 45 },
    { pollutant: 'CO', averaging: 'TWENTY_FOUR_HOURS', value: 1.0 },
    { pollutant: 'O3', averaging: 'EIGHT_HOURS', value: 150 },
  ];

  it('gives the worked example under HJ 633-2026, publicly', async () => {
    const body = await compute({ granularity: 'DAY', edition: 'HJ633_2026', concentrations: WORKED_EXAMPLE });
    const q = body.data?.computeAqi.data as Quality;
    expect(q.edition).toBe('HJ633_2026');
    expect(q.aqi).toBe(119);
    expect(q.level).toBe(3);
    expect(q.category).toEqual({ zh: '轻度污染', en: 'lightly polluted' });
    expect(q.color).toBe('#FF7E00');
    expect(q.primaryPollutants).toEqual(['PM2_5']);
    expect(q.valid).toBe(true);
    expect(iaqiByItem(q)).toEqual({ pm2_5_24h: 119, pm10_24h: 100, so2_24h: 20, no2_24h: 57, co_24h: 25, o3_8h_max: 92 });
    expect(q.nonAttainmentPollutants).toEqual(['PM2_5']);
    expect(q.nonAttainmentBasis).toBe('LOCAL_RULE');
  });

  it('gives the worked example under HJ 633-2012, which also needs the O3 1h maximum', async () => {
    const complete = await compute({
      granularity: 'DAY',
      edition: 'HJ633_2012',
      concentrations: [...WORKED_EXAMPLE, { pollutant: 'O3', averaging: 'ONE_HOUR', value: 180 }],
    });
    const q = complete.data?.computeAqi.data as Quality;
    expect(q.edition).toBe('HJ633_2012');
    expect([q.aqi, q.level, q.valid]).toEqual([107, 3, true]);
    expect(q.primaryPollutants).toEqual(['PM2_5']);
    expect(iaqiByItem(q)).toEqual({ pm2_5_24h: 107, pm10_24h: 85, so2_24h: 20, no2_24h: 57, co_24h: 25, o3_8h_max: 92, o3_1h_max: 75 });
    expect(q.nonAttainmentBasis).toBe('HJ633_2012');

    // without it the AQI is still published, being above 100, but marked incomplete
    const partial = await compute({ granularity: 'DAY', edition: 'HJ633_2012', concentrations: WORKED_EXAMPLE });
    const p = partial.data?.computeAqi.data as Quality;
    expect([p.aqi, p.valid, p.missingPollutants]).toEqual([107, false, ['O3']]);
  });

  it('picks the edition from the time: 2026 from 2026-03-01 00:00 Asia/Shanghai', async () => {
    const pm25 = [{ pollutant: 'PM2_5', averaging: 'TWENTY_FOUR_HOURS', value: 75 }];
    const before = await compute({ granularity: 'DAY', time: '2026-02-28T15:59:59Z', concentrations: pm25 });
    const after = await compute({ granularity: 'DAY', time: '2026-02-28T16:00:00Z', concentrations: pm25 });
    const b = before.data?.computeAqi.data as Quality;
    const a = after.data?.computeAqi.data as Quality;
    expect([b.edition, b.day, b.iaqi[0]?.value]).toEqual(['HJ633_2012', '2026-02-28', 100]);
    expect([a.edition, a.day, a.iaqi[0]?.value]).toEqual(['HJ633_2026', '2026-03-01', 114]);
    // one pollutant of six, not above 100: not available
    expect([b.aqi, b.aqiComputed, b.valid]).toEqual([null, 100, false]);
  });

  it('applies the SO2 1h above 800 rule of each edition', async () => {
    const so2 = [
      { pollutant: 'SO2', averaging: 'ONE_HOUR', value: 900 },
      { pollutant: 'SO2', averaging: 'TWENTY_FOUR_HOURS', value: 100 },
    ];
    const old = (await compute({ granularity: 'HOUR', edition: 'HJ633_2012', concentrations: so2 })).data?.computeAqi.data as Quality;
    const entry2012 = old.iaqi.find((e) => e.item === 'so2_1h');
    expect(entry2012).toMatchObject({
      value: 75,
      rule: 'SO2_1H_ABOVE_800',
      valueFrom: { item: 'so2_24h', averaging: 'TWENTY_FOUR_HOURS', concentration: 100 },
    });
    const current = (await compute({ granularity: 'HOUR', edition: 'HJ633_2026', concentrations: so2 })).data?.computeAqi.data as Quality;
    expect(current.iaqi.find((e) => e.item === 'so2_1h')).toMatchObject({ value: 200, rule: 'SO2_1H_ABOVE_800', valueFrom: null });
    expect(current.aqi).toBe(200);
  });

  it('reports values above the table as 500, beyond scale', async () => {
    const q = (
      await compute({ granularity: 'DAY', edition: 'HJ633_2026', concentrations: [{ pollutant: 'PM2_5', averaging: 'TWENTY_FOUR_HOURS', value: 640 }] })
    ).data?.computeAqi.data as Quality;
    expect([q.aqi, q.beyondScale, q.level, q.category?.en]).toEqual([500, true, 6, 'severely polluted']);
  });

  it('rejects what the report does not have, duplicates, and a missing edition', async () => {
    const wrong = await compute({
      granularity: 'DAY',
      edition: 'HJ633_2026',
      concentrations: [
        { pollutant: 'PM10', averaging: 'ONE_HOUR', value: 50 },
        { pollutant: 'CO', averaging: 'TWENTY_FOUR_HOURS', value: 1 },
        { pollutant: 'CO', averaging: 'TWENTY_FOUR_HOURS', value: 2 },
        { pollutant: 'NO2', averaging: 'TWENTY_FOUR_HOURS', value: -1 },
      ],
    });
    expect(wrong.data?.computeAqi.__typename).toBe('ValidationError');
    expect(wrong.data?.computeAqi.problems?.map((p) => p.path)).toEqual(['input.concentrations.0', 'input.concentrations.2', 'input.concentrations.3.value']);
    const noEdition = await compute({ granularity: 'HOUR', concentrations: [] });
    expect(noEdition.data?.computeAqi.problems?.map((p) => p.path)).toEqual(['input.edition']);
  });
});
