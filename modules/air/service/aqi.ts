/**
 * Air quality index after HJ 633-2012 and HJ 633-2026: IAQI and AQI of hourly and daily reports
 * (the averages that feed them follow GB 3095 in averaging.ts). Pure functions: no clock, no I/O.
 * A value is always computed under the edition in force at the data's own time, so recomputing
 * history never changes it.
 *
 * Null means "not available under the rules", never "zero" and never a guess.
 */

import {
  AQI_LEVELS,
  BREAKPOINTS,
  IAQI_ROWS,
  O3_8H_ABOVE_CEILING_IAQI_2026,
  POLLUTANTS,
  SCORED,
  SO2_1H_ABOVE_CEILING_IAQI_2026,
  SUBSTITUTE_2012,
  UNSCORED,
  type AqiCategory,
  type AqiEdition,
  type AqiLevel,
  type AqiLevelInfo,
  type AqiReportKind,
  type Averaging,
  type BreakpointColumn,
  type ColumnKey,
  type DailyAqiInput,
  type HourlyAqiInput,
  type ItemSpec,
  type Pollutant,
  type ReportItemKey,
} from './aqi-tables';

export type {
  AqiCategory,
  AqiEdition,
  AqiLevel,
  AqiLevelInfo,
  AqiReportKind,
  Averaging,
  DailyAqiInput,
  HourlyAqiInput,
  Pollutant,
  ReportItemKey,
} from './aqi-tables';
export { POLLUTANTS } from './aqi-tables';

const TOP_IAQI = 500;

// ---------------------------------------------------------------------------------------------
// Editions

/** 2026-03-01T00:00 Asia/Shanghai, the first instant computed under HJ 633-2026. */
export const EDITION_2026_START_MS = Date.UTC(2026, 1, 28, 16);

/**
 * The edition in force at `time`. Pass the start of the period the value describes (the hour's
 * start, or the local day's 00:00): an hour or day that begins before the switch is a 2012 value.
 */
export function editionAt(time: Date): AqiEdition {
  const ms = time.getTime();
  if (Number.isNaN(ms)) throw new RangeError('editionAt: invalid date');
  return ms >= EDITION_2026_START_MS ? 'HJ633-2026' : 'HJ633-2012';
}

// ---------------------------------------------------------------------------------------------
// Rounding

// IAQIs lie in [0, 500], where one ulp is below 1e-13; a gap of 1e-9 is arithmetic noise, not a
// concentration that really lies above the breakpoint.
const IAQI_NOISE = 1e-9;
const HALF_NOISE = 1e-9;

/** Rounds an IAQI up to an integer, except that noise just above an integer stays that integer. */
export function roundUpIaqi(x: number): number {
  const nearest = Math.round(x);
  // `+ 0` turns the -0 that rounding a tiny negative noise gives into 0
  return (Math.abs(x - nearest) <= IAQI_NOISE ? nearest : Math.ceil(x)) + 0;
}

/**
 * GB/T 8170 rounding (四舍六入五成双) to `decimals` places. The half is judged on the decimal the
 * value stands for: 2.35 is stored as 2.3500000000000000888 yet is a half, and becomes 2.4.
 */
export function roundHalfEven(x: number, decimals = 0): number {
  const scale = 10 ** decimals;
  const scaled = x * scale;
  const floor = Math.floor(scaled);
  const fraction = scaled - floor;
  let n: number;
  if (Math.abs(fraction - 0.5) <= HALF_NOISE) n = floor % 2 === 0 ? floor : floor + 1;
  else n = fraction < 0.5 ? floor : floor + 1;
  return n / scale;
}

/** The concentration the edition computes with: HJ 633-2026 rounds first (CO to 0.1, others to 1). */
export function roundConcentration(edition: AqiEdition, pollutant: Pollutant, concentration: number): number {
  if (edition === 'HJ633-2012') return concentration;
  return roundHalfEven(concentration, pollutant === 'CO' ? 1 : 0);
}

// ---------------------------------------------------------------------------------------------
// IAQI

export interface IaqiResult {
  value: number;
  /** the concentration lay above the 500 row; `value` is then 500 */
  beyondScale: boolean;
  /** after the edition's rounding */
  concentrationUsed: number;
}

function checkConcentration(concentration: number, what: string): void {
  if (!Number.isFinite(concentration) || concentration < 0) {
    throw new RangeError(`${what}: concentration must be a finite number >= 0, got ${concentration}`);
  }
}

function columnFor(edition: AqiEdition, pollutant: Pollutant, averaging: Averaging): BreakpointColumn | undefined {
  // HJ 633-2026 scores hourly particulate values on the 24h breakpoints; 2012 has no such column.
  const particulateHourly = edition === 'HJ633-2026' && averaging === '1h' && (pollutant === 'PM10' || pollutant === 'PM2_5');
  const key: ColumnKey = particulateHourly ? `${pollutant}_24h` : `${pollutant}_${averaging}`;
  return BREAKPOINTS[edition][key];
}

function at(values: readonly number[], i: number): number {
  const v = values[i];
  if (v === undefined) throw new RangeError(`breakpoint row ${i} does not exist`);
  return v;
}

function interpolate(column: BreakpointColumn, c: number): { value: number; beyondScale: boolean } | undefined {
  const last = column.length - 1;
  let i = 0;
  while (i < last - 1 && c > at(column, i + 1)) i += 1;
  const bpLo = at(column, i);
  const bpHi = at(column, i + 1);
  const iaqiLo = at(IAQI_ROWS, i);
  const iaqiHi = at(IAQI_ROWS, i + 1);
  // Above the last breakpoint the last segment is extrapolated, so that "above the table" is
  // judged with the same noise guard as every other breakpoint.
  const value = roundUpIaqi(iaqiLo + ((iaqiHi - iaqiLo) * (c - bpLo)) / (bpHi - bpLo));
  if (value <= iaqiHi) return { value, beyondScale: false };
  if (iaqiHi === TOP_IAQI) return { value: TOP_IAQI, beyondScale: true };
  return undefined;
}

/**
 * The individual AQI of one concentration (ug/m3; CO mg/m3). Undefined where the edition's table
 * has no row for it: a pollutant/averaging pair without a column (e.g. PM10 1h under 2012), or SO2 1h
 * and O3 8h above 800, which the report rules handle. Throws RangeError on a negative or non-finite
 * concentration: screening such values is the validity step's job, not something to score.
 */
export function iaqi(edition: AqiEdition, pollutant: Pollutant, averaging: Averaging, concentration: number): IaqiResult | undefined {
  checkConcentration(concentration, `iaqi ${pollutant} ${averaging}`);
  const column = columnFor(edition, pollutant, averaging);
  if (!column) return undefined;
  const concentrationUsed = roundConcentration(edition, pollutant, concentration);
  const scored = interpolate(column, concentrationUsed);
  // written out, not spread: an object spread here cost six times the rest of the function
  return scored && { value: scored.value, beyondScale: scored.beyondScale, concentrationUsed };
}

/** Level, category and colour of an AQI value. */
export function aqiLevel(aqi: number): AqiLevelInfo {
  if (!Number.isFinite(aqi) || aqi < 0) {
    throw new RangeError(`aqiLevel: AQI must be a finite number >= 0, got ${aqi}`);
  }
  const found = AQI_LEVELS.find((l) => aqi <= l.upTo) ?? AQI_LEVELS[AQI_LEVELS.length - 1];
  if (!found) throw new RangeError('aqiLevel: no levels defined');
  return { level: found.level, category: { ...found.category }, color: found.color };
}

// ---------------------------------------------------------------------------------------------
// Reports

/** Which standard rule replaced a table value. */
export type AboveCeilingRule = 'SO2_1H_ABOVE_800' | 'O3_8H_ABOVE_800';

export interface IaqiEntry {
  item: ReportItemKey;
  pollutant: Pollutant;
  averaging: Averaging;
  /** the item's concentration, after the edition's rounding */
  concentration: number;
  value: number;
  beyondScale: boolean;
  /** set when an above-800 rule decided `value` */
  rule: AboveCeilingRule | null;
  /** 2012 above-800 rules: the item whose IAQI is reported instead */
  valueFrom: { item: ReportItemKey; averaging: Averaging; concentration: number } | null;
}

/** A concentration the report shows without scoring it (2012 hourly PM10 and PM2.5 1h). */
export interface UnscoredEntry {
  item: ReportItemKey;
  pollutant: Pollutant;
  averaging: Averaging;
  concentration: number;
}

export interface MissingItem {
  item: ReportItemKey;
  pollutant: Pollutant;
  averaging: Averaging;
  /** `absent`: no value given; otherwise the above-800 rule needed a substitute that was absent */
  reason: 'absent' | AboveCeilingRule;
}

/**
 * `HJ633-2012`: the standard's 超标污染物 (IAQI > 100). `local-rule`: HJ 633-2026 deleted the term;
 * the hub keeps the same definition as its own rule, and says so.
 */
export type NonAttainmentBasis = 'HJ633-2012' | 'local-rule';

export interface AqiResult {
  edition: AqiEdition;
  report: AqiReportKind;
  /** the published AQI; null when items are missing and the AQI from the rest is not above 100 */
  aqi: number | null;
  /** the largest IAQI of the items present; null when no item is present */
  aqiComputed: number | null;
  /** level, category and colour of `aqi`; null when `aqi` is */
  level: AqiLevel | null;
  category: AqiCategory | null;
  color: string | null;
  /** pollutants whose IAQI equals `aqi` (all of them on a tie); empty when `aqi` is null or <= 50 */
  primaryPollutants: Pollutant[];
  /** pollutants with an IAQI above 100 */
  nonAttainment: Pollutant[];
  nonAttainmentBasis: NonAttainmentBasis;
  iaqi: IaqiEntry[];
  unscored: UnscoredEntry[];
  /** some item lay above the 500 row */
  beyondScale: boolean;
  /** every item the edition's report needs was scored */
  complete: boolean;
  /** pollutants with at least one item not scored */
  missing: Pollutant[];
  missingItems: MissingItem[];
}

type ReportInput = Readonly<Partial<Record<ReportItemKey, number | null>>>;

function present(input: ReportInput, item: ReportItemKey): number | undefined {
  const v = input[item];
  if (v === null || v === undefined) return undefined;
  checkConcentration(v, item);
  return v;
}

function aboveCeilingRule(s: ItemSpec): AboveCeilingRule | undefined {
  if (s.pollutant === 'SO2' && s.averaging === '1h') return 'SO2_1H_ABOVE_800';
  if (s.pollutant === 'O3' && s.averaging === '8h') return 'O3_8H_ABOVE_800';
  return undefined;
}

function scoreItem(edition: AqiEdition, report: AqiReportKind, input: ReportInput, s: ItemSpec, raw: number): IaqiEntry | MissingItem {
  // entries are written out field by field, not spread: this runs for every item of every hour shown
  const { item, pollutant, averaging } = s;
  const scored = iaqi(edition, pollutant, averaging, raw);
  if (scored) {
    return {
      item,
      pollutant,
      averaging,
      concentration: scored.concentrationUsed,
      value: scored.value,
      beyondScale: scored.beyondScale,
      rule: null,
      valueFrom: null,
    };
  }
  const rule = aboveCeilingRule(s);
  if (!rule) throw new RangeError(`${s.item}: no ${edition} breakpoints for ${s.pollutant} ${s.averaging}`);
  const concentration = roundConcentration(edition, s.pollutant, raw);
  if (edition === 'HJ633-2026') {
    const value = rule === 'SO2_1H_ABOVE_800' ? SO2_1H_ABOVE_CEILING_IAQI_2026 : O3_8H_ABOVE_CEILING_IAQI_2026;
    return { item, pollutant, averaging, concentration, value, beyondScale: false, rule, valueFrom: null };
  }
  const sub = SUBSTITUTE_2012[report][s.item];
  const subRaw = sub && present(input, sub.item);
  const subScored = sub && subRaw !== undefined ? iaqi(edition, sub.pollutant, sub.averaging, subRaw) : undefined;
  if (!sub || !subScored) return { item, pollutant, averaging, reason: rule };
  return {
    item,
    pollutant,
    averaging,
    concentration,
    value: subScored.value,
    beyondScale: subScored.beyondScale,
    rule,
    valueFrom: { item: sub.item, averaging: sub.averaging, concentration: subScored.concentrationUsed },
  };
}

function computeReport(edition: AqiEdition, report: AqiReportKind, input: ReportInput): AqiResult {
  const entries: IaqiEntry[] = [];
  const missingItems: MissingItem[] = [];
  for (const s of SCORED[report][edition]) {
    const raw = present(input, s.item);
    const outcome =
      raw === undefined
        ? { item: s.item, pollutant: s.pollutant, averaging: s.averaging, reason: 'absent' as const }
        : scoreItem(edition, report, input, s, raw);
    if ('reason' in outcome) missingItems.push(outcome);
    else entries.push(outcome);
  }
  const unscored: UnscoredEntry[] = [];
  for (const s of UNSCORED[report][edition]) {
    const raw = present(input, s.item);
    if (raw !== undefined)
      unscored.push({ item: s.item, pollutant: s.pollutant, averaging: s.averaging, concentration: roundConcentration(edition, s.pollutant, raw) });
  }

  const byPollutant = new Map<Pollutant, number>();
  for (const e of entries) byPollutant.set(e.pollutant, Math.max(e.value, byPollutant.get(e.pollutant) ?? 0));
  const aqiComputed = entries.length === 0 ? null : Math.max(...byPollutant.values());
  const complete = missingItems.length === 0;
  // Missing-pollutant rule: the AQI of an incomplete set can only understate, so it is published
  // only when it already shows pollution (> 100).
  const aqi = aqiComputed !== null && (complete || aqiComputed > 100) ? aqiComputed : null;
  const levelInfo = aqi === null ? null : aqiLevel(aqi);
  const inOrder = (pick: (p: Pollutant) => boolean): Pollutant[] => POLLUTANTS.filter((p) => byPollutant.has(p) && pick(p));

  return {
    edition,
    report,
    aqi,
    aqiComputed,
    level: levelInfo?.level ?? null,
    category: levelInfo?.category ?? null,
    color: levelInfo?.color ?? null,
    primaryPollutants: aqi !== null && aqi > 50 ? inOrder((p) => byPollutant.get(p) === aqi) : [],
    nonAttainment: inOrder((p) => (byPollutant.get(p) ?? 0) > 100),
    nonAttainmentBasis: edition === 'HJ633-2012' ? 'HJ633-2012' : 'local-rule',
    iaqi: entries,
    unscored,
    beyondScale: entries.some((e) => e.beyondScale),
    complete,
    missing: POLLUTANTS.filter((p) => missingItems.some((m) => m.pollutant === p)),
    missingItems,
  };
}

/**
 * Hourly (real-time) AQI. Items scored:
 * - HJ 633-2012: so2_1h, no2_1h, co_1h, o3_1h, o3_8h (moving), pm10_24h and pm2_5_24h (moving);
 *   pm10_1h and pm2_5_1h are echoed in `unscored`; so2_24h is read only when so2_1h is above 800.
 * - HJ 633-2026: so2_1h, no2_1h, co_1h, o3_1h, pm10_1h, pm2_5_1h (particulates on the 24h breakpoints).
 * Fields the edition does not use are ignored. An item that is null or absent counts as missing.
 */
export function computeHourlyAqi(edition: AqiEdition, input: HourlyAqiInput): AqiResult {
  return computeReport(edition, 'hourly', input);
}

/**
 * Daily AQI. Items scored:
 * - HJ 633-2012: so2_24h, no2_24h, co_24h, pm10_24h, pm2_5_24h, o3_1h_max, o3_8h_max.
 * - HJ 633-2026: so2_24h, no2_24h, co_24h, pm10_24h, pm2_5_24h, o3_8h_max.
 * Fields the edition does not use are ignored. An item that is null or absent counts as missing.
 */
export function computeDailyAqi(edition: AqiEdition, input: DailyAqiInput): AqiResult {
  return computeReport(edition, 'daily', input);
}
