/**
 * The bureau's calendar: the days, hours and months it reports by are Asia/Shanghai's. China keeps
 * UTC+8 all year (no daylight saving since 1991), so one fixed offset is exact, needs no time-zone
 * database, and gives the same answer in the embedded engine, on a server and in a browser.
 *
 * A "bureau clock" Date is an instant shifted by the offset so that its UTC fields read as the
 * wall clock in Shanghai; it is only ever used to read or build those fields, never stored.
 */

export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;
/** Asia/Shanghai's offset from UTC. */
export const BUREAU_OFFSET_MS = 8 * HOUR_MS;
/** The same zone by name, for SQL (`AT TIME ZONE`, `date_trunc`). */
export const BUREAU_TIME_ZONE = 'Asia/Shanghai';

const CALENDAR_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

function msOf(time: Date, what: string): number {
  const ms = time.getTime();
  if (Number.isNaN(ms)) throw new RangeError(`${what}: invalid date`);
  return ms;
}

/** The instant shifted so that its UTC fields read as the Shanghai wall clock. */
export function toBureauClock(time: Date): Date {
  return new Date(msOf(time, 'toBureauClock') + BUREAU_OFFSET_MS);
}

/** The instant whose Shanghai wall clock reads as `clock`'s UTC fields. */
export function fromBureauClock(clock: Date): Date {
  return new Date(msOf(clock, 'fromBureauClock') - BUREAU_OFFSET_MS);
}

/** The Shanghai midnight that starts the day `time` falls in. */
export function bureauDayStart(time: Date): Date {
  const ms = msOf(time, 'bureauDayStart');
  return new Date(Math.floor((ms + BUREAU_OFFSET_MS) / DAY_MS) * DAY_MS - BUREAU_OFFSET_MS);
}

/** The first Shanghai midnight at or after `time`. */
export function bureauDayEnd(time: Date): Date {
  const start = bureauDayStart(time);
  return start.getTime() === time.getTime() ? start : new Date(start.getTime() + DAY_MS);
}

/** The Shanghai calendar day (`YYYY-MM-DD`) an instant falls in. */
export function bureauDay(time: Date): string {
  return toBureauClock(time).toISOString().slice(0, 10);
}

/** 00:00 in Shanghai of a `YYYY-MM-DD` calendar day; anything else (2026-02-30) is a RangeError. */
export function calendarDayStart(day: string): Date {
  const m = CALENDAR_DAY.exec(day);
  const ms = m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : Number.NaN;
  if (!m || Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== day) {
    throw new RangeError(`not a calendar day (YYYY-MM-DD): ${day}`);
  }
  return new Date(ms - BUREAU_OFFSET_MS);
}

/** Hours since Shanghai midnight, fractional (0 <= h < 24). */
export function bureauHourOfDay(time: Date): number {
  const ms = msOf(time, 'bureauHourOfDay');
  return ((((ms + BUREAU_OFFSET_MS) % DAY_MS) + DAY_MS) % DAY_MS) / HOUR_MS;
}

/** True when the instant is exactly a Shanghai midnight. */
export function isBureauMidnight(time: Date): boolean {
  return bureauDayStart(time).getTime() === msOf(time, 'isBureauMidnight');
}
