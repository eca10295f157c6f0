import type { Viewer } from '../../../src/auth/viewer';
import { airServiceRef, type AirQuality, type AirService, type AirStation } from '../../air/public';
import type { ServiceRegistry } from '../../../src/services';
import { shiftMonth, type MonthSpan } from './period';
import type { AirMonth, AirPart } from './types';

const DISTRICT_CODE = 'DISTRICT';
const DISTRICT_NAME = '全区';

/** Counts a month of daily results: days by level, good days, primary pollutants. */
export function airMonthOf(code: string, name: string, days: readonly string[], results: readonly AirQuality[]): AirMonth {
  const byDay = new Map(results.map((q) => [q.day, q]));
  const byLevel: AirMonth['byLevel'] = [0, 0, 0, 0, 0, 0];
  const primary: Record<string, number> = {};
  let daysWithAqi = 0;
  const daily = days.map((day) => {
    const q = byDay.get(day);
    if (q?.aqi == null || q.level == null) return { day, aqi: null, level: null };
    daysWithAqi += 1;
    byLevel[(q.level - 1) as 0 | 1 | 2 | 3 | 4 | 5] += 1;
    for (const p of q.primaryPollutants) primary[p] = (primary[p] ?? 0) + 1;
    return { day, aqi: q.aqi, level: q.level };
  });
  const goodDays = byLevel[0] + byLevel[1];
  return {
    code,
    name,
    daysWithAqi,
    daysWithoutAqi: days.length - daysWithAqi,
    byLevel,
    goodDays,
    goodRate: daysWithAqi > 0 ? Math.round((goodDays / daysWithAqi) * 10_000) / 10_000 : null,
    primary,
    daily,
  };
}

/**
 * The district's daily AQI: each report item's concentration is the mean of the stations that
 * have it that day (the city method of HJ 663), scored by the air module's own calculator under
 * the edition of that day.
 */
export function districtDays(air: Pick<AirService, 'computeAqi'>, days: readonly string[], perStation: readonly (readonly AirQuality[])[]): AirQuality[] {
  const results: AirQuality[] = [];
  for (const day of days) {
    const sums = new Map<
      string,
      { pollutant: AirQuality['iaqi'][number]['pollutant']; averaging: AirQuality['iaqi'][number]['averaging']; sum: number; n: number }
    >();
    let time: Date | null = null;
    for (const station of perStation) {
      const q = station.find((r) => r.day === day);
      if (!q) continue;
      time = q.time;
      for (const entry of q.iaqi) {
        const key = `${entry.pollutant}_${entry.averaging}`;
        const s = sums.get(key) ?? { pollutant: entry.pollutant, averaging: entry.averaging, sum: 0, n: 0 };
        s.sum += entry.concentration;
        s.n += 1;
        sums.set(key, s);
      }
    }
    if (time === null || sums.size === 0) continue;
    results.push(
      air.computeAqi({
        granularity: 'DAY',
        time,
        concentrations: [...sums.values()].map((s) => ({ pollutant: s.pollutant, averaging: s.averaging, value: s.sum / s.n })),
      }),
    );
  }
  return results;
}

async function monthOfStations(
  air: AirService,
  viewer: Viewer,
  stations: readonly AirStation[],
  span: MonthSpan,
): Promise<{ stations: AirMonth[]; district: AirMonth }> {
  const perStation: AirQuality[][] = [];
  for (const station of stations)
    perStation.push(await air.airQuality(viewer, { stationCode: station.code, from: span.from, to: span.to, granularity: 'DAY' }));
  return {
    stations: stations.map((s, i) => airMonthOf(s.code, s.name, span.days, perStation[i] ?? [])),
    district: airMonthOf(DISTRICT_CODE, DISTRICT_NAME, span.days, districtDays(air, span.days, perStation)),
  };
}

/** Every station's month and the district's, and the same month a year before. */
export async function airPart(services: ServiceRegistry, viewer: Viewer, span: MonthSpan): Promise<AirPart> {
  const air = services.get(airServiceRef);
  const stations = await air.listStations(viewer, {}, { limit: 500, afterId: undefined });
  const lastYearSpan = shiftMonth(span, -12);
  const [now, before] = [await monthOfStations(air, viewer, stations, span), await monthOfStations(air, viewer, stations, lastYearSpan)];
  return { ...now, lastYear: { month: lastYearSpan.month, ...before } };
}
