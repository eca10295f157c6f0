import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, startTestHub, type TestHub } from '../../support/hub';
import { createMonitor, ingest, setLimit } from '../../support/monitoring';
import { series, truth, type Shape } from './synthetic';

const HOUR = 3_600_000;
const DAYS = 9;
const SHAPE: Shape = { base: 40, slope: 0.03, amplitude: 15, noise: 1.5 };
const USCC = '91510112MA6CAAAAA1';

describe.each(ENGINES)('forecasts of a monitor’s hourly series (%s)', (engine) => {
  let th: TestHub;
  let admin: string;
  let monitorId: string;
  // the clock stands just after the last stored hour
  const start = Date.UTC(2026, 10, 1, 0);
  const now = start + DAYS * 24 * HOUR + 10 * 60_000;

  beforeAll(async () => {
    th = await startTestHub({ engine, now: () => new Date(now), env: { FORECAST_MIN_HISTORY_HOURS: '120' } });
    admin = await th.token({ roles: ['admin'] });
    monitorId = await createMonitor(th, admin, { mn: 'FC-OUTLET-1', enterpriseUscc: USCC, intervalSeconds: 3600 });
    await setLimit(th, admin, { monitor: monitorId, factor: 'w01018', period: 'HOUR', upper: 100 });
    const values = series(SHAPE, DAYS * 24, 3);
    await ingest(
      th,
      admin,
      values.map((value, hour) => ({ mn: 'FC-OUTLET-1', interval: 'HOUR', time: new Date(start + hour * HOUR), value })),
    );
  });
  afterAll(async () => th.stop());

  const FORECAST = `query($id: ID!, $hours: Int) { node(id: $id) { ... on Monitor { forecast(factor: "w01018", hours: $hours) {
    method fallback reason intervalLevel issuedFor limitUpper points { time hoursAhead value lower upper outsideProbability } } } } }`;

  it('forecasts the next hours along the series’ trend and cycle, inside an interval', async () => {
    const { body } = await th.graphql<{
      node: {
        forecast: {
          method: string;
          fallback: boolean;
          intervalLevel: number;
          issuedFor: string;
          limitUpper: number;
          points: { time: string; hoursAhead: number; value: number; lower: number; upper: number; outsideProbability: number }[];
        };
      };
    }>(FORECAST, { id: monitorId, hours: 6 }, admin);
    const forecast = body.data!.node.forecast;
    expect(forecast.method).toBe('HOLT_WINTERS');
    expect(forecast.fallback).toBe(false);
    expect(forecast.intervalLevel).toBe(0.9);
    expect(forecast.limitUpper).toBe(100);
    const last = DAYS * 24 - 1;
    expect(new Date(forecast.issuedFor).getTime()).toBe(start + last * HOUR);
    expect(forecast.points).toHaveLength(6);
    for (const point of forecast.points) {
      expect(new Date(point.time).getTime()).toBe(start + (last + point.hoursAhead) * HOUR);
      expect(Math.abs(point.value - truth(SHAPE, last + point.hoursAhead))).toBeLessThan(3 * SHAPE.noise);
      expect(point.lower).toBeLessThan(point.value);
      expect(point.upper).toBeGreaterThan(point.value);
      // about 55 to 80 against a limit of 100
      expect(point.outsideProbability).toBeLessThan(0.01);
    }
  });

  it('gives no forecast to a series with too little history, and none to a viewer who cannot see the monitor', async () => {
    const other = await createMonitor(th, admin, { mn: 'FC-OUTLET-2', intervalSeconds: 3600 });
    await ingest(
      th,
      admin,
      series(SHAPE, 48, 4).map((value, hour) => ({ mn: 'FC-OUTLET-2', interval: 'HOUR', time: new Date(now - (48 - hour) * HOUR), value })),
    );
    const short = await th.graphql<{ node: { forecast: unknown } }>(FORECAST, { id: other }, admin);
    expect(short.body.data!.node.forecast).toBeNull();
    const stranger = await th.token({ roles: ['enterprise'], enterprise: '91510112MA6CBBBBB2' });
    const hidden = await th.graphql<{ node: unknown }>(FORECAST, { id: monitorId }, stranger);
    expect(hidden.body.data!.node).toBeNull();
    const owner = await th.token({ roles: ['enterprise'], enterprise: USCC });
    const own = await th.graphql<{ node: { forecast: { points: unknown[] } } }>(FORECAST, { id: monitorId, hours: 24 }, owner);
    expect(own.body.data!.node.forecast.points).toHaveLength(24);
  });

  it('refuses a horizon beyond a day', async () => {
    const { body } = await th.graphql(FORECAST, { id: monitorId, hours: 25 }, admin);
    expect(body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('backtests the methods over the stored history for an administrator', async () => {
    const { body } = await th.graphql<{
      forecastBacktest: {
        hours: number;
        origins: number;
        chosen: string;
        fallback: boolean;
        reason: string;
        limitUpper: number;
        methods: {
          method: string;
          meanAbsoluteError: number;
          horizons: { hoursAhead: number; meanAbsoluteError: number; intervalCoverage: number; scored: number }[];
        }[];
      };
    }>(
      `query($m: ID!, $from: DateTime) { forecastBacktest(monitor: $m, factor: "w01018", from: $from, horizon: 6) {
        hours origins chosen fallback reason limitUpper
        methods { method meanAbsoluteError crossings detected meanLeadHours horizons { hoursAhead meanAbsoluteError scored intervalCoverage probabilityOfDetection falseAlarmRatio hits misses falseAlarms } } } }`,
      { m: monitorId, from: new Date(start).toISOString() },
      admin,
    );
    const backtest = body.data!.forecastBacktest;
    expect(backtest.hours).toBe(DAYS * 24);
    // origins from the minimum history on, each with six hours still to come, the last one with at least one
    expect(backtest.origins).toBe(DAYS * 24 - 1 - 119);
    expect(backtest.chosen).toBe('HOLT_WINTERS');
    expect(backtest.fallback).toBe(false);
    expect(backtest.methods.map((m) => m.method)).toEqual(['HOLT_WINTERS', 'PERSISTENCE', 'SEASONAL_NAIVE']);
    const [model, persistence, seasonal] = backtest.methods;
    expect(model!.meanAbsoluteError).toBeLessThan(Math.min(persistence!.meanAbsoluteError, seasonal!.meanAbsoluteError));
    expect(model!.horizons.map((h) => h.hoursAhead)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(model!.horizons[5]!.scored).toBe(backtest.origins - 5);
  });
});
