import { classifyWater, ugPerLToMgPerL, type LimitedClass, type Waterbody } from './classify';
import { FACTORS_REPORTED_IN_UG_PER_L } from './gb3838';
import type { QualityItem, WaterQualityPoint } from './types';
import { bureauDayEnd, bureauDayStart, DAY_MS, HOUR_MS } from '../../../src/time';

/**
 * A daily value of an item is the mean of its valid hourly values, and needs at least this many of
 * the day's 24: the same 20-hour rule GB 3095 sets for daily means, so a day with a long outage or
 * a calibration spell is not reported as if it had been measured.
 */
export const MIN_VALID_HOURS_PER_DAY = 20;

export function hourStart(time: Date): Date {
  return new Date(Math.floor(time.getTime() / HOUR_MS) * HOUR_MS);
}

export interface StationProfile {
  waterbody: Waterbody;
  targetClass: LimitedClass;
  /** the monitor's declared units by factor, where a device departs from the HJ 212 table */
  units: Readonly<Record<string, string>> | null;
}

export interface HourlyValue {
  time: Date;
  factor: string;
  value: number | null;
  valid: boolean;
}

const UG_PER_L = new Set(['ug/l', 'μg/l', 'µg/l']);

/**
 * A reading in the unit the GB 3838 limits use (mg/L). Heavy metals come in ug/L per the HJ 212
 * table unless the monitor declares another unit for the factor.
 */
export function toLimitUnit(factor: string, value: number, units: StationProfile['units']): number {
  const declared = units?.[factor]?.trim().toLowerCase();
  const inUgPerL = declared !== undefined ? UG_PER_L.has(declared) : FACTORS_REPORTED_IN_UG_PER_L.has(factor);
  return inUgPerL ? ugPerLToMgPerL(value) : value;
}

function usable(reading: HourlyValue): reading is HourlyValue & { value: number } {
  return reading.valid && reading.value !== null && Number.isFinite(reading.value);
}

function pointOf(
  time: Date,
  profile: StationProfile,
  values: { factor: string; value: number; count: number }[],
  incompleteFactors: string[],
  hourly: boolean,
): WaterQualityPoint {
  const assessment = classifyWater({ waterbody: profile.waterbody, values, targetClass: profile.targetClass });
  const countOf = new Map(values.map((v) => [v.factor, v.count]));
  const items: QualityItem[] = assessment.items.map((item) => ({ ...item, sampleCount: hourly ? 1 : (countOf.get(item.factor) ?? null) }));
  return {
    time,
    class: assessment.class,
    targetClass: profile.targetClass,
    meetsTarget: assessment.meetsTarget,
    items,
    supplementary: [...assessment.supplementary],
    incompleteFactors,
  };
}

function byKey<T>(rows: readonly T[], keyOf: (row: T) => number): Map<number, T[]> {
  const groups = new Map<number, T[]>();
  for (const row of rows) {
    const key = keyOf(row);
    const list = groups.get(key);
    if (list) list.push(row);
    else groups.set(key, [row]);
  }
  return groups;
}

/**
 * Six significant digits: far finer than any analyser reads, and free of the binary residue a sum
 * leaves (0.4000000000000001) in what is reported and classed.
 */
function meanOf(values: readonly number[]): number {
  return Number((values.reduce((sum, v) => sum + v, 0) / values.length).toPrecision(6));
}

/** One result per hour with at least one valid value; invalid-flagged values are left out. */
export function hourlyQuality(readings: readonly HourlyValue[], profile: StationProfile): WaterQualityPoint[] {
  const points: WaterQualityPoint[] = [];
  const hours = byKey(readings.filter(usable), (r) => hourStart(r.time).getTime());
  for (const [hour, list] of [...hours].sort((a, b) => a[0] - b[0])) {
    // A series is unique per time, but two stamps inside one hour would be one sample twice.
    const latest = new Map<string, HourlyValue & { value: number }>();
    for (const reading of list) {
      const seen = latest.get(reading.factor);
      if (!seen || reading.time > seen.time) latest.set(reading.factor, reading);
    }
    const values = [...latest.values()].map((r) => ({ factor: r.factor, value: toLimitUnit(r.factor, r.value, profile.units), count: 1 }));
    points.push(pointOf(new Date(hour), profile, values, [], true));
  }
  return points;
}

/**
 * One result per Asia/Shanghai day: each item's daily value is the mean of its valid hourly
 * values, given at least MIN_VALID_HOURS_PER_DAY of them; items with fewer are named in
 * `incompleteFactors` and take no part in the class.
 */
export function dailyQuality(readings: readonly HourlyValue[], profile: StationProfile, minValidHours = MIN_VALID_HOURS_PER_DAY): WaterQualityPoint[] {
  const points: WaterQualityPoint[] = [];
  const days = byKey(readings, (r) => bureauDayStart(r.time).getTime());
  for (const [day, list] of [...days].sort((a, b) => a[0] - b[0])) {
    const byFactor = new Map<string, Map<number, number>>();
    const factorsSeen: string[] = [];
    for (const reading of list) {
      if (!factorsSeen.includes(reading.factor)) factorsSeen.push(reading.factor);
      if (!usable(reading)) continue;
      const hours = byFactor.get(reading.factor) ?? new Map<number, number>();
      hours.set(hourStart(reading.time).getTime(), toLimitUnit(reading.factor, reading.value, profile.units));
      byFactor.set(reading.factor, hours);
    }
    const values: { factor: string; value: number; count: number }[] = [];
    const incomplete: string[] = [];
    for (const factor of factorsSeen) {
      const hours = [...(byFactor.get(factor)?.values() ?? [])];
      if (hours.length < minValidHours) {
        incomplete.push(factor);
        continue;
      }
      values.push({ factor, value: meanOf(hours), count: hours.length });
    }
    points.push(pointOf(new Date(day), profile, values, incomplete, false));
  }
  return points;
}
