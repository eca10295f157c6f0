/**
 * From stored hourly readings to the inputs of an hourly or daily AQI: one read for every station
 * and the whole range, then the moving, daily and daily-maximum values with the validity rules.
 */
import { computeDailyAqi, computeHourlyAqi, editionAt, POLLUTANTS, type AqiResult, type DailyAqiInput, type HourlyAqiInput, type Pollutant } from './aqi';
import { dailyMaxMoving8h, dailyMeanForDay, HourlyIndex, movingMean24h, movingMean8h, type HourlyValue } from './averaging';
import type { AirDeps } from './deps';
import { calendarDayStart } from '../../../src/time';

export const HOUR_MS = 3_600_000;

/** HJ 212-2017 codes of the six AQI pollutants. */
export const POLLUTANT_FACTORS: Readonly<Record<Pollutant, string>> = {
  SO2: 'a21026',
  NO2: 'a21004',
  CO: 'a21005',
  O3: 'a05024',
  PM10: 'a34002',
  PM2_5: 'a34004',
};

/**
 * Air stations report ug/m3 (CO mg/m3), the units of the AQI tables; the factor catalog's units are
 * those of stack gas, so each station's monitor records its own.
 */
export const STATION_FACTOR_UNITS: Readonly<Record<string, string>> = Object.fromEntries(
  POLLUTANTS.map((p) => [POLLUTANT_FACTORS[p], p === 'CO' ? 'mg/m3' : 'ug/m3']),
);

const POLLUTANT_OF_FACTOR = new Map(POLLUTANTS.map((p) => [POLLUTANT_FACTORS[p], p]));

/** A station's valid hourly values, one index per pollutant. */
export type StationSeries = Readonly<Record<Pollutant, HourlyIndex>>;

/** Hours a day needs before its daily values (means and maxima) count (GB 3095 table 4). */
const DAY_MIN_HOURS = 20;
const DAY_HOURS = 24;

export function floorHour(ms: number): number {
  return Math.floor(ms / HOUR_MS) * HOUR_MS;
}

/**
 * Valid hourly readings of the stations' monitors over [from, to), keyed by monitor id: one
 * statement however many stations and hours. Values stamped inside an hour count for that hour;
 * flagged-invalid values are left out, so every rule below sees them as missing.
 */
export async function readStationSeries(deps: AirDeps, monitorIds: readonly number[], from: Date, to: Date): Promise<Map<number, StationSeries>> {
  const hours = Math.ceil((to.getTime() - from.getTime()) / HOUR_MS);
  const rows = await deps.monitoring().validValuesOfMonitors({
    monitorIds,
    interval: 'HOUR',
    from,
    to,
    factors: POLLUTANTS.map((p) => POLLUTANT_FACTORS[p]),
    // room for a second value inside an hour when a logger stamps off the hour
    limit: Math.max(1, monitorIds.length * POLLUTANTS.length * hours * 2),
  });
  const values = new Map<number, Map<Pollutant, Map<number, number>>>();
  for (const row of rows) {
    const pollutant = POLLUTANT_OF_FACTOR.get(row.factor);
    if (!pollutant || !Number.isFinite(row.value) || row.value < 0) continue;
    let byPollutant = values.get(row.monitorId);
    if (!byPollutant) values.set(row.monitorId, (byPollutant = new Map()));
    let byHour = byPollutant.get(pollutant);
    if (!byHour) byPollutant.set(pollutant, (byHour = new Map()));
    // rows come oldest first: the newest value stamped inside an hour stands for it
    byHour.set(floorHour(row.timeMs), row.value);
  }
  const result = new Map<number, StationSeries>();
  for (const id of monitorIds) result.set(id, toSeries(values.get(id)));
  return result;
}

function toSeries(byPollutant: Map<Pollutant, Map<number, number>> | undefined): StationSeries {
  const entries = POLLUTANTS.map((p): [Pollutant, HourlyIndex] => {
    const hours: HourlyValue[] = [...(byPollutant?.get(p) ?? new Map<number, number>())].map(([t, value]) => ({
      hourStart: new Date(t),
      value,
      valid: true,
    }));
    return [p, HourlyIndex.from(hours)];
  });
  return Object.fromEntries(entries) as Record<Pollutant, HourlyIndex>;
}

/** Whether the station measured anything valid in the hour starting at `hourMs`. */
export function hasHour(series: StationSeries, hourMs: number): boolean {
  return POLLUTANTS.some((p) => series[p].get(hourMs) !== undefined);
}

/**
 * The hourly (real-time) AQI of the hour starting at `hourMs`, under the edition in force then.
 * An hour with no valid 1h value has no report, even where earlier hours would still give moving
 * means: the real-time report describes a measured hour.
 */
export function hourlyAqiAt(series: StationSeries, hourMs: number): AqiResult {
  const hour = new Date(hourMs);
  const edition = editionAt(hour);
  if (!hasHour(series, hourMs)) return computeHourlyAqi(edition, {});
  const at = (p: Pollutant): number | null => series[p].get(hourMs) ?? null;
  const input: HourlyAqiInput =
    edition === 'HJ633-2012'
      ? {
          so2_1h: at('SO2'),
          no2_1h: at('NO2'),
          co_1h: at('CO'),
          o3_1h: at('O3'),
          o3_8h: movingMean8h(series.O3, hour),
          pm10_1h: at('PM10'),
          pm2_5_1h: at('PM2_5'),
          pm10_24h: movingMean24h(series.PM10, hour),
          pm2_5_24h: movingMean24h(series.PM2_5, hour),
          so2_24h: movingMean24h(series.SO2, hour),
        }
      : { so2_1h: at('SO2'), no2_1h: at('NO2'), co_1h: at('CO'), o3_1h: at('O3'), pm10_1h: at('PM10'), pm2_5_1h: at('PM2_5') };
  return computeHourlyAqi(edition, input);
}

/**
 * O3's daily maxima: the largest 1h value and the largest 8h moving mean of the day. Like every
 * daily statistic they need 20 valid hours of the day; each 8h window needs 6 (GB 3095 table 4).
 */
function o3DailyMaxima(index: HourlyIndex, dayStartMs: number, day: string): { max1h: number | null; max8h: number | null } {
  let count = 0;
  let max1h: number | null = null;
  for (let k = 0; k < DAY_HOURS; k += 1) {
    const v = index.get(dayStartMs + k * HOUR_MS);
    if (v === undefined) continue;
    count += 1;
    max1h = max1h === null ? v : Math.max(max1h, v);
  }
  if (count < DAY_MIN_HOURS) return { max1h: null, max8h: null };
  return { max1h, max8h: dailyMaxMoving8h(index, day) };
}

/** The daily AQI of an Asia/Shanghai calendar day, under the edition in force at its 00:00. */
export function dailyAqiOf(series: StationSeries, day: string): AqiResult {
  const dayStart = calendarDayStart(day);
  const edition = editionAt(dayStart);
  const mean = (p: Pollutant): number | null => dailyMeanForDay(series[p], day, DAY_MIN_HOURS);
  const o3 = o3DailyMaxima(series.O3, dayStart.getTime(), day);
  const input: DailyAqiInput = {
    so2_24h: mean('SO2'),
    no2_24h: mean('NO2'),
    co_24h: mean('CO'),
    pm10_24h: mean('PM10'),
    pm2_5_24h: mean('PM2_5'),
    o3_1h_max: o3.max1h,
    o3_8h_max: o3.max8h,
  };
  return computeDailyAqi(edition, input);
}
