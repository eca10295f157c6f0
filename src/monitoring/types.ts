/** The monitoring core's vocabulary, shared by its service, its schema and the modules on top. */

export const MONITOR_KINDS = [
  'WASTEWATER_OUTLET',
  'FLUE_GAS_OUTLET',
  'HEAVY_METAL_ANALYSER',
  'WATER_SAMPLER',
  'AIR_STATION',
  'WATER_STATION',
  'NOISE',
  'OTHER',
] as const;
export type MonitorKind = (typeof MONITOR_KINDS)[number];

/** Reporting interval of a value, from the HJ 212 command that carried it. */
export const READING_INTERVALS = ['RTD', 'MINUTE', 'HOUR', 'DAY'] as const;
export type ReadingInterval = (typeof READING_INTERVALS)[number];

export const LIMIT_BASES = ['RAW', 'CONVERTED'] as const;
export type LimitBasis = (typeof LIMIT_BASES)[number];

export type MonitorStatus = 'UNKNOWN' | 'ONLINE' | 'OFFLINE';
export type Severity = 'WARNING' | 'EXCEEDANCE';
export type EpisodeStatus = 'OPEN' | 'CLOSED';

/**
 * HJ 212 data flags. Values flagged F, M, D, C, B (and 2005's P) are stored but are not valid
 * measurements: they never open an exceedance. S is a manual value, not a measurement either.
 */
const INVALID_FLAGS = new Set(['F', 'M', 'D', 'C', 'B', 'P', 'S']);

export function isValidFlag(flag: string | null | undefined): boolean {
  return flag === null || flag === undefined || flag === '' || !INVALID_FLAGS.has(flag.toUpperCase());
}

export interface Monitor {
  id: number;
  mn: string;
  name: string;
  kind: MonitorKind;
  ownerModule: string | null;
  ownerId: string | null;
  enterpriseUscc: string | null;
  cellCode: string | null;
  longitude: number | null;
  latitude: number | null;
  intervalSeconds: number;
  status: MonitorStatus;
  lastDataAt: Date | null;
  statusChangedAt: Date | null;
  facilityStatus: unknown;
  restartedAt: Date | null;
  units: Record<string, string> | null;
  createdAt: Date;
}

export interface Limit {
  id: number;
  monitorId: number | null;
  monitorKind: string | null;
  factor: string;
  period: ReadingInterval;
  basis: LimitBasis;
  upper: number | null;
  lower: number | null;
  warningRatio: number;
  standard: string | null;
  validFrom: Date;
  validTo: Date | null;
}

export interface Reading {
  time: Date;
  monitorId: number;
  factor: string;
  interval: ReadingInterval;
  value: number | null;
  converted: number | null;
  flag: string | null;
  receivedAt?: Date;
}

export interface Exceedance {
  id: number;
  monitorId: number;
  factor: string;
  interval: ReadingInterval;
  severity: Severity;
  status: EpisodeStatus;
  openedAt: Date;
  lastOutAt: Date;
  closedAt: Date | null;
  peakValue: number;
  peakAt: Date;
  limitId: number | null;
  limitUpper: number | null;
  limitLower: number | null;
  basis: LimitBasis;
  monitorKind: MonitorKind;
  ownerModule: string | null;
  enterpriseUscc: string | null;
  cellCode: string | null;
  acknowledgedAt: Date | null;
  acknowledgedBy: string | null;
  acknowledgeNote: string | null;
}
