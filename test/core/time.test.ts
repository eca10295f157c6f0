import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  bureauDay,
  bureauDayEnd,
  bureauDayStart,
  bureauHourOfDay,
  calendarDayStart,
  DAY_MS,
  fromBureauClock,
  HOUR_MS,
  isBureauMidnight,
  toBureauClock,
} from '../../src/time';

/** Instants from 1970 to 2100, to the millisecond. */
const instant = fc.integer({ min: 0, max: Date.UTC(2100, 0, 1) }).map((ms) => new Date(ms));

describe("the bureau's calendar (Asia/Shanghai, UTC+8 all year)", () => {
  it('puts midnight in Shanghai at 16:00 UTC the day before', () => {
    expect(calendarDayStart('2026-03-01').toISOString()).toBe('2026-02-28T16:00:00.000Z');
    expect(bureauDay(new Date('2026-02-28T15:59:59.999Z'))).toBe('2026-02-28');
    expect(bureauDay(new Date('2026-02-28T16:00:00.000Z'))).toBe('2026-03-01');
    expect(bureauHourOfDay(new Date('2026-06-01T00:30:00Z'))).toBe(8.5);
    expect(isBureauMidnight(new Date('2026-05-31T16:00:00Z'))).toBe(true);
    expect(isBureauMidnight(new Date('2026-06-01T00:00:00Z'))).toBe(false);
  });

  it('refuses what is not a calendar day', () => {
    for (const day of ['2026-02-30', '2026-13-01', '2026-3-1', '', '2026-02-28T00:00']) {
      expect(() => calendarDayStart(day), day).toThrow(RangeError);
    }
    expect(() => bureauDay(new Date(Number.NaN))).toThrow(RangeError);
  });

  it('the day an instant falls in starts at or before it, less than a day earlier, at a Shanghai midnight', () => {
    fc.assert(
      fc.property(instant, (time) => {
        const start = bureauDayStart(time);
        expect(start.getTime()).toBeLessThanOrEqual(time.getTime());
        expect(time.getTime() - start.getTime()).toBeLessThan(DAY_MS);
        expect(isBureauMidnight(start)).toBe(true);
        expect(bureauHourOfDay(start)).toBe(0);
        expect(calendarDayStart(bureauDay(time)).getTime()).toBe(start.getTime());
      }),
    );
  });

  it('the day ends at the next midnight, or at the instant itself when it is one', () => {
    fc.assert(
      fc.property(instant, (time) => {
        const end = bureauDayEnd(time);
        expect(isBureauMidnight(end)).toBe(true);
        expect(end.getTime() - time.getTime()).toBeGreaterThanOrEqual(0);
        expect(end.getTime() - time.getTime()).toBeLessThan(DAY_MS);
      }),
    );
  });

  it('reads the wall clock and back without loss, eight hours ahead of UTC', () => {
    fc.assert(
      fc.property(instant, (time) => {
        const clock = toBureauClock(time);
        expect(fromBureauClock(clock).getTime()).toBe(time.getTime());
        expect(clock.getTime() - time.getTime()).toBe(8 * HOUR_MS);
        expect(bureauHourOfDay(time)).toBeCloseTo(
          clock.getUTCHours() + clock.getUTCMinutes() / 60 + clock.getUTCSeconds() / 3600 + clock.getUTCMilliseconds() / HOUR_MS,
          9,
        );
      }),
    );
  });
});
