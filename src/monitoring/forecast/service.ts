import type { MonitoringDeps } from '../deps';
import type { Limit, Monitor } from '../types';
import { backtestSeries, forecastSeries, outsideProbability, type Backtest, type BacktestOptions, type ForecastPoint, type SeriesBounds } from './backtest';
import { hourlyHistory, hourOf } from './history';
import { DEFAULT_ROLLING, type ForecastMethod } from './rolling';

const DAY_MS = 86_400_000;
/** the nominal share of every interval the hub shows */
export const INTERVAL_LEVEL = 0.9;
export const MAX_FORECAST_HOURS = 24;

export interface MonitorForecast {
  monitorId: number;
  factor: string;
  method: ForecastMethod;
  fallback: boolean;
  reason: string;
  level: number;
  /** the last hour of history the forecast starts from */
  issuedFor: Date;
  limit: Limit | undefined;
  /** the newest valid value of the history, on the limit's basis */
  lastValue: number | null;
  points: (ForecastPoint & { time: Date; outsideProbability: number | null })[];
}

export interface BacktestQuery {
  from: Date;
  to: Date;
  horizon: number;
  /** FORECAST_WARNING_PROBABILITY unless given */
  probability?: number | undefined;
}

export interface SeriesBacktest extends Backtest {
  monitorId: number;
  factor: string;
  hours: number;
  limit: Limit | undefined;
}

export function boundsOf(limit: Limit | undefined): SeriesBounds | undefined {
  return limit && (limit.upper !== null || limit.lower !== null) ? { upper: limit.upper, lower: limit.lower } : undefined;
}

export function backtestOptions(
  deps: Pick<MonitoringDeps, 'settings'>,
  horizon: number,
  probability = deps.settings.forecast.warningProbability,
): BacktestOptions {
  return { ...DEFAULT_ROLLING, horizon, probability, level: INTERVAL_LEVEL, scoreFrom: deps.settings.forecast.minHistoryHours - 1 };
}

/**
 * The next `hours` hours of one series from its stored hourly values, by the method its own
 * backtest over the same history chose; undefined when the series has too little history.
 */
export async function forecastMonitor(
  deps: MonitoringDeps,
  monitor: Pick<Monitor, 'id' | 'kind'>,
  factor: string,
  hours: number,
): Promise<MonitorForecast | undefined> {
  const now = deps.now();
  const history = await hourlyHistory(deps, monitor, factor, new Date(now.getTime() - deps.settings.forecast.historyDays * DAY_MS), now);
  const known = history.values.filter((v) => v !== null).length;
  if (known < deps.settings.forecast.minHistoryHours) return undefined;
  const bounds = boundsOf(history.limit);
  const forecast = forecastSeries(history.values, bounds, backtestOptions(deps, hours));
  if (!forecast) return undefined;
  const last = history.values.length - 1;
  return {
    monitorId: monitor.id,
    factor,
    method: forecast.method,
    fallback: forecast.fallback,
    reason: forecast.reason,
    level: forecast.level,
    issuedFor: hourOf(history, last),
    limit: history.limit,
    lastValue: [...history.values].reverse().find((v): v is number => v !== null) ?? null,
    points: forecast.points.map((point) => ({
      ...point,
      time: hourOf(history, last + point.hours),
      outsideProbability: bounds ? outsideProbability(point.mean, point.sigma, bounds) : null,
    })),
  };
}

/** The rolling-origin backtest of one series over a stored range: what an administrator checks a method by. */
export async function backtestMonitor(
  deps: MonitoringDeps,
  monitor: Pick<Monitor, 'id' | 'kind'>,
  factor: string,
  query: BacktestQuery,
): Promise<SeriesBacktest> {
  const history = await hourlyHistory(deps, monitor, factor, query.from, query.to);
  const { backtest } = backtestSeries(history.values, boundsOf(history.limit), backtestOptions(deps, query.horizon, query.probability));
  return { ...backtest, monitorId: monitor.id, factor, hours: history.values.length, limit: history.limit };
}
