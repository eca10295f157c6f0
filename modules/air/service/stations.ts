import { escapeLike } from '../../../src/db';
import { and, asc, eq, gt, inArray, sql, type SQL } from 'drizzle-orm';
import { hasRole, type Viewer } from '../../../src/auth/viewer';
import { ConflictError, ValidationError, type FieldProblem } from '../../../src/errors';
import type { AirDeps } from './deps';
import { STATION_FACTOR_UNITS } from './series';
import { airStations } from '../tables';

export const AIR_STATION_LEVELS = ['NATIONAL', 'PROVINCE', 'CITY', 'DISTRICT'] as const;
export type AirStationLevel = (typeof AIR_STATION_LEVELS)[number];

export interface AirStation {
  id: number;
  code: string;
  name: string;
  level: AirStationLevel;
  longitude: number | null;
  latitude: number | null;
  cellCode: string | null;
  monitorId: number;
  mn: string;
  createdAt: Date;
}

export interface AirStationInput {
  code: string;
  name: string;
  level: AirStationLevel;
  longitude?: number | null;
  latitude?: number | null;
  cellCode?: string | null;
  /** the HJ 212 MN of the station's data logger; `stationMn(code)` when absent */
  mn?: string | null;
  /** the logger's HJ 212 access password (PW) */
  devicePassword: string;
}

export interface AirStationFilter {
  level?: AirStationLevel | undefined;
  /** a grid cell and every cell under it */
  cellCode?: string | undefined;
  /** part of the name or code */
  search?: string | undefined;
}

/** Most stations a whole-district operation (latest values, ranking, episode watch) handles. */
export const MAX_STATIONS = 500;

// National control-point codes are four digits and `A` (1431A); province, city and district
// networks number their own points, so other levels only need a short code of digits and capitals.
const NATIONAL_CODE = /^\d{4}A$/;
const STATION_CODE = /^[0-9][0-9A-Z]{3,15}$/;
const CELL_CODE = /^\d{6,24}$/;

/**
 * Who reads air data here: bureau and town staff, grid assistants, upstream platforms. Ambient air
 * is district-wide, not any one cell's or enterprise's, so readers see every station; the public
 * reads published values through disclosure, enterprises nothing.
 */
export function canReadAir(viewer: Viewer): boolean {
  return hasRole(viewer, 'admin', 'district', 'town', 'assistant', 'upstream');
}

/** Deterministic MN of a station's logger: `AIR` and the code, zero-padded to 14 characters. */
export function stationMn(code: string): string {
  return `AIR${code.padStart(11, '0')}`;
}

function toStation(row: typeof airStations.$inferSelect): AirStation {
  return {
    id: row.id,
    code: row.code,
    name: row.name,
    level: row.level as AirStationLevel,
    longitude: row.longitude,
    latitude: row.latitude,
    cellCode: row.cellCode,
    monitorId: row.monitorId,
    mn: row.mn,
    createdAt: row.createdAt,
  };
}

function checkStation(input: AirStationInput): void {
  const problems: FieldProblem[] = [];
  if (!AIR_STATION_LEVELS.includes(input.level)) problems.push({ path: 'level', message: 'unknown station level' });
  if (typeof input.code !== 'string' || !STATION_CODE.test(input.code)) {
    problems.push({ path: 'code', message: 'a station code is 4-16 digits and capital letters, starting with a digit' });
  } else if (input.level === 'NATIONAL' && !NATIONAL_CODE.test(input.code)) {
    problems.push({ path: 'code', message: 'a national station code is four digits and A, e.g. 1431A' });
  }
  if (typeof input.name !== 'string' || input.name.trim().length === 0 || input.name.length > 100) {
    problems.push({ path: 'name', message: 'name must be 1-100 characters' });
  }
  if (input.longitude != null && !(input.longitude >= -180 && input.longitude <= 180)) problems.push({ path: 'longitude', message: 'out of range' });
  if (input.latitude != null && !(input.latitude >= -90 && input.latitude <= 90)) problems.push({ path: 'latitude', message: 'out of range' });
  if ((input.longitude == null) !== (input.latitude == null)) problems.push({ path: 'latitude', message: 'give both longitude and latitude, or neither' });
  if (input.cellCode != null && !CELL_CODE.test(input.cellCode)) problems.push({ path: 'cellCode', message: 'a grid cell code is 6-24 digits' });
  if (typeof input.devicePassword !== 'string' || input.devicePassword.length < 1 || input.devicePassword.length > 64) {
    problems.push({ path: 'devicePassword', message: 'must be 1-64 characters' });
  }
  if (problems.length > 0) throw new ValidationError(problems);
}

/**
 * Registers a station and, in the same transaction, its logger as a monitoring-core monitor
 * (kind AIR_STATION, owned by this station), so the HJ 212 feed is accepted from the first packet.
 */
export async function createStation(deps: AirDeps, input: AirStationInput): Promise<AirStation> {
  checkStation(input);
  const existing = await deps.db.orm.select({ id: airStations.id }).from(airStations).where(eq(airStations.code, input.code));
  if (existing.length > 0) throw new ConflictError(`air station ${input.code} already exists`);
  const mn = input.mn ?? stationMn(input.code);
  return deps.db.orm.transaction(async (tx) => {
    const monitor = await deps.monitoring().createMonitor(
      {
        mn,
        password: input.devicePassword,
        name: input.name.trim(),
        kind: 'AIR_STATION',
        ownerModule: 'air',
        ownerId: input.code,
        cellCode: input.cellCode ?? null,
        longitude: input.longitude ?? null,
        latitude: input.latitude ?? null,
        intervalSeconds: 3600,
        units: { ...STATION_FACTOR_UNITS },
      },
      tx,
    );
    const [row] = await tx
      .insert(airStations)
      .values({
        code: input.code,
        name: input.name.trim(),
        level: input.level,
        longitude: input.longitude ?? null,
        latitude: input.latitude ?? null,
        cellCode: input.cellCode ?? null,
        monitorId: monitor.id,
        mn: monitor.mn,
      })
      .onConflictDoNothing({ target: airStations.code })
      .returning();
    if (!row) throw new ConflictError(`air station ${input.code} already exists`);
    return toStation(row);
  });
}

function filterConditions(filter: AirStationFilter): (SQL | undefined)[] {
  const problems: FieldProblem[] = [];
  if (filter.level !== undefined && !AIR_STATION_LEVELS.includes(filter.level)) problems.push({ path: 'filter.level', message: 'unknown station level' });
  if (filter.cellCode !== undefined && filter.cellCode.length > 32) problems.push({ path: 'filter.cellCode', message: 'at most 32 characters' });
  if (filter.search !== undefined && filter.search.length > 100) problems.push({ path: 'filter.search', message: 'at most 100 characters' });
  if (problems.length > 0) throw new ValidationError(problems);
  const conditions: (SQL | undefined)[] = [];
  if (filter.level) conditions.push(eq(airStations.level, filter.level));
  if (filter.cellCode) conditions.push(sql`${airStations.cellCode} LIKE ${`${escapeLike(filter.cellCode)}%`}`);
  if (filter.search) {
    const pattern = `%${escapeLike(filter.search)}%`;
    conditions.push(sql`(${airStations.name} ILIKE ${pattern} OR ${airStations.code} ILIKE ${pattern})`);
  }
  return conditions;
}

/** What `listStations` filters on, without its page: undefined when the viewer sees nothing. */
async function listStationsConditions(deps: AirDeps, viewer: Viewer, filter: AirStationFilter): Promise<(SQL | undefined)[] | undefined> {
  const conditions = filterConditions(filter);
  if (!canReadAir(viewer)) return undefined;
  return conditions;
}

/** A page of stations in creation order; nothing for a viewer who may not read air data. */
export async function listStations(
  deps: AirDeps,
  viewer: Viewer,
  filter: AirStationFilter,
  page: { limit: number; afterId: number | undefined },
): Promise<AirStation[]> {
  const conditions = await listStationsConditions(deps, viewer, filter);
  if (!conditions) return [];
  if (page.afterId !== undefined) conditions.push(gt(airStations.id, page.afterId));
  const rows = await deps.db.orm
    .select()
    .from(airStations)
    .where(and(...conditions))
    .orderBy(asc(airStations.id))
    .limit(Math.min(page.limit, MAX_STATIONS + 1));
  return rows.map(toStation);
}

/** How many rows `listStations` would page through, every page together (one statement). */
export async function countStations(deps: AirDeps, viewer: Viewer, filter: AirStationFilter): Promise<number> {
  const conditions = await listStationsConditions(deps, viewer, filter);
  return conditions ? deps.db.orm.$count(airStations, and(...conditions)) : 0;
}

/** Stations by code, in the order asked; undefined where there is none or the viewer may not read. */
export async function stationsByCodes(deps: AirDeps, viewer: Viewer, codes: readonly string[]): Promise<(AirStation | undefined)[]> {
  if (codes.length === 0 || !canReadAir(viewer)) return codes.map(() => undefined);
  const rows = await deps.db.orm
    .select()
    .from(airStations)
    .where(inArray(airStations.code, [...new Set(codes)]));
  const byCode = new Map(rows.map((row) => [row.code, toStation(row)]));
  return codes.map((code) => byCode.get(code));
}

/**
 * Every station (at most MAX_STATIONS, by code) for whole-district work. Unscoped: callers check
 * the viewer first, or are the hub's own workers.
 */
export async function districtStations(deps: AirDeps, level?: AirStationLevel): Promise<AirStation[]> {
  const rows = await deps.db.orm
    .select()
    .from(airStations)
    .where(level ? eq(airStations.level, level) : undefined)
    .orderBy(asc(airStations.code))
    .limit(MAX_STATIONS);
  return rows.map(toStation);
}
