import type { Viewer } from '../../../src/auth/viewer';
import { ForbiddenError, NotFoundError, ValidationError } from '../../../src/graphql/errors';
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
export async function readStationHours(deps: WaterDeps, station: StationForEvaluation, from: Date, to: Date): Promise<{ profile: StationProfile; readings: HourlyValue[] }> {
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
