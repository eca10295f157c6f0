import { describe, expect, it } from 'vitest';
import {
  aqiLevel,
  computeDailyAqi,
  computeHourlyAqi,
  editionAt,
  iaqi,
  roundHalfEven,
  roundUpIaqi,
  type AqiEdition,
  type Averaging,
  type Pollutant,
} from '../../../modules/air/service/aqi';
import {
  dailyMaxMoving8h,
  dailyMean,
  dailyMeanForDay,
  HourlyIndex,
  movingMean24h,
  movingMean8h,
  type HourlyValue,
} from '../../../modules/air/service/averaging';
import { bureauDay, calendarDayStart } from '../../../src/time';

// The standard's table, typed in again here rather than imported, so a wrong row in the module fails.
const ROWS = [0, 50, 100, 150, 200, 300, 400, 500];

interface Column {
  pollutant: Pollutant;
  averaging: Averaging;
  bps: number[];
  /** 2026: IAQI one rounding step (1, CO 0.1) above each breakpoint but the last */
  nextStep2026: number[];
}

const COLUMNS_2012: Column[] = [
  { pollutant: 'SO2', averaging: '24h', bps: [0, 50, 150, 475, 800, 1600, 2100, 2620], nextStep2026: [1, 51, 101, 151, 201, 301, 401] },
  { pollutant: 'SO2', averaging: '1h', bps: [0, 150, 500, 650, 800], nextStep2026: [1, 51, 101, 151] },
  { pollutant: 'NO2', averaging: '24h', bps: [0, 40, 80, 180, 280, 565, 750, 940], nextStep2026: [2, 52, 101, 151, 201, 301, 401] },
  { pollutant: 'NO2', averaging: '1h', bps: [0, 100, 200, 700, 1200, 2340, 3090, 3840], nextStep2026: [1, 51, 101, 151, 201, 301, 401] },
  { pollutant: 'PM10', averaging: '24h', bps: [0, 50, 150, 250, 350, 420, 500, 600], nextStep2026: [] },
  { pollutant: 'CO', averaging: '24h', bps: [0, 2, 4, 14, 24, 36, 48, 60], nextStep2026: [3, 53, 101, 151, 201, 301, 401] },
  { pollutant: 'CO', averaging: '1h', bps: [0, 5, 10, 35, 60, 90, 120, 150], nextStep2026: [1, 51, 101, 151, 201, 301, 401] },
  { pollutant: 'O3', averaging: '1h', bps: [0, 160, 200, 300, 400, 800, 1000, 1200], nextStep2026: [1, 52, 101, 151, 201, 301, 401] },
  { pollutant: 'O3', averaging: '8h', bps: [0, 100, 160, 215, 265, 800], nextStep2026: [1, 51, 101, 151, 201] },
  { pollutant: 'PM2_5', averaging: '24h', bps: [0, 35, 75, 115, 150, 250, 350, 500], nextStep2026: [] },
];

const COLUMNS_2026: Column[] = COLUMNS_2012.map((c) => {
  if (c.pollutant === 'PM10') {
    return { ...c, bps: [0, 50, 120, 250, 350, 420, 500, 600], nextStep2026: [1, 51, 101, 151, 202, 302, 401] };
  }
  if (c.pollutant === 'PM2_5') {
    return { ...c, bps: [0, 35, 60, 115, 150, 250, 350, 500], nextStep2026: [2, 52, 101, 152, 201, 301, 401] };
  }
  return c;
});

const label = (c: Column): string => `${c.pollutant} ${c.averaging}`;

describe('editionAt', () => {
  it('switches to HJ 633-2026 at 2026-03-01T00:00 Asia/Shanghai', () => {
    expect(editionAt(new Date('2026-02-28T15:59:59.999Z'))).toBe('HJ633-2012');
    expect(editionAt(new Date('2026-02-28T16:00:00.000Z'))).toBe('HJ633-2026');
    expect(editionAt(new Date('2026-03-01T00:00:00+08:00'))).toBe('HJ633-2026');
    expect(editionAt(new Date('2026-02-28T23:59:59+08:00'))).toBe('HJ633-2012');
  });

  it('keeps old data on the old edition and new data on the new one', () => {
    expect(editionAt(new Date('2015-06-01T00:00:00Z'))).toBe('HJ633-2012');
    expect(editionAt(new Date('2031-01-01T00:00:00Z'))).toBe('HJ633-2026');
  });

  it('decides by the start of the period: the last hour and day before the switch stay 2012', () => {
    expect(editionAt(new Date('2026-02-28T15:00:00Z'))).toBe('HJ633-2012');
    expect(editionAt(calendarDayStart('2026-02-28'))).toBe('HJ633-2012');
    expect(editionAt(calendarDayStart('2026-03-01'))).toBe('HJ633-2026');
  });

  it('refuses an invalid date', () => {
    expect(() => editionAt(new Date('nonsense'))).toThrow(RangeError);
  });
});

describe('Asia/Shanghai days', () => {
  it('maps a calendar day to its 00:00 local and back', () => {
    expect(calendarDayStart('2026-03-01').toISOString()).toBe('2026-02-28T16:00:00.000Z');
    expect(bureauDay(new Date('2026-02-28T15:59:59Z'))).toBe('2026-02-28');
    expect(bureauDay(new Date('2026-02-28T16:00:00Z'))).toBe('2026-03-01');
  });

  it('refuses malformed or impossible days', () => {
    expect(() => calendarDayStart('2026-02-30')).toThrow(RangeError);
    expect(() => calendarDayStart('2026-3-1')).toThrow(RangeError);
  });
});

for (const [edition, columns] of [
  ['HJ633-2012', COLUMNS_2012],
  ['HJ633-2026', COLUMNS_2026],
] as const) {
  describe(`${edition} breakpoints`, () => {
    for (const col of columns) {
      it(`${label(col)}: a concentration equal to a breakpoint gives exactly that row's IAQI`, () => {
        const got = col.bps.map((bp) => iaqi(edition, col.pollutant, col.averaging, bp));
        const want = col.bps.map((bp, i) => ({ value: ROWS[i], beyondScale: false, concentrationUsed: bp }));
        expect(got).toEqual(want);
      });
    }
  });
}

describe('HJ633-2012 just above a breakpoint', () => {
  for (const col of COLUMNS_2012) {
    it(`${label(col)}: gives the next integer; above the last row, 500 beyond the scale or no row`, () => {
      const inner = col.bps.slice(0, -1).map((bp) => iaqi('HJ633-2012', col.pollutant, col.averaging, bp + 1e-6)?.value);
      expect(inner).toEqual(ROWS.slice(0, col.bps.length - 1).map((v) => v + 1));
      const top = col.bps[col.bps.length - 1] ?? Number.NaN;
      const above = iaqi('HJ633-2012', col.pollutant, col.averaging, top + 1e-6);
      if (col.bps.length === ROWS.length) expect(above).toEqual({ value: 500, beyondScale: true, concentrationUsed: top + 1e-6 });
      else expect(above).toBeUndefined();
    });
  }
});

describe('HJ633-2026 just above a breakpoint', () => {
  for (const col of COLUMNS_2026) {
    const step = col.pollutant === 'CO' ? 0.1 : 1;
    it(`${label(col)}: less than half a step above rounds back onto the breakpoint`, () => {
      const got = col.bps.map((bp) => iaqi('HJ633-2026', col.pollutant, col.averaging, bp + 0.4 * step)?.value);
      expect(got).toEqual(ROWS.slice(0, col.bps.length));
    });
    it(`${label(col)}: one rounding step above gives the rounded-up next value`, () => {
      const inner = col.bps.slice(0, -1).map((bp) => iaqi('HJ633-2026', col.pollutant, col.averaging, bp + step)?.value);
      expect(inner).toEqual(col.nextStep2026);
      const top = col.bps[col.bps.length - 1] ?? Number.NaN;
      const above = iaqi('HJ633-2026', col.pollutant, col.averaging, top + 0.6 * step);
      if (col.bps.length === ROWS.length) expect(above).toEqual({ value: 500, beyondScale: true, concentrationUsed: top + step });
      else expect(above).toBeUndefined();
    });
  }
});

describe('iaqi columns', () => {
  it('HJ 633-2026 scores PM 1h values on the 2026 24h breakpoints; 2012 has no 1h PM column', () => {
    expect(iaqi('HJ633-2026', 'PM2_5', '1h', 60)?.value).toBe(100);
    expect(iaqi('HJ633-2026', 'PM10', '1h', 120)?.value).toBe(100);
    expect(iaqi('HJ633-2012', 'PM2_5', '1h', 60)).toBeUndefined();
    expect(iaqi('HJ633-2012', 'PM10', '1h', 120)).toBeUndefined();
  });

  it('has no row for pairs the table lacks', () => {
    expect(iaqi('HJ633-2012', 'O3', '24h', 100)).toBeUndefined();
    expect(iaqi('HJ633-2026', 'CO', '8h', 1)).toBeUndefined();
    expect(iaqi('HJ633-2026', 'PM2_5', '8h', 1)).toBeUndefined();
  });

  it('refuses negative and non-finite concentrations', () => {
    expect(() => iaqi('HJ633-2012', 'SO2', '24h', -1)).toThrow(RangeError);
    expect(() => iaqi('HJ633-2026', 'SO2', '24h', Number.NaN)).toThrow(RangeError);
    expect(() => iaqi('HJ633-2026', 'SO2', '24h', Number.POSITIVE_INFINITY)).toThrow(RangeError);
  });

  it('interpolates inside a segment and rounds up (51.25 -> 52)', () => {
    // PM2.5 24h 2012: 50 + 50 * (36 - 35) / 40 = 51.25
    expect(iaqi('HJ633-2012', 'PM2_5', '24h', 36)?.value).toBe(52);
    expect(iaqi('HJ633-2012', 'NO2', '24h', 45)?.value).toBe(57);
  });
});

describe('rounding', () => {
  it('rounds IAQIs up, but not float noise just above an integer', () => {
    expect(roundUpIaqi(51.25)).toBe(52);
    expect(roundUpIaqi(75.0000000001)).toBe(75);
    expect(roundUpIaqi(74.9999999999)).toBe(75);
    expect(roundUpIaqi(75.001)).toBe(76);
    expect(roundUpIaqi(0)).toBe(0);
  });

  it('guards a noisy concentration (0.4 + 0.2 mg/m3 CO) from a spurious extra point', () => {
    // 25 * 0.6000000000000001 = 15.000000000000002, which a bare ceil would make 16
    expect(iaqi('HJ633-2012', 'CO', '24h', 0.4 + 0.2)?.value).toBe(15);
  });

  it('rounds half to even (GB/T 8170)', () => {
    expect(roundHalfEven(34.5)).toBe(34);
    expect(roundHalfEven(35.5)).toBe(36);
    expect(roundHalfEven(0.5)).toBe(0);
    expect(roundHalfEven(1.5)).toBe(2);
    expect(roundHalfEven(34.49)).toBe(34);
    expect(roundHalfEven(34.51)).toBe(35);
    expect(roundHalfEven(2.25, 1)).toBe(2.2);
    expect(roundHalfEven(2.35, 1)).toBe(2.4);
    expect(roundHalfEven(2.15, 1)).toBe(2.2);
    expect(roundHalfEven(2.45, 1)).toBe(2.4);
    expect(roundHalfEven(2.26, 1)).toBe(2.3);
  });

  it('HJ 633-2026 rounds concentrations before scoring; 2012 does not', () => {
    expect(iaqi('HJ633-2026', 'PM2_5', '24h', 34.5)).toEqual({ value: 49, beyondScale: false, concentrationUsed: 34 });
    expect(iaqi('HJ633-2026', 'PM2_5', '24h', 35.5)).toEqual({ value: 52, beyondScale: false, concentrationUsed: 36 });
    expect(iaqi('HJ633-2012', 'PM2_5', '24h', 35.5)).toEqual({ value: 51, beyondScale: false, concentrationUsed: 35.5 });
    expect(iaqi('HJ633-2026', 'CO', '24h', 2.25)).toEqual({ value: 55, beyondScale: false, concentrationUsed: 2.2 });
    expect(iaqi('HJ633-2012', 'CO', '24h', 2.25)).toEqual({ value: 57, beyondScale: false, concentrationUsed: 2.25 });
    expect(iaqi('HJ633-2026', 'SO2', '1h', 800.5)?.value).toBe(200);
  });
});

describe('aqiLevel', () => {
  it('maps every level boundary', () => {
    const levels = [0, 50, 51, 100, 101, 150, 151, 200, 201, 300, 301, 500].map((a) => aqiLevel(a).level);
    expect(levels).toEqual([1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6]);
  });

  it('gives categories and colours', () => {
    expect(aqiLevel(25)).toEqual({ level: 1, category: { zh: '优', en: 'excellent' }, color: '#00E400' });
    expect(aqiLevel(75)).toEqual({ level: 2, category: { zh: '良', en: 'good' }, color: '#FFFF00' });
    expect(aqiLevel(125)).toEqual({ level: 3, category: { zh: '轻度污染', en: 'lightly polluted' }, color: '#FF7E00' });
    expect(aqiLevel(175)).toEqual({ level: 4, category: { zh: '中度污染', en: 'moderately polluted' }, color: '#FF0000' });
    expect(aqiLevel(250)).toEqual({ level: 5, category: { zh: '重度污染', en: 'heavily polluted' }, color: '#99004C' });
    expect(aqiLevel(400)).toEqual({ level: 6, category: { zh: '严重污染', en: 'severely polluted' }, color: '#7E0023' });
  });

  it('refuses a negative AQI', () => {
    expect(() => aqiLevel(-1)).toThrow(RangeError);
  });
});

const valuesOf = (r: { iaqi: { item: string; value: number }[] }): Record<string, number> => Object.fromEntries(r.iaqi.map((e) => [e.item, e.value]));

describe('worked example (daily)', () => {
  const day = { pm2_5_24h: 80, pm10_24h: 120, so2_24h: 20, no2_24h: 45, co_24h: 1.0, o3_8h_max: 150 };

  it('HJ 633-2012: AQI 107, primary PM2.5, level 3', () => {
    const r = computeDailyAqi('HJ633-2012', { ...day, o3_1h_max: 180 });
    expect(valuesOf(r)).toEqual({
      so2_24h: 20,
      no2_24h: 57,
      co_24h: 25,
      o3_1h_max: 75,
      o3_8h_max: 92,
      pm10_24h: 85,
      pm2_5_24h: 107,
    });
    expect(r).toMatchObject({
      edition: 'HJ633-2012',
      report: 'daily',
      aqi: 107,
      aqiComputed: 107,
      level: 3,
      category: { zh: '轻度污染', en: 'lightly polluted' },
      color: '#FF7E00',
      primaryPollutants: ['PM2_5'],
      nonAttainment: ['PM2_5'],
      nonAttainmentBasis: 'HJ633-2012',
      beyondScale: false,
      complete: true,
      missing: [],
      missingItems: [],
    });
  });

  it('HJ 633-2026: PM2.5 119, PM10 100, AQI 119, primary PM2.5, level 3, non-attainment as a local rule', () => {
    const r = computeDailyAqi('HJ633-2026', day);
    expect(valuesOf(r)).toEqual({ so2_24h: 20, no2_24h: 57, co_24h: 25, o3_8h_max: 92, pm10_24h: 100, pm2_5_24h: 119 });
    expect(r).toMatchObject({
      edition: 'HJ633-2026',
      aqi: 119,
      level: 3,
      primaryPollutants: ['PM2_5'],
      nonAttainment: ['PM2_5'],
      nonAttainmentBasis: 'local-rule',
      complete: true,
    });
  });

  it('HJ 633-2012 without the O3 1h maximum: incomplete, but above 100 so still published', () => {
    const r = computeDailyAqi('HJ633-2012', day);
    expect(r).toMatchObject({ aqi: 107, complete: false, missing: ['O3'] });
    expect(r.missingItems).toEqual([{ item: 'o3_1h_max', pollutant: 'O3', averaging: '1h', reason: 'absent' }]);
  });

  it('ignores fields the edition does not use', () => {
    const r = computeDailyAqi('HJ633-2026', { ...day, o3_1h_max: 1100 });
    expect(r.aqi).toBe(119);
    expect(r.iaqi.map((e) => e.item)).not.toContain('o3_1h_max');
  });
});

describe('hourly reports', () => {
  it('HJ 633-2012 scores PM on the 24h moving means and only echoes the 1h PM values', () => {
    const r = computeHourlyAqi('HJ633-2012', {
      so2_1h: 20,
      no2_1h: 50,
      co_1h: 1,
      o3_1h: 100,
      o3_8h: 60,
      pm10_1h: 300,
      pm2_5_1h: 200,
      pm10_24h: 40,
      pm2_5_24h: 80,
    });
    expect(valuesOf(r)).toEqual({ so2_1h: 7, no2_1h: 25, co_1h: 10, o3_1h: 32, o3_8h: 30, pm10_24h: 40, pm2_5_24h: 107 });
    expect(r.unscored).toEqual([
      { item: 'pm10_1h', pollutant: 'PM10', averaging: '1h', concentration: 300 },
      { item: 'pm2_5_1h', pollutant: 'PM2_5', averaging: '1h', concentration: 200 },
    ]);
    expect(r).toMatchObject({ aqi: 107, primaryPollutants: ['PM2_5'], complete: true });
  });

  it('HJ 633-2026 scores the six 1h values, PM on the 24h breakpoints', () => {
    const r = computeHourlyAqi('HJ633-2026', { so2_1h: 20, no2_1h: 50, co_1h: 1, o3_1h: 100, pm10_1h: 120, pm2_5_1h: 80, o3_8h: 900 });
    expect(valuesOf(r)).toEqual({ so2_1h: 7, no2_1h: 25, co_1h: 10, o3_1h: 32, pm10_1h: 100, pm2_5_1h: 119 });
    expect(r).toMatchObject({ aqi: 119, primaryPollutants: ['PM2_5'], complete: true, unscored: [] });
  });
});

const calm2012Hourly = { no2_1h: 50, co_1h: 1, o3_1h: 100, o3_8h: 60, pm10_24h: 40, pm2_5_24h: 30 };
const calm2026Hourly = { no2_1h: 50, co_1h: 1, o3_1h: 100, pm10_1h: 40, pm2_5_1h: 30 };

describe('SO2 1h above 800', () => {
  it('has no row in either edition table', () => {
    expect(iaqi('HJ633-2012', 'SO2', '1h', 801)).toBeUndefined();
    expect(iaqi('HJ633-2026', 'SO2', '1h', 801)).toBeUndefined();
  });

  it('HJ 633-2012 reports the SO2 24h IAQI instead', () => {
    const r = computeHourlyAqi('HJ633-2012', { ...calm2012Hourly, so2_1h: 900, so2_24h: 100 });
    const so2 = r.iaqi.find((e) => e.pollutant === 'SO2');
    expect(so2).toEqual({
      item: 'so2_1h',
      pollutant: 'SO2',
      averaging: '1h',
      concentration: 900,
      value: 75,
      beyondScale: false,
      rule: 'SO2_1H_ABOVE_800',
      valueFrom: { item: 'so2_24h', averaging: '24h', concentration: 100 },
    });
    expect(r).toMatchObject({ aqi: 75, primaryPollutants: ['SO2'], complete: true });
  });

  it('HJ 633-2012 without a 24h value marks the item unavailable', () => {
    const r = computeHourlyAqi('HJ633-2012', { ...calm2012Hourly, so2_1h: 900 });
    expect(r.iaqi.some((e) => e.pollutant === 'SO2')).toBe(false);
    expect(r.missingItems).toEqual([{ item: 'so2_1h', pollutant: 'SO2', averaging: '1h', reason: 'SO2_1H_ABOVE_800' }]);
    expect(r).toMatchObject({ aqi: null, aqiComputed: 43, complete: false, missing: ['SO2'] });
  });

  it('HJ 633-2012 at exactly 800 still uses the 1h table', () => {
    const r = computeHourlyAqi('HJ633-2012', { ...calm2012Hourly, so2_1h: 800, so2_24h: 100 });
    expect(r.iaqi.find((e) => e.pollutant === 'SO2')).toMatchObject({ value: 200, rule: null, valueFrom: null });
  });

  it('HJ 633-2026 reports IAQI 200', () => {
    const r = computeHourlyAqi('HJ633-2026', { ...calm2026Hourly, so2_1h: 900 });
    expect(r.iaqi.find((e) => e.pollutant === 'SO2')).toMatchObject({ value: 200, rule: 'SO2_1H_ABOVE_800', concentration: 900 });
    expect(r).toMatchObject({ aqi: 200, level: 4, primaryPollutants: ['SO2'], complete: true });
    const justAbove = computeHourlyAqi('HJ633-2026', { ...calm2026Hourly, so2_1h: 800.6 });
    expect(justAbove.iaqi.find((e) => e.pollutant === 'SO2')).toMatchObject({ value: 200, rule: 'SO2_1H_ABOVE_800', concentration: 801 });
  });
});

describe('O3 8h above 800', () => {
  const rest = { so2_24h: 20, no2_24h: 45, co_24h: 1, pm10_24h: 40, pm2_5_24h: 30 };

  it('has no row in either edition table', () => {
    expect(iaqi('HJ633-2012', 'O3', '8h', 801)).toBeUndefined();
    expect(iaqi('HJ633-2026', 'O3', '8h', 801)).toBeUndefined();
  });

  it('HJ 633-2012 daily uses the O3 1h IAQI', () => {
    const r = computeDailyAqi('HJ633-2012', { ...rest, o3_8h_max: 900, o3_1h_max: 1000 });
    expect(r.iaqi.find((e) => e.item === 'o3_8h_max')).toMatchObject({
      value: 400,
      rule: 'O3_8H_ABOVE_800',
      valueFrom: { item: 'o3_1h_max', averaging: '1h', concentration: 1000 },
    });
    expect(r).toMatchObject({ aqi: 400, level: 6, primaryPollutants: ['O3'], complete: true });
  });

  it('HJ 633-2012 hourly uses the O3 1h IAQI', () => {
    const r = computeHourlyAqi('HJ633-2012', { ...calm2012Hourly, so2_1h: 20, o3_8h: 850, o3_1h: 820 });
    expect(r.iaqi.find((e) => e.item === 'o3_8h')).toMatchObject({ value: 310, rule: 'O3_8H_ABOVE_800' });
    expect(r.aqi).toBe(310);
  });

  it('HJ 633-2012 without an O3 1h value marks the 8h item unavailable', () => {
    const r = computeDailyAqi('HJ633-2012', { ...rest, o3_8h_max: 900 });
    expect(r.missingItems).toEqual([
      { item: 'o3_1h_max', pollutant: 'O3', averaging: '1h', reason: 'absent' },
      { item: 'o3_8h_max', pollutant: 'O3', averaging: '8h', reason: 'O3_8H_ABOVE_800' },
    ]);
    expect(r).toMatchObject({ aqi: null, aqiComputed: 57, missing: ['O3'] });
  });

  it('HJ 633-2026 reports IAQI 300', () => {
    const r = computeDailyAqi('HJ633-2026', { ...rest, o3_8h_max: 900 });
    expect(r.iaqi.find((e) => e.item === 'o3_8h_max')).toMatchObject({ value: 300, rule: 'O3_8H_ABOVE_800', valueFrom: null });
    expect(r).toMatchObject({ aqi: 300, level: 5, primaryPollutants: ['O3'] });
  });
});

describe('beyond the scale', () => {
  it('reports 500 and marks it', () => {
    expect(iaqi('HJ633-2012', 'PM2_5', '24h', 600)).toEqual({ value: 500, beyondScale: true, concentrationUsed: 600 });
    expect(iaqi('HJ633-2012', 'O3', '1h', 1300)).toEqual({ value: 500, beyondScale: true, concentrationUsed: 1300 });
    const r = computeDailyAqi('HJ633-2012', { so2_24h: 20, no2_24h: 45, co_24h: 1, o3_1h_max: 100, o3_8h_max: 60, pm10_24h: 300, pm2_5_24h: 600 });
    expect(r).toMatchObject({ aqi: 500, beyondScale: true, level: 6, primaryPollutants: ['PM2_5'], nonAttainment: ['PM10', 'PM2_5'] });
  });

  it('the 500 row itself, and float noise over it, are on the scale', () => {
    expect(iaqi('HJ633-2012', 'PM2_5', '24h', 500)).toEqual({ value: 500, beyondScale: false, concentrationUsed: 500 });
    expect(iaqi('HJ633-2012', 'PM2_5', '24h', 500.0000000001)?.beyondScale).toBe(false);
    expect(iaqi('HJ633-2026', 'PM2_5', '24h', 500.4)?.beyondScale).toBe(false);
    expect(iaqi('HJ633-2026', 'PM2_5', '24h', 500.6)?.beyondScale).toBe(true);
  });
});

describe('primary pollutants', () => {
  it('are all the tied pollutants (ties judged on the rounded IAQI)', () => {
    // PM2.5 80 -> 106.25 -> 107; PM10 163 -> 106.5 -> 107
    const r = computeDailyAqi('HJ633-2012', { so2_24h: 20, no2_24h: 45, co_24h: 1, o3_1h_max: 100, o3_8h_max: 60, pm10_24h: 163, pm2_5_24h: 80 });
    expect(r).toMatchObject({ aqi: 107, primaryPollutants: ['PM10', 'PM2_5'] });
  });

  it('count a pollutant once even when two of its items tie', () => {
    // O3 1h 200 and O3 8h 160 both give 100
    const r = computeDailyAqi('HJ633-2012', { so2_24h: 20, no2_24h: 45, co_24h: 1, o3_1h_max: 200, o3_8h_max: 160, pm10_24h: 40, pm2_5_24h: 30 });
    expect(r).toMatchObject({ aqi: 100, primaryPollutants: ['O3'] });
  });

  it('are none at AQI 50, even with every pollutant at 50', () => {
    const r = computeDailyAqi('HJ633-2026', { so2_24h: 50, no2_24h: 40, co_24h: 2, o3_8h_max: 100, pm10_24h: 50, pm2_5_24h: 35 });
    expect(r).toMatchObject({ aqi: 50, level: 1, primaryPollutants: [], nonAttainment: [] });
  });

  it('appear from AQI 51', () => {
    const r = computeDailyAqi('HJ633-2026', { so2_24h: 50, no2_24h: 40, co_24h: 2, o3_8h_max: 100, pm10_24h: 50, pm2_5_24h: 36 });
    expect(r).toMatchObject({ aqi: 52, level: 2, primaryPollutants: ['PM2_5'] });
  });
});

describe('missing pollutant', () => {
  it('publishes the AQI of the rest when it exceeds 100', () => {
    const r = computeHourlyAqi('HJ633-2026', { so2_1h: 20, no2_1h: 50, co_1h: 1, o3_1h: 240, pm10_1h: 40 });
    expect(r).toMatchObject({
      aqi: 120,
      aqiComputed: 120,
      level: 3,
      primaryPollutants: ['O3'],
      complete: false,
      missing: ['PM2_5'],
    });
  });

  it('shows the AQI as not available at 100 or below, with the individual values', () => {
    const r = computeHourlyAqi('HJ633-2026', { so2_1h: 20, no2_1h: 50, co_1h: 1, o3_1h: 200, pm10_1h: 40, pm2_5_1h: null });
    expect(r).toMatchObject({
      aqi: null,
      aqiComputed: 100,
      level: null,
      category: null,
      color: null,
      primaryPollutants: [],
      complete: false,
      missing: ['PM2_5'],
    });
    expect(valuesOf(r)).toEqual({ so2_1h: 7, no2_1h: 25, co_1h: 10, o3_1h: 100, pm10_1h: 40 });
  });

  it('publishes from 101', () => {
    // O3 1h 201 -> 100.5 -> 101
    const r = computeHourlyAqi('HJ633-2026', { so2_1h: 20, no2_1h: 50, co_1h: 1, o3_1h: 201, pm10_1h: 40 });
    expect(r.aqi).toBe(101);
  });

  it('has nothing to compute from an empty input', () => {
    const r = computeDailyAqi('HJ633-2026', {});
    expect(r).toMatchObject({ aqi: null, aqiComputed: null, level: null, iaqi: [], complete: false });
    expect(r.missing).toEqual(['SO2', 'NO2', 'CO', 'O3', 'PM10', 'PM2_5']);
  });

  it('refuses a negative concentration rather than scoring it', () => {
    expect(() => computeDailyAqi('HJ633-2026', { so2_24h: -3 })).toThrow(RangeError);
  });
});

// Validity ------------------------------------------------------------------------------------

const local = (day: string, hour: number): Date => new Date(Date.parse(`${day}T00:00:00+08:00`) + hour * 3_600_000);

function daySeries(day: string, value: (hour: number) => number | null, valid: (hour: number) => boolean = () => true): HourlyValue[] {
  return Array.from({ length: 24 }, (_, h) => ({ hourStart: local(day, h), value: value(h), valid: valid(h) }));
}

describe('dailyMean', () => {
  it('needs 20 values: 20 give a mean, 19 do not', () => {
    const twenty = [...Array.from({ length: 20 }, (_, i) => i + 1), null, null, null, null];
    expect(dailyMean(twenty)).toBe(10.5);
    expect(dailyMean(twenty.slice(1))).toBeNull();
  });

  it('rejects a minCount that is not a positive integer', () => {
    expect(() => dailyMean([1], 0)).toThrow(RangeError);
  });
});

describe('dailyMeanForDay', () => {
  const day = '2026-03-05';

  it('averages the 24 hours starting 00:00..23:00 local, with 20 valid', () => {
    const series = daySeries(
      day,
      (h) => (h < 20 ? 10 : 999),
      (h) => h < 20,
    );
    // neighbours that must not leak in
    series.push({ hourStart: local(day, -1), value: 5000, valid: true }, { hourStart: local(day, 24), value: 5000, valid: true });
    expect(dailyMeanForDay(series, day)).toBe(10);
  });

  it('gives nothing with 19 valid hours; invalid values are excluded, not averaged', () => {
    const series = daySeries(
      day,
      (h) => (h < 19 ? 10 : 999),
      (h) => h < 19,
    );
    expect(dailyMeanForDay(series, day)).toBeNull();
    const nulls = daySeries(day, (h) => (h < 19 ? 10 : null));
    expect(dailyMeanForDay(nulls, day)).toBeNull();
  });
});

describe('movingMean8h', () => {
  const day = '2026-03-05';
  const h = local(day, 12);

  it('covers the hours starting h-7 .. h and needs 6 of them', () => {
    const series = daySeries(
      day,
      (hr) => hr,
      (hr) => hr !== 6 && hr !== 7 && hr !== 13,
    );
    // hours 5..12 valid except 6 and 7: 5, 8, 9, 10, 11, 12 -> mean 55 / 6
    expect(movingMean8h(series, h)).toBeCloseTo(55 / 6, 12);
    expect(movingMean8h(series, local(day, 12))).toBe(movingMean8h(HourlyIndex.from(series), h));
  });

  it('gives nothing with 5 of 8', () => {
    const five = daySeries(
      day,
      (hr) => hr,
      (hr) => hr !== 5 && hr !== 6 && hr !== 7,
    );
    expect(movingMean8h(five, h)).toBeNull();
  });

  it('ignores hours outside the window', () => {
    const series = daySeries(day, (hr) => (hr >= 5 && hr <= 12 ? 40 : 1000));
    expect(movingMean8h(series, h)).toBe(40);
  });

  it('refuses an hourStart that is not a whole hour, and duplicate hours', () => {
    expect(() => movingMean8h([], new Date(h.getTime() + 60_000))).toThrow(RangeError);
    const dup = [...daySeries(day, () => 1), { hourStart: local(day, 3), value: 2, valid: true }];
    expect(() => movingMean8h(dup, h)).toThrow(RangeError);
  });
});

describe('movingMean24h', () => {
  const day = '2026-03-05';

  it('covers the hours starting h-23 .. h and needs 20 of them', () => {
    const series = [
      ...daySeries('2026-03-04', () => 1000),
      ...daySeries(
        day,
        (hr) => hr,
        (hr) => hr >= 4,
      ),
    ];
    // hours 04..23 of the day: 20 valid, mean of 4..23 = 13.5
    expect(movingMean24h(series, local(day, 23))).toBe(13.5);
    const nineteen = [
      ...daySeries('2026-03-04', () => 1000),
      ...daySeries(
        day,
        (hr) => hr,
        (hr) => hr >= 5,
      ),
    ];
    expect(movingMean24h(nineteen, local(day, 23))).toBeNull();
  });
});

describe('dailyMaxMoving8h', () => {
  const day = '2026-03-05';
  const withNeighbours = (series: HourlyValue[]): HourlyValue[] => [...daySeries('2026-03-04', () => 1000), ...series, ...daySeries('2026-03-06', () => 1000)];

  it('takes only the 8h periods wholly inside the day (ending 08:00..24:00 local)', () => {
    expect(dailyMaxMoving8h(withNeighbours(daySeries(day, () => 10)), day)).toBe(10);
    // hour 00:00 at 90 is only in the period 00:00-08:00: (90 + 7 * 10) / 8 = 20
    expect(dailyMaxMoving8h(withNeighbours(daySeries(day, (h) => (h === 0 ? 90 : 10))), day)).toBe(20);
    // hour 23:00 at 170 is in the period 16:00-24:00: (170 + 7 * 10) / 8 = 30
    expect(dailyMaxMoving8h(withNeighbours(daySeries(day, (h) => (h === 23 ? 170 : 10))), day)).toBe(30);
  });

  it('skips periods with fewer than 6 valid hours', () => {
    // 20:00 at 1000 is valid, but every period holding it has 1 valid hour; 02:00-10:00 still has 6
    const series = daySeries(
      day,
      (h) => (h === 20 ? 1000 : 10),
      (h) => h <= 7 || h === 20,
    );
    expect(dailyMaxMoving8h(series, day)).toBe(10);
  });

  it('gives nothing when no period has 6 valid hours, or fewer periods than asked for', () => {
    const five = daySeries(
      day,
      () => 10,
      (h) => h >= 10 && h <= 14,
    );
    expect(dailyMaxMoving8h(five, day)).toBeNull();
    const morning = daySeries(
      day,
      () => 10,
      (h) => h <= 7,
    );
    expect(dailyMaxMoving8h(morning, day)).toBe(10);
    // only the periods ending 08:00, 09:00, 10:00 keep 6 valid hours
    expect(dailyMaxMoving8h(morning, day, { minWindows: 3 })).toBe(10);
    expect(dailyMaxMoving8h(morning, day, { minWindows: 4 })).toBeNull();
  });
});

describe('edition per report time', () => {
  const calmDay = { so2_24h: 20, no2_24h: 45, co_24h: 1, o3_1h_max: 100, o3_8h_max: 150, pm10_24h: 120, pm2_5_24h: 80 };
  const scoreDay = (day: string) => computeDailyAqi(editionAt(calendarDayStart(day)), calmDay);

  it('scores the same concentrations differently on each side of the switch', () => {
    expect(scoreDay('2026-02-28')).toMatchObject({ edition: 'HJ633-2012', aqi: 107 });
    expect(scoreDay('2026-03-01')).toMatchObject({ edition: 'HJ633-2026', aqi: 119 });
  });
});

// Kept as a compile-time check that the edition literals stay exported.
const editions: AqiEdition[] = ['HJ633-2012', 'HJ633-2026'];
it('exposes both editions', () => {
  expect(editions.map((e) => computeDailyAqi(e, {}).edition)).toEqual(editions);
});
