import { escapeLike, queryStatement } from '../db';
import { and, desc, eq, gte, inArray, lt, lte, sql, type SQL } from 'drizzle-orm';
import type { Viewer } from '../auth/viewer';
import { ConflictError, NotFoundError } from '../errors';
import type { MonitoringDeps } from './deps';
import { exceedances, monitors, series } from './tables';
import { canReadMonitoring, rowScope } from './scope';
import { isValidFlag, type Exceedance, type MonitorKind, type ReadingInterval, type Severity } from './types';

export type Bucket = 'HOUR' | 'DAY';

export interface SeriesQuery {
  monitorId: number;
  factor: string;
  interval: ReadingInterval;
  from: Date;
  to: Date;
  bucket?: Bucket | undefined;
  limit: number;
}

export interface ReadingPoint {
  time: Date;
  value: number | null;
  converted: number | null;
  flag: string | null;
  min: number | null;
  max: number | null;
  cou: number | null;
}

export interface BucketPoint {
  time: Date;
  avg: number | null;
  min: number | null;
  max: number | null;
  count: number;
  validCount: number;
}

/** A series' raw values, oldest first, at most `limit`. */
export async function readingSeries(deps: MonitoringDeps, query: SeriesQuery): Promise<ReadingPoint[]> {
  const rows = await deps.db.query<{
    time: Date | string;
    value: number | null;
    converted: number | null;
    flag: string | null;
    min: number | null;
    max: number | null;
    cou: number | null;
  }>(
    `SELECT time, value, converted, flag, min, max, cou FROM monitoring_readings
      WHERE monitor_id = $1 AND factor = $2 AND interval = $3 AND time >= $4 AND time < $5
      ORDER BY time LIMIT $6`,
    [query.monitorId, query.factor, query.interval, query.from.toISOString(), query.to.toISOString(), query.limit],
  );
  return rows.map((row) => ({
    time: new Date(row.time),
    value: row.value,
    converted: row.converted,
    flag: row.flag,
    min: row.min,
    max: row.max,
    cou: row.cou,
  }));
}

/**
 * A series' raw values as `readingSeries` reads them, for a viewer: undefined when the monitor is
 * not there or not in the viewer's row scope. The scope check is folded into the same statement
 * (the monitor row, and the series read under it), so a visible series costs one statement. The
 * values come back as one json array of positional points, times as epoch milliseconds: the driver
 * decodes one value instead of seven per point, and no time text is parsed.
 */
export async function visibleReadingSeries(deps: MonitoringDeps, viewer: Viewer, query: SeriesQuery): Promise<ReadingPoint[] | undefined> {
  if (!canReadMonitoring(viewer)) return undefined;
  const scope = rowScope(viewer, { enterprise: sql`${monitors.enterpriseUscc}`, cell: sql`${monitors.cellCode}` }) ?? sql`true`;
  const rows = await queryStatement<{ points: [number, number | null, number | null, string | null, number | null, number | null, number | null][] }>(
    deps.db,
    sql`SELECT coalesce((
        SELECT json_agg(json_build_array(floor(extract(epoch FROM r.time) * 1000)::float8, r.value, r.converted, r.flag, r.min, r.max, r.cou) ORDER BY r.time)
          FROM (SELECT time, value, converted, flag, min, max, cou FROM monitoring_readings
                 WHERE monitor_id = monitoring_monitors.id AND factor = ${query.factor} AND interval = ${query.interval} AND time >= ${query.from.toISOString()} AND time < ${query.to.toISOString()}
                 ORDER BY time LIMIT ${query.limit}) r), '[]'::json) AS points
      FROM monitoring_monitors WHERE monitoring_monitors.id = ${query.monitorId} AND ${scope}`,
  );
  // no row: no such monitor in scope
  const [row] = rows;
  if (!row) return undefined;
  return row.points.map(([time, value, converted, flag, min, max, cou]) => ({ time: new Date(time), value, converted, flag, min, max, cou }));
}

export interface MonitorSeriesQuery {
  monitorId: number;
  interval: ReadingInterval;
  from: Date;
  to: Date;
  /** only these factors; every factor the monitor reports when absent */
  factors?: readonly string[] | undefined;
  limit: number;
}

/** A stored value as `monitoring_readings` gives it, before it becomes a ReadingPoint. */
export interface StoredReadingRow {
  time: Date | string;
  factor: string;
  value: number | null;
  converted: number | null;
  flag: string | null;
  min: number | null;
  max: number | null;
  cou: number | null;
}

/** The factor condition of a multi-factor read: its codes go in as the sixth parameter. */
function factorFilterOf(factors: readonly string[] | undefined, params: unknown[]): string {
  if (factors === undefined) return '';
  params.push(JSON.stringify(factors));
  return 'AND factor IN (SELECT jsonb_array_elements_text($6::jsonb))';
}

export interface FactorReading extends ReadingPoint {
  factor: string;
  /** false for values whose HJ 212 flag marks them as not a valid measurement */
  valid: boolean;
}

/**
 * Every factor of one monitor over a range in one statement, oldest first, at most `limit`: what
 * a caller judging a whole sample (a water class, an AQI) needs, without one read per factor.
 */
export async function monitorReadings(deps: MonitoringDeps, query: MonitorSeriesQuery): Promise<FactorReading[]> {
  const params: unknown[] = [query.monitorId, query.interval, query.from.toISOString(), query.to.toISOString(), query.limit];
  const factorFilter = factorFilterOf(query.factors, params);
  const rows = await deps.db.query<StoredReadingRow>(
    `SELECT time, factor, value, converted, flag, min, max, cou FROM monitoring_readings
      WHERE monitor_id = $1 AND interval = $2 AND time >= $3 AND time < $4 ${factorFilter}
      ORDER BY time, factor LIMIT $5`,
    params,
  );
  return rows.map((row) => ({
    time: new Date(row.time),
    factor: row.factor,
    value: row.value,
    converted: row.converted,
    flag: row.flag,
    min: row.min,
    max: row.max,
    cou: row.cou,
    valid: isValidFlag(row.flag),
  }));
}

export interface MonitorsSeriesQuery {
  monitorIds: readonly number[];
  interval: ReadingInterval;
  from: Date;
  to: Date;
  /** only these factors; every factor when absent */
  factors?: readonly string[] | undefined;
  limit: number;
}

export interface MonitorFactorReading extends FactorReading {
  monitorId: number;
}

/** The parameters ($1-$5, $6 with factors) and factor condition of a many-monitor range read. */
function monitorsRangeOf(query: MonitorsSeriesQuery): { params: unknown[]; factorFilter: string } {
  const params: unknown[] = [JSON.stringify(query.monitorIds), query.interval, query.from.toISOString(), query.to.toISOString(), query.limit];
  return { params, factorFilter: factorFilterOf(query.factors, params) };
}

/**
 * Several monitors' series over one range in one statement, ordered by monitor, factor and time,
 * at most `limit`: a dashboard showing every station reads them all at once, not one by one.
 */
export async function readingsOfMonitors(deps: MonitoringDeps, query: MonitorsSeriesQuery): Promise<MonitorFactorReading[]> {
  if (query.monitorIds.length === 0 || query.factors?.length === 0) return [];
  const { params, factorFilter } = monitorsRangeOf(query);
  const rows = await deps.db.query<StoredReadingRow & { monitor_id: number }>(
    `SELECT monitor_id, time, factor, value, converted, flag, min, max, cou FROM monitoring_readings
      WHERE monitor_id IN (SELECT (jsonb_array_elements_text($1::jsonb))::int) AND interval = $2 AND time >= $3 AND time < $4 ${factorFilter}
      ORDER BY monitor_id, factor, time LIMIT $5`,
    params,
    { prepare: true },
  );
  return rows.map((row) => ({
    monitorId: Number(row.monitor_id),
    time: new Date(row.time),
    factor: row.factor,
    value: row.value,
    converted: row.converted,
    flag: row.flag,
    min: row.min,
    max: row.max,
    cou: row.cou,
    valid: isValidFlag(row.flag),
  }));
}

/** A valid value of one monitor's factor, its time as epoch milliseconds. */
export interface MonitorValue {
  monitorId: number;
  factor: string;
  timeMs: number;
  value: number;
}

/**
 * What statistics read of several monitors' series over one range: only values that are there and
 * valid by their flag (the same rule as `isValidFlag`), four columns, the time as a number, ordered
 * by monitor, factor and time, at most `limit`. A ranking of every station's day and last hours
 * reads thousands of them per request; this is a third of the columns `readingsOfMonitors` parses.
 */
export async function validValuesOfMonitors(deps: MonitoringDeps, query: MonitorsSeriesQuery): Promise<MonitorValue[]> {
  if (query.monitorIds.length === 0 || query.factors?.length === 0) return [];
  const { params, factorFilter } = monitorsRangeOf(query);
  const rows = await deps.db.query<{ monitor_id: number; factor: string; time_ms: number | string; value: number }>(
    `SELECT monitor_id, factor, (extract(epoch FROM time) * 1000)::float8 AS time_ms, value FROM monitoring_readings
      WHERE monitor_id IN (SELECT (jsonb_array_elements_text($1::jsonb))::int) AND interval = $2 AND time >= $3 AND time < $4 ${factorFilter}
        AND value IS NOT NULL AND ${VALID_SQL}
      ORDER BY monitor_id, factor, time LIMIT $5`,
    params,
    { prepare: true },
  );
  return rows.map((row) => ({ monitorId: Number(row.monitor_id), factor: row.factor, timeMs: Number(row.time_ms), value: Number(row.value) }));
}

/** Flags that make a value invalid for statistics (see types.ts). */
const VALID_SQL = `(flag IS NULL OR upper(flag) NOT IN ('F','M','D','C','B','P','S'))`;

/**
 * Bucketed statistics. On TimescaleDB the hourly and daily continuous aggregates answer (they
 * are refreshed by policy, and real-time aggregation covers the newest data); elsewhere
 * `date_bin` computes the same on the fly. Buckets are aligned to Asia/Shanghai midnight.
 */
export async function bucketedSeries(
  deps: MonitoringDeps,
  query: SeriesQuery & { bucket: Bucket },
): Promise<{ points: BucketPoint[]; source: 'continuous-aggregate' | 'on-the-fly' }> {
  const params = [query.monitorId, query.factor, query.interval, query.from.toISOString(), query.to.toISOString(), query.limit];
  type Row = { bucket: Date | string; avg: number | null; min: number | null; max: number | null; count: number | string; valid_count: number | string };
  let rows: Row[];
  let source: 'continuous-aggregate' | 'on-the-fly';
  if (deps.db.capabilities.timescaledb) {
    const view = query.bucket === 'HOUR' ? 'monitoring_readings_hourly' : 'monitoring_readings_daily';
    rows = await deps.db.query<Row>(
      `SELECT bucket, avg_value AS avg, min_value AS min, max_value AS max, value_count AS count, valid_count
         FROM ${view}
        WHERE monitor_id = $1 AND factor = $2 AND interval = $3 AND bucket >= $4 AND bucket < $5
        ORDER BY bucket LIMIT $6`,
      params,
    );
    source = 'continuous-aggregate';
  } else {
    const width = query.bucket === 'HOUR' ? '1 hour' : '1 day';
    rows = await deps.db.query<Row>(
      `SELECT date_bin('${width}', time, TIMESTAMPTZ '2000-01-01 00:00:00+08') AS bucket,
              avg(value) FILTER (WHERE ${VALID_SQL}) AS avg, min(value) FILTER (WHERE ${VALID_SQL}) AS min,
              max(value) FILTER (WHERE ${VALID_SQL}) AS max, count(*) AS count, count(*) FILTER (WHERE ${VALID_SQL} AND value IS NOT NULL) AS valid_count
         FROM monitoring_readings
        WHERE monitor_id = $1 AND factor = $2 AND interval = $3 AND time >= $4 AND time < $5
        GROUP BY 1 ORDER BY 1 LIMIT $6`,
      params,
    );
    source = 'on-the-fly';
  }
  return {
    source,
    points: rows.map((row) => ({
      time: new Date(row.bucket),
      avg: row.avg === null ? null : Number(row.avg),
      min: row.min === null ? null : Number(row.min),
      max: row.max === null ? null : Number(row.max),
      count: Number(row.count),
      validCount: Number(row.valid_count),
    })),
  };
}

export interface LatestReading {
  monitorId: number;
  factor: string;
  interval: ReadingInterval;
  time: Date;
  value: number | null;
  converted: number | null;
  flag: string | null;
}

/** The newest value of every series of the given monitors: one statement for any number. */
export async function latestReadings(deps: MonitoringDeps, monitorIds: readonly number[]): Promise<LatestReading[]> {
  if (monitorIds.length === 0) return [];
  const rows = await deps.db.orm
    .select()
    .from(series)
    .where(inArray(series.monitorId, [...monitorIds]));
  return rows.map((row) => ({
    monitorId: row.monitorId,
    factor: row.factor,
    interval: row.interval as ReadingInterval,
    time: row.lastTime,
    value: row.lastValue,
    converted: row.lastConverted,
    flag: row.lastFlag,
  }));
}

export interface ExceedanceFilter {
  monitorId?: number | undefined;
  monitorKind?: MonitorKind[] | undefined;
  ownerModule?: string | undefined;
  enterpriseUscc?: string | undefined;
  cellCode?: string | undefined;
  /** FORECAST matches no episode: forecast warnings live apart (monitoring_forecast_warnings) */
  severity?: Severity | 'FORECAST' | undefined;
  status?: 'OPEN' | 'CLOSED' | undefined;
  from?: Date | undefined;
  to?: Date | undefined;
}

export function toExceedance(row: typeof exceedances.$inferSelect): Exceedance {
  return {
    ...row,
    interval: row.interval as ReadingInterval,
    severity: row.severity as Severity,
    status: row.status as Exceedance['status'],
    basis: row.basis as Exceedance['basis'],
    monitorKind: row.monitorKind as MonitorKind,
  };
}

function exceedanceScope(viewer: Viewer): SQL | undefined {
  if (!canReadMonitoring(viewer)) return sql`false`;
  return rowScope(viewer, { enterprise: sql`${exceedances.enterpriseUscc}`, cell: sql`${exceedances.cellCode}` });
}

/** What `listExceedances` filters on, without its page: undefined when the viewer sees nothing. */
async function listExceedancesConditions(deps: MonitoringDeps, viewer: Viewer, filter: ExceedanceFilter): Promise<(SQL | undefined)[] | undefined> {
  const conditions: (SQL | undefined)[] = [exceedanceScope(viewer)];
  if (filter.monitorId !== undefined) conditions.push(eq(exceedances.monitorId, filter.monitorId));
  if (filter.monitorKind?.length) conditions.push(inArray(exceedances.monitorKind, filter.monitorKind));
  if (filter.ownerModule) conditions.push(eq(exceedances.ownerModule, filter.ownerModule));
  if (filter.enterpriseUscc) conditions.push(eq(exceedances.enterpriseUscc, filter.enterpriseUscc));
  if (filter.cellCode) conditions.push(sql`${exceedances.cellCode} LIKE ${`${escapeLike(filter.cellCode)}%`}`);
  if (filter.severity) conditions.push(eq(exceedances.severity, filter.severity));
  if (filter.status) conditions.push(eq(exceedances.status, filter.status));
  if (filter.from) conditions.push(gte(exceedances.openedAt, filter.from));
  if (filter.to) conditions.push(lte(exceedances.openedAt, filter.to));
  return conditions;
}

/** Newest first; `beforeId` pages backwards through history. */
export async function listExceedances(
  deps: MonitoringDeps,
  viewer: Viewer,
  filter: ExceedanceFilter,
  page: { limit: number; beforeId: number | undefined },
): Promise<Exceedance[]> {
  const conditions = await listExceedancesConditions(deps, viewer, filter);
  if (!conditions) return [];
  if (page.beforeId !== undefined) conditions.push(lt(exceedances.id, page.beforeId));
  const rows = await deps.db.orm
    .select()
    .from(exceedances)
    .where(and(...conditions))
    .orderBy(desc(exceedances.id))
    .limit(page.limit);
  return rows.map(toExceedance);
}

/** How many rows `listExceedances` would page through, every page together (one statement). */
export async function countExceedances(deps: MonitoringDeps, viewer: Viewer, filter: ExceedanceFilter): Promise<number> {
  const conditions = await listExceedancesConditions(deps, viewer, filter);
  return conditions ? deps.db.orm.$count(exceedances, and(...conditions)) : 0;
}

export async function exceedancesByIds(deps: MonitoringDeps, viewer: Viewer, ids: readonly number[]): Promise<(Exceedance | undefined)[]> {
  if (ids.length === 0) return [];
  const rows = await deps.db.orm
    .select()
    .from(exceedances)
    .where(and(inArray(exceedances.id, [...ids]), exceedanceScope(viewer)));
  const byId = new Map(rows.map((row) => [row.id, toExceedance(row)]));
  return ids.map((id) => byId.get(id));
}

/** A person on duty confirms they have seen an episode; once only. */
export async function acknowledgeExceedance(deps: MonitoringDeps, viewer: Viewer, id: number, note: string | undefined): Promise<Exceedance> {
  const [current] = await exceedancesByIds(deps, viewer, [id]);
  if (!current) throw new NotFoundError('Exceedance', String(id));
  if (current.acknowledgedAt) throw new ConflictError(`exceedance ${id} was already acknowledged by ${current.acknowledgedBy ?? 'someone'}`);
  const [row] = await deps.db.orm
    .update(exceedances)
    .set({ acknowledgedAt: deps.now(), acknowledgedBy: viewer.name ?? viewer.subject ?? null, acknowledgeNote: note?.slice(0, 2000) ?? null })
    .where(and(eq(exceedances.id, id), sql`${exceedances.acknowledgedAt} IS NULL`))
    .returning();
  if (!row) throw new ConflictError(`exceedance ${id} was already acknowledged`);
  return toExceedance(row);
}
