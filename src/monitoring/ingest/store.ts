import { inArray, or, sql } from 'drizzle-orm';
import { json, pgArray, rowsOf, type Executor } from '../../db';
import type { Emit } from '../../events/bus';
import type { EpisodeState } from '../evaluate';
import { monitorCameOnline } from '../events';
import { limitsFor } from '../limits';
import { MONITOR_COLUMNS, toMonitor } from '../monitors';
import { monitors } from '../tables';
import type { Limit, Monitor, ReadingInterval } from '../types';
import { seriesKey, type BatchMonitors, type ReadingInput, type Row } from './validate';

// The batch's SQL: monitor lookup, locks and reads, the readings insert, series state, episodes.

export const MONITOR_LOCK_SPACE = 2120;

/** The monitors the items name, for the items whose address may be written (`addressable`). */
export async function resolveMonitors(executor: Executor, items: readonly ReadingInput[], addressable: readonly boolean[]): Promise<BatchMonitors> {
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
export function insertReadings(
  tx: Executor,
  rows: readonly Row[],
  lastTimes: ReadonlyMap<string, Date>,
  careful: boolean,
): { written: Promise<void>; late: boolean } {
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
export function isUniqueViolation(error: unknown): boolean {
  for (let e: unknown = error; e && typeof e === 'object'; e = (e as { cause?: unknown }).cause) {
    if ((e as { code?: unknown }).code === '23505') return true;
  }
  return false;
}

export interface EpisodeRow {
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

/** What the batch's transaction read about its series before writing. */
export interface SeriesReads {
  lastTimes: ReadonlyMap<string, Date>;
  candidateLimits: readonly Limit[];
  openRows: readonly EpisodeRow[];
}

/**
 * Takes the batch's monitor locks and reads its series' newest times, the limits of its monitors
 * and its open episodes. Batches touching the same monitor evaluate one after the other (ids in
 * order: no deadlock), so two of them never both open an episode for one series. The lock and the
 * reads go out together, in this order on the transaction's connection: the server takes the lock
 * before it reads.
 */
export async function lockAndReadSeries(tx: Executor, rows: readonly Row[], bySeries: ReadonlyMap<string, Row[]>): Promise<SeriesReads> {
  const monitorIds = [...new Set(rows.map((row) => row.monitor.id))].sort((a, b) => a - b);
  const seriesKeys = keysOf(bySeries);
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
  return { lastTimes, candidateLimits, openRows };
}

function keysOf(bySeries: ReadonlyMap<string, Row[]>) {
  const keys = [...bySeries.values()].map((list) => list[0] as Row);
  return sql`jsonb_to_recordset(${json(keys.map((row) => ({ monitor_id: row.monitor.id, factor: row.factor, interval: row.interval })))})
    AS k(monitor_id int, factor text, interval text)`;
}

/** Each series' newest stored value: one upsert for the batch, never moving a series back in time. */
export async function writeSeriesState(tx: Executor, updates: readonly { row: Row; lastTime: Date }[]): Promise<void> {
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

export type Touched = { monitor: Monitor; factor: string; interval: ReadingInterval; episode: EpisodeState };

/** New episodes in one INSERT, changed ones in one UPDATE: two statements however many. */
export async function writeEpisodes(tx: Executor, touched: readonly Touched[]): Promise<number> {
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
 * Data arriving is what "online" means: record it, and announce a monitor that was offline. An
 * online monitor's last-data time is refreshed at most every 5 seconds (or its interval, if
 * shorter): far inside the silence that makes it offline, and a busy logger's batches do not all
 * rewrite its row.
 */
export async function markMonitorsOnline(tx: Executor, emit: Emit, fresh: readonly Row[], now: Date): Promise<void> {
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
