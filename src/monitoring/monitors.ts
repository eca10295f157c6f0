import { arrayLiteral, containing, escapeLike, queryStatement } from '../db';
import { and, asc, eq, getTableColumns, gt, inArray, sql, type SQL } from 'drizzle-orm';
import type { Viewer } from '../auth/viewer';
import { NotFoundError, ValidationError, type FieldProblem } from '../errors';
import type { Executor } from '../db';
import { monitors } from './tables';
import { MONITOR_KINDS, type Monitor, type MonitorKind } from './types';
import { canReadMonitoring, rowScope } from './scope';
import { hashDevicePassword } from './password';
import type { MonitoringDeps } from './deps';
import { MONITOR_MN } from '../validation';

export interface MonitorInput {
  mn: string;
  password: string;
  name: string;
  kind: MonitorKind;
  ownerModule?: string | null;
  ownerId?: string | null;
  enterpriseUscc?: string | null;
  cellCode?: string | null;
  longitude?: number | null;
  latitude?: number | null;
  intervalSeconds: number;
  units?: Record<string, string> | null;
}

export type MonitorPatch = Partial<Omit<MonitorInput, 'mn'>>;

export interface MonitorFilter {
  kind?: MonitorKind[] | undefined;
  ownerModule?: string | undefined;
  ownerId?: string | undefined;
  enterpriseUscc?: string | undefined;
  /** a cell and everything under it */
  cellCode?: string | undefined;
  status?: string | undefined;
  search?: string | undefined;
}

function checkMonitorFields(input: MonitorPatch & { mn?: string }, problems: FieldProblem[]): void {
  if (input.mn !== undefined && !MONITOR_MN.test(input.mn)) problems.push({ path: 'mn', message: 'MN must be 1-32 letters, digits, _ or -' });
  if (input.password !== undefined && (input.password.length < 1 || input.password.length > 64)) {
    problems.push({ path: 'password', message: 'password must be 1-64 characters' });
  }
  if (input.name !== undefined && (input.name.trim().length === 0 || input.name.length > 200)) {
    problems.push({ path: 'name', message: 'name must be 1-200 characters' });
  }
  if (input.kind !== undefined && !MONITOR_KINDS.includes(input.kind)) problems.push({ path: 'kind', message: 'unknown monitor kind' });
  if (input.intervalSeconds !== undefined && (!Number.isInteger(input.intervalSeconds) || input.intervalSeconds < 1 || input.intervalSeconds > 86400)) {
    problems.push({ path: 'intervalSeconds', message: 'interval must be 1-86400 seconds' });
  }
  if (input.longitude != null && !(input.longitude >= -180 && input.longitude <= 180)) problems.push({ path: 'longitude', message: 'out of range' });
  if (input.latitude != null && !(input.latitude >= -90 && input.latitude <= 90)) problems.push({ path: 'latitude', message: 'out of range' });
}

/**
 * Every column of a monitor but its PW hash. Reads select these and only these: the hash is read
 * in one place, `credentialsOf`, for the gateway's PW check, and never travels with a monitor.
 */
const { passwordHash: _hash, ...monitorColumns } = getTableColumns(monitors);
export const MONITOR_COLUMNS = monitorColumns;
export type MonitorRow = Omit<typeof monitors.$inferSelect, 'passwordHash'>;

export function toMonitor(row: MonitorRow): Monitor {
  return {
    id: row.id,
    mn: row.mn,
    name: row.name,
    kind: row.kind as MonitorKind,
    ownerModule: row.ownerModule,
    ownerId: row.ownerId,
    enterpriseUscc: row.enterpriseUscc,
    cellCode: row.cellCode,
    longitude: row.longitude,
    latitude: row.latitude,
    intervalSeconds: row.intervalSeconds,
    status: row.status as Monitor['status'],
    lastDataAt: row.lastDataAt,
    statusChangedAt: row.statusChangedAt,
    facilityStatus: row.facilityStatus,
    restartedAt: row.restartedAt,
    units: row.units ?? null,
    createdAt: row.createdAt,
  };
}

export async function createMonitor(deps: MonitoringDeps, input: MonitorInput, executor: Executor = deps.db.orm): Promise<Monitor> {
  const problems: FieldProblem[] = [];
  checkMonitorFields(input, problems);
  if (problems.length > 0) throw new ValidationError(problems);
  const existing = await executor.select({ id: monitors.id }).from(monitors).where(eq(monitors.mn, input.mn));
  if (existing.length > 0) throw new ValidationError([{ path: 'mn', message: `a monitor with MN ${input.mn} already exists` }]);
  const [row] = await executor
    .insert(monitors)
    .values({
      mn: input.mn,
      passwordHash: await hashDevicePassword(input.password),
      name: input.name.trim(),
      kind: input.kind,
      ownerModule: input.ownerModule ?? null,
      ownerId: input.ownerId ?? null,
      enterpriseUscc: input.enterpriseUscc ?? null,
      cellCode: input.cellCode ?? null,
      longitude: input.longitude ?? null,
      latitude: input.latitude ?? null,
      intervalSeconds: input.intervalSeconds,
      units: input.units ?? null,
    })
    .onConflictDoNothing({ target: monitors.mn })
    .returning(MONITOR_COLUMNS);
  if (!row) throw new ValidationError([{ path: 'mn', message: `a monitor with MN ${input.mn} already exists` }]);
  return toMonitor(row);
}

export async function updateMonitor(deps: MonitoringDeps, id: number, patch: MonitorPatch): Promise<Monitor> {
  const problems: FieldProblem[] = [];
  checkMonitorFields(patch, problems);
  if (problems.length > 0) throw new ValidationError(problems);
  const values: Partial<typeof monitors.$inferInsert> = { updatedAt: deps.now() };
  if (patch.password !== undefined) values.passwordHash = await hashDevicePassword(patch.password);
  if (patch.name !== undefined) values.name = patch.name.trim();
  if (patch.kind !== undefined) values.kind = patch.kind;
  if (patch.ownerModule !== undefined) values.ownerModule = patch.ownerModule;
  if (patch.ownerId !== undefined) values.ownerId = patch.ownerId;
  if (patch.enterpriseUscc !== undefined) values.enterpriseUscc = patch.enterpriseUscc;
  if (patch.cellCode !== undefined) values.cellCode = patch.cellCode;
  if (patch.longitude !== undefined) values.longitude = patch.longitude;
  if (patch.latitude !== undefined) values.latitude = patch.latitude;
  if (patch.intervalSeconds !== undefined) values.intervalSeconds = patch.intervalSeconds;
  if (patch.units !== undefined) values.units = patch.units;
  const [row] = await deps.db.orm.update(monitors).set(values).where(eq(monitors.id, id)).returning(MONITOR_COLUMNS);
  if (!row) throw new NotFoundError('Monitor', String(id));
  deps.onMonitorChanged?.(row.mn);
  return toMonitor(row);
}

function scopeOf(viewer: Viewer): SQL | undefined {
  if (!canReadMonitoring(viewer)) return sql`false`;
  return rowScope(viewer, { enterprise: sql`${monitors.enterpriseUscc}`, cell: sql`${monitors.cellCode}` });
}

/**
 * The monitors among `ids` (an int[] expression) the viewer may see, as one json array with an
 * array of the monitor's columns but the PW hash per monitor (`monitorsFromJson` reads them), the
 * monitoring core's row scope applied in the statement.
 */
function visibleMonitorsJson(viewer: Viewer, ids: SQL): SQL {
  return sql`coalesce((SELECT json_agg(${MONITOR_JSON} ORDER BY monitoring_monitors.id) FROM monitoring_monitors
    WHERE monitoring_monitors.id = ANY(${ids}) AND ${scopeOf(viewer) ?? sql`true`}), '[]'::json)`;
}

/**
 * One monitor (`id`, an int expression such as another table's column) as the array of columns
 * `monitorFromJson` reads, or null when there is none the viewer may see. A statement that already
 * walks its links to monitors takes each one's monitor here, by primary key, rather than a second
 * walk over the same links. With `columns` (from `monitorColumnsFor`) only those are read: such a
 * monitor is whole only for that selection, so it must not be handed to anything else.
 */
export function visibleMonitorJson(viewer: Viewer, id: SQL, columns?: readonly MonitorColumn[]): SQL {
  return sql`(SELECT ${monitorJsonOf(columns)} FROM monitoring_monitors WHERE monitoring_monitors.id = ${id} AND ${scopeOf(viewer) ?? sql`true`})`;
}

/**
 * The columns `monitorsFromJson` reads, in this order, named one by one: the row is never turned
 * into json whole, so the PW hash is not read even to be dropped. Positional, not keyed: a page
 * of outlets carries dozens of monitors, and without the keys their json is some 40 % smaller to
 * build, send and parse.
 */
const MONITOR_JSON_COLUMNS = [
  'id',
  'mn',
  'name',
  'kind',
  'owner_module',
  'owner_id',
  'enterprise_uscc',
  'cell_code',
  'longitude',
  'latitude',
  'interval_seconds',
  'status',
  'last_data_at',
  'status_changed_at',
  'facility_status',
  'restarted_at',
  'units',
  'created_at',
] as const;
const MONITOR_JSON = sql.raw(`json_build_array(${MONITOR_JSON_COLUMNS.map((column) => `monitoring_monitors.${column}`).join(', ')})`);

export type MonitorColumn = (typeof MONITOR_JSON_COLUMNS)[number];
/** What `isTypeOf`, the node id and the relations read: always there. */
const MONITOR_KEY_COLUMNS: readonly MonitorColumn[] = ['id', 'mn', 'kind', 'interval_seconds'];

/**
 * The columns of its own row each Monitor field reads, beyond the keys. A read that knows its
 * selection takes only these; a field not named here (one another module adds, such as
 * `forecast`) makes it read every column.
 */
const MONITOR_FIELD_COLUMNS: Readonly<Record<string, readonly MonitorColumn[]>> = {
  __typename: [],
  id: [],
  mn: [],
  kind: [],
  intervalSeconds: [],
  name: ['name'],
  ownerModule: ['owner_module'],
  ownerId: ['owner_id'],
  enterpriseUscc: ['enterprise_uscc'],
  cellCode: ['cell_code'],
  location: ['longitude', 'latitude'],
  status: ['status'],
  lastDataAt: ['last_data_at'],
  facilityStatus: ['facility_status'],
  restartedAt: ['restarted_at'],
  // relations read by the monitor's keys
  facilityRunTimes: [],
  limits: [],
  latestReadings: [],
  exceedances: [],
};

/** The columns a selection of Monitor fields needs; undefined (every column) when a field is not known to need only some. */
export function monitorColumnsFor(fields: ReadonlySet<string>): MonitorColumn[] | undefined {
  const columns = new Set<MonitorColumn>(MONITOR_KEY_COLUMNS);
  for (const field of fields) {
    if (!Object.hasOwn(MONITOR_FIELD_COLUMNS, field)) return undefined;
    for (const column of MONITOR_FIELD_COLUMNS[field] as readonly MonitorColumn[]) columns.add(column);
  }
  return [...columns];
}

/** The json of a monitor with only `columns` read: the same positions, null where a column is not read. */
function monitorJsonOf(columns: readonly MonitorColumn[] | undefined): SQL {
  if (!columns) return MONITOR_JSON;
  return sql.raw(`json_build_array(${MONITOR_JSON_COLUMNS.map((column) => (columns.includes(column) ? `monitoring_monitors.${column}` : 'NULL')).join(', ')})`);
}

const dateOrNull = (value: unknown): Date | null => (value === null || value === undefined ? null : new Date(value as string));

/** Monitors from `visibleMonitorsJson` (one array of columns per monitor, timestamps as ISO text). */
function monitorsFromJson(value: unknown): Monitor[] {
  if (!Array.isArray(value)) return [];
  return (value as unknown[]).map((columns) => monitorFromJson(columns) as Monitor);
}

/** A monitor from `visibleMonitorJson`; undefined for its null (none the viewer may see). */
export function monitorFromJson(value: unknown): Monitor | undefined {
  if (!Array.isArray(value)) return undefined;
  const [
    id,
    mn,
    name,
    kind,
    ownerModule,
    ownerId,
    enterpriseUscc,
    cellCode,
    longitude,
    latitude,
    intervalSeconds,
    status,
    lastDataAt,
    statusChangedAt,
    facilityStatus,
    restartedAt,
    units,
    createdAt,
  ] = value as unknown[];
  return {
    id: id as number,
    mn: mn as string,
    name: name as string,
    kind: kind as MonitorKind,
    ownerModule: (ownerModule as string | null) ?? null,
    ownerId: (ownerId as string | null) ?? null,
    enterpriseUscc: (enterpriseUscc as string | null) ?? null,
    cellCode: (cellCode as string | null) ?? null,
    longitude: (longitude as number | null) ?? null,
    latitude: (latitude as number | null) ?? null,
    intervalSeconds: intervalSeconds as number,
    status: status as Monitor['status'],
    lastDataAt: dateOrNull(lastDataAt),
    statusChangedAt: dateOrNull(statusChangedAt),
    facilityStatus: facilityStatus ?? null,
    restartedAt: dateOrNull(restartedAt),
    units: (units as Record<string, string> | null) ?? null,
    // null only in a read of some columns (`visibleMonitorJson` with columns)
    createdAt: dateOrNull(createdAt) as Date,
  };
}

/** Monitors by id, in scope only; the order of `ids` is kept, missing ones are undefined. */
export async function monitorsByIds(deps: MonitoringDeps, viewer: Viewer, ids: readonly number[]): Promise<(Monitor | undefined)[]> {
  if (ids.length === 0) return [];
  // one text whatever the number of ids: the server keeps the statement prepared
  const [row] = await queryStatement<{ monitors: unknown }>(
    deps.db,
    sql`SELECT ${visibleMonitorsJson(viewer, sql`${arrayLiteral([...ids])}::int[]`)} AS monitors`,
  );
  const byId = new Map(monitorsFromJson(row?.monitors).map((monitor) => [monitor.id, monitor]));
  return ids.map((id) => byId.get(id));
}

/** Monitors by MN, in scope only; the order of `mns` is kept, missing ones are undefined. */
export async function monitorsByMns(deps: MonitoringDeps, viewer: Viewer, mns: readonly string[]): Promise<(Monitor | undefined)[]> {
  if (mns.length === 0) return [];
  const rows = await deps.db.orm
    .select(MONITOR_COLUMNS)
    .from(monitors)
    .where(and(inArray(monitors.mn, [...mns]), scopeOf(viewer)));
  const byMn = new Map(rows.map((row) => [row.mn, toMonitor(row)]));
  return mns.map((mn) => byMn.get(mn));
}

/** For internal callers (other modules' services): no row scope, and no PW hash. */
export async function monitorByMn(deps: MonitoringDeps, mn: string): Promise<Monitor | undefined> {
  if (!MONITOR_MN.test(mn)) return undefined;
  const [row] = await deps.db.orm.select(MONITOR_COLUMNS).from(monitors).where(eq(monitors.mn, mn));
  return row ? toMonitor(row) : undefined;
}

/**
 * A device's monitor with its PW hash, for the gateway's PW check and nothing else: the one read
 * of the hash. No row scope (the device has not proved who it is yet).
 */
export async function credentialsOf(deps: MonitoringDeps, mn: string): Promise<(Monitor & { passwordHash: string }) | undefined> {
  if (!MONITOR_MN.test(mn)) return undefined;
  const [row] = await deps.db.orm.select().from(monitors).where(eq(monitors.mn, mn));
  return row ? { ...toMonitor(row), passwordHash: row.passwordHash } : undefined;
}

/** What `listMonitors` filters on, without its page: undefined when the viewer sees nothing. */
async function listMonitorsConditions(deps: MonitoringDeps, viewer: Viewer, filter: MonitorFilter): Promise<(SQL | undefined)[] | undefined> {
  const conditions: (SQL | undefined)[] = [scopeOf(viewer)];
  if (filter.kind?.length) conditions.push(inArray(monitors.kind, filter.kind));
  if (filter.ownerModule) conditions.push(eq(monitors.ownerModule, filter.ownerModule));
  if (filter.ownerId) conditions.push(eq(monitors.ownerId, filter.ownerId));
  if (filter.enterpriseUscc) conditions.push(eq(monitors.enterpriseUscc, filter.enterpriseUscc));
  if (filter.cellCode) conditions.push(sql`${monitors.cellCode} LIKE ${`${escapeLike(filter.cellCode)}%`}`);
  if (filter.status) conditions.push(eq(monitors.status, filter.status));
  if (filter.search) {
    const pattern = containing(filter.search);
    conditions.push(sql`(${monitors.name} ILIKE ${pattern} OR ${monitors.mn} ILIKE ${pattern})`);
  }
  return conditions;
}

export async function listMonitors(
  deps: MonitoringDeps,
  viewer: Viewer,
  filter: MonitorFilter,
  page: { limit: number; afterId: number | undefined },
): Promise<Monitor[]> {
  const conditions = await listMonitorsConditions(deps, viewer, filter);
  if (!conditions) return [];
  if (page.afterId !== undefined) conditions.push(gt(monitors.id, page.afterId));
  const rows = await deps.db.orm
    .select(MONITOR_COLUMNS)
    .from(monitors)
    .where(and(...conditions))
    .orderBy(asc(monitors.id))
    .limit(page.limit);
  return rows.map(toMonitor);
}

/** How many rows `listMonitors` would page through, every page together (one statement). */
export async function countMonitors(deps: MonitoringDeps, viewer: Viewer, filter: MonitorFilter): Promise<number> {
  const conditions = await listMonitorsConditions(deps, viewer, filter);
  return conditions ? deps.db.orm.$count(monitors, and(...conditions)) : 0;
}

/** Records HJ 212 2021 facility status and 2081 restart times on the monitor. */
export async function recordDeviceState(deps: MonitoringDeps, monitorId: number, state: { facilityStatus?: unknown; restartedAt?: Date }): Promise<void> {
  const values: Partial<typeof monitors.$inferInsert> = { updatedAt: deps.now() };
  if (state.facilityStatus !== undefined) values.facilityStatus = state.facilityStatus;
  if (state.restartedAt !== undefined) values.restartedAt = state.restartedAt;
  await deps.db.orm.update(monitors).set(values).where(eq(monitors.id, monitorId));
}
