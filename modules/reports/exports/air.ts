import { LimitError, ValidationError } from '../../../src/errors';
import { airServiceRef, type AirQuality, type AirService, type AirStation, type AirStationLevel } from '../../air/public';
import type { Column, Row } from '../format/cells';
import { AIR_STATION_LEVEL_NAMES, label, POLLUTANT_NAMES } from '../format/labels';
import { checkAborted, rangeStamp, type ExportContext, type ExportKind } from './kind';
import type { ExportParams } from './params';

const LEVELS: readonly AirStationLevel[] = ['NATIONAL', 'PROVINCE', 'CITY', 'DISTRICT'];
const STATION_CODE = /^[0-9A-Z]{4,16}$/;
const MAX_STATIONS = 500;

/** The daily report's items, in the order the bureau's tables print them (HJ 633; O3 1h max in 2012 only). */
export const DAILY_ITEMS = [
  { item: 'so2_24h', header: 'SO₂ 24小时平均', unit: 'μg/m³' },
  { item: 'no2_24h', header: 'NO₂ 24小时平均', unit: 'μg/m³' },
  { item: 'co_24h', header: 'CO 24小时平均', unit: 'mg/m³' },
  { item: 'o3_1h_max', header: 'O₃ 日最大1小时平均', unit: 'μg/m³' },
  { item: 'o3_8h_max', header: 'O₃ 日最大8小时滑动平均', unit: 'μg/m³' },
  { item: 'pm10_24h', header: 'PM₁₀ 24小时平均', unit: 'μg/m³' },
  { item: 'pm2_5_24h', header: 'PM₂.₅ 24小时平均', unit: 'μg/m³' },
] as const;

export const primaryText = (quality: AirQuality): string => quality.primaryPollutants.map((p) => POLLUTANT_NAMES[p] ?? p).join('、');

/** The stations the viewer reads, all or the ones named; bounded. */
export async function airStationsFor(
  air: AirService,
  context: ExportContext,
  filter: { codes?: string[] | undefined; level?: AirStationLevel | undefined },
): Promise<AirStation[]> {
  if (filter.codes) {
    const found = await air.stationsByCodes(context.viewer, filter.codes);
    const missing = filter.codes.filter((_code, i) => !found[i]);
    if (missing.length > 0) throw new ValidationError([{ path: 'station', message: `unknown station ${missing.join(', ')}` }]);
    return found.filter((s): s is AirStation => s !== undefined && (filter.level === undefined || s.level === filter.level));
  }
  const stations = await air.listStations(context.viewer, { level: filter.level }, { limit: MAX_STATIONS + 1, afterId: undefined });
  if (stations.length > MAX_STATIONS) throw new LimitError(`more than ${MAX_STATIONS} stations: name them with station`);
  return stations;
}

export function stationFilter(params: ExportParams): { codes?: string[] | undefined; level?: AirStationLevel | undefined } {
  return { codes: params.list('station', 50, STATION_CODE), level: params.choice('level', LEVELS) };
}

/** Each station's daily AQI over the range, as the GraphQL `airQuality(granularity: DAY)`. */
export const airDailyExport: ExportKind = {
  name: 'air-daily',
  title: '空气质量日报',
  module: 'air',
  roles: ['admin', 'district', 'town', 'assistant', 'upstream'],
  params: ['from', 'to', 'station', 'level'],
  open: async (context, params) => {
    const range = params.range(context.limits.maxRangeDays);
    const air = context.services.get(airServiceRef);
    const stations = await airStationsFor(air, context, stationFilter(params));
    const days = Math.ceil((range.to.getTime() - range.from.getTime()) / 86_400_000) + 1;
    if (stations.length * days > context.limits.maxRows) throw new LimitError(`an export holds at most ${context.limits.maxRows} rows: narrow the range`);
    const itemColumns: Column[] = DAILY_ITEMS.flatMap((i) => [
      { header: `${i.header}（${i.unit}）`, type: 'number' as const, width: 16 },
      { header: `${i.header} 分指数`, type: 'integer' as const, width: 14 },
    ]);
    return {
      fileName: `air-daily-${rangeStamp(range)}`,
      sheet: '空气质量日报',
      columns: [
        { header: '站点编码', type: 'text' },
        { header: '站点名称', type: 'text', width: 20 },
        { header: '站点级别', type: 'text' },
        { header: '日期', type: 'day', width: 12 },
        { header: '评价标准', type: 'text', width: 12 },
        { header: 'AQI', type: 'integer' },
        { header: '级别', type: 'integer' },
        { header: '类别', type: 'text' },
        { header: '首要污染物', type: 'text', width: 14 },
        ...itemColumns,
        { header: '数据完整', type: 'boolean' },
      ],
      estimatedRows: stations.length * (days - 1),
      pages: async function* () {
        for (const station of stations) {
          checkAborted(context.signal);
          const results = await air.airQuality(context.viewer, { stationCode: station.code, from: range.from, to: range.to, granularity: 'DAY' });
          yield results.map((q): Row => {
            const iaqi = new Map(q.iaqi.map((e) => [e.item as string, e]));
            return [
              station.code,
              station.name,
              label(AIR_STATION_LEVEL_NAMES, station.level),
              q.time,
              q.edition,
              q.aqi,
              q.level,
              q.category?.zh ?? null,
              primaryText(q) || null,
              ...DAILY_ITEMS.flatMap((i) => [iaqi.get(i.item)?.concentration ?? null, iaqi.get(i.item)?.value ?? null]),
              q.complete,
            ];
          });
        }
      },
    };
  },
};
