import type { Viewer } from '../../../src/auth/viewer';
import { ForbiddenError, NotFoundError, ValidationError, type FieldProblem } from '../../../src/errors';
import {
  computeDailyAqi,
  computeHourlyAqi,
  editionAt,
  POLLUTANTS,
  type AqiEdition,
  type AqiResult,
  type Averaging,
  type DailyAqiInput,
  type HourlyAqiInput,
  type Pollutant,
} from './aqi';
import type { AirDeps } from './deps';
import { dailyAqiOf, floorHour, HOUR_MS, hasHour, hourlyAqiAt, readStationSeries, type StationSeries } from './series';
import { canReadAir, districtStations, stationsByCodes, type AirStation, type AirStationLevel } from './stations';
import { bureauDay, calendarDayStart } from '../../../src/time';

export type Granularity = 'HOUR' | 'DAY';

/** One AQI report: an hour's or a day's, or a calculator result. */
export interface AirQuality extends AqiResult {
  granularity: Granularity;
  /** start of the hour or of the local day; null for a calculator result given no time */
  time: Date | null;
  /** the Asia/Shanghai calendar day of a daily report */
  day: string | null;
}

export interface StationQuality {
  station: AirStation;
  /** null when the station measured nothing in the last LATEST_LOOKBACK_HOURS */
  quality: AirQuality | null;
}

export interface StationRank {
  /** 1 for the cleanest; equal AQIs share a rank; null when the day has no AQI */
  rank: number | null;
  station: AirStation;
  quality: AirQuality;
}

export interface AirQualityQuery {
  stationCode: string;
  from: Date;
  to: Date;
  granularity: Granularity;
}

export const MAX_HOURS = 31 * 24;
export const MAX_DAYS = 366;
/** How far back `latestAirQuality` looks for a station's newest hour. */
export const LATEST_LOOKBACK_HOURS = 24;
const DAY_MS = 24 * HOUR_MS;

function requireReader(viewer: Viewer): void {
  if (!canReadAir(viewer)) throw new ForbiddenError('air quality data is for bureau staff and upstream platforms');
}

/**
 * An AQI result placed in time. Written out field by field, not spread: a ranking places a report
 * for every station and hour it shows, and an object spread of a result cost more than computing it.
 */
function placed(result: AqiResult, granularity: Granularity, time: Date | null, day: string | null): AirQuality {
  return {
    edition: result.edition,
    report: result.report,
    aqi: result.aqi,
    aqiComputed: result.aqiComputed,
    level: result.level,
    category: result.category,
    color: result.color,
    primaryPollutants: result.primaryPollutants,
    nonAttainment: result.nonAttainment,
    nonAttainmentBasis: result.nonAttainmentBasis,
    iaqi: result.iaqi,
    unscored: result.unscored,
    beyondScale: result.beyondScale,
    complete: result.complete,
    missing: result.missing,
    missingItems: result.missingItems,
    granularity,
    time,
    day,
  };
}

const hourly = (result: AqiResult, hourMs: number): AirQuality => placed(result, 'HOUR', new Date(hourMs), null);
const daily = (result: AqiResult, day: string): AirQuality => placed(result, 'DAY', calendarDayStart(day), day);

function daysBetween(first: string, last: string): string[] {
  const days: string[] = [];
  for (let t = calendarDayStart(first).getTime(); t <= calendarDayStart(last).getTime(); t += DAY_MS) days.push(bureauDay(new Date(t)));
  return days;
}

/**
 * A station's hourly or daily AQI over [from, to): every hour (or every local day touching the
 * range), each under the edition in force at its start, with nulls where the data is not enough.
 * One read covers the range and the 23 hours before it that the moving means need.
 */
export async function airQuality(deps: AirDeps, viewer: Viewer, query: AirQualityQuery): Promise<AirQuality[]> {
  requireReader(viewer);
  const problems: FieldProblem[] = [];
  if (query.stationCode.length > 32) problems.push({ path: 'station', message: 'at most 32 characters' });
  if (Number.isNaN(query.from.getTime()) || Number.isNaN(query.to.getTime()) || query.to <= query.from) {
    problems.push({ path: 'to', message: 'must be after from' });
  }
  if (problems.length > 0) throw new ValidationError(problems);
  const [station] = await stationsByCodes(deps, viewer, [query.stationCode]);
  if (!station) throw new NotFoundError('AirStation', query.stationCode);

  if (query.granularity === 'HOUR') {
    const first = Math.ceil(query.from.getTime() / HOUR_MS) * HOUR_MS;
    const count = Math.ceil((query.to.getTime() - first) / HOUR_MS);
    if (count > MAX_HOURS) throw new ValidationError([{ path: 'to', message: `at most ${MAX_HOURS} hours (31 days) at a time` }]);
    if (count <= 0) return [];
    const end = first + count * HOUR_MS;
    const series = await seriesOf(deps, station, first - 23 * HOUR_MS, end);
    return Array.from({ length: count }, (_v, k) => hourly(hourlyAqiAt(series, first + k * HOUR_MS), first + k * HOUR_MS));
  }
  const days = daysBetween(bureauDay(query.from), bureauDay(new Date(query.to.getTime() - 1)));
  if (days.length > MAX_DAYS) throw new ValidationError([{ path: 'to', message: `at most ${MAX_DAYS} days at a time` }]);
  const start = calendarDayStart(days[0] as string).getTime();
  const series = await seriesOf(deps, station, start, start + days.length * DAY_MS);
  return days.map((day) => daily(dailyAqiOf(series, day), day));
}

async function seriesOf(deps: AirDeps, station: AirStation, fromMs: number, toMs: number): Promise<StationSeries> {
  const all = await readStationSeries(deps, [station.monitorId], new Date(fromMs), new Date(toMs));
  return all.get(station.monitorId) as StationSeries;
}

/**
 * Every station's newest hourly AQI within the last 24 hours: two statements (the stations, then
 * one read of all their readings) however many stations there are.
 */
export async function latestAirQuality(deps: AirDeps, viewer: Viewer): Promise<StationQuality[]> {
  requireReader(viewer);
  const stations = await districtStations(deps);
  if (stations.length === 0) return [];
  const newest = floorHour(deps.now().getTime());
  const oldest = newest - LATEST_LOOKBACK_HOURS * HOUR_MS;
  const all = await readStationSeries(
    deps,
    stations.map((s) => s.monitorId),
    new Date(oldest - 23 * HOUR_MS),
    new Date(newest + HOUR_MS),
  );
  return stations.map((station) => {
    const series = all.get(station.monitorId) as StationSeries;
    for (let h = newest; h >= oldest; h -= HOUR_MS) {
      if (hasHour(series, h)) return { station, quality: hourly(hourlyAqiAt(series, h), h) };
    }
    return { station, quality: null };
  });
}

/** The most hours `recentHourlyAqi` looks back: a week. */
export const MAX_RECENT_HOURS = 7 * 24;

/**
 * The hourly AQI of each given station over the last `hours` complete hours, oldest first, with
 * nulls where data is short: one read for all the stations (a ranking's stations and their day).
 */
export async function recentHourlyAqi(deps: AirDeps, viewer: Viewer, codes: readonly string[], hours: number): Promise<(AirQuality[] | undefined)[]> {
  requireReader(viewer);
  if (!Number.isInteger(hours) || hours < 1 || hours > MAX_RECENT_HOURS)
    throw new ValidationError([{ path: 'hours', message: `must be 1-${MAX_RECENT_HOURS}` }]);
  const stations = await stationsByCodes(deps, viewer, codes);
  const present = stations.filter((s): s is AirStation => s !== undefined);
  if (present.length === 0) return stations.map(() => undefined);
  const last = floorHour(deps.now().getTime()) - HOUR_MS;
  const first = last - (hours - 1) * HOUR_MS;
  // the 24 hours before the first only feed HJ 633-2012's moving means; 2026 scores each hour alone
  const readFrom = editionAt(new Date(first)) === 'HJ633-2012' ? first - 23 * HOUR_MS : first;
  const all = await readStationSeries(
    deps,
    present.map((s) => s.monitorId),
    new Date(readFrom),
    new Date(last + HOUR_MS),
  );
  return stations.map((station) => {
    if (!station) return undefined;
    const series = all.get(station.monitorId) as StationSeries;
    return Array.from({ length: hours }, (_v, k) => hourly(hourlyAqiAt(series, first + k * HOUR_MS), first + k * HOUR_MS));
  });
}

/** The district's stations ranked by a day's AQI, cleanest first; stations without an AQI last. */
export async function stationRanking(deps: AirDeps, viewer: Viewer, day: string, level?: AirStationLevel): Promise<StationRank[]> {
  requireReader(viewer);
  let dayStart: Date;
  try {
    dayStart = calendarDayStart(day);
  } catch {
    throw new ValidationError([{ path: 'day', message: 'a calendar day, YYYY-MM-DD' }]);
  }
  const stations = await districtStations(deps, level);
  if (stations.length === 0) return [];
  const all = await readStationSeries(
    deps,
    stations.map((s) => s.monitorId),
    dayStart,
    new Date(dayStart.getTime() + DAY_MS),
  );
  const rows = stations.map((station) => ({ station, quality: daily(dailyAqiOf(all.get(station.monitorId) as StationSeries, day), day) }));
  rows.sort((a, b) => {
    const x = a.quality.aqi;
    const y = b.quality.aqi;
    if (x === y) return a.station.code.localeCompare(b.station.code);
    if (x === null) return 1;
    if (y === null) return -1;
    return x - y;
  });
  let rank = 0;
  return rows.map((row, index) => {
    const previous = rows[index - 1];
    if (row.quality.aqi !== null && (previous === undefined || previous.quality.aqi !== row.quality.aqi)) rank = index + 1;
    return { ...row, rank: row.quality.aqi === null ? null : rank };
  });
}

// ---------------------------------------------------------------------------------------------
// Calculator

export interface ConcentrationInput {
  pollutant: Pollutant;
  averaging: Averaging;
  value: number;
}

export interface ComputeAqiInput {
  granularity: Granularity;
  edition?: AqiEdition | null | undefined;
  /** picks the edition when none is given; shown as the result's time */
  time?: Date | null | undefined;
  concentrations: readonly ConcentrationInput[];
}

const MAX_CONCENTRATION = 100_000;

// Which report item a (pollutant, averaging) pair is. In the daily report the 1h and 8h O3 values
// are the day's maxima; 24h particulate values in the hourly report are the moving means.
const HOURLY_ITEMS: Partial<Record<`${Pollutant}_${Averaging}`, keyof HourlyAqiInput>> = {
  SO2_1h: 'so2_1h',
  SO2_24h: 'so2_24h',
  NO2_1h: 'no2_1h',
  CO_1h: 'co_1h',
  O3_1h: 'o3_1h',
  O3_8h: 'o3_8h',
  PM10_1h: 'pm10_1h',
  PM10_24h: 'pm10_24h',
  PM2_5_1h: 'pm2_5_1h',
  PM2_5_24h: 'pm2_5_24h',
};
const DAILY_ITEMS: Partial<Record<`${Pollutant}_${Averaging}`, keyof DailyAqiInput>> = {
  SO2_24h: 'so2_24h',
  NO2_24h: 'no2_24h',
  CO_24h: 'co_24h',
  PM10_24h: 'pm10_24h',
  PM2_5_24h: 'pm2_5_24h',
  O3_1h: 'o3_1h_max',
  O3_8h: 'o3_8h_max',
};

/**
 * An officer's check of a report: the AQI of given concentrations under an edition (or the edition
 * in force at `time`). Pure: the same rules as the stored data, nothing read.
 */
export function computeAqi(input: ComputeAqiInput): AirQuality {
  const problems: FieldProblem[] = [];
  const time = input.time ?? null;
  if (time !== null && Number.isNaN(time.getTime())) problems.push({ path: 'input.time', message: 'not a valid time' });
  if (!input.edition && time === null) problems.push({ path: 'input.edition', message: 'give the edition, or a time that picks it' });
  if (input.concentrations.length > 2 * POLLUTANTS.length) {
    problems.push({ path: 'input.concentrations', message: `at most ${2 * POLLUTANTS.length} values` });
  }
  const items = input.granularity === 'HOUR' ? HOURLY_ITEMS : DAILY_ITEMS;
  const values: Record<string, number> = {};
  input.concentrations.slice(0, 2 * POLLUTANTS.length).forEach((c, i) => {
    const path = `input.concentrations.${i}`;
    const item = items[`${c.pollutant}_${c.averaging}`];
    if (!item) problems.push({ path, message: `the ${input.granularity === 'HOUR' ? 'hourly' : 'daily'} report has no ${c.pollutant} ${c.averaging} value` });
    else if (item in values) problems.push({ path, message: `${c.pollutant} ${c.averaging} is given twice` });
    else if (!Number.isFinite(c.value) || c.value < 0 || c.value > MAX_CONCENTRATION) {
      problems.push({ path: `${path}.value`, message: `must be between 0 and ${MAX_CONCENTRATION}` });
    } else values[item] = c.value;
  });
  if (problems.length > 0) throw new ValidationError(problems);
  const edition = input.edition ?? editionAt(time as Date);
  const result = input.granularity === 'HOUR' ? computeHourlyAqi(edition, values) : computeDailyAqi(edition, values);
  return placed(result, input.granularity, time, input.granularity === 'DAY' && time ? bureauDay(time) : null);
}
