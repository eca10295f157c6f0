import { inArray, or, sql } from 'drizzle-orm';
import { json, pgArray, rowsOf, type Executor } from '../db';
import type { Emit } from '../events/bus';
import { ValidationError } from '../errors';
import type { MonitoringDeps } from './deps';
import { evaluateSeries, pickLimit, type EpisodeChange, type EpisodeState, type EvaluatedReading } from './evaluate';
import { exceedanceClosed, exceedanceEscalated, exceedanceOpened, exceedancePeakUpdated, monitorCameOnline, type ExceedanceEventPayload } from './events';
import { limitsFor } from './limits';
import { MONITOR_COLUMNS, toMonitor } from './monitors';
import { hasRole, type Viewer } from '../auth/viewer';
import { monitors } from './tables';
import { isValidFlag, READING_INTERVALS, type Limit, type Monitor, type ReadingInterval, type Severity } from './types';
import { FACTOR_CODE, instantInRange, MONITOR_MN } from '../validation';

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

export const MONITOR_LOCK_SPACE = 2120;

/** Data stamped further ahead than this is a clock fault, not a measurement. */
const MAX_FUTURE_MS = 10 * 60 * 1000;

interface Row {
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

const seriesKey = (monitorId: number, factor: string, interval: string): string => `${monitorId}\u0000${factor}\u0000${interval}`;

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
function addressProblems(items: readonly ReadingInput[], binding: IngestBinding): (string | undefined)[] {
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

async function resolveMonitors(executor: Executor, items: readonly ReadingInput[], addressable: readonly boolean[]): Promise<{ byMn: Map<string, Monitor>; byId: Map<number, Monitor> }> {
  const mns = [...new Set(items.filter((item, index) => addressable[index] && typeof item.mn === 'string').map((item) => item.mn as string))];
  const ids = [...new Set(items.filter((item, index) => addressable[index] && Number.isInteger(item.monitorId)).map((item) => item.monitorId as number))];
  if (mns.length === 0 && ids.length === 0) return { byMn: new Map(), byId: new Map() };
  const rows = await executor
    .select(MONITOR_COLUMNS)
    .from(monitors)
    .where(or(inArray(monitors.mn, mns), inArray(monitors.id, ids)));
  const byMn = new Map<string, Monitor>();
  const byId = new Map<number, Monitor>();
  for (const monitor of rows.map(toMonitor)) {
    byMn.set(monitor.mn, monitor);
    byId.set(monitor.id, monitor);
  }
  return { byMn, byId };
}

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
  for (const [name, extra] of [['min', item.min], ['max', item.max], ['cou', item.cou]] as const) {
    if (extra != null && !Number.isFinite(extra)) return `${name} must be a finite number or null`;
  }
  if (item.flag != null && (typeof item.flag !== 'string' || !checked(FLAG_CODE, item.flag))) return 'flag must be 1-2 letters or digits';
  return undefined;
}

function validate(items: readonly ReadingInput[], addressProblems: readonly (string | undefined)[], monitorsOf: { byMn: Map<string, Monitor>; byId: Map<number, Monitor> }, now: Date, result: IngestResult): Row[] {
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

/** A column of few distinct values as a dictionary and 1-based positions in it (0 for null). */
function dictionary(values: readonly (string | null)[]): { words: string[]; positions: number[] } {
  const words: string[] = [];
  const index = new Map<string, number>();
  const positions = values.map((value) => {
    if (value === null) return 0;
    let position = index.get(value);
    if (position === undefined) {
      position = words.push(value);
      index.set(value, position);
    }
    return position;
  });
  return { words, positions };
}

// The batch travels small: times as milliseconds after the batch's earliest (formatting and parsing
// ISO strings cost both sides more than the rest of the columns together; a millisecond count is
// exact in float8 and to_timestamp rounds to the microsecond), factor, interval and flag as
// positions in their few distinct values, and an all-null converted column as an empty array
// (unnest pads it with nulls), and so are all-null min, max and cou (real-time data has none). The dictionaries are read once (OFFSET 0 keeps them out of the row loop).
const unnestRows = (rows: readonly Row[]) => {
  let base = Infinity;
  for (const row of rows) base = Math.min(base, row.time.getTime());
  const factors = dictionary(rows.map((r) => r.factor));
  const intervals = dictionary(rows.map((r) => r.interval));
  const flags = dictionary(rows.map((r) => r.flag));
  const sparse = (pick: (r: Row) => number | null) => (rows.some((r) => pick(r) !== null) ? rows.map(pick) : []);
  const converted = sparse((r) => r.converted);
  return sql`SELECT to_timestamp((${base}::float8 + u.ms) / 1000), u.monitor_id, d.factors[u.factor], d.intervals[u.interval], u.value, u.converted, d.flags[u.flag], u.min, u.max, u.cou, statement_timestamp()
      FROM (SELECT ${pgArray(factors.words)}::text[] AS factors, ${pgArray(intervals.words)}::text[] AS intervals, ${pgArray(flags.words)}::text[] AS flags OFFSET 0) d,
           unnest(
          ${pgArray(rows.map((r) => r.time.getTime() - base))}::float8[],
          ${pgArray(rows.map((r) => r.monitor.id))}::int[],
          ${pgArray(factors.positions)}::int[],
          ${pgArray(intervals.positions)}::int[],
          ${pgArray(rows.map((r) => r.value))}::float8[],
          ${pgArray(converted)}::float8[],
          ${pgArray(flags.positions)}::int[],
          ${pgArray(sparse((r) => r.min))}::float8[],
          ${pgArray(sparse((r) => r.max))}::float8[],
          ${pgArray(sparse((r) => r.cou))}::float8[])
            AS u(ms, monitor_id, factor, interval, value, converted, flag, min, max, cou)`;
};

/**
 * `received_at` is the insert's own statement time, not the transaction's start: every writer of a
 * monitor takes its lock before inserting and holds it to the commit, so a monitor's readings are
 * stamped in the order they commit, which is the order HJ 212 forwarding sends them upstream.
 *
 * Sends the batch's writes and marks the rows they store (a row already stored, a retransmission,
 * is left as it was and stays unmarked).
 *
 * Rows newer than their series' last stored time cannot be in the table yet: every writer of a series
 * holds its monitor's lock, so they go in with a plain INSERT, which costs about what COPY does.
 * They are marked at once: the statement stores all of them or fails the batch. Late rows (at or
 * before that time) take INSERT ... ON CONFLICT DO NOTHING RETURNING, which tells which were new,
 * and are marked when it answers. Should a plain insert meet a stored row after all (a row written
 * around the service), the unique index refuses it and the caller runs the batch again in
 * `careful` mode, where every row is treated as late.
 *
 * The statements are on their way when this returns; `written` settles when they have run, and
 * `late` says whether any row waits for an answer to be marked.
 */
function insertReadings(tx: Executor, rows: readonly Row[], lastTimes: ReadonlyMap<string, Date>, careful: boolean): { written: Promise<void>; late: boolean } {
  const newer: Row[] = [];
  const late: Row[] = [];
  for (const row of rows) {
    const last = careful ? undefined : lastTimes.get(row.series);
    if (!careful && (last === undefined || row.time > last)) newer.push(row);
    else late.push(row);
  }
  const columns = sql`INSERT INTO monitoring_readings (time, monitor_id, factor, interval, value, converted, flag, min, max, cou, received_at)`;
  // the series and the time: the readings table's unique key
  const byKey = new Map(late.map((row) => [`${row.series}\u0000${row.time.getTime()}`, row]));
  const written = Promise.all([
    newer.length === 0 ? undefined : tx.execute(sql`${columns} ${unnestRows(newer)}`),
    late.length === 0
      ? undefined
      : rowsOf<{ monitor_id: number; factor: string; interval: string; time: Date | string }>(
          tx,
          sql`${columns} ${unnestRows(late)}
              ON CONFLICT (monitor_id, factor, interval, time) DO NOTHING
              RETURNING monitor_id, factor, interval, time`,
        ).then((inserted) => {
          for (const r of inserted) {
            const row = byKey.get(`${seriesKey(r.monitor_id, r.factor, r.interval)}\u0000${new Date(r.time).getTime()}`);
            if (row) row.stored = true;
          }
        }),
  ]).then(() => undefined);
  for (const row of newer) row.stored = true;
  return { written, late: late.length > 0 };
}

/** SQLSTATE 23505: the unique index refused a row. */
function isUniqueViolation(error: unknown): boolean {
  for (let e: unknown = error; e && typeof e === 'object'; e = (e as { cause?: unknown }).cause) {
    if ((e as { code?: unknown }).code === '23505') return true;
  }
  return false;
}

interface EpisodeRow {
  id: number;
  monitor_id: number;
  factor: string;
  interval: string;
  severity: string;
  opened_at: Date | string;
  last_out_at: Date | string;
  peak_value: number;
  peak_at: Date | string;
  limit_id: number | null;
}

/**
 * Validates, de-duplicates, writes the batch in one statement, evaluates the new valid values
 * against the limits valid at their time, and publishes exceedance events after the commit.
 */
export async function ingestReadings(deps: MonitoringDeps, items: readonly ReadingInput[], binding: IngestBinding = undefined): Promise<IngestResult> {
  if (items.length > deps.settings.ingestBatchMax) {
    throw new ValidationError([{ path: 'readings', message: `a batch holds at most ${deps.settings.ingestBatchMax} readings` }]);
  }
  const result: IngestResult = { accepted: 0, duplicates: 0, rejected: 0, items: new Array(items.length), opened: 0 };
  if (items.length === 0) return result;
  const now = deps.now();
  // a device's items for monitors not its own are refused here, item by item, before any lookup
  const problems = addressProblems(items, binding);
  const monitorsOf = await resolveMonitors(
    deps.db.orm,
    items,
    problems.map((problem) => problem === undefined),
  );
  const rows = validate(items, problems, monitorsOf, now, result);
  if (rows.length === 0) return result;

  let counts: BatchCounts;
  try {
    counts = await writeBatch(deps, rows, now, result, false);
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    counts = await writeBatch(deps, rows, now, result, true);
  }
  result.accepted += counts.accepted;
  result.duplicates += counts.duplicates;
  result.opened = counts.opened;
  return result;
}

type BatchCounts = { accepted: number; duplicates: number; opened: number };

/** One transaction for the batch; the outcome of each row goes into `result.items`. */
async function writeBatch(deps: MonitoringDeps, rows: readonly Row[], now: Date, result: IngestResult, careful: boolean): Promise<BatchCounts> {
  return deps.bus.transaction(async (tx, emit) => {
    // Batches touching the same monitor evaluate one after the other (ids in order: no deadlock),
    // so two of them never both open an episode for one series.
    const monitorIds = [...new Set(rows.map((row) => row.monitor.id))].sort((a, b) => a - b);
    const bySeries = groupBySeries(rows);
    const seriesKeys = keysOf(bySeries);
    // The lock and the reads go out together, in this order on the transaction's connection: the
    // server takes the lock before it reads.
    const [, states, candidateLimits, openRows] = await Promise.all([
      tx.execute(sql`SELECT pg_advisory_xact_lock(${MONITOR_LOCK_SPACE}, id::int) FROM jsonb_array_elements_text(${json(monitorIds)}) AS id`),
      rowsOf<{ monitor_id: number; factor: string; interval: string; last_time: Date | string }>(
        tx,
        sql`SELECT s.monitor_id, s.factor, s.interval, s.last_time FROM monitoring_series s
              JOIN ${seriesKeys}
                ON s.monitor_id = k.monitor_id AND s.factor = k.factor AND s.interval = k.interval`,
      ),
      limitsFor(tx, monitorIds, [...new Set(rows.map((row) => row.monitor.kind))]),
      rowsOf<EpisodeRow>(
        tx,
        sql`SELECT e.id, e.monitor_id, e.factor, e.interval, e.severity, e.opened_at, e.last_out_at, e.peak_value, e.peak_at, e.limit_id
              FROM monitoring_exceedances e
              JOIN ${seriesKeys}
                ON e.monitor_id = k.monitor_id AND e.factor = k.factor AND e.interval = k.interval
             WHERE e.status = 'OPEN'
             FOR UPDATE OF e`,
      ),
    ]);
    const lastTimes = new Map(states.map((s) => [seriesKey(s.monitor_id, s.factor, s.interval), new Date(s.last_time)]));
    for (const row of rows) row.stored = false;
    const { written, late } = insertReadings(tx, rows, lastTimes, careful);
    // With no late rows every row is stored if the insert succeeds, so the evaluation goes ahead
    // while the server inserts and its writes queue behind the insert on the connection.
    if (late) await written;
    const fresh: Row[] = [];
    let accepted = 0;
    let duplicates = 0;
    for (const row of rows) {
      if (row.stored) {
        result.items[row.index] = { index: row.index, outcome: 'ACCEPTED' };
        accepted += 1;
        fresh.push(row);
      } else {
        result.items[row.index] = { index: row.index, outcome: 'DUPLICATE' };
        duplicates += 1;
      }
    }
    if (fresh.length === 0) {
      await written;
      return { accepted, duplicates, opened: 0 };
    }
    const read: SeriesReads = { lastTimes, candidateLimits, openRows };
    const evaluated = Promise.all([evaluateAndRecord(tx, emit, storedBySeries(bySeries), now, read), markMonitorsOnline(tx, emit, fresh, now)]);
    // a refused insert aborts the transaction and the writes behind it: its own error is the one to tell
    const [insert, evaluation] = await Promise.allSettled([written, evaluated]);
    if (insert.status === 'rejected') throw insert.reason;
    if (evaluation.status === 'rejected') throw evaluation.reason;
    const [opened] = evaluation.value;
    return { accepted, duplicates, opened };
  });
}

function groupBySeries(rows: readonly Row[]): Map<string, Row[]> {
  const bySeries = new Map<string, Row[]>();
  for (const row of rows) {
    const list = bySeries.get(row.series);
    if (list) list.push(row);
    else bySeries.set(row.series, [row]);
  }
  return bySeries;
}

/** The batch's series with only the rows this batch stored (the others were there already). */
function storedBySeries(bySeries: ReadonlyMap<string, Row[]>): Map<string, Row[]> {
  const stored = new Map<string, Row[]>();
  for (const [key, list] of bySeries) {
    const rows = list.every((row) => row.stored) ? list : list.filter((row) => row.stored);
    if (rows.length > 0) stored.set(key, rows);
  }
  return stored;
}

function keysOf(bySeries: ReadonlyMap<string, Row[]>) {
  const keys = [...bySeries.values()].map((list) => list[0] as Row);
  return sql`jsonb_to_recordset(${json(keys.map((row) => ({ monitor_id: row.monitor.id, factor: row.factor, interval: row.interval })))})
    AS k(monitor_id int, factor text, interval text)`;
}

/** What the batch's transaction read about its series before writing. */
interface SeriesReads {
  lastTimes: ReadonlyMap<string, Date>;
  candidateLimits: readonly Limit[];
  openRows: readonly EpisodeRow[];
}

async function evaluateAndRecord(tx: Executor, emit: Emit, bySeries: ReadonlyMap<string, Row[]>, now: Date, read: SeriesReads): Promise<number> {
  const { lastTimes, candidateLimits, openRows } = read;
  const limitById = new Map(candidateLimits.map((limit) => [limit.id, limit]));
  const openBySeries = new Map(openRows.map((e) => [seriesKey(e.monitor_id, e.factor, e.interval), e]));
  // a batch's monitors may bring hundreds of limits: each series picks among its own few
  const limitsByFactor = new Map<string, Limit[]>();
  for (const limit of candidateLimits) {
    const key = `${limit.factor}\u0000${limit.period}`;
    const list = limitsByFactor.get(key);
    if (list) list.push(limit);
    else limitsByFactor.set(key, [limit]);
  }

  const seriesUpdates: { row: Row; lastTime: Date }[] = [];
  const changes: { monitor: Monitor; factor: string; interval: ReadingInterval; change: EpisodeChange }[] = [];
  const touched: Touched[] = [];
  for (const [key, list] of bySeries) {
    const first = list[0] as Row;
    const newest = list.reduce((a, b) => (b.time > a.time ? b : a));
    const previous = lastTimes.get(key);
    if (!previous || newest.time > previous) seriesUpdates.push({ row: newest, lastTime: newest.time });
    const evaluated: EvaluatedReading[] = [];
    const seriesLimits = (limitsByFactor.get(`${first.factor}\u0000${first.interval}`) ?? []).filter(
      (limit) => limit.monitorId === first.monitor.id || (limit.monitorId === null && limit.monitorKind === first.monitor.kind),
    );
    for (const row of list) {
      if (seriesLimits.length === 0) break;
      if (!isValidFlag(row.flag)) continue;
      const limit = pickLimit(seriesLimits, row.monitor, row.factor, row.interval, row.time);
      if (!limit) continue;
      const value = limit.basis === 'CONVERTED' ? row.converted : row.value;
      if (value === null) continue;
      evaluated.push({ time: row.time, value, limit });
    }
    const openRow = openBySeries.get(key);
    if (evaluated.length === 0) continue;
    const open = openRow ? toEpisodeState(openRow, limitById, evaluated[0] as EvaluatedReading) : undefined;
    const outcome = evaluateSeries(evaluated, open, previous);
    for (const change of outcome.changes) changes.push({ monitor: first.monitor, factor: first.factor, interval: first.interval, change });
    for (const episode of outcome.touched) touched.push({ monitor: first.monitor, factor: first.factor, interval: first.interval, episode });
  }

  // the series' newest values and the episodes are independent writes: sent together
  const [opened] = await Promise.all([
    writeEpisodes(tx, touched),
    writeSeriesState(tx, seriesUpdates),
  ]);
  for (const { monitor, factor, interval, change } of coalesce(changes)) {
    const topic = { opened: exceedanceOpened, escalated: exceedanceEscalated, peakUpdated: exceedancePeakUpdated, closed: exceedanceClosed }[change.kind];
    emit(topic, episodePayload(monitor, factor, interval, change.episode, change.value, change.kind === 'closed' ? (change.episode.closedAt as Date) : now));
  }
  return opened;
}

/** Each series' newest stored value: one upsert for the batch, never moving a series back in time. */
async function writeSeriesState(tx: Executor, updates: readonly { row: Row; lastTime: Date }[]): Promise<void> {
  if (updates.length === 0) return;
  await tx.execute(
    sql`INSERT INTO monitoring_series (monitor_id, factor, interval, last_time, last_value, last_converted, last_flag)
      SELECT monitor_id, factor, interval, last_time, last_value, last_converted, last_flag
        FROM jsonb_to_recordset(${json(
          updates.map((u) => ({
            monitor_id: u.row.monitor.id,
            factor: u.row.factor,
            interval: u.row.interval,
            last_time: u.lastTime.toISOString(),
            last_value: u.row.value,
            last_converted: u.row.converted,
            last_flag: u.row.flag,
          })),
        )})
          AS x(monitor_id int, factor text, interval text, last_time timestamptz, last_value float8, last_converted float8, last_flag text)
      ON CONFLICT (monitor_id, factor, interval) DO UPDATE
        SET last_time = EXCLUDED.last_time, last_value = EXCLUDED.last_value,
            last_converted = EXCLUDED.last_converted, last_flag = EXCLUDED.last_flag
        WHERE monitoring_series.last_time < EXCLUDED.last_time`,
  );
}

type Touched = { monitor: Monitor; factor: string; interval: ReadingInterval; episode: EpisodeState };

/** New episodes in one INSERT, changed ones in one UPDATE: two statements however many. */
async function writeEpisodes(tx: Executor, touched: readonly Touched[]): Promise<number> {
  const fresh = touched.filter((item) => item.episode.id === undefined);
  const changed = touched.filter((item) => item.episode.id !== undefined);
  const state = (episode: EpisodeState) => ({
    severity: episode.severity,
    status: episode.closedAt ? 'CLOSED' : 'OPEN',
    last_out_at: episode.lastOutAt.toISOString(),
    closed_at: episode.closedAt?.toISOString() ?? null,
    peak_value: episode.peakValue,
    peak_at: episode.peakAt.toISOString(),
    limit_id: episode.limit.id,
    limit_upper: episode.limit.upper,
    limit_lower: episode.limit.lower,
  });
  // updates first: an episode closing here frees its series for the one opening after it
  if (changed.length > 0) {
    await tx.execute(
      sql`UPDATE monitoring_exceedances e
             SET severity = x.severity, status = x.status, last_out_at = x.last_out_at, closed_at = x.closed_at,
                 peak_value = x.peak_value, peak_at = x.peak_at, limit_id = x.limit_id,
                 limit_upper = x.limit_upper, limit_lower = x.limit_lower
            FROM jsonb_to_recordset(${json(changed.map(({ episode }) => ({ id: episode.id, ...state(episode) })))})
              AS x(id int, severity text, status text, last_out_at timestamptz, closed_at timestamptz, peak_value float8,
                   peak_at timestamptz, limit_id int, limit_upper float8, limit_lower float8)
           WHERE e.id = x.id`,
    );
  }
  if (fresh.length > 0) {
    const inserted = await rowsOf<{ id: number; monitor_id: number; factor: string; interval: string; opened_at: Date | string }>(
      tx,
      sql`INSERT INTO monitoring_exceedances (monitor_id, factor, interval, severity, status, opened_at, last_out_at, closed_at,
            peak_value, peak_at, limit_id, limit_upper, limit_lower, basis, monitor_kind, owner_module, enterprise_uscc, cell_code)
          SELECT monitor_id, factor, interval, severity, status, opened_at, last_out_at, closed_at,
                 peak_value, peak_at, limit_id, limit_upper, limit_lower, basis, monitor_kind, owner_module, enterprise_uscc, cell_code
            FROM jsonb_to_recordset(${json(
              fresh.map(({ monitor, factor, interval, episode }) => ({
                monitor_id: monitor.id,
                factor,
                interval,
                opened_at: episode.openedAt.toISOString(),
                basis: episode.limit.basis,
                monitor_kind: monitor.kind,
                owner_module: monitor.ownerModule,
                enterprise_uscc: monitor.enterpriseUscc,
                cell_code: monitor.cellCode,
                ...state(episode),
              })),
            )}) AS x(monitor_id int, factor text, interval text, severity text, status text, opened_at timestamptz,
                     last_out_at timestamptz, closed_at timestamptz, peak_value float8, peak_at timestamptz, limit_id int,
                     limit_upper float8, limit_lower float8, basis text, monitor_kind text, owner_module text,
                     enterprise_uscc text, cell_code text)
          RETURNING id, monitor_id, factor, interval, opened_at`,
    );
    // a series opens at most one episode at a given instant: that identifies each new row
    const ids = new Map(inserted.map((row) => [`${seriesKey(row.monitor_id, row.factor, row.interval)}\u0000${new Date(row.opened_at).getTime()}`, row.id]));
    for (const { monitor, factor, interval, episode } of fresh) {
      episode.id = ids.get(`${seriesKey(monitor.id, factor, interval)}\u0000${episode.openedAt.getTime()}`);
    }
  }
  return fresh.length;
}

/**
 * One batch can raise a peak many times: dashboards need the episode's state, not every step, so
 * a batch emits at most one peak update per episode (its last), and none for an episode it opened
 * (the opened event already carries the peak so far).
 */
function coalesce<T extends { change: EpisodeChange }>(changes: readonly T[]): T[] {
  const openedHere = new Set(changes.filter((c) => c.change.kind === 'opened').map((c) => c.change.episode));
  const lastPeak = new Map<EpisodeState, T>();
  for (const item of changes) if (item.change.kind === 'peakUpdated') lastPeak.set(item.change.episode, item);
  return changes.filter((item) => item.change.kind !== 'peakUpdated' || (!openedHere.has(item.change.episode) && lastPeak.get(item.change.episode) === item));
}

function toEpisodeState(row: EpisodeRow, limitById: Map<number, Limit>, fallback: EvaluatedReading): EpisodeState {
  return {
    id: row.id,
    severity: row.severity as Severity,
    openedAt: new Date(row.opened_at),
    lastOutAt: new Date(row.last_out_at),
    peakValue: row.peak_value,
    peakAt: new Date(row.peak_at),
    limit: (row.limit_id !== null ? limitById.get(row.limit_id) : undefined) ?? fallback.limit,
    closedAt: undefined,
  };
}

function episodePayload(monitor: Monitor, factor: string, interval: ReadingInterval, episode: EpisodeState, value: number, at: Date): ExceedanceEventPayload {
  return {
    exceedanceId: episode.id as number,
    monitorId: monitor.id,
    mn: monitor.mn,
    monitorName: monitor.name,
    monitorKind: monitor.kind,
    ownerModule: monitor.ownerModule,
    ownerId: monitor.ownerId,
    enterpriseUscc: monitor.enterpriseUscc,
    cellCode: monitor.cellCode,
    factor,
    interval,
    severity: episode.severity,
    value,
    peakValue: episode.peakValue,
    limitUpper: episode.limit.upper,
    limitLower: episode.limit.lower,
    at: at.toISOString(),
  };
}

/**
 * Data arriving is what "online" means: record it, and announce a monitor that was offline. An
 * online monitor's last-data time is refreshed at most every 5 seconds (or its interval, if
 * shorter): far inside the silence that makes it offline, and a busy logger's batches do not all
 * rewrite its row.
 */
async function markMonitorsOnline(tx: Executor, emit: Emit, fresh: readonly Row[], now: Date): Promise<void> {
  const ids = [...new Set(fresh.map((row) => row.monitor.id))];
  const back = await rowsOf<{ id: number; previous: string; last_data_at: Date | string }>(
    tx,
    sql`UPDATE monitoring_monitors m
           SET last_data_at = ${now.toISOString()}, status = 'ONLINE',
               status_changed_at = CASE WHEN m.status = 'ONLINE' THEN m.status_changed_at ELSE ${now.toISOString()}::timestamptz END
          FROM (SELECT id, status AS previous FROM monitoring_monitors
                 WHERE id IN (SELECT jsonb_array_elements_text(${json(ids)})::int)
                   AND (status <> 'ONLINE' OR last_data_at IS NULL
                        OR last_data_at < ${now.toISOString()}::timestamptz - least(interval '5 seconds', make_interval(secs => interval_seconds)))
                   FOR UPDATE) old
         WHERE m.id = old.id
     RETURNING m.id, old.previous, m.last_data_at`,
  );
  const byId = new Map(fresh.map((row) => [row.monitor.id, row.monitor]));
  for (const row of back) {
    if (row.previous !== 'OFFLINE') continue;
    const monitor = byId.get(row.id) as Monitor;
    emit(monitorCameOnline, {
      monitorId: monitor.id,
      mn: monitor.mn,
      monitorName: monitor.name,
      monitorKind: monitor.kind,
      ownerModule: monitor.ownerModule,
      enterpriseUscc: monitor.enterpriseUscc,
      cellCode: monitor.cellCode,
      status: 'ONLINE',
      lastDataAt: now.toISOString(),
      at: now.toISOString(),
    });
  }
}
