import { describe, expect, it } from 'vitest';
import { computeHourlyAqi, POLLUTANTS, type Pollutant } from '../../../modules/air/service/aqi';
import { HourlyIndex } from '../../../modules/air/service/averaging';
import { scoreForecastHours, withForecasts } from '../../../modules/air/service/forecast';
import type { StationSeries } from '../../../modules/air/service/series';
import type { MonitorForecast } from '../../../src/monitoring/public';

const HOUR = 3_600_000;

function stationSeries(values: Partial<Record<Pollutant, [number, number][]>>): StationSeries {
  return Object.fromEntries(
    POLLUTANTS.map((p) => [p, HourlyIndex.from((values[p] ?? []).map(([t, value]) => ({ hourStart: new Date(t), value, valid: true })))]),
  ) as unknown as StationSeries;
}

function forecastOf(issuedMs: number, means: number[]): MonitorForecast {
  return {
    monitorId: 1,
    factor: 'x',
    method: 'HOLT_WINTERS',
    fallback: false,
    reason: '',
    level: 0.9,
    issuedFor: new Date(issuedMs),
    limit: undefined,
    lastValue: null,
    points: means.map((mean, i) => ({
      hours: i + 1,
      mean,
      sigma: 1,
      lower: mean - 1,
      upper: mean + 1,
      time: new Date(issuedMs + (i + 1) * HOUR),
      outsideProbability: null,
    })),
  };
}

describe('scoring forecast hours', () => {
  // 2026-11-01 00:00 UTC: HJ 633-2026, where an hourly report scores the 1h values only
  const issued = Date.UTC(2026, 10, 1, 0);

  it('scores each forecast hour as computeHourlyAqi does on the forecast concentrations', () => {
    const series = withForecasts(
      stationSeries({}),
      issued,
      issued + HOUR,
      new Map([
        ['PM2_5', forecastOf(issued, [50, 120, 20])],
        ['O3', forecastOf(issued, [180, 90, 300])],
        ['SO2', forecastOf(issued, [5, 5, 5])],
        ['NO2', forecastOf(issued, [20, 20, 20])],
        ['CO', forecastOf(issued, [0.5, 0.5, 0.5])],
        ['PM10', forecastOf(issued, [40, 40, 40])],
      ]),
    );
    const hours = scoreForecastHours(series, issued, 3);
    expect(hours.map((h) => h.hoursAhead)).toEqual([1, 2, 3]);
    expect(hours.map((h) => h.time.getTime())).toEqual([issued + HOUR, issued + 2 * HOUR, issued + 3 * HOUR]);
    const inputs = [
      { pm2_5_1h: 50, o3_1h: 180 },
      { pm2_5_1h: 120, o3_1h: 90 },
      { pm2_5_1h: 20, o3_1h: 300 },
    ];
    hours.forEach((hour, i) => {
      const expected = computeHourlyAqi('HJ633-2026', { so2_1h: 5, no2_1h: 20, co_1h: 0.5, pm10_1h: 40, ...inputs[i] });
      expect(hour.aqi).not.toBeNull();
      expect(hour.aqi).toBe(expected.aqi);
      expect(hour.primaryPollutants).toEqual(expected.primaryPollutants);
      expect(hour.category).toEqual(expected.category);
    });
    expect(hours[2]!.primaryPollutants).toEqual(['O3']);
    expect(hours[1]!.primaryPollutants).toEqual(['PM2_5']);
  });

  it('scores a forecast below zero as zero', () => {
    const series = withForecasts(stationSeries({}), issued, issued + HOUR, new Map([['SO2', forecastOf(issued, [-3])]]));
    expect(scoreForecastHours(series, issued, 1)[0]!.concentrations).toEqual([{ pollutant: 'SO2', value: 0 }]);
  });

  it('keeps a stored value over the forecast of a series that lags', () => {
    const stored = stationSeries({ NO2: [[issued + HOUR, 40]] });
    // NO2's own forecast started an hour earlier than the station's newest hour
    const series = withForecasts(stored, issued - HOUR, issued + 2 * HOUR, new Map([['NO2', forecastOf(issued - HOUR, [10, 99, 11])]]));
    expect(series.NO2.get(issued)).toBe(10);
    expect(series.NO2.get(issued + HOUR)).toBe(40);
    expect(series.NO2.get(issued + 2 * HOUR)).toBe(11);
  });

  it('under HJ 633-2012 feeds the moving means with the stored hours before the forecast', () => {
    // 2025-11-01 00:00 UTC: HJ 633-2012, whose hourly report also scores the 24h moving PM2.5 mean
    const old = Date.UTC(2025, 10, 1, 0);
    const history: [number, number][] = Array.from({ length: 23 }, (_, k) => [old - (22 - k) * HOUR, 100]);
    const series = withForecasts(stationSeries({ PM2_5: history }), old - 22 * HOUR, old + HOUR, new Map([['PM2_5', forecastOf(old, [100])]]));
    const [hour] = scoreForecastHours(series, old, 1);
    expect(hour!.edition).toBe('HJ633-2012');
    // 24 hours of 100 ug/m3 (23 stored, one forecast): a 24h mean of 100 scores 100 + 50 x 25/40, rounded up: 132
    const mean = hour!.iaqi.find((e) => e.item === 'pm2_5_24h');
    expect(mean?.concentration).toBe(100);
    expect(mean?.value).toBe(132);
  });
});
