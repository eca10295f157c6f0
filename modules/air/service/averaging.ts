/**
 * The GB 3095 data-validity rules (table 4) for the averages an AQI is computed from: daily means,
 * 8-hour and 24-hour moving means, the daily maximum 8-hour mean. Pure functions: no clock, no I/O.
 * Null means "not available under the rules", never "zero" and never a guess.
 */
import { calendarDayStart, HOUR_MS } from '../../../src/time';

/** One hourly mean; `hourStart` is the start of the hour it averages. */
export interface HourlyValue {
  hourStart: Date;
  value: number | null;
  /** false when the hour failed validation (e.g. under 45 minutes sampled); its value is ignored */
  valid: boolean;
}

/**
 * The usable values of an hourly series keyed by hour. Build it once when computing many windows over
 * the same series; every helper below also accepts the plain array.
 */
export class HourlyIndex {
  private constructor(private readonly values: ReadonlyMap<number, number>) {}

  /**
   * Throws RangeError on an invalid date, an hourStart not on a whole hour, or two values for the
   * same hour: each would silently shift or double-count hours inside a window.
   */
  static from(series: readonly HourlyValue[]): HourlyIndex {
    const seen = new Set<number>();
    const values = new Map<number, number>();
    for (const h of series) {
      const t = h.hourStart.getTime();
      if (Number.isNaN(t) || t % HOUR_MS !== 0) {
        throw new RangeError(`hourly series: hourStart ${String(h.hourStart)} is not a whole hour`);
      }
      if (seen.has(t)) throw new RangeError(`hourly series: two values for ${h.hourStart.toISOString()}`);
      seen.add(t);
      if (h.valid && h.value !== null && Number.isFinite(h.value)) values.set(t, h.value);
    }
    return new HourlyIndex(values);
  }

  get(hourStartMs: number): number | undefined {
    return this.values.get(hourStartMs);
  }
}

export type HourlySeries = readonly HourlyValue[] | HourlyIndex;

const toIndex = (series: HourlySeries): HourlyIndex => (series instanceof HourlyIndex ? series : HourlyIndex.from(series));

function checkMinCount(minCount: number, what: string): void {
  if (!Number.isInteger(minCount) || minCount < 1) {
    throw new RangeError(`${what}: minCount must be a positive integer, got ${minCount}`);
  }
}

function hourMs(hourStart: Date, what: string): number {
  const t = hourStart.getTime();
  if (Number.isNaN(t) || t % HOUR_MS !== 0) throw new RangeError(`${what}: ${String(hourStart)} is not a whole hour`);
  return t;
}

function windowMean(index: HourlyIndex, lastHourMs: number, hours: number, minCount: number): number | null {
  let sum = 0;
  let count = 0;
  for (let k = 0; k < hours; k += 1) {
    const v = index.get(lastHourMs - k * HOUR_MS);
    if (v !== undefined) {
      sum += v;
      count += 1;
    }
  }
  return count >= minCount ? sum / count : null;
}

/** Mean of the non-null values; null when fewer than `minCount` (GB 3095: 20 per day). */
export function dailyMean(values: readonly (number | null)[], minCount = 20): number | null {
  checkMinCount(minCount, 'dailyMean');
  const usable = values.filter((v): v is number => v !== null && Number.isFinite(v));
  return usable.length >= minCount ? usable.reduce((a, b) => a + b, 0) / usable.length : null;
}

/**
 * The 8h moving mean at hour `hourStart` = h: the hours starting h-7h .. h, i.e. the period
 * [h-7h, h+1h) (published as the value "at" h+1h where hours are labelled by their end). Null with
 * fewer than `minCount` valid hours (GB 3095: 6 of the 8).
 */
export function movingMean8h(series: HourlySeries, hourStart: Date, minCount = 6): number | null {
  checkMinCount(minCount, 'movingMean8h');
  return windowMean(toIndex(series), hourMs(hourStart, 'movingMean8h'), 8, minCount);
}

/**
 * The 24h moving mean at hour `hourStart` = h: the hours starting h-23h .. h, i.e. [h-23h, h+1h).
 * Null with fewer than `minCount` valid hours (GB 3095's 24h rule: 20).
 */
export function movingMean24h(series: HourlySeries, hourStart: Date, minCount = 20): number | null {
  checkMinCount(minCount, 'movingMean24h');
  return windowMean(toIndex(series), hourMs(hourStart, 'movingMean24h'), 24, minCount);
}

/**
 * The daily mean of a local (Asia/Shanghai) day: the 24 hours starting 00:00 .. 23:00 of `day`.
 * Null with fewer than `minCount` valid hours (GB 3095: 20).
 */
export function dailyMeanForDay(series: HourlySeries, day: string, minCount = 20): number | null {
  checkMinCount(minCount, 'dailyMeanForDay');
  return windowMean(toIndex(series), calendarDayStart(day).getTime() + 23 * HOUR_MS, 24, minCount);
}

export interface DailyMax8hOptions {
  /** valid hours each 8h window needs (GB 3095: 6) */
  minCount?: number;
  /** valid 8h windows the day needs before its maximum is reported */
  minWindows?: number;
}

/**
 * The day's maximum 8h moving mean. Convention (GB 3095 / HJ 633 "日最大8小时滑动平均", taken over
 * 08:00 to 24:00): the 17 periods that end at 08:00, 09:00, .. 24:00 local time of `day`, i.e. the
 * moving means at hourStart 07:00 .. 23:00, each wholly inside the day. Periods ending 01:00..07:00
 * would reach into the previous day and are not considered. Windows with fewer than `minCount` valid
 * hours are skipped; null when fewer than `minWindows` (default 1) windows remain.
 */
export function dailyMaxMoving8h(series: HourlySeries, day: string, options: DailyMax8hOptions = {}): number | null {
  const minCount = options.minCount ?? 6;
  const minWindows = options.minWindows ?? 1;
  checkMinCount(minCount, 'dailyMaxMoving8h');
  checkMinCount(minWindows, 'dailyMaxMoving8h minWindows');
  const index = toIndex(series);
  const start = calendarDayStart(day).getTime();
  let max: number | null = null;
  let windows = 0;
  for (let lastHour = 7; lastHour <= 23; lastHour += 1) {
    const mean = windowMean(index, start + lastHour * HOUR_MS, 8, minCount);
    if (mean !== null) {
      windows += 1;
      max = max === null ? mean : Math.max(max, mean);
    }
  }
  return windows >= minWindows ? max : null;
}
