import { LimitError, NotFoundError, ValidationError } from '../../../src/errors';
import { lookupFactor, monitoringServiceRef, type Monitor, type ReadingInterval } from '../../../src/monitoring/public';
import { FACTOR_CODE, MONITOR_MN } from '../../../src/validation';
import type { Column, Row } from '../format/cells';
import { checkAborted, PAGE_ROWS, rangeStamp, safeName, type ExportContext, type ExportKind } from './kind';
import type { ExportParams } from './params';

const DAY_MS = 86_400_000;
const INTERVALS: readonly ReadingInterval[] = ['RTD', 'MINUTE', 'HOUR', 'DAY'];
const BUCKETS = ['RAW', 'HOUR', 'DAY'] as const;
/** Hourly buckets are read a month at a time. */
const BUCKET_WINDOW_DAYS = 31;

const INTERVAL_NAMES: Readonly<Record<ReadingInterval, string>> = { RTD: '实时数据', MINUTE: '分钟数据', HOUR: '小时数据', DAY: '日数据' };

/** A Relay global id (`base64("Monitor:12")`) as the monitor's number. */
export function monitorIdOf(globalId: string): number {
  const decoded = Buffer.from(globalId, 'base64').toString('utf8');
  const match = /^Monitor:(\d{1,15})$/.exec(decoded);
  if (!match) throw new ValidationError([{ path: 'monitor', message: 'not a Monitor id' }]);
  return Number(match[1]);
}

async function visibleMonitor(context: ExportContext, params: ExportParams): Promise<Monitor> {
  const monitoring = context.services.get(monitoringServiceRef);
  const id = params.string('monitor');
  const mn = params.string('mn', { pattern: MONITOR_MN });
  if ((id === undefined) === (mn === undefined)) throw new ValidationError([{ path: 'monitor', message: 'give monitor (its id) or mn' }]);
  const [monitor] =
    id !== undefined ? await monitoring.monitorsByIds(context.viewer, [monitorIdOf(id)]) : await monitoring.monitorsByMns(context.viewer, [mn as string]);
  // one answer for unknown and not visible, as the GraphQL field's null
  if (!monitor) throw new NotFoundError('Monitor', (id ?? mn) as string);
  return monitor;
}

/**
 * Readings of one monitor and factor over a range: the raw values, or hourly or daily buckets, as
 * the GraphQL `readings` field gives them (the same service calls, paged instead of capped).
 */
export const readingsExport: ExportKind = {
  name: 'readings',
  title: '监测数据',
  module: 'monitoring',
  roles: ['admin', 'district', 'town', 'assistant', 'enterprise', 'upstream'],
  params: ['monitor', 'mn', 'factor', 'interval', 'from', 'to', 'bucket'],
  open: async (context, params) => {
    const factor = params.string('factor', { required: true, pattern: FACTOR_CODE });
    const interval = params.choice('interval', INTERVALS, 'HOUR');
    const bucket = params.choice('bucket', BUCKETS, 'RAW');
    const range = params.range(context.limits.maxRangeDays);
    const monitor = await visibleMonitor(context, params);
    const monitoring = context.services.get(monitoringServiceRef);
    const info = lookupFactor(factor);
    const unit = monitor.units?.[factor] ?? info?.unit ?? '';
    const name = `${info?.nameZh ?? factor}${unit ? `（${unit}）` : ''}`;
    const series = { monitorId: monitor.id, factor, interval, from: range.from, to: range.to };
    const fileName = `readings-${safeName(monitor.mn)}-${safeName(factor)}-${bucket.toLowerCase()}-${rangeStamp(range)}`;
    const identity = (): Row => [monitor.mn, monitor.name, factor, INTERVAL_NAMES[interval]];
    const identityColumns: Column[] = [
      { header: '监测点编号（MN）', type: 'text', width: 26 },
      { header: '监测点名称', type: 'text', width: 24 },
      { header: '因子编码', type: 'text' },
      { header: '数据类型', type: 'text' },
    ];

    if (bucket === 'RAW') {
      // the daily buckets count every stored value: the row count, before anything is sent
      const days = await monitoring.buckets({ ...series, bucket: 'DAY', limit: Math.ceil((range.to.getTime() - range.from.getTime()) / DAY_MS) + 2 });
      const estimatedRows = days.points.reduce((n, p) => n + p.count, 0);
      if (estimatedRows > context.limits.maxRows)
        throw new LimitError(`the range holds about ${estimatedRows} readings; an export holds at most ${context.limits.maxRows}: narrow the range`);
      return {
        fileName,
        sheet: `${INTERVAL_NAMES[interval]}`,
        columns: [
          { header: '时间（北京时间）', type: 'time', width: 20 },
          ...identityColumns,
          { header: `${name} 实测值`, type: 'number', width: 16 },
          { header: `${name} 折算值`, type: 'number', width: 16 },
          { header: '数据标记', type: 'text' },
        ],
        estimatedRows,
        pages: async function* () {
          let from = range.from;
          let written = 0;
          for (;;) {
            checkAborted(context.signal);
            const points = await monitoring.readings({ ...series, from, limit: PAGE_ROWS });
            written += points.length;
            // rows stored after the count was taken: the limit holds all the same
            if (written > context.limits.maxRows) throw new LimitError(`more than ${context.limits.maxRows} readings`);
            if (points.length > 0) yield points.map((p): Row => [p.time, ...identity(), p.value, p.converted, p.flag]);
            const last = points.at(-1);
            if (points.length < PAGE_ROWS || !last) return;
            // times within a series are unique and stored to the millisecond
            from = new Date(last.time.getTime() + 1);
          }
        },
      };
    }
    const hourly = bucket === 'HOUR';
    const hours = Math.ceil((range.to.getTime() - range.from.getTime()) / 3_600_000);
    const estimatedRows = hourly ? hours : Math.ceil(hours / 24) + 1;
    if (estimatedRows > context.limits.maxRows) throw new LimitError(`an export holds at most ${context.limits.maxRows} rows: narrow the range`);
    return {
      fileName,
      sheet: hourly ? '小时统计' : '日统计',
      columns: [
        { header: hourly ? '小时（北京时间）' : '日期（北京时间）', type: hourly ? 'time' : 'day', width: 20 },
        ...identityColumns,
        { header: `${name} 均值`, type: 'number', width: 14 },
        { header: `${name} 最小值`, type: 'number', width: 14 },
        { header: `${name} 最大值`, type: 'number', width: 14 },
        { header: '数据个数', type: 'integer' },
        { header: '有效数据个数', type: 'integer' },
      ],
      estimatedRows,
      pages: async function* () {
        for (const [start, end] of bucketWindows(range, hourly ? BUCKET_WINDOW_DAYS : context.limits.maxRangeDays + 1)) {
          checkAborted(context.signal);
          const result = await monitoring.buckets({
            ...series,
            from: new Date(start),
            to: new Date(end),
            bucket,
            limit: Math.ceil((end - start) / 3_600_000) + 25,
          });
          if (result.points.length > 0) yield result.points.map((p): Row => [p.time, ...identity(), p.avg, p.min, p.max, p.count, p.validCount]);
        }
      },
    };
  },
};

/**
 * Reading windows for bucketed series: the first starts at `from`, the others on whole hours (and
 * so on whole buckets), so no bucket is split between two reads and counted twice.
 */
export function bucketWindows(range: { from: Date; to: Date }, days: number): [number, number][] {
  const windows: [number, number][] = [];
  const firstHour = Math.ceil(range.from.getTime() / 3_600_000) * 3_600_000;
  let start = range.from.getTime();
  for (let k = 1; start < range.to.getTime(); k += 1) {
    const end = Math.min(firstHour + k * days * DAY_MS, range.to.getTime());
    windows.push([start, end]);
    start = end;
  }
  return windows;
}
