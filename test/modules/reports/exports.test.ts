import { ENGINES } from '../../support/hub';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { result } from '../grid/support';
import { AIR_STATIONS, ENTERPRISE_A, ENTERPRISE_B, expectExport, seedMonth, startReportsHub, WATER_STATION, type Expected, type ReportsHub } from './support';

const RANGE = 'from=2025-06-01&to=2025-07-01';
const FROM = '2025-05-31T16:00:00.000Z';
const TO = '2025-06-30T16:00:00.000Z';
const t = (iso: string | null) => ({ time: iso });
const CONTROL: Record<string, string> = { STATE: '国控', PROVINCE: '省控', CITY: '市控', DISTRICT_KEY: '区重点' };
const CLASS: Record<string, string> = { I: 'Ⅰ类', II: 'Ⅱ类', III: 'Ⅲ类', IV: 'Ⅳ类', V: 'Ⅴ类', WORSE_THAN_V: '劣Ⅴ类' };

describe.each(ENGINES)('exports on %s read back equal the GraphQL fields', (engine) => {
  let r: ReportsHub;
  const gql = async <T>(query: string, variables: Record<string, unknown> = {}, field?: string, token = r.tokens.district): Promise<T> => {
    const response = await r.th.graphql(query, variables, token);
    const value = result<Record<string, unknown>>(response, field ?? Object.keys(response.body.data ?? {})[0] ?? '');
    return (value && typeof value === 'object' && 'data' in value ? value.data : value) as T;
  };

  beforeAll(async () => {
    r = await startReportsHub(engine);
    await seedMonth(r);
  }, 240_000);
  afterAll(async () => r?.th.stop());

  it('raw readings, paged past one read, every value and flag', async () => {
    const monitor = await gql<{ id: string; name: string }>(`{ monitor(mn: "RPTW1") { id name } }`);
    const points: { time: string; value: number | null; converted: number | null; flag: string | null }[] = [];
    let from = FROM;
    for (;;) {
      const series = await gql<{ points: typeof points }>(
        `query($m: ID!, $from: DateTime!, $to: DateTime!) { readings(monitor: $m, factor: "w01018", interval: RTD, from: $from, to: $to, limit: 5000) { points { time value converted flag } } }`,
        { m: monitor.id, from, to: TO },
      );
      points.push(...series.points);
      if (series.points.length < 5000) break;
      from = new Date(Date.parse(series.points.at(-1)?.time as string) + 1).toISOString();
    }
    expect(points.length).toBeGreaterThan(5000);
    const { csv } = await expectExport(
      r,
      `/export/readings?monitor=${encodeURIComponent(monitor.id)}&factor=w01018&interval=RTD&${RANGE}`,
      r.tokens.district,
      points.map((p) => [t(p.time), 'RPTW1', monitor.name, 'w01018', '实时数据', p.value, p.converted, p.flag]),
    );
    expect(csv[0]).toEqual([
      '时间（北京时间）',
      '监测点编号（MN）',
      '监测点名称',
      '因子编码',
      '数据类型',
      '化学需氧量（mg/L） 实测值',
      '化学需氧量（mg/L） 折算值',
      '数据标记',
    ]);
  });

  it('hourly and daily buckets', async () => {
    for (const bucket of ['HOUR', 'DAY'] as const) {
      const series = await gql<{ buckets: { time: string; avg: number | null; min: number | null; max: number | null; count: number; validCount: number }[] }>(
        `query($from: DateTime!, $to: DateTime!) { readings(monitor: "${Buffer.from('Monitor:1').toString('base64')}", factor: "w01018", interval: HOUR, from: $from, to: $to, bucket: ${bucket}, limit: 5000) { buckets { time avg min max count validCount } } }`,
        { from: FROM, to: TO },
      );
      const monitor = await gql<{ mn: string; name: string }>(`{ monitor(id: "${Buffer.from('Monitor:1').toString('base64')}") { mn name } }`);
      expect(series.buckets.length).toBeGreaterThan(bucket === 'HOUR' ? 200 : 9);
      await expectExport(
        r,
        `/export/readings?mn=${monitor.mn}&factor=w01018&interval=HOUR&bucket=${bucket.toLowerCase()}&${RANGE}`,
        r.tokens.district,
        series.buckets.map(
          (b) =>
            [
              bucket === 'HOUR' ? t(b.time) : { day: new Date(Date.parse(b.time) + 8 * 3_600_000).toISOString().slice(0, 10) },
              monitor.mn,
              monitor.name,
              'w01018',
              '小时数据',
              b.avg,
              b.min,
              b.max,
              b.count,
              b.validCount,
            ] as Expected[],
        ),
      );
    }
  });

  it('outlet compliance, one row per permit-limited outlet factor', async () => {
    const expected: Expected[][] = [];
    for (const [uscc, name, level] of [
      [ENTERPRISE_A, '甲化工有限公司', 'CITY'],
      [ENTERPRISE_B, '乙制药有限公司', 'STATE'],
    ]) {
      const c = await gql<Record<string, number | string | null>>(
        `query($u: String!, $from: DateTime!, $to: DateTime!) { outletCompliance(enterpriseUscc: $u, outletCode: "DW001", factor: "w01018", from: $from, to: $to) {
          ... on QueryOutletComplianceSuccess { data { expectedHours validHours validDataRate exceedanceHours compliantHours complianceRate episodes worstValue worstAt } } } }`,
        { u: uscc, from: FROM, to: TO },
      );
      expected.push([
        uscc as string,
        name as string,
        CONTROL[level as string] as string,
        'DW001',
        '废水总排口',
        '废水',
        'w01018',
        '化学需氧量',
        '实测',
        c.expectedHours as number,
        c.validHours as number,
        c.validDataRate as number,
        c.exceedanceHours as number,
        c.compliantHours as number,
        c.complianceRate as number,
        c.episodes as number,
        c.worstValue as number,
        t(c.worstAt as string),
      ]);
    }
    expect(expected[0]?.[15]).toBe(2);
    await expectExport(r, `/export/outlet-compliance?${RANGE}`, r.tokens.district, expected);
  });

  it('the compliance summary by control level', async () => {
    const rows = await gql<Record<string, number | string | null>[]>(
      `query($from: DateTime!, $to: DateTime!) { complianceSummary(from: $from, to: $to) { ... on QueryComplianceSummarySuccess { data { controlLevel enterprises seriesJudged expectedHours validHours validDataRate exceedanceHours compliantHours complianceRate episodes } } } }`,
      { from: FROM, to: TO },
    );
    await expectExport(
      r,
      `/export/compliance-summary?${RANGE}`,
      r.tokens.district,
      rows.map(
        (s) =>
          [
            CONTROL[s.controlLevel as string] as string,
            s.enterprises as number,
            s.seriesJudged as number,
            s.expectedHours as number,
            s.validHours as number,
            s.validDataRate,
            s.exceedanceHours as number,
            s.compliantHours as number,
            s.complianceRate,
            s.episodes as number,
          ] as Expected[],
      ),
    );
  });

  it('exceedances, newest first', async () => {
    const page = await gql<{ edges: { node: Record<string, string | number | null> & { monitor: { mn: string; name: string } } }[] }>(
      `query($from: DateTime!, $to: DateTime!) { exceedances(first: 100, filter: { from: $from, to: $to }) { edges { node { id factor interval severity status openedAt lastOutAt closedAt peakValue peakAt limitUpper limitLower basis enterpriseUscc cellCode acknowledgedAt acknowledgedBy acknowledgeNote monitor { mn name } } } } }`,
      { from: FROM, to: '2025-06-30T15:59:59.999Z' },
    );
    expect(page.edges.length).toBeGreaterThanOrEqual(3);
    const number = (id: string) => Number(/^Exceedance:(\d+)$/.exec(Buffer.from(id, 'base64').toString())?.[1]);
    await expectExport(
      r,
      `/export/exceedances?${RANGE}`,
      r.tokens.district,
      page.edges.map(({ node: e }) => [
        number(e.id as string),
        e.monitor.mn,
        e.monitor.name,
        '废水排放口',
        e.factor as string,
        '化学需氧量',
        e.interval as string,
        e.severity === 'EXCEEDANCE' ? '超标' : '预警',
        e.status === 'OPEN' ? '持续中' : '已结束',
        t(e.openedAt as string),
        t(e.lastOutAt as string),
        t(e.closedAt as string | null),
        e.peakValue as number,
        t(e.peakAt as string),
        e.limitUpper as number | null,
        e.limitLower as number | null,
        e.basis === 'RAW' ? '实测' : '折算',
        e.enterpriseUscc as string,
        e.cellCode as string,
        t(e.acknowledgedAt as string | null),
        e.acknowledgedBy as string | null,
        e.acknowledgeNote as string | null,
      ]),
    );
  });

  it('the grid assessment by town and by assistant', async () => {
    for (const groupBy of ['TOWN', 'ASSISTANT'] as const) {
      const page = await gql<{ edges: { node: Record<string, number | string | null> & { parts: Record<string, number> } }[] }>(
        `query($from: DateTime!, $to: DateTime!) { gridAssessment(first: 100, groupBy: ${groupBy}, period: { from: $from, to: $to }) { edges { node { rank key name assignedTasks completedTasks onTimeTasks overdueTasks meanResponseSeconds patrols media score parts { completion punctuality responsiveness patrols media } } } } }`,
        { from: FROM, to: TO },
      );
      expect(page.edges.some((e) => (e.node.assignedTasks as number) > 0)).toBe(true);
      await expectExport(
        r,
        `/export/grid-assessment?${RANGE}&groupBy=${groupBy}`,
        r.tokens.district,
        page.edges.map(
          ({ node: a }) =>
            [
              a.rank,
              a.key,
              a.name,
              a.assignedTasks,
              a.completedTasks,
              a.onTimeTasks,
              a.overdueTasks,
              a.meanResponseSeconds,
              a.patrols,
              a.media,
              a.score,
              a.parts.completion,
              a.parts.punctuality,
              a.parts.responsiveness,
              a.parts.patrols,
              a.parts.media,
            ] as Expected[],
        ),
      );
    }
  });

  it('the task list', async () => {
    const page = await gql<{
      edges: {
        node: Record<string, string | null> & {
          assignee: { name: string } | null;
          cell: { name: string } | null;
          target: { uscc: string | null; description: string | null };
          exceedance: { id: string } | null;
        };
      }[];
    }>(
      `query($from: DateTime!, $to: DateTime!) { gridTasks(first: 100, filter: { dispatchedFrom: $from, dispatchedTo: $to }) { edges { node { id type title status cellCode cell { name } assignee { name } target { uscc description } deadline dispatchedAt acceptedAt submittedAt verifiedAt overdueAt exceedance { id } } } } }`,
      { from: FROM, to: '2025-06-30T15:59:59.999Z' },
    );
    expect(page.edges).toHaveLength(4);
    const TYPE: Record<string, string> = { ROUTINE_PATROL: '日常巡查', COMPLAINT: '投诉处理' };
    const STATUS: Record<string, string> = { VERIFIED: '已核查', SUBMITTED: '已提交', DISPATCHED: '已派发', OVERDUE: '已逾期' };
    await expectExport(
      r,
      `/export/grid-tasks?${RANGE}`,
      r.tokens.district,
      page.edges.map(({ node: k }) => [
        Number(/^GridTask:(\d+)$/.exec(Buffer.from(k.id as string, 'base64').toString())?.[1]),
        TYPE[k.type as string] as string,
        k.title as string,
        STATUS[k.status as string] ?? (k.status as string),
        k.cellCode as string,
        k.cell?.name ?? null,
        k.assignee?.name ?? null,
        k.target.uscc,
        k.target.description,
        t(k.deadline as string),
        t(k.dispatchedAt as string),
        t(k.acceptedAt ?? null),
        t(k.submittedAt ?? null),
        t(k.verifiedAt ?? null),
        t(k.overdueAt ?? null),
        null,
      ]),
    );
  });

  it('daily AQI per station', async () => {
    const expected: Expected[][] = [];
    const ITEMS = ['so2_24h', 'no2_24h', 'co_24h', 'o3_1h_max', 'o3_8h_max', 'pm10_24h', 'pm2_5_24h'];
    const NAMES: Record<string, string> = { SO2: 'SO₂', NO2: 'NO₂', CO: 'CO', O3: 'O₃', PM10: 'PM₁₀', PM2_5: 'PM₂.₅' };
    for (const code of AIR_STATIONS) {
      const station = await gql<{ name: string }>(`{ airStation(code: "${code}") { name } }`);
      const days = await gql<
        {
          day: string;
          edition: string;
          aqi: number | null;
          level: number | null;
          category: { zh: string } | null;
          primaryPollutants: string[];
          valid: boolean;
          iaqi: { item: string; concentration: number; value: number }[];
        }[]
      >(
        `query($from: DateTime!, $to: DateTime!) { airQuality(station: "${code}", from: $from, to: $to, granularity: DAY) { ... on QueryAirQualitySuccess { data { day edition aqi level category { zh } primaryPollutants valid iaqi { item concentration value } } } } }`,
        { from: FROM, to: TO },
      );
      expect(days).toHaveLength(30);
      for (const q of days) {
        const item = new Map(q.iaqi.map((e) => [e.item, e]));
        expected.push([
          code,
          station.name,
          '区控',
          { day: q.day },
          q.edition.replace('_', '-'),
          q.aqi,
          q.level,
          q.category?.zh ?? null,
          q.primaryPollutants.map((p) => NAMES[p]).join('、') || null,
          ...ITEMS.flatMap((i) => [item.get(i)?.concentration ?? null, item.get(i)?.value ?? null]),
          q.valid,
        ]);
      }
    }
    expect(new Set(expected.map((row) => row[6])).size).toBeGreaterThanOrEqual(6);
    await expectExport(r, `/export/air-daily?${RANGE}`, r.tokens.district, expected);
  });

  it('water classes per station and day against the target', async () => {
    const expected: Expected[][] = [];
    for (const [code, source, sourceName, name] of [
      [WATER_STATION, 'R-RIV', '东河水源', '东河取水口站'],
      ['R-LAKE-01', 'R-LAKE', '乙镇水库', '乙镇水库站'],
    ] as const) {
      const points = await gql<
        {
          time: string;
          class: string | null;
          targetClass: string;
          meetsTarget: boolean | null;
          incompleteFactors: string[];
          items: { factor: string; class: string | null; failsTarget: boolean; exceedanceMultiple: number | null }[];
        }[]
      >(
        `query($from: DateTime!, $to: DateTime!) { waterQuality(station: "${code}", from: $from, to: $to, granularity: DAY) { time class targetClass meetsTarget incompleteFactors items { factor class failsTarget exceedanceMultiple } } }`,
        { from: FROM, to: TO },
      );
      for (const p of points) {
        const failing = p.items
          .filter((i) => i.failsTarget)
          .map(
            (i) =>
              `${i.factor === 'w21003' ? '氨氮' : i.factor} ${CLASS[i.class as string]}${i.exceedanceMultiple !== null ? ` 超标${i.exceedanceMultiple}倍` : ''}`,
          );
        expected.push([
          source,
          sourceName,
          code,
          name,
          { day: new Date(Date.parse(p.time) + 8 * 3_600_000).toISOString().slice(0, 10) },
          p.class ? (CLASS[p.class] as string) : null,
          CLASS[p.targetClass] as string,
          p.meetsTarget,
          failing.join('；') || null,
          p.incompleteFactors.join('、') || null,
        ]);
      }
    }
    expect(expected.filter((row) => row[7] === false)).toHaveLength(2);
    await expectExport(r, `/export/water-daily?${RANGE}`, r.tokens.district, expected);
  });

  it('enforcement cases, all or those opened in a range', async () => {
    const page = await gql<{ edges: { node: Record<string, string | number | boolean | null> & { enterprise: { uscc: string; name: string } } }[] }>(
      `{ enforcementCases(first: 100) { edges { node { caseNumber enterprise { uscc name } findings decision penaltyYuan status published openedAt decidedAt closedAt } } } }`,
    );
    const STATUS: Record<string, string> = { OPEN: '已立案', DECIDED: '已作出决定', CLOSED: '已结案' };
    const rows = page.edges.map(
      ({ node: c }) =>
        [
          c.caseNumber,
          c.enterprise.uscc,
          c.enterprise.name,
          c.findings,
          c.decision,
          c.penaltyYuan,
          STATUS[c.status as string],
          c.published,
          t(c.openedAt as string),
          t(c.decidedAt as string | null),
          t(c.closedAt as string | null),
        ] as Expected[],
    );
    expect(rows).toHaveLength(3);
    await expectExport(r, '/export/enforcement-cases', r.tokens.district, rows);
    await expectExport(
      r,
      `/export/enforcement-cases?${RANGE}`,
      r.tokens.district,
      rows.filter((row) => row[0] !== '龙环罚〔2025〕15号'),
    );
  });
});
