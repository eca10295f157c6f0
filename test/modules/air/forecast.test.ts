import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, startTestHub, type TestHub } from '../../support/hub';
import { computeHourlyAqi, editionAt, type HourlyAqiInput, type Pollutant } from '../../../modules/air/service/aqi';
import { gaussian, seeded } from '../../monitoring/forecast/synthetic';
import { createStation, FACTOR, HOUR, hourly, ingest, type HourValues, type PollutantName } from './support';

/** a week of history: more than the forecast's 120-hour minimum */
const DAYS = 7;
const SHORT_HOURS = 48;
/** 1h input item of each pollutant in an HJ 633-2026 hourly report */
const ITEM: Record<PollutantName, keyof HourlyAqiInput> = { SO2: 'so2_1h', NO2: 'no2_1h', CO: 'co_1h', O3: 'o3_1h', PM10: 'pm10_1h', PM2_5: 'pm2_5_1h' };

const FORECAST = `query($code: String!) { airStation(code: $code) {
  monitor { id }
  forecast { issuedFor available unavailableReason
    pollutants { pollutant method fallback reason }
    hours { time hoursAhead edition aqi level category { nameZh nameEn } color primaryPollutants concentrations { pollutant value } } } } }`;
const MONITOR_FORECAST = `query($id: ID!, $factor: String!) { node(id: $id) { ... on Monitor { forecast(factor: $factor, hours: 24) { method points { time value } } } } }`;

interface Hour {
  time: string;
  hoursAhead: number;
  edition: string;
  aqi: number | null;
  level: number | null;
  category: { nameZh: string; nameEn: string } | null;
  color: string | null;
  primaryPollutants: string[];
  concentrations: { pollutant: string; value: number }[];
}
interface StationForecast {
  issuedFor: string | null;
  available: boolean;
  unavailableReason: string | null;
  pollutants: { pollutant: string; method: string | null; fallback: boolean; reason: string }[];
  hours: Hour[];
}
type Result = { airStation: { monitor: { id: string }; forecast: StationForecast | null } | null };

describe.each(ENGINES)('the AQI forecast of an air station (%s)', (engine) => {
  let th: TestHub;
  let admin: string;
  const start = Date.UTC(2026, 10, 1, 0);
  // the clock stands just after the last stored hour
  const now = start + DAYS * 24 * HOUR + 10 * 60_000;
  const random = seeded(7);
  // PM2.5 peaks in the night and morning, O3 in the afternoon: the primary pollutant changes in a day
  const valuesAt = (k: number): HourValues => ({
    PM2_5: 75 + 35 * Math.cos((2 * Math.PI * k) / 24) + gaussian(random),
    O3: 110 + 70 * Math.sin((2 * Math.PI * (k - 4)) / 24) + gaussian(random),
    PM10: 90 + 30 * Math.cos((2 * Math.PI * k) / 24) + gaussian(random),
    NO2: 35 + 10 * Math.cos((2 * Math.PI * k) / 24) + 0.5 * gaussian(random),
    SO2: 8 + 2 * Math.cos((2 * Math.PI * k) / 24) + 0.2 * gaussian(random),
    CO: 0.8 + 0.2 * Math.cos((2 * Math.PI * k) / 24) + 0.01 * gaussian(random),
  });

  beforeAll(async () => {
    th = await startTestHub({
      engine,
      now: () => new Date(now),
      env: { HUB_MODULES: 'air', INTERRUPTION_CHECK_SECONDS: '86400', FORECAST_MIN_HISTORY_HOURS: '120' },
    });
    admin = await th.token({ roles: ['admin'] });
    const cycled = await createStation(th, admin, { code: '9101A' });
    const young = await createStation(th, admin, { code: '9102A' });
    await ingest(th, admin, hourly(cycled.mn, new Date(start), DAYS * 24, valuesAt));
    await ingest(th, admin, hourly(young.mn, new Date(now - SHORT_HOURS * HOUR - 10 * 60_000), SHORT_HOURS, valuesAt));
  });
  afterAll(async () => th?.stop());

  const read = async (code: string, token: string) => (await th.graphql<Result>(FORECAST, { code }, token)).body;

  it('gives 24 hours whose AQI and primary pollutant are the forecast concentrations scored', async () => {
    const body = await read('9101A', admin);
    expect(body.errors).toBeUndefined();
    const station = body.data!.airStation!;
    const forecast = station.forecast!;
    expect(forecast.available).toBe(true);
    expect(forecast.unavailableReason).toBeNull();
    expect(forecast.issuedFor).toBe(new Date(start + (DAYS * 24 - 1) * HOUR).toISOString());
    expect(forecast.pollutants.map((p) => p.pollutant).sort()).toEqual(Object.keys(FACTOR).sort());
    for (const p of forecast.pollutants) expect(['HOLT_WINTERS', 'PERSISTENCE', 'SEASONAL_NAIVE']).toContain(p.method);
    expect(forecast.hours).toHaveLength(24);
    expect(forecast.hours.map((h) => h.hoursAhead)).toEqual(Array.from({ length: 24 }, (_, i) => i + 1));

    // the same series forecast by the monitoring core, scored by the HJ 633 functions
    const expected = new Map<string, Partial<HourlyAqiInput>>();
    for (const [name, factor] of Object.entries(FACTOR) as [PollutantName, string][]) {
      const { body: monitorBody } = await th.graphql<{ node: { forecast: { method: string; points: { time: string; value: number }[] } } }>(
        MONITOR_FORECAST,
        { id: station.monitor.id, factor },
        admin,
      );
      const series = monitorBody.data!.node.forecast;
      expect(forecast.pollutants.find((p) => p.pollutant === name)!.method).toBe(series.method);
      for (const point of series.points) expected.set(point.time, { ...expected.get(point.time), [ITEM[name]]: Math.max(0, point.value) });
    }
    for (const hour of forecast.hours) {
      const input = expected.get(hour.time);
      expect(input).toBeDefined();
      const scored = computeHourlyAqi(editionAt(new Date(hour.time)), input as HourlyAqiInput);
      expect(hour.edition).toBe('HJ633_2026');
      expect(hour.aqi).toBe(scored.aqi);
      expect(hour.level).toBe(scored.level);
      expect(hour.category?.nameZh).toBe(scored.category?.zh);
      expect(hour.primaryPollutants).toEqual(scored.primaryPollutants);
      for (const c of hour.concentrations) expect(c.value).toBeCloseTo(input![ITEM[c.pollutant as PollutantName]] as number, 6);
    }
    // the primary pollutant follows the cycles: PM2.5 in the night, O3 in the afternoon
    const primaries = new Set(forecast.hours.flatMap((h) => h.primaryPollutants as Pollutant[]));
    expect(primaries.has('PM2_5')).toBe(true);
    expect(primaries.has('O3')).toBe(true);
  });

  it('expects a polluted category at the peak hour', async () => {
    const hours = (await read('9101A', admin)).data!.airStation!.forecast!.hours;
    const peak = hours.reduce((a, b) => ((b.aqi ?? 0) > (a.aqi ?? 0) ? b : a));
    // PM2.5 near 110 ug/m3 at its peak scores about 145: 轻度污染
    expect(peak.aqi).toBeGreaterThan(100);
    expect(peak.level).toBe(3);
    expect(peak.category).toEqual({ nameZh: '轻度污染', nameEn: expect.any(String) });
    expect(peak.color).not.toBeNull();
  });

  it('gives the reason when a station has too little history', async () => {
    const forecast = (await read('9102A', admin)).data!.airStation!.forecast!;
    expect(forecast.available).toBe(false);
    expect(forecast.unavailableReason).toMatch(/minimum history/);
    expect(forecast.issuedFor).toBeNull();
    expect(forecast.hours).toEqual([]);
    for (const p of forecast.pollutants) {
      expect(p.method).toBeNull();
      expect(p.reason).toMatch(/minimum history/);
    }
  });

  it('is read by staff and upstream platforms, not by an enterprise', async () => {
    const upstream = await read('9101A', await th.token({ roles: ['upstream'] }));
    expect(upstream.data!.airStation!.forecast!.hours).toHaveLength(24);
    const enterprise = await read('9101A', await th.token({ roles: ['enterprise'], enterprise: '91510112MA6CAAAAA1' }));
    expect(enterprise.data?.airStation ?? null).toBeNull();
  });
});
