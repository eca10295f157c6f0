import type { Column, Row } from '../format/cells';
import { CASE_STATUS_NAMES, CONTROL_LEVEL_NAMES, label, POLLUTANT_NAMES, TASK_STATUS_NAMES, TASK_TYPE_NAMES, WATER_CLASS_NAMES } from '../format/labels';
import type { AirMonth, MonthlyReport } from './types';

/** A chart drawn beside a block: bars (one colour each), stacked bars, or a grid of coloured cells. */
export type Chart =
  | { kind: 'bars'; title: string; unit: string; bars: { label: string; value: number | null; color: string }[]; max?: number }
  | { kind: 'stacked'; title: string; legend: { label: string; color: string }[]; rows: { label: string; values: number[] }[] }
  | {
      kind: 'grid';
      title: string;
      columns: string[];
      rows: { label: string; cells: { text: string; color: string }[] }[];
      legend: { label: string; color: string }[];
    };

export interface Block {
  title: string;
  columns: readonly Column[];
  rows: readonly Row[];
  chart?: Chart;
  /** a sentence under the title saying what the figures mean */
  note?: string;
}

/** One part of the report: a sheet of the workbook, a section of the page. */
export interface Section {
  sheet: string;
  title: string;
  blocks: Block[];
}

/** HJ 633 levels: names and colours as the standard gives them. */
export const AQI_LEVEL_NAMES = ['优', '良', '轻度污染', '中度污染', '重度污染', '严重污染'] as const;
export const AQI_LEVEL_COLORS = ['#00E400', '#FFFF00', '#FF7E00', '#FF0000', '#99004C', '#7E0023'] as const;
/** Customary map colours of the GB 3838 classes (presentation only). */
const WATER_CLASS_COLORS: Readonly<Record<string, string>> = {
  I: '#CCFFFF',
  II: '#00CCFF',
  III: '#00FF00',
  IV: '#FFFF00',
  V: '#FF9B00',
  WORSE_THAN_V: '#FF0000',
};
const NO_DATA_COLOR = '#DDDDDD';
const POLLUTANTS = ['SO2', 'NO2', 'CO', 'O3', 'PM10', 'PM2_5'] as const;

const text = (header: string, width?: number): Column => ({ header, type: 'text', ...(width ? { width } : {}) });
const int = (header: string): Column => ({ header, type: 'integer' });
const ratio = (header: string): Column => ({ header, type: 'ratio' });
const num = (header: string): Column => ({ header, type: 'number' });
const time = (header: string): Column => ({ header, type: 'time', width: 20 });

function monthTitle(month: string): string {
  const [year, m] = month.split('-');
  return `${year}年${Number(m)}月`;
}

function airSection(report: MonthlyReport): Section | null {
  const air = report.air;
  if (!air) return null;
  const all = [...air.stations, air.district];
  const lastYear = new Map([...air.lastYear.stations, air.lastYear.district].map((s) => [s.code, s]));
  const levels = (s: AirMonth): Row => [s.code === 'DISTRICT' ? '' : s.code, s.name, s.daysWithAqi, ...s.byLevel, s.daysWithoutAqi, s.goodDays, s.goodRate];
  const severe = (s: AirMonth | undefined) => (s ? s.byLevel[4] + s.byLevel[5] : null);
  return {
    sheet: '空气质量',
    title: '一、环境空气质量',
    blocks: [
      {
        title: `各站点及全区空气质量级别天数（${monthTitle(report.period.month)}）`,
        note: '全区日AQI按各站点日均浓度的算术平均值计算；优良天数为优和良的天数，优良率为优良天数占有效天数的比例。',
        columns: [
          text('站点编码'),
          text('站点名称', 18),
          int('有效天数（天）'),
          ...AQI_LEVEL_NAMES.map((n) => int(`${n}（天）`)),
          int('无AQI天数（天）'),
          int('优良天数（天）'),
          ratio('优良率'),
        ],
        rows: all.map(levels),
        chart: {
          kind: 'stacked',
          title: '各级别天数',
          legend: AQI_LEVEL_NAMES.map((n, i) => ({ label: n, color: AQI_LEVEL_COLORS[i] as string })),
          rows: all.map((s) => ({ label: s.name, values: [...s.byLevel] })),
        },
      },
      {
        title: `与去年同期（${monthTitle(air.lastYear.month)}）比较`,
        columns: [
          text('站点名称', 18),
          int('本月优良天数（天）'),
          int('去年同期优良天数（天）'),
          int('优良天数变化（天）'),
          ratio('本月优良率'),
          ratio('去年同期优良率'),
          int('本月重度及以上污染天数（天）'),
          int('去年同期重度及以上污染天数（天）'),
        ],
        rows: all.map((s) => {
          const before = lastYear.get(s.code);
          return [
            s.name,
            s.goodDays,
            before?.goodDays ?? null,
            before ? s.goodDays - before.goodDays : null,
            s.goodRate,
            before?.goodRate ?? null,
            severe(s),
            severe(before),
          ];
        }),
        chart: {
          kind: 'bars',
          title: '优良天数：本月与去年同期',
          unit: '天',
          bars: all.flatMap((s) => [
            { label: `${s.name} 本月`, value: s.goodDays, color: '#2E7D32' },
            { label: `${s.name} 去年同期`, value: lastYear.get(s.code)?.goodDays ?? null, color: '#9E9E9E' },
          ]),
        },
      },
      {
        title: '首要污染物天数',
        note: '首要污染物为AQI大于50时空气质量分指数最大的污染物，并列时各计一天。',
        columns: [text('站点名称', 18), ...POLLUTANTS.map((p) => int(`${POLLUTANT_NAMES[p]}（天）`))],
        rows: all.map((s) => [s.name, ...POLLUTANTS.map((p) => s.primary[p] ?? 0)]),
      },
      {
        title: '全区每日AQI',
        columns: [text('日期', 12), int('AQI'), int('级别'), text('类别')],
        rows: air.district.daily.map((d) => [d.day, d.aqi, d.level, d.level === null ? null : AQI_LEVEL_NAMES[d.level - 1]]),
        chart: {
          kind: 'bars',
          title: '全区每日AQI',
          unit: '',
          bars: air.district.daily.map((d) => ({
            label: d.day.slice(8),
            value: d.aqi,
            color: d.level === null ? NO_DATA_COLOR : (AQI_LEVEL_COLORS[d.level - 1] as string),
          })),
        },
      },
    ],
  };
}

function waterSection(report: MonthlyReport): Section | null {
  const water = report.water;
  if (!water) return null;
  const days = report.period.days.map((d) => String(Number(d.slice(8))));
  return {
    sheet: '饮用水源',
    title: '二、集中式饮用水水源地水质',
    blocks: [
      {
        title: `各水源站点逐日水质类别（${monthTitle(report.period.month)}）`,
        note: '按GB 3838-2002单因子评价，日均值需至少20个有效小时值；达标率为达到目标类别的天数占评价天数的比例。',
        columns: [
          text('水源名称', 18),
          text('站点名称', 18),
          text('目标类别'),
          ...days.map((d) => text(`${d}日`, 6)),
          int('评价天数（天）'),
          int('达标天数（天）'),
          ratio('达标率'),
          text('最差类别'),
        ],
        rows: water.stations.map((s) => [
          s.sourceName,
          s.stationName,
          label(WATER_CLASS_NAMES, s.targetClass),
          ...s.classes.map((c) => label(WATER_CLASS_NAMES, c)),
          s.daysJudged,
          s.daysMeetingTarget,
          s.meetingRate,
          label(WATER_CLASS_NAMES, s.worstClass),
        ]),
        chart: {
          kind: 'grid',
          title: '逐日水质类别',
          columns: days,
          rows: water.stations.map((s) => ({
            label: s.stationName,
            cells: s.classes.map((c) => ({
              text: c === null ? '' : (label(WATER_CLASS_NAMES, c) ?? '').replace('类', ''),
              color: c === null ? NO_DATA_COLOR : (WATER_CLASS_COLORS[c] ?? NO_DATA_COLOR),
            })),
          })),
          legend: Object.entries(WATER_CLASS_COLORS).map(([c, color]) => ({ label: WATER_CLASS_NAMES[c] as string, color })),
        },
      },
    ],
  };
}

function sourceSection(report: MonthlyReport): Section | null {
  const source = report.source;
  if (!source) return null;
  const e = source.exceedances;
  return {
    sheet: '污染源',
    title: '三、重点污染源监管',
    blocks: [
      {
        title: '按控制级别达标情况',
        note: '以小时均值对照排污许可限值逐小时评价；达标率为达标小时数占有效小时数的比例。',
        columns: [
          text('控制级别'),
          int('企业数'),
          int('评价因子数'),
          int('应有小时数（h）'),
          int('有效小时数（h）'),
          ratio('数据有效率'),
          int('超标小时数（h）'),
          int('达标小时数（h）'),
          ratio('达标率'),
          int('超标次数'),
        ],
        rows: source.byLevel.map((l) => [
          label(CONTROL_LEVEL_NAMES, l.controlLevel),
          l.enterprises,
          l.seriesJudged,
          l.expectedHours,
          l.validHours,
          l.validDataRate,
          l.exceedanceHours,
          l.compliantHours,
          l.complianceRate,
          l.episodes,
        ]),
        chart: {
          kind: 'bars',
          title: '达标率（%）',
          unit: '%',
          max: 100,
          bars: source.byLevel.map((l) => ({
            label: label(CONTROL_LEVEL_NAMES, l.controlLevel) ?? l.controlLevel,
            value: l.complianceRate === null ? null : Math.round(l.complianceRate * 1000) / 10,
            color: '#1565C0',
          })),
        },
      },
      {
        title: '超标及处置情况',
        columns: [int('超标次数'), int('已结束'), int('已确认'), int('已派核查任务'), int('核查已完成')],
        rows: [[e.total, e.closed, e.acknowledged, e.withTask, e.taskVerified]],
      },
      {
        title: '超标明细',
        columns: [
          int('编号'),
          text('企业名称', 24),
          text('监测点', 20),
          text('因子'),
          time('开始时间（北京时间）'),
          time('结束时间（北京时间）'),
          num('峰值'),
          num('限值'),
          time('确认时间（北京时间）'),
          text('核查任务状态'),
        ],
        rows: e.listed.map((x) => [
          x.id,
          x.enterpriseName,
          x.monitorName,
          x.factor,
          x.openedAt,
          x.closedAt,
          x.peakValue,
          x.limitUpper,
          x.acknowledgedAt,
          label(TASK_STATUS_NAMES, x.taskStatus),
        ]),
      },
    ],
  };
}

function gridSection(report: MonthlyReport): Section | null {
  const grid = report.grid;
  if (!grid) return null;
  return {
    sheet: '网格监管',
    title: '四、网格化环境监管',
    blocks: [
      { title: '工作概况', columns: [int('派发任务（件）'), int('巡查（次）'), int('照片视频（个）')], rows: [[grid.tasks, grid.patrols, grid.media]] },
      {
        title: '任务分类',
        columns: [text('任务类型'), int('派发（件）'), int('核查完成（件）'), int('逾期（件）')],
        rows: grid.tasksByType.map((t) => [label(TASK_TYPE_NAMES, t.type), t.dispatched, t.verified, t.overdue]),
      },
      { title: '任务状态', columns: [text('状态'), int('任务数（件）')], rows: grid.tasksByStatus.map((s) => [label(TASK_STATUS_NAMES, s.status), s.count]) },
      {
        title: '街镇考评排名',
        columns: [int('排名'), text('网格编码', 14), text('街镇', 16), int('派发任务'), int('完成任务'), int('逾期任务'), int('巡查次数'), num('得分')],
        rows: grid.townRanking.map((r) => [r.rank, r.code, r.name, r.assigned, r.completed, r.overdue, r.patrols, r.score]),
        chart: {
          kind: 'bars',
          title: '街镇考评得分',
          unit: '分',
          max: 100,
          bars: grid.townRanking.map((r) => ({ label: r.name, value: r.score, color: '#6A1B9A' })),
        },
      },
      {
        title: '协管员考评前十名',
        columns: [int('排名'), text('姓名'), int('派发任务'), int('完成任务'), int('巡查次数'), num('得分')],
        rows: grid.topAssistants.map((r) => [r.rank, r.name, r.assigned, r.completed, r.patrols, r.score]),
      },
    ],
  };
}

function enforcementSection(report: MonthlyReport): Section | null {
  const e = report.enforcement;
  if (!e) return null;
  return {
    sheet: '行政执法',
    title: '五、环境行政执法',
    blocks: [
      {
        title: '案件及处罚情况',
        columns: [int('立案（件）'), int('作出处罚决定（件）'), int('结案（件）'), int('罚款案件（件）'), num('罚款金额（元）')],
        rows: [[e.opened, e.decided, e.closed, e.penalties, e.penaltyYuan]],
        chart: {
          kind: 'bars',
          title: '案件数（件）',
          unit: '件',
          bars: [
            { label: '立案', value: e.opened, color: '#EF6C00' },
            { label: '作出决定', value: e.decided, color: '#C62828' },
            { label: '结案', value: e.closed, color: '#2E7D32' },
          ],
        },
      },
      {
        title: '本月立案或作出决定的案件',
        columns: [
          text('案件编号', 22),
          text('企业名称', 24),
          text('案件状态'),
          text('处罚决定', 36),
          num('罚款金额（元）'),
          time('立案时间（北京时间）'),
          time('决定时间（北京时间）'),
        ],
        rows: e.listed.map((c) => [c.caseNumber, c.enterpriseName, label(CASE_STATUS_NAMES, c.status), c.decision, c.penaltyYuan, c.openedAt, c.decidedAt]),
      },
    ],
  };
}

/** The report's parts in the order the bureau files them; parts that are off are left out. */
export function sectionsOf(report: MonthlyReport): Section[] {
  return [airSection(report), waterSection(report), sourceSection(report), gridSection(report), enforcementSection(report)].filter(
    (s): s is Section => s !== null,
  );
}

export const reportTitle = (report: MonthlyReport): string => `生态环境监管月报（${monthTitle(report.period.month)}）`;
