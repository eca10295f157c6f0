/**
 * IAQI breakpoint tables, AQI levels and report composition of HJ 633-2012 and HJ 633-2026, as data
 * only. The arithmetic that uses them lives in ./aqi, so a reviewer can check these rows against the
 * standards' tables line by line.
 */

export type AqiEdition = 'HJ633-2012' | 'HJ633-2026';

export type Pollutant = 'SO2' | 'NO2' | 'CO' | 'O3' | 'PM10' | 'PM2_5';

export type Averaging = '1h' | '8h' | '24h';

/** Canonical order; lists of pollutants in results follow it so that equal results compare equal. */
export const POLLUTANTS: readonly Pollutant[] = ['SO2', 'NO2', 'CO', 'O3', 'PM10', 'PM2_5'];

/** The IAQI value of each breakpoint row, shared by every column. */
export const IAQI_ROWS: readonly number[] = [0, 50, 100, 150, 200, 300, 400, 500];

/**
 * One column's concentration breakpoints, row by row from IAQI 0. A column shorter than IAQI_ROWS
 * stops where the standard's table shows "-": concentrations above its last breakpoint have no IAQI
 * in the table and are handled by the report rules (SO2 1h and O3 8h above 800).
 */
export type BreakpointColumn = readonly number[];

export type ColumnKey = `${Pollutant}_${Averaging}`;

const COLUMNS_2012: Partial<Record<ColumnKey, BreakpointColumn>> = {
  SO2_24h: [0, 50, 150, 475, 800, 1600, 2100, 2620],
  SO2_1h: [0, 150, 500, 650, 800],
  NO2_24h: [0, 40, 80, 180, 280, 565, 750, 940],
  NO2_1h: [0, 100, 200, 700, 1200, 2340, 3090, 3840],
  PM10_24h: [0, 50, 150, 250, 350, 420, 500, 600],
  CO_24h: [0, 2, 4, 14, 24, 36, 48, 60],
  CO_1h: [0, 5, 10, 35, 60, 90, 120, 150],
  O3_1h: [0, 160, 200, 300, 400, 800, 1000, 1200],
  O3_8h: [0, 100, 160, 215, 265, 800],
  PM2_5_24h: [0, 35, 75, 115, 150, 250, 350, 500],
};

// The 2026 edition tightened only the IAQI-100 breakpoints of the two particulate columns.
const COLUMNS_2026: Partial<Record<ColumnKey, BreakpointColumn>> = {
  ...COLUMNS_2012,
  PM10_24h: [0, 50, 120, 250, 350, 420, 500, 600],
  PM2_5_24h: [0, 35, 60, 115, 150, 250, 350, 500],
};

export const BREAKPOINTS: Readonly<Record<AqiEdition, Partial<Record<ColumnKey, BreakpointColumn>>>> = {
  'HJ633-2012': COLUMNS_2012,
  'HJ633-2026': COLUMNS_2026,
};

/** What HJ 633-2026 reports where the SO2 1h and O3 8h columns end (above 800). */
export const SO2_1H_ABOVE_CEILING_IAQI_2026 = 200;
export const O3_8H_ABOVE_CEILING_IAQI_2026 = 300;

export type AqiLevel = 1 | 2 | 3 | 4 | 5 | 6;

export interface AqiCategory {
  zh: string;
  en: string;
}

export interface AqiLevelInfo {
  level: AqiLevel;
  category: AqiCategory;
  color: string;
}

/** Each level with the largest AQI it covers; the last one is open-ended. */
export const AQI_LEVELS: readonly (AqiLevelInfo & { upTo: number })[] = [
  { level: 1, upTo: 50, category: { zh: '优', en: 'excellent' }, color: '#00E400' },
  { level: 2, upTo: 100, category: { zh: '良', en: 'good' }, color: '#FFFF00' },
  { level: 3, upTo: 150, category: { zh: '轻度污染', en: 'lightly polluted' }, color: '#FF7E00' },
  { level: 4, upTo: 200, category: { zh: '中度污染', en: 'moderately polluted' }, color: '#FF0000' },
  { level: 5, upTo: 300, category: { zh: '重度污染', en: 'heavily polluted' }, color: '#99004C' },
  { level: 6, upTo: Number.POSITIVE_INFINITY, category: { zh: '严重污染', en: 'severely polluted' }, color: '#7E0023' },
];

// ---------------------------------------------------------------------------------------------
// Report composition: which items each report scores, per edition

/** Hourly (real-time) report items. Which ones an edition scores: see computeHourlyAqi. */
export type HourlyAqiInput = {
  so2_1h?: number | null;
  no2_1h?: number | null;
  co_1h?: number | null;
  o3_1h?: number | null;
  /** O3 8h moving mean ending with this hour (2012 only) */
  o3_8h?: number | null;
  pm10_1h?: number | null;
  pm2_5_1h?: number | null;
  /** 24h moving means ending with this hour (2012 only) */
  pm10_24h?: number | null;
  pm2_5_24h?: number | null;
  /** 2012 only: SO2 24h moving mean, scored in place of SO2 1h when that is above 800 */
  so2_24h?: number | null;
};

/** Daily report items. Which ones an edition scores: see computeDailyAqi. */
export type DailyAqiInput = {
  so2_24h?: number | null;
  no2_24h?: number | null;
  co_24h?: number | null;
  pm10_24h?: number | null;
  pm2_5_24h?: number | null;
  /** 2012 only: the day's largest O3 1h mean */
  o3_1h_max?: number | null;
  o3_8h_max?: number | null;
};

export type ReportItemKey = keyof HourlyAqiInput | keyof DailyAqiInput;
export type AqiReportKind = 'hourly' | 'daily';

export interface ItemSpec {
  item: ReportItemKey;
  pollutant: Pollutant;
  averaging: Averaging;
}

const spec = (item: ReportItemKey, pollutant: Pollutant, averaging: Averaging): ItemSpec => ({
  item,
  pollutant,
  averaging,
});

export const SCORED: Record<AqiReportKind, Record<AqiEdition, readonly ItemSpec[]>> = {
  hourly: {
    'HJ633-2012': [
      spec('so2_1h', 'SO2', '1h'),
      spec('no2_1h', 'NO2', '1h'),
      spec('co_1h', 'CO', '1h'),
      spec('o3_1h', 'O3', '1h'),
      spec('o3_8h', 'O3', '8h'),
      spec('pm10_24h', 'PM10', '24h'),
      spec('pm2_5_24h', 'PM2_5', '24h'),
    ],
    'HJ633-2026': [
      spec('so2_1h', 'SO2', '1h'),
      spec('no2_1h', 'NO2', '1h'),
      spec('co_1h', 'CO', '1h'),
      spec('o3_1h', 'O3', '1h'),
      spec('pm10_1h', 'PM10', '1h'),
      spec('pm2_5_1h', 'PM2_5', '1h'),
    ],
  },
  daily: {
    'HJ633-2012': [
      spec('so2_24h', 'SO2', '24h'),
      spec('no2_24h', 'NO2', '24h'),
      spec('co_24h', 'CO', '24h'),
      spec('o3_1h_max', 'O3', '1h'),
      spec('o3_8h_max', 'O3', '8h'),
      spec('pm10_24h', 'PM10', '24h'),
      spec('pm2_5_24h', 'PM2_5', '24h'),
    ],
    'HJ633-2026': [
      spec('so2_24h', 'SO2', '24h'),
      spec('no2_24h', 'NO2', '24h'),
      spec('co_24h', 'CO', '24h'),
      spec('o3_8h_max', 'O3', '8h'),
      spec('pm10_24h', 'PM10', '24h'),
      spec('pm2_5_24h', 'PM2_5', '24h'),
    ],
  },
};

// The 2012 hourly report lists particulate 1h values, but its table has no 1h particulate column:
// their IAQIs come from the 24h moving means.
export const UNSCORED: Record<AqiReportKind, Record<AqiEdition, readonly ItemSpec[]>> = {
  hourly: { 'HJ633-2012': [spec('pm10_1h', 'PM10', '1h'), spec('pm2_5_1h', 'PM2_5', '1h')], 'HJ633-2026': [] },
  daily: { 'HJ633-2012': [], 'HJ633-2026': [] },
};

/** Under 2012, the item whose IAQI stands in for an item above its column's ceiling. */
export const SUBSTITUTE_2012: Record<AqiReportKind, Partial<Record<ReportItemKey, ItemSpec>>> = {
  hourly: { so2_1h: spec('so2_24h', 'SO2', '24h'), o3_8h: spec('o3_1h', 'O3', '1h') },
  daily: { o3_8h_max: spec('o3_1h_max', 'O3', '1h') },
};
