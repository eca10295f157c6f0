/**
 * The next hours of a station's AQI: each pollutant's hourly concentration forecast by the
 * monitoring core's forecast service, then scored with HJ 633 like a measured hour. The forecast
 * concentrations go through the same scoring as measured ones, so a forecast AQI never follows a
 * rule of its own.
 */
import type { Viewer } from '../../../src/auth/viewer';
import type { ForecastMethod, MonitorForecast } from '../../../src/monitoring/public';
import { POLLUTANTS, type AqiResult, type Pollutant } from './aqi';
import { HourlyIndex, type HourlyValue } from './averaging';
import type { AirDeps } from './deps';
import { floorHour, HOUR_MS, hourlyAqiAt, POLLUTANT_FACTORS, readStationSeries, type StationSeries } from './series';
import { canReadAir, type AirStation } from './stations';

/** A day ahead: the forecast service's longest horizon. */
export const AIR_FORECAST_HOURS = 24;
/** Stored hours before the forecast that the 2012 edition's moving means (up to 24 h) reach back to. */
const CONTEXT_HOURS = 23;

export const NO_HISTORY_REASON = 'too little hourly history: fewer valid hours than the forecast’s minimum history setting';

export interface PollutantForecast {
  pollutant: Pollutant;
  /** null when the pollutant's series has too little history */
  method: ForecastMethod | null;
  fallback: boolean;
  /** why the method was chosen, or why there is no forecast */
  reason: string;
}

export interface AirForecastHour extends AqiResult {
  time: Date;
  hoursAhead: number;
  /** the forecast concentrations scored for this hour (ug/m3; CO mg/m3) */
  concentrations: { pollutant: Pollutant; value: number }[];
}

export interface AirStationForecast {
  station: AirStation;
  /** the last stored hour the forecasts start from; null when no pollutant could be forecast */
  issuedFor: Date | null;
  /** null when at least one pollutant was forecast */
  unavailableReason: string | null;
  pollutants: PollutantForecast[];
  /** empty when unavailable */
  hours: AirForecastHour[];
}

/**
 * Merges the forecast values into the stored hours so that each forecast hour is scored as if it
 * had been measured (the stored hours in [storedFromMs, storedToMs) feed the moving means); forecasts are clamped at zero, since a concentration below zero cannot be
 * scored and means "clean air".
 */
export function withForecasts(
  stored: StationSeries,
  storedFromMs: number,
  storedToMs: number,
  forecasts: ReadonlyMap<Pollutant, MonitorForecast>,
): StationSeries {
  const entries = POLLUTANTS.map((p): [Pollutant, HourlyIndex] => {
    const values = new Map<number, number>();
    for (let t = storedFromMs; t < storedToMs; t += HOUR_MS) {
      const v = stored[p].get(t);
      if (v !== undefined) values.set(t, v);
    }
    // a stored value stands: a series that lags the others only forecasts the hours it has not got
    for (const point of forecasts.get(p)?.points ?? [])
      if (!values.has(floorHour(point.time.getTime()))) values.set(floorHour(point.time.getTime()), Math.max(0, point.mean));
    const hours: HourlyValue[] = [...values].map(([t, value]) => ({ hourStart: new Date(t), value, valid: true }));
    return [p, HourlyIndex.from(hours)];
  });
  return Object.fromEntries(entries) as Record<Pollutant, HourlyIndex>;
}

/** Scores each forecast hour after `issuedMs` with the edition in force at that hour. */
export function scoreForecastHours(series: StationSeries, issuedMs: number, hours: number): AirForecastHour[] {
  const result: AirForecastHour[] = [];
  for (let k = 1; k <= hours; k += 1) {
    const hourMs = issuedMs + k * HOUR_MS;
    const concentrations = POLLUTANTS.flatMap((p) => {
      const value = series[p].get(hourMs);
      return value === undefined ? [] : [{ pollutant: p, value }];
    });
    result.push({ ...hourlyAqiAt(series, hourMs), time: new Date(hourMs), hoursAhead: k, concentrations });
  }
  return result;
}

/** The next `hours` hours of each station's AQI; undefined where the viewer may not read air data. */
export async function forecastStations(
  deps: AirDeps,
  viewer: Viewer,
  stations: readonly AirStation[],
  hours = AIR_FORECAST_HOURS,
): Promise<(AirStationForecast | undefined)[]> {
  if (!canReadAir(viewer)) return stations.map(() => undefined);
  return Promise.all(stations.map((station) => forecastStation(deps, station, hours)));
}

async function forecastStation(deps: AirDeps, station: AirStation, hours: number): Promise<AirStationForecast> {
  const monitor = { id: station.monitorId, kind: 'AIR_STATION' as const };
  const forecasts = new Map<Pollutant, MonitorForecast>();
  const pollutants: PollutantForecast[] = [];
  // one pollutant after another: each forecast reads its own history and runs a backtest, and in
  // sequence they hold one database connection rather than six
  for (const pollutant of POLLUTANTS) {
    const forecast = await deps.monitoring().forecast(monitor, POLLUTANT_FACTORS[pollutant], hours);
    if (forecast) forecasts.set(pollutant, forecast);
    pollutants.push(
      forecast
        ? { pollutant, method: forecast.method, fallback: forecast.fallback, reason: forecast.reason }
        : { pollutant, method: null, fallback: false, reason: NO_HISTORY_REASON },
    );
  }
  // every series of a station comes from one logger, so they end in the same hour; when one lags,
  // the newest start is taken and the others' points are read by their own times
  const issued = [...forecasts.values()].reduce<number | null>((newest, f) => Math.max(newest ?? 0, f.issuedFor.getTime()), null);
  if (issued === null) return { station, issuedFor: null, unavailableReason: NO_HISTORY_REASON, pollutants, hours: [] };
  const from = issued - CONTEXT_HOURS * HOUR_MS;
  const to = issued + HOUR_MS;
  const stored = (await readStationSeries(deps, [station.monitorId], new Date(from), new Date(to))).get(station.monitorId);
  if (!stored) throw new Error(`no series read for monitor ${station.monitorId}`);
  const series = withForecasts(stored, from, to, forecasts);
  return { station, issuedFor: new Date(issued), unavailableReason: null, pollutants, hours: scoreForecastHours(series, issued, hours) };
}
