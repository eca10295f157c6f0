/**
 * Forwarding reads from the hub's own store: a monitor's readings in the order they were stored
 * (received_at, which follows commit order per monitor), grouped back into the uploads that
 * carried them, after the target's cursor for that monitor. The cursor moves only when the target
 * acknowledges, so an outage, a restart or a lost 9014 resends from the last acknowledged upload.
 */
import { sql } from 'drizzle-orm';
import { json, pgArray, rowsOf, type Database } from '../../../db';
import type { ReadingInterval } from '../../../monitoring/public';

/** One upload to send: every reading of a monitor, interval and data time stored together. */
export interface StoredUpload {
  monitorId: number;
  /** received_at as the database prints it: kept as text so the cursor keeps its microseconds */
  receivedAt: string;
  interval: ReadingInterval;
  time: Date;
  items: { factor: string; value: number | null; converted: number | null; flag: string | null; min: number | null; max: number | null; cou: number | null }[];
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
 * Makes a cursor for each monitor that has none. A new target starts at what the hub stores from
 * now on: an upper platform asks for older history itself (2061 with BeginTime/EndTime).
 */
export async function ensureCursors(db: Database, target: string, monitorIds: readonly number[]): Promise<void> {
  if (monitorIds.length === 0) return;
  await db.orm.execute(sql`INSERT INTO hj212_forward_cursors (target, monitor_id, received_at, interval, time)
    SELECT ${target}, id::int, statement_timestamp(), '', ${FAR_PAST}::timestamptz FROM jsonb_array_elements_text(${json(monitorIds)}) AS id
    ON CONFLICT (target, monitor_id) DO NOTHING`);
}

/** The monitors of a target with anything after their cursor, in one statement. */
export async function monitorsWithBacklog(db: Database, target: string, monitorIds: readonly number[], intervals: readonly ReadingInterval[]): Promise<number[]> {
  if (monitorIds.length === 0) return [];
  const rows = await rowsOf<{ monitor_id: number }>(
    db.orm,
    sql`SELECT c.monitor_id FROM hj212_forward_cursors c
         WHERE c.target = ${target} AND c.monitor_id IN (SELECT (jsonb_array_elements_text(${json(monitorIds)}))::int)
           AND EXISTS (SELECT 1 FROM monitoring_readings r
                        WHERE r.monitor_id = c.monitor_id AND r.received_at >= c.received_at
                          AND (r.received_at, r.interval, r.time) > (c.received_at, c.interval, c.time)
                          AND r.interval = ANY(${pgArray(intervals)}::text[]))`,
  );
  return rows.map((row) => Number(row.monitor_id));
}

/** The next uploads of one monitor after its cursor, oldest first; at most `maxRows` readings. */
export async function nextUploads(db: Database, target: string, monitorId: number, intervals: readonly ReadingInterval[], maxRows: number): Promise<StoredUpload[]> {
  const rows = await rowsOf<{ received_at: string; interval: string; time: Date | string; factor: string; value: number | null; converted: number | null; flag: string | null; min: number | null; max: number | null; cou: number | null }>(
    db.orm,
    sql`SELECT r.received_at::text AS received_at, r.interval, r.time, r.factor, r.value, r.converted, r.flag, r.min, r.max, r.cou
          FROM hj212_forward_cursors c
          JOIN monitoring_readings r ON r.monitor_id = c.monitor_id AND r.received_at >= c.received_at
                                   AND (r.received_at, r.interval, r.time) > (c.received_at, c.interval, c.time)
         WHERE c.target = ${target} AND c.monitor_id = ${monitorId} AND r.interval = ANY(${pgArray(intervals)}::text[])
         ORDER BY r.received_at, r.interval, r.time, r.factor
         LIMIT ${maxRows}`,
  );
  const uploads: StoredUpload[] = [];
  for (const row of rows) {
    const time = new Date(row.time);
    let last = uploads.at(-1);
    if (!last || last.receivedAt !== row.received_at || last.interval !== row.interval || last.time.getTime() !== time.getTime()) {
      last = { monitorId, receivedAt: row.received_at, interval: row.interval as ReadingInterval, time, items: [] };
      uploads.push(last);
    }
    last.items.push({ factor: row.factor, value: row.value, converted: row.converted, flag: row.flag, min: row.min, max: row.max, cou: row.cou });
  }
  // the limit may have cut the last upload short: it is read whole next time
  if (rows.length === maxRows && uploads.length > 1) uploads.pop();
  return uploads;
}

/** The target acknowledged `upload`: the cursor moves past it (never back). */
export async function acknowledge(db: Database, target: string, upload: StoredUpload): Promise<void> {
  await db.orm.execute(sql`UPDATE hj212_forward_cursors
       SET received_at = ${upload.receivedAt}::timestamptz, interval = ${upload.interval}, time = ${upload.time.toISOString()}::timestamptz, acknowledged_at = statement_timestamp()
     WHERE target = ${target} AND monitor_id = ${upload.monitorId}
       AND (received_at, interval, time) < (${upload.receivedAt}::timestamptz, ${upload.interval}, ${upload.time.toISOString()}::timestamptz)`);
}

/** Each monitor's cursor and the uploads waiting after it. */
export async function cursorStates(db: Database, target: string, monitorIds: readonly number[], intervals: readonly ReadingInterval[]): Promise<CursorState[]> {
  if (monitorIds.length === 0) return [];
  const rows = await rowsOf<{ monitor_id: number; acknowledged_at: Date | string | null; time: Date | string; interval: string; backlog: number | string }>(
    db.orm,
    sql`SELECT c.monitor_id, c.acknowledged_at, c.time, c.interval,
               (SELECT count(*) FROM (SELECT DISTINCT r.received_at, r.interval, r.time FROM monitoring_readings r
                  WHERE r.monitor_id = c.monitor_id AND r.received_at >= c.received_at
                    AND (r.received_at, r.interval, r.time) > (c.received_at, c.interval, c.time)
                    AND r.interval = ANY(${pgArray(intervals)}::text[])) u) AS backlog
          FROM hj212_forward_cursors c
         WHERE c.target = ${target} AND c.monitor_id IN (SELECT (jsonb_array_elements_text(${json(monitorIds)}))::int)`,
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
