import { LimitError, ValidationError } from '../../../src/errors';
import { lookupFactor } from '../../../src/monitoring/public';
import { waterServiceRef, type WaterQualityPoint, type WaterService, type WaterSource, type WaterStation } from '../../water/public';
import type { Row } from '../format/cells';
import { label, WATER_CLASS_NAMES } from '../format/labels';
import { checkAborted, rangeStamp, type ExportContext, type ExportKind } from './kind';
import { bureauDayStart, DAY_MS } from '../../../src/time';

/** The water service answers at most 92 days of daily results per call: read a quarter at a time. */
const WINDOW_DAYS = 90;
const MAX_SOURCES = 500;
const STATION_CODE = /^[0-9A-Za-z_-]{1,64}$/;

export interface StationOfSource {
  source: WaterSource;
  station: WaterStation;
}

/** Every station the viewer sees with its source, or the ones named; bounded. */
export async function waterStationsFor(water: WaterService, context: ExportContext, codes: string[] | undefined): Promise<StationOfSource[]> {
  const sources = await water.listWaterSources(context.viewer, { limit: MAX_SOURCES + 1, afterId: undefined });
  if (sources.length > MAX_SOURCES) throw new LimitError(`more than ${MAX_SOURCES} sources: name the stations`);
  const stations = await water.stationsBySourceIds(
    context.viewer,
    sources.map((s) => s.id),
  );
  const all = sources.flatMap((source, i) => (stations[i] ?? []).map((station) => ({ source, station })));
  if (!codes) return all;
  const missing = codes.filter((code) => !all.some((s) => s.station.code === code));
  if (missing.length > 0) throw new ValidationError([{ path: 'station', message: `unknown station ${missing.join(', ')}` }]);
  return all.filter((s) => codes.includes(s.station.code));
}

/**
 * Windows of at most WINDOW_DAYS: the first starts at `from`, the others at Asia/Shanghai
 * midnights, so the service's widening to whole days never puts one day in two windows.
 */
export function dayWindows(range: { from: Date; to: Date }): [Date, Date][] {
  const firstMidnight = bureauDayStart(range.from).getTime();
  const windows: [Date, Date][] = [];
  let start = range.from.getTime();
  for (let k = 1; start < range.to.getTime(); k += 1) {
    const end = Math.min(firstMidnight + k * WINDOW_DAYS * DAY_MS, range.to.getTime());
    windows.push([new Date(start), new Date(end)]);
    start = end;
  }
  return windows;
}

/** `氨氮 Ⅳ类 超标0.5倍`: the items that fail the target, as a report lists them. */
export function failingText(point: WaterQualityPoint): string {
  return point.items
    .filter((i) => i.failsTarget)
    .map(
      (i) =>
        `${lookupFactor(i.factor)?.nameZh ?? i.factor} ${label(WATER_CLASS_NAMES, i.class) ?? ''}${i.exceedanceMultiple !== null ? ` 超标${i.exceedanceMultiple}倍` : ''}`,
    )
    .join('；');
}

/** Each station's class per Asia/Shanghai day against its target, as `waterQuality(granularity: DAY)`. */
export const waterDailyExport: ExportKind = {
  name: 'water-daily',
  title: '饮用水源水质日评价',
  module: 'water',
  roles: ['admin', 'district', 'town', 'assistant', 'upstream'],
  params: ['from', 'to', 'station'],
  open: async (context, params) => {
    const range = params.range(context.limits.maxRangeDays);
    const water = context.services.get(waterServiceRef);
    const stations = await waterStationsFor(water, context, params.list('station', 50, STATION_CODE));
    const days = Math.ceil((range.to.getTime() - range.from.getTime()) / DAY_MS) + 1;
    if (stations.length * days > context.limits.maxRows) throw new LimitError(`an export holds at most ${context.limits.maxRows} rows: narrow the range`);
    return {
      fileName: `water-daily-${rangeStamp(range)}`,
      sheet: '水源水质日评价',
      columns: [
        { header: '水源编码', type: 'text' },
        { header: '水源名称', type: 'text', width: 20 },
        { header: '站点编码', type: 'text' },
        { header: '站点名称', type: 'text', width: 20 },
        { header: '日期', type: 'day', width: 12 },
        { header: '水质类别', type: 'text' },
        { header: '目标类别', type: 'text' },
        { header: '是否达标', type: 'boolean' },
        { header: '超标项目', type: 'text', width: 40 },
        { header: '有效数据不足的项目', type: 'text', width: 24 },
      ],
      estimatedRows: stations.length * (days - 1),
      pages: async function* () {
        for (const { source, station } of stations) {
          for (const [from, to] of dayWindows(range)) {
            checkAborted(context.signal);
            const points = await water.waterQuality(context.viewer, { stationCode: station.code, from, to, granularity: 'DAY' });
            yield points.map((p): Row => [
              source.code,
              source.name,
              station.code,
              station.name,
              p.time,
              label(WATER_CLASS_NAMES, p.class),
              label(WATER_CLASS_NAMES, p.targetClass),
              p.meetsTarget,
              failingText(p) || null,
              p.incompleteFactors.join('、') || null,
            ]);
          }
        }
      },
    };
  },
};
