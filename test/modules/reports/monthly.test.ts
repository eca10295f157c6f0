import { ENGINES } from '../../support/hub';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../../support/monitoring';
import { AIR_STATIONS, download, padRows, readXlsx, seedMonth, startReportsHub, WATER_STATION, type ReportsHub, type SheetValue } from './support';

const JUNE = { from: '2025-05-31T16:00:00.000Z', to: '2025-06-30T16:00:00.000Z' };
const JUNE_LAST_YEAR = { from: '2024-05-31T16:00:00.000Z', to: '2024-06-30T16:00:00.000Z' };
const CLASS: Record<string, string> = { I: 'Ⅰ类', II: 'Ⅱ类', III: 'Ⅲ类', IV: 'Ⅳ类', V: 'Ⅴ类', WORSE_THAN_V: '劣Ⅴ类' };

type Day = {
  day: string;
  aqi: number | null;
  level: number | null;
  primaryPollutants: string[];
  iaqi: { pollutant: string; averaging: string; concentration: number }[];
};

/** The rows of one titled table of a report sheet: from its header to the next empty row. */
function block(sheet: SheetValue[][] | undefined, title: string): SheetValue[][] {
  const rows = sheet ?? [];
  const start = rows.findIndex((row) => row[0] === title);
  expect(start, title).toBeGreaterThanOrEqual(0);
  let header = start + 1;
  if (typeof rows[header]?.[0] === 'string' && rows[header + 1]?.length && (rows[header]?.length ?? 0) === 1) header += 1;
  const end = rows.findIndex((row, i) => i > header && row.length === 0);
  return padRows(rows.slice(header, end === -1 ? undefined : end));
}

/** Days by level, days without an AQI, good days and the good-day rate of a month of daily results. */
function levels(days: readonly { aqi: number | null; level: number | null }[], total: number): number[] {
  const byLevel = [1, 2, 3, 4, 5, 6].map((level) => days.filter((d) => d.aqi !== null && d.level === level).length);
  const withAqi = byLevel.reduce((a, b) => a + b, 0);
  return [withAqi, ...byLevel, total - withAqi, byLevel[0]! + byLevel[1]!];
}

describe.each(ENGINES)('the monthly report of a seeded month on %s', (engine) => {
  let r: ReportsHub;
  let sheets: Map<string, SheetValue[][]>;
  const gql = async <T>(query: string, variables: Record<string, unknown> = {}, token = r.tokens.district): Promise<T> => {
    const response = await r.th.graphql<Record<string, unknown>>(query, variables, token);
    expect(response.body.errors).toBeUndefined();
    const value = Object.values(response.body.data ?? {})[0] as Record<string, unknown>;
    return (value && 'data' in value ? value.data : value) as T;
  };
  const airDays = (code: string, range: { from: string; to: string }) =>
    gql<Day[]>(
      `query($from: DateTime!, $to: DateTime!) { airQuality(station: "${code}", from: $from, to: $to, granularity: DAY) { ... on QueryAirQualitySuccess { data { day aqi level primaryPollutants iaqi { pollutant averaging concentration } } } } }`,
      range,
    );

  beforeAll(async () => {
    r = await startReportsHub(engine);
    await seedMonth(r);
    // the grid dispatches an inspection for each episode as its events arrive
    await eventually(async () => {
      const tasks = await gql<{ edges: unknown[] }>(`{ gridTasks(first: 100, filter: { type: [EXCEEDANCE_INSPECTION] }) { edges { node { id } } } }`);
      return tasks.edges.length === 3;
    });
    const file = await download(r.th, '/reports/monthly?month=2025-06', r.tokens.district);
    expect(file.status).toBe(200);
    expect(file.headers.get('content-disposition')).toContain('monthly-report-2025-06.xlsx');
    sheets = await readXlsx(file.body);
  }, 300_000);
  afterAll(async () => r?.th.stop());

  it('has one sheet per part', () => {
    expect([...sheets.keys()]).toEqual(['空气质量', '饮用水源', '污染源', '网格监管', '行政执法']);
    expect(sheets.get('空气质量')?.[0]?.[0]).toBe('生态环境监管月报（2025年6月）　一、环境空气质量');
  });

  it('air: days by level per station and for the district, and the same month last year, as airQuality and computeAqi give them', async () => {
    const table = block(sheets.get('空气质量'), '各站点及全区空气质量级别天数（2025年6月）');
    expect(table[0]).toEqual([
      '站点编码',
      '站点名称',
      '有效天数（天）',
      '优（天）',
      '良（天）',
      '轻度污染（天）',
      '中度污染（天）',
      '重度污染（天）',
      '严重污染（天）',
      '无AQI天数（天）',
      '优良天数（天）',
      '优良率',
    ]);
    const perStation: Day[][] = [];
    for (const [i, code] of AIR_STATIONS.entries()) {
      const days = await airDays(code, JUNE);
      perStation.push(days);
      const counts = levels(days, 30);
      expect(table[i + 1]?.slice(0, 11)).toEqual([code, i === 0 ? '东城站' : '西城站', ...counts]);
      expect(table[i + 1]?.[11]).toBeCloseTo((counts[8] as number) / (counts[0] as number), 4);
    }
    // the district: each day scored from the stations' mean concentrations by the public calculator
    const district: { aqi: number | null; level: number | null }[] = [];
    for (const [d, day] of (perStation[0] ?? []).entries()) {
      const items = new Map<string, { pollutant: string; averaging: string; values: number[] }>();
      for (const station of perStation) {
        for (const e of station[d]?.iaqi ?? []) {
          const key = `${e.pollutant}${e.averaging}`;
          const entry = items.get(key) ?? { pollutant: e.pollutant, averaging: e.averaging, values: [] };
          entry.values.push(e.concentration);
          items.set(key, entry);
        }
      }
      if (items.size === 0) continue;
      const concentrations = [...items.values()].map(
        (i) => `{ pollutant: ${i.pollutant}, averaging: ${i.averaging}, value: ${i.values.reduce((a, b) => a + b, 0) / i.values.length} }`,
      );
      district.push(
        await gql<{ aqi: number | null; level: number | null }>(
          `{ computeAqi(input: { granularity: DAY, time: "${new Date(`${day.day}T00:00:00+08:00`).toISOString()}", concentrations: [${concentrations.join(',')}] }) { ... on QueryComputeAqiSuccess { data { aqi level } } } }`,
        ),
      );
    }
    expect(table[3]?.slice(0, 11)).toEqual(['', '全区', ...levels(district, 30)]);
    const lastYear = block(sheets.get('空气质量'), '与去年同期（2024年6月）比较');
    for (const [i, code] of AIR_STATIONS.entries()) {
      const before = levels(await airDays(code, JUNE_LAST_YEAR), 30);
      const now = levels(perStation[i] ?? [], 30);
      expect(lastYear[i + 1]?.slice(1, 4)).toEqual([now[8], before[8], (now[8] as number) - (before[8] as number)]);
    }
    const primary = block(sheets.get('空气质量'), '首要污染物天数');
    const pm25 = (perStation[0] ?? []).filter((d) => d.primaryPollutants.includes('PM2_5')).length;
    expect(primary[1]?.[6]).toBe(pm25);
    expect(pm25).toBeGreaterThan(10);
  });

  it('drinking water: each station’s class per day against its target, as waterQuality gives it', async () => {
    const table = block(sheets.get('饮用水源'), '各水源站点逐日水质类别（2025年6月）');
    const points = await gql<{ time: string; class: string | null; meetsTarget: boolean | null }[]>(
      `query($from: DateTime!, $to: DateTime!) { waterQuality(station: "${WATER_STATION}", from: $from, to: $to, granularity: DAY) { time class meetsTarget } }`,
      JUNE,
    );
    const byDay = new Map(points.map((p) => [new Date(Date.parse(p.time) + 8 * 3_600_000).getUTCDate(), p]));
    const row = table.find((x) => x[1] === '东河取水口站') as SheetValue[];
    expect(row.slice(0, 3)).toEqual(['东河水源', '东河取水口站', 'Ⅱ类']);
    expect(row.slice(3, 33)).toEqual(Array.from({ length: 30 }, (_v, d) => (byDay.get(d + 1)?.class ? CLASS[byDay.get(d + 1)?.class as string] : null)));
    const judged = points.filter((p) => p.meetsTarget !== null);
    expect(row.slice(33, 35)).toEqual([judged.length, judged.filter((p) => p.meetsTarget).length]);
    expect(row[35]).toBeCloseTo(18 / 20, 4);
    expect(row[36]).toBe('Ⅲ类');
  });

  it('pollution sources: compliance by control level, and the month’s exceedances and how they were handled', async () => {
    const summary = await gql<Record<string, number | string | null>[]>(
      `query($from: DateTime!, $to: DateTime!) { complianceSummary(from: $from, to: $to) { ... on QueryComplianceSummarySuccess { data { enterprises seriesJudged expectedHours validHours validDataRate exceedanceHours compliantHours complianceRate episodes } } } }`,
      JUNE,
    );
    const table = block(sheets.get('污染源'), '按控制级别达标情况');
    expect(table.slice(1).map((row) => row.slice(1))).toEqual(
      summary.map((s) => [
        s.enterprises,
        s.seriesJudged,
        s.expectedHours,
        s.validHours,
        s.validDataRate,
        s.exceedanceHours,
        s.compliantHours,
        s.complianceRate,
        s.episodes,
      ]),
    );
    expect(table.slice(1).map((row) => row[0])).toEqual(['国控', '省控', '市控', '区重点']);
    const episodes = await gql<{ edges: { node: { id: string } }[] }>(
      `query($from: DateTime!, $to: DateTime!) { exceedances(first: 100, filter: { ownerModule: "source", severity: EXCEEDANCE, from: $from, to: $to }) { edges { node { id } } } }`,
      { from: JUNE.from, to: '2025-06-30T15:59:59.999Z' },
    );
    const tasks = await gql<{ edges: { node: { status: string; exceedance: { id: string } | null } }[] }>(
      `{ gridTasks(first: 100, filter: { type: [EXCEEDANCE_INSPECTION] }) { edges { node { status exceedance { id } } } } }`,
    );
    const handled = new Set(tasks.edges.flatMap((e) => (e.node.exceedance ? [e.node.exceedance.id] : [])));
    const handling = block(sheets.get('污染源'), '超标及处置情况');
    expect(handling[1]).toEqual([episodes.edges.length, 3, 0, episodes.edges.filter((e) => handled.has(e.node.id)).length, 0]);
    expect(episodes.edges).toHaveLength(3);
    expect(
      block(sheets.get('污染源'), '超标明细')
        .slice(1)
        .map((row) => row[9]),
    ).toEqual(['已派发', '已派发', '已派发']);
  });

  it('grid: tasks, patrols and the assessment ranking, as gridTasks and gridAssessment give them', async () => {
    const overview = block(sheets.get('网格监管'), '工作概况');
    expect(overview[1]).toEqual([4, 3, 0]);
    const ranking = await gql<{ edges: { node: Record<string, number | string> }[] }>(
      `query($from: DateTime!, $to: DateTime!) { gridAssessment(first: 100, groupBy: TOWN, period: { from: $from, to: $to }) { edges { node { rank key name assignedTasks completedTasks overdueTasks patrols score } } } }`,
      JUNE,
    );
    expect(block(sheets.get('网格监管'), '街镇考评排名').slice(1)).toEqual(
      ranking.edges.map(({ node: n }) => [n.rank, n.key, n.name, n.assignedTasks, n.completedTasks, n.overdueTasks, n.patrols, n.score]),
    );
    const byType = block(sheets.get('网格监管'), '任务分类');
    expect(byType.slice(1).map((row) => [row[0], row[1], row[2]])).toEqual([
      ['日常巡查', 2, 1],
      ['超标核查', 0, 0],
      ['投诉处理', 2, 1],
      ['专项行动', 0, 0],
      ['其他', 0, 0],
    ]);
  });

  it('enforcement: cases opened, decided and closed in the month and the penalties, as enforcementCases gives them', async () => {
    const cases = await gql<{ edges: { node: { openedAt: string; decidedAt: string | null; closedAt: string | null; penaltyYuan: number | null } }[] }>(
      `{ enforcementCases(first: 100) { edges { node { openedAt decidedAt closedAt penaltyYuan } } } }`,
    );
    const inJune = (t: string | null) => t !== null && t >= JUNE.from && t < JUNE.to;
    const decided = cases.edges.filter((c) => inJune(c.node.decidedAt));
    const fined = decided.filter((c) => (c.node.penaltyYuan ?? 0) > 0);
    expect(block(sheets.get('行政执法'), '案件及处罚情况')[1]).toEqual([
      cases.edges.filter((c) => inJune(c.node.openedAt)).length,
      decided.length,
      cases.edges.filter((c) => inJune(c.node.closedAt)).length,
      fined.length,
      fined.reduce((n, c) => n + (c.node.penaltyYuan ?? 0), 0),
    ]);
    expect(block(sheets.get('行政执法'), '案件及处罚情况')[1]).toEqual([2, 2, 1, 1, 120000]);
    expect(
      block(sheets.get('行政执法'), '本月立案或作出决定的案件')
        .slice(1)
        .map((row) => row[0]),
    ).toEqual(['龙环罚〔2025〕30号', '龙环罚〔2025〕15号', '龙环罚〔2025〕21号']);
  });

  it('as a printable page: self-contained, with its charts drawn as SVG', async () => {
    const page = await download(r.th, '/reports/monthly?month=2025-06&format=html', r.tokens.district);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
    const html = page.body.toString('utf8');
    for (const title of ['一、环境空气质量', '二、集中式饮用水水源地水质', '三、重点污染源监管', '四、网格化环境监管', '五、环境行政执法'])
      expect(html).toContain(`<h2>${title}</h2>`);
    expect(html.match(/<svg /g)?.length).toBe(7);
    expect(html).toContain('<title>东城站 优: ');
    expect(html).toContain('120000');
    expect(html).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org\/2000\/svg)/);
  });

  it('a town officer’s report covers the town’s enterprises only', async () => {
    const file = await download(r.th, '/reports/monthly?month=2025-06', r.tokens.townA);
    expect(file.status).toBe(200);
    const town = await readXlsx(file.body);
    const table = block(town.get('污染源'), '按控制级别达标情况');
    expect(table.slice(1).map((row) => [row[0], row[1]])).toEqual([
      ['国控', 0],
      ['省控', 0],
      ['市控', 1],
      ['区重点', 0],
    ]);
  });
});
