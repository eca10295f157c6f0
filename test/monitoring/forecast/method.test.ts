import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { backtestSeries, forecastSeries, outsideProbability, type BacktestOptions } from '../../../src/monitoring/forecast/backtest';
import { chooseParams, runHoltWinters } from '../../../src/monitoring/forecast/holt-winters';
import { centralZ, normalCdf } from '../../../src/monitoring/forecast/normal';
import { DEFAULT_ROLLING } from '../../../src/monitoring/forecast/rolling';
import { seeded, series, truth, type Shape } from './synthetic';

const OPTIONS: BacktestOptions = { ...DEFAULT_ROLLING, probability: 0.5, level: 0.9, scoreFrom: 5 * 24 };

describe('the normal distribution', () => {
  it('has the textbook values', () => {
    expect(normalCdf(0)).toBeCloseTo(0.5, 6);
    expect(normalCdf(1.959964)).toBeCloseTo(0.975, 5);
    expect(normalCdf(-1)).toBeCloseTo(0.158655, 5);
    expect(centralZ(0.9)).toBeCloseTo(1.644854, 4);
  });

  it('is monotone and symmetric', () => {
    fc.assert(
      fc.property(fc.double({ min: -8, max: 8, noNaN: true }), fc.double({ min: 0, max: 4, noNaN: true }), (x, d) => {
        // the approximation is good to 1.2e-7, so order is only checked beyond that
        expect(normalCdf(x + d)).toBeGreaterThanOrEqual(normalCdf(x) - 1e-6);
        expect(normalCdf(x) + normalCdf(-x)).toBeCloseTo(1, 6);
      }),
    );
  });
});

describe('Holt-Winters on a series with a known trend and daily cycle', () => {
  it('follows a noiseless series to within a few hundredths of its cycle', () => {
    const shape: Shape = { base: 40, slope: 0.1, amplitude: 12, noise: 0 };
    const values = series(shape, 10 * 24, 1);
    const params = chooseParams(values)!;
    const model = runHoltWinters(values, params)!;
    for (let h = 1; h <= 6; h += 1) expect(Math.abs(model.forecast(h) - truth(shape, values.length - 1 + h))).toBeLessThan(0.05 * shape.amplitude);
  });

  it('carries on through missing hours', () => {
    const shape: Shape = { base: 40, slope: 0.05, amplitude: 8, noise: 0 };
    const values: (number | null)[] = series(shape, 10 * 24, 1);
    for (let i = 100; i < values.length; i += 7) values[i] = null;
    values[values.length - 2] = null;
    const model = runHoltWinters(values, chooseParams(values)!)!;
    expect(Math.abs(model.forecast(1) - truth(shape, values.length))).toBeLessThan(0.1 * shape.amplitude);
  });

  it('refuses to start on less than two days', () => {
    expect(chooseParams(series({ base: 1, slope: 0, amplitude: 1, noise: 0 }, 40, 1))).toBeUndefined();
  });

  it('tracks random trends and cycles, and its 90 % interval covers about 90 %', () => {
    fc.assert(
      fc.property(
        fc.record({
          base: fc.double({ min: 10, max: 200, noNaN: true }),
          slope: fc.double({ min: -0.1, max: 0.2, noNaN: true }),
          amplitude: fc.double({ min: 2, max: 40, noNaN: true }),
          noise: fc.double({ min: 0.5, max: 5, noNaN: true }),
        }),
        fc.integer({ min: 1, max: 1_000_000 }),
        (shape, seed) => {
          const values = series(shape, 16 * 24, seed);
          const { backtest } = backtestSeries(values, undefined, OPTIONS);
          const model = backtest.methods.find((m) => m.method === 'HOLT_WINTERS')!;
          // the error of a forecast that knows the shape is the noise: mean |N(0, s)| = 0.8 s
          expect(model.mae!).toBeLessThan(2 * shape.noise);
          for (const horizon of model.horizons) {
            expect(horizon.coverage!).toBeGreaterThan(0.8);
            expect(horizon.coverage!).toBeLessThan(0.99);
          }
          expect(backtest.chosen).toBe('HOLT_WINTERS');
        },
      ),
      { numRuns: 12, seed: 212 },
    );
  });

  it('forecasts the next hours inside its interval around the true values', () => {
    const shape: Shape = { base: 60, slope: 0.08, amplitude: 15, noise: 2 };
    const values = series(shape, 14 * 24, 7);
    const forecast = forecastSeries(values, undefined, OPTIONS)!;
    expect(forecast.method).toBe('HOLT_WINTERS');
    expect(forecast.points).toHaveLength(6);
    for (const point of forecast.points) {
      const expected = truth(shape, values.length - 1 + point.hours);
      expect(Math.abs(point.mean - expected)).toBeLessThan(3 * shape.noise);
      expect(point.upper - point.lower).toBeGreaterThan(0);
    }
    const widths = forecast.points.map((p) => p.upper - p.lower);
    for (let k = 1; k < widths.length; k += 1) expect(widths[k]!).toBeGreaterThanOrEqual(widths[k - 1]! - 1e-9);
  });
});

describe('the fallback to a baseline', () => {
  it('uses seasonal naive on a series that repeats its day exactly, and says so', () => {
    const random = seeded(5);
    const day = Array.from({ length: 24 }, () => Math.round(random() * 100));
    const values = Array.from({ length: 12 * 24 }, (_, t) => day[t % 24]!);
    const forecast = forecastSeries(values, undefined, OPTIONS)!;
    expect(forecast.method).toBe('SEASONAL_NAIVE');
    expect(forecast.fallback).toBe(true);
    expect(forecast.reason).toMatch(/does not beat SEASONAL_NAIVE/);
    forecast.points.forEach((point) => expect(point.mean).toBe(day[(values.length - 1 + point.hours) % 24]));
  });

  it('uses persistence on a series that is flat between rare steps', () => {
    const values = Array.from({ length: 12 * 24 }, (_, t) => 20 + 5 * Math.floor(t / 100));
    const forecast = forecastSeries(values, undefined, OPTIONS)!;
    expect(forecast.method).toBe('PERSISTENCE');
    expect(forecast.fallback).toBe(true);
  });
});

describe('the onset scores', () => {
  it('detects crossings of a rising series ahead of time, with few false alarms', () => {
    // each day the cycle rises well past the limit and falls back: about 8 units an hour at the crossing
    const shape: Shape = { base: 50, slope: 0.02, amplitude: 40, noise: 1.5 };
    const values = series(shape, 16 * 24, 11);
    const { backtest } = backtestSeries(values, { upper: 75, lower: null }, OPTIONS);
    const model = backtest.methods.find((m) => m.method === 'HOLT_WINTERS')!;
    expect(model.crossings).toBeGreaterThan(8);
    expect(model.detected / model.crossings).toBeGreaterThan(0.7);
    expect(model.meanLeadHours!).toBeGreaterThan(1);
    const h1 = model.horizons[0]!;
    expect(h1.pod!).toBeGreaterThan(0.5);
    expect(h1.far!).toBeLessThan(0.5);
    const persistence = backtest.methods.find((m) => m.method === 'PERSISTENCE')!;
    expect(persistence.meanLeadHours ?? 0).toBeLessThan(model.meanLeadHours!);
  });

  it('gives the chance of being outside either bound', () => {
    expect(outsideProbability(10, 1, { upper: 10, lower: null })).toBeCloseTo(0.5, 6);
    expect(outsideProbability(7, 1, { upper: 9, lower: 6 })).toBeCloseTo(1 - normalCdf(2) + normalCdf(-1), 6);
    expect(outsideProbability(5, 0, { upper: 4, lower: null })).toBe(1);
  });
});
