import { and, asc, eq, gt, inArray, sql, type SQL } from 'drizzle-orm';
import type { Viewer } from '../../../src/auth/viewer';
import { ConflictError, NotFoundError, ValidationError, type FieldProblem } from '../../../src/errors';
import { targetClassForZone, type LimitedClass, type ProtectionZone, type WaterClass, type Waterbody } from './classify';
import { waterSources, waterStations } from '../tables';
import { stationScope } from './scope';
import type { StationForEvaluation, WaterDeps, WaterSource, WaterStation } from './types';

export const WATERBODIES: readonly Waterbody[] = ['RIVER', 'LAKE'];
export const PROTECTION_ZONES: readonly ProtectionZone[] = ['FIRST', 'SECOND'];
export const TARGET_CLASSES: readonly LimitedClass[] = ['I', 'II', 'III', 'IV', 'V'];
/** Keeps `WaterSource.stations` a bounded list: a source has an intake or a few monitoring points. */
export const MAX_STATIONS_PER_SOURCE = 20;
/** Hourly data unless configured otherwise. */
export const DEFAULT_STATION_INTERVAL_SECONDS = 3600;

const CODE = /^[A-Za-z0-9_-]{1,32}$/;

/** A class with limits of its own: what a target can be (劣V cannot). */
export function isLimitedClass(cls: WaterClass): cls is LimitedClass {
  return (TARGET_CLASSES as readonly string[]).includes(cls);
}

export interface WaterSourceInput {
  code: string;
  name: string;
  waterbody: Waterbody;
  /** FIRST -> target class II, SECOND -> III */
  protectionZone?: ProtectionZone | null;
  /** overrides the zone's class when given; one of I-V */
  targetClass?: WaterClass | null;
}

export interface WaterStationInput {
  code: string;
  name: string;
  sourceCode: string;
  cellCode: string;
  longitude?: number | null;
  latitude?: number | null;
  /** HJ 212 MN of the station's analyser */
  mn: string;
  /** HJ 212 PW the device logs in with */
  devicePassword: string;
  intervalSeconds?: number | null;
  /** factor -> unit where the device departs from the HJ 212 table (e.g. heavy metals in mg/L) */
  units?: Record<string, string> | null;
}

function checkName(name: string, problems: FieldProblem[]): void {
  if (name.trim().length === 0 || name.length > 200) problems.push({ path: 'name', message: 'name must be 1-200 characters' });
}

export function toSource(row: typeof waterSources.$inferSelect): WaterSource {
  return {
    id: row.id,
    code: row.code,
    name: row.name,
    waterbody: row.waterbody as Waterbody,
    protectionZone: row.protectionZone as ProtectionZone | null,
    targetClass: row.targetClass as LimitedClass,
    createdAt: row.createdAt,
  };
}

export function toStation(row: typeof waterStations.$inferSelect): WaterStation {
  return {
    id: row.id,
    code: row.code,
    name: row.name,
    sourceId: row.sourceId,
    cellCode: row.cellCode,
    longitude: row.longitude,
    latitude: row.latitude,
    monitorId: row.monitorId,
    mn: row.mn,
    createdAt: row.createdAt,
  };
}

export async function createWaterSource(deps: WaterDeps, input: WaterSourceInput): Promise<WaterSource> {
  const problems: FieldProblem[] = [];
  if (!CODE.test(input.code)) problems.push({ path: 'code', message: 'code must be 1-32 letters, digits, _ or -' });
  checkName(input.name, problems);
  if (!WATERBODIES.includes(input.waterbody)) problems.push({ path: 'waterbody', message: 'RIVER or LAKE' });
  if (input.protectionZone != null && !PROTECTION_ZONES.includes(input.protectionZone)) problems.push({ path: 'protectionZone', message: 'FIRST or SECOND' });
  const explicit = input.targetClass ?? null;
  if (explicit !== null && !isLimitedClass(explicit)) problems.push({ path: 'targetClass', message: 'a target is one of classes I-V' });
  if (input.protectionZone == null && explicit === null) problems.push({ path: 'protectionZone', message: 'give a protection zone or a target class' });
  if (problems.length > 0) throw new ValidationError(problems);
  const targetClass: LimitedClass = explicit !== null && isLimitedClass(explicit) ? explicit : targetClassForZone(input.protectionZone as ProtectionZone);
  const [row] = await deps.db.orm
    .insert(waterSources)
    .values({ code: input.code, name: input.name.trim(), waterbody: input.waterbody, protectionZone: input.protectionZone ?? null, targetClass })
    .onConflictDoNothing({ target: waterSources.code })
    .returning();
  if (!row) throw new ConflictError(`a water source with code ${input.code} already exists`);
  return toSource(row);
}

function checkStation(input: WaterStationInput): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (!CODE.test(input.code)) problems.push({ path: 'code', message: 'code must be 1-32 letters, digits, _ or -' });
  checkName(input.name, problems);
  if (!CODE.test(input.sourceCode)) problems.push({ path: 'source', message: 'not a source code' });
  if (!CODE.test(input.cellCode)) problems.push({ path: 'cellCode', message: 'cell code must be 1-32 letters or digits' });
  if (input.longitude != null && !(input.longitude >= -180 && input.longitude <= 180)) problems.push({ path: 'longitude', message: 'out of range' });
  if (input.latitude != null && !(input.latitude >= -90 && input.latitude <= 90)) problems.push({ path: 'latitude', message: 'out of range' });
  const units = Object.entries(input.units ?? {});
  if (units.length > 64 || units.some(([factor, unit]) => !CODE.test(factor) || unit.length < 1 || unit.length > 16)) {
    problems.push({ path: 'units', message: 'at most 64 factor codes with units of 1-16 characters' });
  }
  return problems;
}

/**
 * Creates the station and registers its analyser with the monitoring core in one transaction, so
 * a station never exists without its monitor, nor a monitor owned by a station that failed.
 */
export async function createWaterStation(deps: WaterDeps, input: WaterStationInput): Promise<WaterStation> {
  const problems = checkStation(input);
  if (problems.length > 0) throw new ValidationError(problems);
  const [source] = await deps.db.orm.select().from(waterSources).where(eq(waterSources.code, input.sourceCode));
  if (!source) throw new NotFoundError('WaterSource', input.sourceCode);
  return deps.db.orm.transaction(async (tx) => {
    // Serialises station creation per source so the per-source cap holds under concurrency.
    await tx.execute(sql`SELECT id FROM water_sources WHERE id = ${source.id} FOR UPDATE`);
    const [count] = await tx
      .select({ n: sql<number>`count(*)::int` })
      .from(waterStations)
      .where(eq(waterStations.sourceId, source.id));
    if ((count?.n ?? 0) >= MAX_STATIONS_PER_SOURCE) throw new ConflictError(`source ${source.code} already has ${MAX_STATIONS_PER_SOURCE} stations`);
    const [taken] = await tx.select({ id: waterStations.id }).from(waterStations).where(eq(waterStations.code, input.code));
    if (taken) throw new ConflictError(`a water station with code ${input.code} already exists`);
    const monitor = await deps.monitoring().createMonitor(
      {
        mn: input.mn,
        password: input.devicePassword,
        name: input.name,
        kind: 'WATER_STATION',
        ownerModule: 'water',
        ownerId: input.code,
        cellCode: input.cellCode,
        longitude: input.longitude ?? null,
        latitude: input.latitude ?? null,
        intervalSeconds: input.intervalSeconds ?? DEFAULT_STATION_INTERVAL_SECONDS,
        units: input.units ?? null,
      },
      tx,
    );
    const [row] = await tx
      .insert(waterStations)
      .values({
        code: input.code,
        name: input.name.trim(),
        sourceId: source.id,
        cellCode: input.cellCode,
        longitude: input.longitude ?? null,
        latitude: input.latitude ?? null,
        monitorId: monitor.id,
        mn: monitor.mn,
      })
      .onConflictDoNothing({ target: waterStations.code })
      .returning();
    if (!row) throw new ConflictError(`a water station with code ${input.code} already exists`);
    return toStation(row);
  });
}

function sourceScope(viewer: Viewer): SQL | undefined {
  const stationCondition = stationScope(viewer, sql`s.cell_code`);
  if (stationCondition === undefined) return undefined;
  return sql`EXISTS (SELECT 1 FROM water_stations s WHERE s.source_id = ${waterSources.id} AND ${stationCondition})`;
}

/** What `listWaterSources` filters on, without its page: undefined when the viewer sees nothing. */
async function listWaterSourcesConditions(deps: WaterDeps, viewer: Viewer): Promise<(SQL | undefined)[] | undefined> {
  const conditions: (SQL | undefined)[] = [sourceScope(viewer)];
  return conditions;
}

/** Sources in id order; a cell-scoped viewer sees the sources with a station in their cells. */
export async function listWaterSources(deps: WaterDeps, viewer: Viewer, page: { limit: number; afterId: number | undefined }): Promise<WaterSource[]> {
  const conditions = await listWaterSourcesConditions(deps, viewer);
  if (!conditions) return [];
  if (page.afterId !== undefined) conditions.push(gt(waterSources.id, page.afterId));
  const rows = await deps.db.orm
    .select()
    .from(waterSources)
    .where(and(...conditions))
    .orderBy(asc(waterSources.id))
    .limit(page.limit);
  return rows.map(toSource);
}

/** How many rows `listWaterSources` would page through, every page together (one statement). */
export async function countWaterSources(deps: WaterDeps, viewer: Viewer): Promise<number> {
  const conditions = await listWaterSourcesConditions(deps, viewer);
  return conditions ? deps.db.orm.$count(waterSources, and(...conditions)) : 0;
}

export async function sourcesByIds(deps: WaterDeps, viewer: Viewer, ids: readonly number[]): Promise<(WaterSource | undefined)[]> {
  if (ids.length === 0) return [];
  const rows = await deps.db.orm
    .select()
    .from(waterSources)
    .where(and(inArray(waterSources.id, [...ids]), sourceScope(viewer)));
  const byId = new Map(rows.map((row) => [row.id, toSource(row)]));
  return ids.map((id) => byId.get(id));
}

export async function stationsByIds(deps: WaterDeps, viewer: Viewer, ids: readonly number[]): Promise<(WaterStation | undefined)[]> {
  if (ids.length === 0) return [];
  const rows = await deps.db.orm
    .select()
    .from(waterStations)
    .where(and(inArray(waterStations.id, [...ids]), stationScope(viewer, sql`${waterStations.cellCode}`)));
  const byId = new Map(rows.map((row) => [row.id, toStation(row)]));
  return ids.map((id) => byId.get(id));
}

/** The visible stations of each source, in code order: one statement for any number of sources. */
export async function stationsBySourceIds(deps: WaterDeps, viewer: Viewer, sourceIds: readonly number[]): Promise<WaterStation[][]> {
  if (sourceIds.length === 0) return [];
  const rows = await deps.db.orm
    .select()
    .from(waterStations)
    .where(and(inArray(waterStations.sourceId, [...sourceIds]), stationScope(viewer, sql`${waterStations.cellCode}`)))
    .orderBy(asc(waterStations.code));
  const bySource = new Map<number, WaterStation[]>();
  for (const row of rows) {
    const list = bySource.get(row.sourceId) ?? [];
    list.push(toStation(row));
    bySource.set(row.sourceId, list);
  }
  return sourceIds.map((id) => bySource.get(id) ?? []);
}

export async function stationsByCodes(deps: WaterDeps, viewer: Viewer, codes: readonly string[]): Promise<(WaterStation | undefined)[]> {
  if (codes.length === 0) return [];
  const rows = await deps.db.orm
    .select()
    .from(waterStations)
    .where(and(inArray(waterStations.code, [...codes]), stationScope(viewer, sql`${waterStations.cellCode}`)));
  const byCode = new Map(rows.map((row) => [row.code, toStation(row)]));
  return codes.map((code) => byCode.get(code));
}

/**
 * Stations with their source's waterbody and target, in id order. Unscoped for the evaluator;
 * with a viewer, only the stations that viewer may see.
 */
export async function stationsForEvaluation(
  deps: WaterDeps,
  filter: { afterId?: number; code?: string; codes?: readonly string[]; viewer?: Viewer },
  limit: number,
): Promise<StationForEvaluation[]> {
  const conditions: (SQL | undefined)[] = [];
  if (filter.viewer !== undefined) conditions.push(stationScope(filter.viewer, sql`${waterStations.cellCode}`));
  if (filter.afterId !== undefined) conditions.push(gt(waterStations.id, filter.afterId));
  if (filter.code !== undefined) conditions.push(eq(waterStations.code, filter.code));
  if (filter.codes !== undefined) conditions.push(filter.codes.length === 0 ? sql`false` : inArray(waterStations.code, [...filter.codes]));
  const rows = await deps.db.orm
    .select({ station: waterStations, source: waterSources })
    .from(waterStations)
    .innerJoin(waterSources, eq(waterSources.id, waterStations.sourceId))
    .where(and(...conditions))
    .orderBy(asc(waterStations.id))
    .limit(limit);
  return rows.map(({ station, source }) => ({
    ...toStation(station),
    sourceCode: source.code,
    sourceName: source.name,
    waterbody: source.waterbody as Waterbody,
    targetClass: source.targetClass as LimitedClass,
  }));
}
