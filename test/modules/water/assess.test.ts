import { describe, expect, it } from 'vitest';
import {
  dailyQuality,
  hourlyQuality,
  MIN_VALID_HOURS_PER_DAY,
  toLimitUnit,
  type HourlyValue,
  type StationProfile,
} from '../../../modules/water/service/assess';
import { bureauDayEnd, bureauDayStart } from '../../../src/time';

const RIVER_II: StationProfile = { waterbody: 'RIVER', targetClass: 'II', units: null };
const MIDNIGHT = new Date('2024-05-01T16:00:00.000Z'); // 2024-05-02 00:00 Asia/Shanghai
const hour = (h: number): Date => new Date(MIDNIGHT.getTime() + h * 3_600_000);
const value = (h: number, factor: string, v: number | null, valid = true): HourlyValue => ({ time: hour(h), factor, value: v, valid });

describe('Asia/Shanghai days', () => {
  it('starts a day at 16:00 UTC the day before', () => {
    expect(bureauDayStart(new Date('2024-05-01T15:59:59.999Z')).toISOString()).toBe('2024-04-30T16:00:00.000Z');
    expect(bureauDayStart(MIDNIGHT).toISOString()).toBe(MIDNIGHT.toISOString());
    expect(bureauDayStart(new Date('2024-05-02T15:59:00.000Z')).toISOString()).toBe(MIDNIGHT.toISOString());
  });

  it('ends a range at the next midnight unless it is one already', () => {
    expect(bureauDayEnd(MIDNIGHT).toISOString()).toBe(MIDNIGHT.toISOString());
    expect(bureauDayEnd(hour(1)).toISOString()).toBe(hour(24).toISOString());
  });
});

describe('units', () => {
  it('converts the heavy metals HJ 212 reports in ug/L, and nothing else', () => {
    expect(toLimitUnit('w20115', 4, null)).toBeCloseTo(0.004, 12);
    expect(toLimitUnit('w21003', 0.4, null)).toBe(0.4);
  });

  it('follows the unit a monitor declares for a factor', () => {
    expect(toLimitUnit('w20115', 0.004, { w20115: 'mg/L' })).toBe(0.004);
    expect(toLimitUnit('w20122', 20, { w20122: 'ug/L' })).toBeCloseTo(0.02, 12);
    expect(toLimitUnit('w20122', 20, { w20122: 'μg/L' })).toBeCloseTo(0.02, 12);
  });
});

describe('hourlyQuality', () => {
  it('classes each hour on its valid values only', () => {
    const points = hourlyQuality(
      [value(0, 'w01009', 7.8), value(0, 'w21003', 0.9), value(1, 'w01009', 7.8), value(1, 'w21003', 1.9, false), value(2, 'w21003', null)],
      RIVER_II,
    );
    expect(points.map((p) => [p.time.toISOString(), p.class, p.meetsTarget, p.items.map((i) => i.factor)])).toEqual([
      [hour(0).toISOString(), 'III', false, ['w01009', 'w21003']],
      [hour(1).toISOString(), 'I', true, ['w01009']],
    ]);
    expect(points[0]?.items[1]).toMatchObject({ class: 'III', exceedanceMultiple: 0.8, failsTarget: true, sampleCount: 1 });
  });
});

describe('dailyQuality', () => {
  const day = (validHours: number, v = 0.7): HourlyValue[] => Array.from({ length: 24 }, (_, h) => value(h, 'w21003', h < validHours ? v : 9, h < validHours));

  it(`needs ${MIN_VALID_HOURS_PER_DAY} valid hours for a daily value`, () => {
    expect(MIN_VALID_HOURS_PER_DAY).toBe(20);
    const enough = dailyQuality(day(20), RIVER_II);
    expect(enough).toHaveLength(1);
    expect(enough[0]?.items).toMatchObject([{ factor: 'w21003', value: 0.7, class: 'III', sampleCount: 20 }]);
    expect(enough[0]?.incompleteFactors).toEqual([]);

    const short = dailyQuality(day(19), RIVER_II);
    expect(short[0]?.items).toEqual([]);
    expect(short[0]?.incompleteFactors).toEqual(['w21003']);
    expect(short[0]?.class).toBeNull();
    expect(short[0]?.meetsTarget).toBeNull();
  });

  it('averages valid hourly values per item and splits at Asia/Shanghai midnight', () => {
    const readings = [
      ...Array.from({ length: 24 }, (_, h) => value(h, 'w01009', h % 2 === 0 ? 5 : 7)),
      ...Array.from({ length: 24 }, (_, h) => value(h + 24, 'w01009', 8)),
    ];
    const points = dailyQuality(readings, RIVER_II);
    expect(points.map((p) => [p.time.toISOString(), p.items[0]?.value, p.class])).toEqual([
      [MIDNIGHT.toISOString(), 6, 'II'],
      [hour(24).toISOString(), 8, 'I'],
    ]);
  });
});
