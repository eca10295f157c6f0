import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  computeDailyAqi,
  computeHourlyAqi,
  iaqi,
  roundUpIaqi,
  type AqiEdition,
  type AqiResult,
  type Averaging,
  type DailyAqiInput,
  type HourlyAqiInput,
  type Pollutant,
} from '../../../modules/air/service/aqi';
import { dailyMean } from '../../../modules/air/service/averaging';

const EDITIONS: AqiEdition[] = ['HJ633-2012', 'HJ633-2026'];

/** Every column with the largest concentration its table covers; SO2 1h and O3 8h end at 800. */
const COLUMNS: { pollutant: Pollutant; averaging: Averaging; top: number; full: boolean }[] = [
  { pollutant: 'SO2', averaging: '24h', top: 2620, full: true },
  { pollutant: 'SO2', averaging: '1h', top: 800, full: false },
  { pollutant: 'NO2', averaging: '24h', top: 940, full: true },
  { pollutant: 'NO2', averaging: '1h', top: 3840, full: true },
  { pollutant: 'PM10', averaging: '24h', top: 600, full: true },
  { pollutant: 'CO', averaging: '24h', top: 60, full: true },
  { pollutant: 'CO', averaging: '1h', top: 150, full: true },
  { pollutant: 'O3', averaging: '1h', top: 1200, full: true },
  { pollutant: 'O3', averaging: '8h', top: 800, full: false },
  { pollutant: 'PM2_5', averaging: '24h', top: 500, full: true },
];

const concentrationIn = (top: number, full: boolean) => fc.double({ min: 0, max: full ? top * 1.5 : top, noNaN: true, noDefaultInfinity: true });

describe('IAQI properties', () => {
  for (const edition of EDITIONS) {
    for (const col of COLUMNS) {
      const name = `${edition} ${col.pollutant} ${col.averaging}`;

      it(`${name}: monotone non-decreasing in concentration`, () => {
        fc.assert(
          fc.property(concentrationIn(col.top, col.full), concentrationIn(col.top, col.full), (a, b) => {
            const [lo, hi] = a <= b ? [a, b] : [b, a];
            const vLo = iaqi(edition, col.pollutant, col.averaging, lo)?.value;
            const vHi = iaqi(edition, col.pollutant, col.averaging, hi)?.value;
            expect(vLo).toBeDefined();
            expect(vHi).toBeDefined();
            expect(vLo ?? Number.NaN).toBeLessThanOrEqual(vHi ?? Number.NaN);
          }),
        );
      });

      it(`${name}: an integer in [0, 500], beyond the scale exactly when above the 500 row`, () => {
        fc.assert(
          fc.property(concentrationIn(col.top, col.full), (c) => {
            const r = iaqi(edition, col.pollutant, col.averaging, c);
            expect(r).toBeDefined();
            if (!r) return;
            expect(Number.isInteger(r.value)).toBe(true);
            expect(r.value).toBeGreaterThanOrEqual(0);
            expect(r.value).toBeLessThanOrEqual(500);
            if (r.concentrationUsed > col.top * (1 + 1e-9)) expect(r).toMatchObject({ value: 500, beyondScale: true });
            if (r.concentrationUsed <= col.top) expect(r.beyondScale).toBe(false);
          }),
        );
      });
    }
  }

  it('the editions agree on integer concentrations outside the two particulate columns', () => {
    const shared = COLUMNS.filter((c) => c.pollutant !== 'PM10' && c.pollutant !== 'PM2_5');
    fc.assert(
      fc.property(fc.constantFrom(...shared), fc.integer({ min: 0, max: 4000 }), (col, n) => {
        // CO is rounded to 0.1 under 2026, so feed it values already on that grid
        const c = col.pollutant === 'CO' ? n / 10 : n;
        if (!col.full && c > col.top) return;
        expect(iaqi('HJ633-2026', col.pollutant, col.averaging, c)).toEqual(iaqi('HJ633-2012', col.pollutant, col.averaging, c));
      }),
    );
  });

  it('roundUpIaqi never rounds down and never adds a whole point', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 500, noNaN: true }), (x) => {
        const r = roundUpIaqi(x);
        expect(Number.isInteger(r)).toBe(true);
        expect(r).toBeGreaterThanOrEqual(x - 1e-9);
        expect(r).toBeLessThan(x + 1);
      }),
    );
  });

  it('roundUpIaqi absorbs noise around any integer', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 500 }), fc.double({ min: -1e-10, max: 1e-10, noNaN: true }), (n, noise) => {
        expect(roundUpIaqi(n + noise)).toBe(n);
      }),
    );
  });
});

// Report inputs ------------------------------------------------------------------------------

const maybe = (arb: fc.Arbitrary<number>, complete: boolean): fc.Arbitrary<number | null> => (complete ? arb : fc.option(arb, { nil: null, freq: 3 }));

const conc = (max: number) => fc.double({ min: 0, max, noNaN: true, noDefaultInfinity: true });

const hourlyInput = (complete: boolean): fc.Arbitrary<HourlyAqiInput> =>
  fc.record({
    so2_1h: maybe(conc(1200), complete),
    so2_24h: maybe(conc(3000), complete),
    no2_1h: maybe(conc(4500), complete),
    co_1h: maybe(conc(180), complete),
    o3_1h: maybe(conc(1500), complete),
    o3_8h: maybe(conc(1000), complete),
    pm10_1h: maybe(conc(800), complete),
    pm2_5_1h: maybe(conc(700), complete),
    pm10_24h: maybe(conc(800), complete),
    pm2_5_24h: maybe(conc(700), complete),
  });

const dailyInput = (complete: boolean): fc.Arbitrary<DailyAqiInput> =>
  fc.record({
    so2_24h: maybe(conc(3000), complete),
    no2_24h: maybe(conc(1100), complete),
    co_24h: maybe(conc(70), complete),
    o3_1h_max: maybe(conc(1500), complete),
    o3_8h_max: maybe(conc(1000), complete),
    pm10_24h: maybe(conc(800), complete),
    pm2_5_24h: maybe(conc(700), complete),
  });

const reports = (complete: boolean): fc.Arbitrary<AqiResult> =>
  fc.oneof(
    fc.tuple(fc.constantFrom(...EDITIONS), hourlyInput(complete)).map(([e, i]) => computeHourlyAqi(e, i)),
    fc.tuple(fc.constantFrom(...EDITIONS), dailyInput(complete)).map(([e, i]) => computeDailyAqi(e, i)),
  );

const maxIaqi = (r: AqiResult): number | null => (r.iaqi.length === 0 ? null : Math.max(...r.iaqi.map((e) => e.value)));

describe('AQI properties', () => {
  it('a complete report publishes the largest IAQI, an integer in [0, 500]', () => {
    fc.assert(
      fc.property(reports(true), (r) => {
        expect(r.complete).toBe(true);
        expect(r.aqi).toBe(maxIaqi(r));
        expect(r.aqiComputed).toBe(r.aqi);
        const aqi = r.aqi ?? Number.NaN;
        expect(Number.isInteger(aqi)).toBe(true);
        expect(aqi).toBeGreaterThanOrEqual(0);
        expect(aqi).toBeLessThanOrEqual(500);
        expect(r.level).not.toBeNull();
      }),
    );
  });

  it('an incomplete report publishes the largest IAQI only above 100', () => {
    fc.assert(
      fc.property(reports(false), (r) => {
        expect(r.aqiComputed).toBe(maxIaqi(r));
        const computed = r.aqiComputed;
        if (r.complete) expect(r.aqi).toBe(computed);
        else expect(r.aqi).toBe(computed !== null && computed > 100 ? computed : null);
        expect(r.complete).toBe(r.missingItems.length === 0);
        expect(r.level === null).toBe(r.aqi === null);
      }),
    );
  });

  it('primary pollutants are exactly those at the AQI, and none at 50 or below', () => {
    fc.assert(
      fc.property(reports(false), (r) => {
        if (r.aqi === null || r.aqi <= 50) {
          expect(r.primaryPollutants).toEqual([]);
          return;
        }
        const atAqi = new Set(r.iaqi.filter((e) => e.value === r.aqi).map((e) => e.pollutant));
        expect(new Set(r.primaryPollutants)).toEqual(atAqi);
        expect(r.primaryPollutants.length).toBe(atAqi.size);
      }),
    );
  });

  it('non-attainment lists exactly the pollutants with an IAQI above 100', () => {
    fc.assert(
      fc.property(reports(false), (r) => {
        const above = new Set(r.iaqi.filter((e) => e.value > 100).map((e) => e.pollutant));
        expect(new Set(r.nonAttainment)).toEqual(above);
        expect(r.nonAttainmentBasis).toBe(r.edition === 'HJ633-2012' ? 'HJ633-2012' : 'local-rule');
      }),
    );
  });
});

describe('validity properties', () => {
  it('a daily mean exists exactly when at least 20 values are present, and lies within them', () => {
    fc.assert(
      fc.property(fc.array(fc.option(fc.double({ min: 0, max: 1000, noNaN: true }), { nil: null }), { maxLength: 24 }), (values) => {
        const present = values.filter((v): v is number => v !== null);
        const mean = dailyMean(values);
        if (present.length < 20) {
          expect(mean).toBeNull();
          return;
        }
        expect(mean).not.toBeNull();
        expect(mean ?? Number.NaN).toBeGreaterThanOrEqual(Math.min(...present) - 1e-9);
        expect(mean ?? Number.NaN).toBeLessThanOrEqual(Math.max(...present) + 1e-9);
      }),
    );
  });
});
