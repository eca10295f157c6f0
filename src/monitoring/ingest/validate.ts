import { hasRole, type Viewer } from '../../auth/viewer';
import { READING_INTERVALS, type Monitor, type ReadingInterval } from '../types';
import { FACTOR_CODE, instantInRange, MONITOR_MN } from '../../validation';

// Checks a batch's items before anything is written: each item's address, then its values.

/** One value from any source: the gateway, the GraphQL mutation, an import. */
export interface ReadingInput {
  /** the monitor, by MN (devices, integrations) or by id (internal callers) */
  mn?: string;
  monitorId?: number;
  factor: string;
  interval: ReadingInterval;
  time: Date;
  value: number | null;
  converted?: number | null;
  flag?: string | null;
  /** minute, hour and day values: the period's minimum, maximum and cumulative amount */
  min?: number | null;
  max?: number | null;
  cou?: number | null;
}

export type ItemOutcome = 'ACCEPTED' | 'DUPLICATE' | 'REJECTED';

export interface IngestResult {
  accepted: number;
  duplicates: number;
  rejected: number;
  /** one per input item, in input order */
  items: { index: number; outcome: ItemOutcome; reason?: string }[];
  /** exceedance episodes opened by this batch */
  opened: number;
}

/** Data stamped further ahead than this is a clock fault, not a measurement. */
const MAX_FUTURE_MS = 10 * 60 * 1000;

export interface Row {
  index: number;
  monitor: Monitor;
  factor: string;
  interval: ReadingInterval;
  time: Date;
  value: number | null;
  converted: number | null;
  flag: string | null;
  min: number | null;
  max: number | null;
  cou: number | null;
  /** monitor, factor and interval: what episodes and the newest-value state are kept per */
  series: string;
  /** set once the row is known to be stored by this batch */
  stored: boolean;
}

const FLAG_CODE = /^[A-Za-z0-9]{1,2}$/;

export const seriesKey = (monitorId: number, factor: string, interval: string): string => `${monitorId}\u0000${factor}\u0000${interval}`;

/**
 * Which monitors a caller may send readings for: undefined for any (the gateway, whose devices
 * proved their PW, internal callers and administrators), else a device token's bound MNs.
 */
export type IngestBinding = ReadonlySet<string> | undefined;

export function bindingOf(viewer: Viewer | undefined): IngestBinding {
  return viewer === undefined || hasRole(viewer, 'admin') ? undefined : new Set(viewer.monitors);
}

/**
 * Why each item names no monitor it may write, before anything is looked up (undefined where it
 * may). A batch repeats a few MNs thousands of times: each is checked once.
 */
export function addressProblems(items: readonly ReadingInput[], binding: IngestBinding): (string | undefined)[] {
  const good = new Set<string>();
  return items.map((item) => {
    if (item.mn !== undefined) {
      if (good.has(item.mn)) return undefined;
      if (typeof item.mn !== 'string' || !MONITOR_MN.test(item.mn)) return 'MN must be 1-32 letters, digits, _ or -';
      if (binding !== undefined && !binding.has(item.mn)) return NOT_BOUND;
      good.add(item.mn);
      return undefined;
    }
    if (item.monitorId !== undefined) return binding !== undefined ? NOT_BOUND : undefined;
    return 'no monitor given';
  });
}

export const NOT_BOUND = 'not this device’s monitor';

/** The monitors a batch names, found by MN and by id. */
export type BatchMonitors = { byMn: Map<string, Monitor>; byId: Map<number, Monitor> };

function rejectItem(result: IngestResult, index: number, reason: string): void {
  result.items[index] = { index, outcome: 'REJECTED', reason };
  result.rejected += 1;
}

/** Why an item cannot be stored, or undefined when it can (its monitor already found). */
function problemOf(item: ReadingInput, now: number, checked: (pattern: RegExp, code: string) => boolean): string | undefined {
  if (typeof item.factor !== 'string' || !checked(FACTOR_CODE, item.factor)) return 'factor code must be 1-32 letters, digits, _ or -';
  if (!READING_INTERVALS.includes(item.interval)) return 'unknown interval';
  if (!(item.time instanceof Date) || Number.isNaN(item.time.getTime())) return 'invalid time';
  if (item.time.getTime() > now + MAX_FUTURE_MS) return 'time is in the future';
  if (!instantInRange(item.time)) return 'time is before the year 1000';
  if (item.value !== null && !Number.isFinite(item.value)) return 'value must be a finite number or null';
  if (item.converted != null && !Number.isFinite(item.converted)) return 'converted value must be a finite number or null';
  for (const [name, extra] of [
    ['min', item.min],
    ['max', item.max],
    ['cou', item.cou],
  ] as const) {
    if (extra != null && !Number.isFinite(extra)) return `${name} must be a finite number or null`;
  }
  if (item.flag != null && (typeof item.flag !== 'string' || !checked(FLAG_CODE, item.flag))) return 'flag must be 1-2 letters or digits';
  return undefined;
}

/** The rows to store, in input order; refused and repeated items get their outcome in `result`. */
export function validate(
  items: readonly ReadingInput[],
  addressProblems: readonly (string | undefined)[],
  monitorsOf: BatchMonitors,
  now: Date,
  result: IngestResult,
): Row[] {
  const rows: Row[] = [];
  // each series' key and the times seen in it, by monitor, factor and interval: a batch repeats a
  // few hundred series thousands of times, so the key is built once per series
  const seen = new Map<Monitor, Map<string, Map<string, { series: string; times: Set<number> }>>>();
  // a batch repeats a handful of factor codes and flags thousands of times: check each once
  const goodCodes = new Set<string>();
  const checked = (pattern: RegExp, code: string): boolean => {
    if (goodCodes.has(code)) return true;
    if (!pattern.test(code)) return false;
    goodCodes.add(code);
    return true;
  };
  const nowMs = now.getTime();
  for (let index = 0; index < items.length; index += 1) {
    const item = items[index] as ReadingInput;
    const addressProblem = addressProblems[index];
    if (addressProblem !== undefined) {
      rejectItem(result, index, addressProblem);
      continue;
    }
    const monitor = item.mn !== undefined ? monitorsOf.byMn.get(item.mn) : item.monitorId !== undefined ? monitorsOf.byId.get(item.monitorId) : undefined;
    if (!monitor) {
      rejectItem(result, index, 'unknown monitor');
      continue;
    }
    const problem = problemOf(item, nowMs, checked);
    if (problem !== undefined) {
      rejectItem(result, index, problem);
      continue;
    }
    let byFactor = seen.get(monitor);
    if (!byFactor) seen.set(monitor, (byFactor = new Map()));
    let byInterval = byFactor.get(item.factor);
    if (!byInterval) byFactor.set(item.factor, (byInterval = new Map()));
    let entry = byInterval.get(item.interval);
    if (!entry) byInterval.set(item.interval, (entry = { series: seriesKey(monitor.id, item.factor, item.interval), times: new Set() }));
    const ms = item.time.getTime();
    if (entry.times.has(ms)) {
      result.items[index] = { index, outcome: 'DUPLICATE' };
      result.duplicates += 1;
      continue;
    }
    entry.times.add(ms);
    rows.push({
      index,
      monitor,
      factor: item.factor,
      interval: item.interval,
      time: item.time,
      value: item.value,
      converted: item.converted ?? null,
      flag: item.flag ? item.flag.toUpperCase() : null,
      min: item.min ?? null,
      max: item.max ?? null,
      cou: item.cou ?? null,
      series: entry.series,
      stored: false,
    });
  }
  return rows;
}
