/**
 * Forwarding reads from the hub's own store: a monitor's readings and 2041 run times in the order
 * they were stored (received_at, which follows commit order per monitor), grouped back into the
 * uploads that carried them, after the target's cursor for that monitor. The cursor moves only when the target
 * acknowledges, so an outage, a restart or a lost 9014 resends from the last acknowledged upload.
 */
import { sql } from 'drizzle-orm';
import { json, pgArray, rowsOf, type Database } from '../../../db';
import type { ReadingInterval, StoredReadingRow } from '../../../monitoring/public';

/** One upload to send: every reading (or 2041 run time) of a monitor, kind and data time stored together. */
export interface StoredUpload {
  monitorId: number;
  /** received_at as the database prints it: kept as text so the cursor keeps its microseconds */
  receivedAt: string;
  /** the readings' interval, or RUN_TIME for a 2041 report */
  kind: UploadKind;
  time: Date;
  /** for a 2041 report: the facility (`SB1`) as factor and its run hours as value */
  items: { factor: string; value: number | null; converted: number | null; flag: string | null; min: number | null; max: number | null; cou: number | null }[];
}

export const RUN_TIME = 'RUN_TIME';
export type UploadKind = ReadingInterval | typeof RUN_TIME;

/** What a target is sent: the readings of some intervals, 2041 run times, 2021 status, 2081 restarts. */
export interface ForwardedKinds {
  intervals: readonly ReadingInterval[];
  runTimes: boolean;
  facilityStatus: boolean;
  restarts: boolean;
}

/** A monitor's state the target has not acknowledged yet: its 2021 status and 2081 restart, as stored on it. */
export interface ChangedState {
  /** `Monitor.facilityStatus` as stored: `{ time, facilities: [{ id, runStatus, runHours, ... }] }` */
  facilityStatus?: { json: string; time: Date | null; facilities: { id: string; runStatus: number | null; runHours: number | null }[] };
  restartedAt?: { text: string; time: Date };
}

export interface CursorState {
  monitorId: number;
  acknowledgedAt: Date | null;
  /** data time of the last acknowledged upload; null before the first */
  lastTime: Date | null;
  backlog: number;
}

const FAR_PAST = '1970-01-01T00:00:00Z';

/**
 * Records when the hub first ran with a target (kept across restarts) and returns it: the start of
 * what a monitor gets when the target names no `since`.
 */
export async function targetConfiguredAt(db: Database, target: string): Promise<Date> {
  await db.orm.execute(sql`INSERT INTO hj212_forward_targets (target) VALUES (${target}) ON CONFLICT (target) DO NOTHING`);
  const [row] = await rowsOf<{ configured_at: Date | string }>(db.orm, sql`SELECT configured_at FROM hj212_forward_targets WHERE target = ${target}`);
  if (!row) throw new Error(`hj212_forward_targets has no row for ${target}`);
  return new Date(row.configured_at);
}

/**
 * Makes a cursor for each monitor that has none, placed so the monitor's uploads the hub stored
 * from `from` on are sent: a monitor added to a target later gets the same history as the others.
 * An existing cursor is never moved back: what the target acknowledged is not sent again.
 */
export async function ensureCursors(db: Database, target: string, monitorIds: readonly number[], from: Date): Promise<void> {
  if (monitorIds.length === 0) return;
  await db.orm.execute(sql`INSERT INTO hj212_forward_cursors (target, monitor_id, received_at, interval, time)
    SELECT ${target}, id::int, ${from.toISOString()}::timestamptz, '', ${FAR_PAST}::timestamptz FROM jsonb_array_elements_text(${json(monitorIds)}) AS id
    ON CONFLICT (target, monitor_id) DO NOTHING`);
}

/*
 * A monitor's uploads come from two tables, each read through its (monitor_id, received_at) index
 * from the cursor on: readings, whose kind is their interval, and 2041 run times (RUN_TIME). The
 * cursor is a position in the order (received_at, kind, data time) over both; a cursor not yet
 * past anything has the kind '' and the far past, so it takes every upload stored from its
 * received_at on.
 */
const readingsAfter = (kinds: ForwardedKinds) =>
  sql`r.monitor_id = c.monitor_id AND r.received_at >= c.received_at
      AND (r.received_at, r.interval, r.time) > (c.received_at, c.interval, c.time)
      AND r.interval = ANY(${pgArray(kinds.intervals)}::text[])`;
const runTimesAfter = sql`f.monitor_id = c.monitor_id AND f.received_at >= c.received_at
      AND (f.received_at, ${RUN_TIME}::text, f.time) > (c.received_at, c.interval, c.time)`;
/** A monitor's stored 2021 status or 2081 restart differs from what the target last acknowledged. */
const stateChanged = (kinds: ForwardedKinds) => {
  const parts = [
    ...(kinds.facilityStatus ? [sql`(m.facility_status IS NOT NULL AND m.facility_status IS DISTINCT FROM c.status_forwarded)`] : []),
    ...(kinds.restarts ? [sql`(m.restarted_at IS NOT NULL AND m.restarted_at IS DISTINCT FROM c.restart_forwarded)`] : []),
  ];
  return parts.length === 0 ? undefined : sql.join(parts, sql` OR `);
};
const monitorsIn = (monitorIds: readonly number[]) => sql`c.monitor_id IN (SELECT (jsonb_array_elements_text(${json(monitorIds)}))::int)`;

/** The monitors of a target with anything after their cursor, in one statement. */
export async function monitorsWithBacklog(db: Database, target: string, monitorIds: readonly number[], kinds: ForwardedKinds): Promise<number[]> {
  if (monitorIds.length === 0) return [];
  const runTimes = kinds.runTimes ? sql` OR EXISTS (SELECT 1 FROM monitoring_facility_run_times f WHERE ${runTimesAfter})` : sql``;
  const changed = stateChanged(kinds);
  const state = changed ? sql` OR EXISTS (SELECT 1 FROM monitoring_monitors m WHERE m.id = c.monitor_id AND (${changed}))` : sql``;
  const rows = await rowsOf<{ monitor_id: number }>(
    db.orm,
    sql`SELECT c.monitor_id FROM hj212_forward_cursors c
         WHERE c.target = ${target} AND ${monitorsIn(monitorIds)}
           AND (EXISTS (SELECT 1 FROM monitoring_readings r WHERE ${readingsAfter(kinds)})${runTimes}${state})`,
  );
  return rows.map((row) => Number(row.monitor_id));
}

type UploadRow = StoredReadingRow & { received_at: string; kind: string };

/** At most `maxRows` rows of a monitor after its cursor, in sending order: each table read no further than that. */
function readAfterCursor(db: Database, target: string, monitorId: number, kinds: ForwardedKinds, maxRows: number): Promise<UploadRow[]> {
  const runTimes = kinds.runTimes
    ? sql` UNION ALL (SELECT f.received_at, ${RUN_TIME}::text AS kind, f.time, f.facility AS factor, f.run_hours AS value, NULL::float8 AS converted, NULL::text AS flag, NULL::float8 AS min, NULL::float8 AS max, NULL::float8 AS cou
                        FROM hj212_forward_cursors c JOIN monitoring_facility_run_times f ON ${runTimesAfter}
                       WHERE c.target = ${target} AND c.monitor_id = ${monitorId}
                       ORDER BY f.received_at, f.time, f.facility LIMIT ${maxRows})`
    : sql``;
  return rowsOf<UploadRow>(
    db.orm,
    sql`SELECT u.received_at::text AS received_at, u.kind, u.time, u.factor, u.value, u.converted, u.flag, u.min, u.max, u.cou FROM (
          (SELECT r.received_at, r.interval AS kind, r.time, r.factor, r.value, r.converted, r.flag, r.min, r.max, r.cou
             FROM hj212_forward_cursors c JOIN monitoring_readings r ON ${readingsAfter(kinds)}
            WHERE c.target = ${target} AND c.monitor_id = ${monitorId}
            ORDER BY r.received_at, r.interval, r.time, r.factor LIMIT ${maxRows})${runTimes}) u
        ORDER BY u.received_at, u.kind, u.time, u.factor
        LIMIT ${maxRows}`,
  );
}

/**
 * The next uploads of one monitor after its cursor, oldest first, read as one page of at most
 * `maxRows` rows: a backlog of any length is sent page by page, never held whole. A page ends
 * with a whole upload; one upload larger than a page is read whole on its own.
 */
export async function nextUploads(db: Database, target: string, monitorId: number, kinds: ForwardedKinds, maxRows: number): Promise<StoredUpload[]> {
  for (let limit = maxRows; ; limit *= 2) {
    const rows = await readAfterCursor(db, target, monitorId, kinds, limit);
    const uploads: StoredUpload[] = [];
    for (const row of rows) {
      const time = new Date(row.time);
      let last = uploads.at(-1);
      if (!last || last.receivedAt !== row.received_at || last.kind !== row.kind || last.time.getTime() !== time.getTime()) {
        last = { monitorId, receivedAt: row.received_at, kind: row.kind as UploadKind, time, items: [] };
        uploads.push(last);
      }
      last.items.push({ factor: row.factor, value: row.value, converted: row.converted, flag: row.flag, min: row.min, max: row.max, cou: row.cou });
    }
    if (rows.length < limit) return uploads;
    // the limit may have cut the last upload short: it is read whole next time
    if (uploads.length > 1) {
      uploads.pop();
      return uploads;
    }
  }
}

/** The target acknowledged `upload`: the cursor moves past it (never back). */
export async function acknowledge(db: Database, target: string, upload: StoredUpload): Promise<void> {
  await db.orm.execute(sql`UPDATE hj212_forward_cursors
       SET received_at = ${upload.receivedAt}::timestamptz, interval = ${upload.kind}, time = ${upload.time.toISOString()}::timestamptz, acknowledged_at = statement_timestamp()
     WHERE target = ${target} AND monitor_id = ${upload.monitorId}
       AND (received_at, interval, time) < (${upload.receivedAt}::timestamptz, ${upload.kind}, ${upload.time.toISOString()}::timestamptz)`);
}

/**
 * The monitor's 2021 status and 2081 restart where they differ from what the target acknowledged.
 * A monitor new to the target has acknowledged nothing: it sends its current state.
 */
export async function changedState(db: Database, target: string, monitorId: number, kinds: ForwardedKinds): Promise<ChangedState> {
  if (!kinds.facilityStatus && !kinds.restarts) return {};
  const [row] = await rowsOf<{ status: string | null; restarted: string | null; status_changed: boolean; restart_changed: boolean }>(
    db.orm,
    sql`SELECT m.facility_status::text AS status, m.restarted_at::text AS restarted,
               (m.facility_status IS NOT NULL AND m.facility_status IS DISTINCT FROM c.status_forwarded) AS status_changed,
               (m.restarted_at IS NOT NULL AND m.restarted_at IS DISTINCT FROM c.restart_forwarded) AS restart_changed
          FROM hj212_forward_cursors c JOIN monitoring_monitors m ON m.id = c.monitor_id
         WHERE c.target = ${target} AND c.monitor_id = ${monitorId}`,
  );
  const state: ChangedState = {};
  if (!row) return state;
  if (kinds.facilityStatus && row.status_changed && row.status !== null) {
    const stored = JSON.parse(row.status) as { time?: string | null; facilities?: { id: string; runStatus?: number | null; runHours?: number | null }[] };
    state.facilityStatus = {
      json: row.status,
      time: stored.time ? new Date(stored.time) : null,
      facilities: (stored.facilities ?? []).map((f) => ({ id: f.id, runStatus: f.runStatus ?? null, runHours: f.runHours ?? null })),
    };
  }
  if (kinds.restarts && row.restart_changed && row.restarted !== null) {
    state.restartedAt = { text: row.restarted, time: new Date(row.restarted) };
  }
  return state;
}

/** The target acknowledged the state sent: the monitor's 2021 status or its 2081 restart is not sent again until it changes. */
export async function acknowledgeState(
  db: Database,
  target: string,
  monitorId: number,
  sent: { facilityStatus: string } | { restartedAt: string },
): Promise<void> {
  const set = 'facilityStatus' in sent ? sql`status_forwarded = ${sent.facilityStatus}::jsonb` : sql`restart_forwarded = ${sent.restartedAt}::timestamptz`;
  await db.orm.execute(
    sql`UPDATE hj212_forward_cursors SET ${set}, acknowledged_at = statement_timestamp() WHERE target = ${target} AND monitor_id = ${monitorId}`,
  );
}

/** Each monitor's cursor and the uploads waiting after it. */
export async function cursorStates(db: Database, target: string, monitorIds: readonly number[], kinds: ForwardedKinds): Promise<CursorState[]> {
  if (monitorIds.length === 0) return [];
  const runTimes = kinds.runTimes
    ? sql` + (SELECT count(*) FROM (SELECT DISTINCT f.received_at, f.time FROM monitoring_facility_run_times f WHERE ${runTimesAfter}) u)`
    : sql``;
  const rows = await rowsOf<{ monitor_id: number; acknowledged_at: Date | string | null; time: Date | string; interval: string; backlog: number | string }>(
    db.orm,
    sql`SELECT c.monitor_id, c.acknowledged_at, c.time, c.interval,
               (SELECT count(*) FROM (SELECT DISTINCT r.received_at, r.interval, r.time FROM monitoring_readings r WHERE ${readingsAfter(kinds)}) u)${runTimes} AS backlog
          FROM hj212_forward_cursors c
         WHERE c.target = ${target} AND ${monitorsIn(monitorIds)}`,
  );
  return rows.map((row) => ({
    monitorId: Number(row.monitor_id),
    acknowledgedAt: row.acknowledged_at === null ? null : new Date(row.acknowledged_at),
    lastTime: row.interval === '' ? null : new Date(row.time),
    backlog: Number(row.backlog),
  }));
}

/** Takes or keeps the target's lease; true while this instance is the one to forward. */
export async function holdLease(db: Database, target: string, instanceId: string, seconds: number): Promise<boolean> {
  const rows = await rowsOf<{ target: string }>(
    db.orm,
    sql`INSERT INTO hj212_forward_leases (target, owner_instance, lease_until)
        VALUES (${target}, ${instanceId}, statement_timestamp() + make_interval(secs => ${seconds}))
        ON CONFLICT (target) DO UPDATE SET owner_instance = EXCLUDED.owner_instance, lease_until = EXCLUDED.lease_until
         WHERE hj212_forward_leases.owner_instance = EXCLUDED.owner_instance OR hj212_forward_leases.lease_until < statement_timestamp()
        RETURNING target`,
  );
  return rows.length > 0;
}

export async function releaseLease(db: Database, target: string, instanceId: string): Promise<void> {
  await db.orm.execute(sql`DELETE FROM hj212_forward_leases WHERE target = ${target} AND owner_instance = ${instanceId}`);
}
