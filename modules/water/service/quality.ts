import type { Viewer } from '../../../src/auth/viewer';
import { ForbiddenError, NotFoundError, ValidationError } from '../../../src/errors';
import { dailyQuality, hourlyQuality, type HourlyValue, type StationProfile } from './assess';
import { bureauDayEnd, bureauDayStart } from '../../../src/time';
import { canReadWater } from './scope';
import { stationsForEvaluation } from './registry';
import type { Granularity, StationForEvaluation, WaterDeps, WaterQualityPoint } from './types';

const DAY_MS = 86_400_000;
/** Hourly results over at most a month; daily ones over at most a quarter. */
export const MAX_RANGE_DAYS: Readonly<Record<Granularity, number>> = { HOUR: 31, DAY: 92 };
/** Hourly values read per hour of range: far above what any station reports, and a hard bound on the read. */
/** Factors one station reports in an hour: what a point's item lists can hold. */
export const MAX_FACTORS_PER_HOUR = 64;

export interface WaterQualityQuery {
  stationCode: string;
  from: Date;
  to: Date;
  granularity: Granularity;
}

/** A station's hourly readings over [from, to) in one read, with the profile to judge them by. */
export async function readStationHours(
  deps: WaterDeps,
  station: StationForEvaluation,
  from: Date,
  to: Date,
): Promise<{ profile: StationProfile; readings: HourlyValue[] }> {
  const monitoring = deps.monitoring();
  const hours = Math.ceil((to.getTime() - from.getTime()) / 3_600_000);
  const [monitor, readings] = await Promise.all([
    monitoring.monitorByMn(station.mn),
    monitoring.monitorReadings({ monitorId: station.monitorId, interval: 'HOUR', from, to, limit: Math.max(1, hours) * MAX_FACTORS_PER_HOUR }),
  ]);
  return {
    profile: { waterbody: station.waterbody, targetClass: station.targetClass, units: monitor?.units ?? null },
    readings,
  };
}

/**
 * Hourly or daily results of one station. Days are Asia/Shanghai days: with DAY, `from` and `to`
 * widen to the midnights around them.
 */
export async function waterQuality(deps: WaterDeps, viewer: Viewer, query: WaterQualityQuery): Promise<WaterQualityPoint[]> {
  if (!canReadWater(viewer)) throw new ForbiddenError('water station data is for bureau staff and upstream platforms');
  if (Number.isNaN(query.from.getTime()) || Number.isNaN(query.to.getTime())) throw new ValidationError([{ path: 'from', message: 'invalid time' }]);
  const from = query.granularity === 'DAY' ? bureauDayStart(query.from) : query.from;
  const to = query.granularity === 'DAY' ? bureauDayEnd(query.to) : query.to;
  if (to <= from) throw new ValidationError([{ path: 'to', message: 'must be after from' }]);
  const maxDays = MAX_RANGE_DAYS[query.granularity];
  if (to.getTime() - from.getTime() > maxDays * DAY_MS) {
    throw new ValidationError([{ path: 'to', message: `${query.granularity === 'DAY' ? 'daily' : 'hourly'} results cover at most ${maxDays} days` }]);
  }
  const [station] = await stationsForEvaluation(deps, { code: query.stationCode, viewer }, 1);
  if (!station) throw new NotFoundError('WaterStation', query.stationCode);
  const { profile, readings } = await readStationHours(deps, station, from, to);
  return query.granularity === 'DAY' ? dailyQuality(readings, profile) : hourlyQuality(readings, profile);
}

/** Hours a station's newest class is looked for: two days, so a logger a day behind still has one. */
export const LATEST_CLASS_LOOKBACK_HOURS = 48;

/**
 * Each station's newest hourly class within the last LATEST_CLASS_LOOKBACK_HOURS complete hours,
 * in the order of `codes`: undefined for a station the viewer may not see, is unknown, or has no
 * classed hour. The same judgement as `waterQuality`, but one read for every station asked, so a
 * province list of hundreds of stations is three statements, not hundreds.
 */
export async function latestClasses(deps: WaterDeps, viewer: Viewer, codes: readonly string[], now: Date): Promise<(WaterQualityPoint | undefined)[]> {
  if (!canReadWater(viewer) || codes.length === 0) return codes.map(() => undefined);
  const stations = await stationsForEvaluation(deps, { codes, viewer }, codes.length);
  if (stations.length === 0) return codes.map(() => undefined);
  const monitoring = deps.monitoring();
  const to = new Date(Math.floor(now.getTime() / 3_600_000) * 3_600_000);
  const from = new Date(to.getTime() - LATEST_CLASS_LOOKBACK_HOURS * 3_600_000);
  const [monitors, readings] = await Promise.all([
    monitoring.monitorsByMns(
      viewer,
      stations.map((s) => s.mn),
    ),
    monitoring.readingsOfMonitors({
      monitorIds: stations.map((s) => s.monitorId),
      interval: 'HOUR',
      from,
      to,
      limit: stations.length * LATEST_CLASS_LOOKBACK_HOURS * MAX_FACTORS_PER_HOUR,
    }),
  ]);
  const byMonitor = new Map<number, HourlyValue[]>();
  for (const reading of readings) {
    const list = byMonitor.get(reading.monitorId);
    if (list) list.push(reading);
    else byMonitor.set(reading.monitorId, [reading]);
  }
  const byCode = new Map<string, WaterQualityPoint | undefined>();
  stations.forEach((station, index) => {
    const profile: StationProfile = { waterbody: station.waterbody, targetClass: station.targetClass, units: monitors[index]?.units ?? null };
    const points = hourlyQuality(byMonitor.get(station.monitorId) ?? [], profile);
    byCode.set(
      station.code,
      points.findLast((p) => p.class !== null),
    );
  });
  return codes.map((code) => byCode.get(code));
}
