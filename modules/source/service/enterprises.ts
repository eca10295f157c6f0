import { escapeLike } from '../../../src/db';
import { and, asc, eq, gt, inArray, sql, type SQL } from 'drizzle-orm';
import type { Viewer } from '../../../src/auth/viewer';
import { json, queryStatement, rowsOf } from '../../../src/db';
import { ConflictError, NotFoundError, ValidationError, type FieldProblem } from '../../../src/errors';
import { gridServiceRef } from '../../grid/public';
import { sourceEnterprises } from '../tables';
import { validateUscc } from '../uscc';
import { enterpriseScope } from './scope';
import { CONTROL_LEVELS, ENTERPRISE_STATUSES, type ControlLevel, type Enterprise, type EnterpriseStatus, type Page, type SourceDeps } from './types';

export interface EnterpriseInput {
  uscc: string;
  name: string;
  industry: string;
  address?: string | null;
  longitude?: number | null;
  latitude?: number | null;
  /** a level-3 grid cell */
  cellCode?: string | null;
  controlLevel: ControlLevel;
  status?: EnterpriseStatus;
}

export type EnterprisePatch = Partial<Omit<EnterpriseInput, 'uscc'>>;

export interface EnterpriseFilter {
  /** a cell and every cell under it */
  cellCode?: string | undefined;
  controlLevel?: ControlLevel | undefined;
  industry?: string | undefined;
  /** part of the name or the USCC */
  search?: string | undefined;
}

export function toEnterprise(row: typeof sourceEnterprises.$inferSelect): Enterprise {
  return {
    id: row.id,
    uscc: row.uscc,
    name: row.name,
    industry: row.industry,
    address: row.address,
    longitude: row.longitude,
    latitude: row.latitude,
    cellCode: row.cellCode,
    controlLevel: row.controlLevel as ControlLevel,
    status: row.status as EnterpriseStatus,
    createdAt: row.createdAt,
  };
}

export function checkText(problems: FieldProblem[], path: string, value: string | null | undefined, max: number, required: boolean): void {
  if (value == null) {
    if (required) problems.push({ path, message: 'required' });
    return;
  }
  if ((required && value.trim().length === 0) || value.length > max) problems.push({ path, message: `must be ${required ? 1 : 0}-${max} characters` });
}

/** The enterprise a record belongs to, named by USCC: a malformed code is the input's fault, an unknown one is not found. */
export function checkEnterpriseUscc(problems: FieldProblem[], path: string, code: string): void {
  const verdict = validateUscc(code);
  if (!verdict.ok) problems.push({ path, message: `not a valid unified social credit code: ${verdict.reason}` });
}

export function checkPosition(problems: FieldProblem[], longitude: number | null | undefined, latitude: number | null | undefined): void {
  if (longitude != null && !(longitude >= -180 && longitude <= 180)) problems.push({ path: 'longitude', message: 'out of range' });
  if (latitude != null && !(latitude >= -90 && latitude <= 90)) problems.push({ path: 'latitude', message: 'out of range' });
}

function checkEnterprise(input: EnterprisePatch & { uscc?: string }): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (input.uscc !== undefined) {
    const verdict = validateUscc(input.uscc);
    if (!verdict.ok) problems.push({ path: 'uscc', message: `not a valid unified social credit code: ${verdict.reason}` });
  }
  if (input.name !== undefined) checkText(problems, 'name', input.name, 200, true);
  if (input.industry !== undefined) checkText(problems, 'industry', input.industry, 100, true);
  checkText(problems, 'address', input.address, 300, false);
  checkPosition(problems, input.longitude, input.latitude);
  if (input.controlLevel !== undefined && !CONTROL_LEVELS.includes(input.controlLevel))
    problems.push({ path: 'controlLevel', message: 'unknown control level' });
  if (input.status !== undefined && !ENTERPRISE_STATUSES.includes(input.status)) problems.push({ path: 'status', message: 'unknown status' });
  if (input.cellCode != null && !/^[A-Za-z0-9]{1,32}$/.test(input.cellCode)) problems.push({ path: 'cellCode', message: 'not a cell code' });
  return problems;
}

/** Enterprises sit in level-3 cells (villages and communities), the grid's unit of responsibility. */
async function checkCell(deps: SourceDeps, cellCode: string | null | undefined, problems: FieldProblem[]): Promise<void> {
  if (cellCode == null || problems.some((p) => p.path === 'cellCode')) return;
  const cell = await deps.services.get(gridServiceRef).cellByCode(cellCode);
  if (!cell) problems.push({ path: 'cellCode', message: `no grid cell ${cellCode}` });
  else if (cell.level !== 3) problems.push({ path: 'cellCode', message: `cell ${cellCode} is level ${cell.level}; enterprises sit in level-3 cells` });
}

export async function createEnterprise(deps: SourceDeps, input: EnterpriseInput): Promise<Enterprise> {
  const problems = checkEnterprise(input);
  await checkCell(deps, input.cellCode, problems);
  if (problems.length > 0) throw new ValidationError(problems);
  const [row] = await deps.db.orm
    .insert(sourceEnterprises)
    .values({
      uscc: input.uscc,
      name: input.name.trim(),
      industry: input.industry.trim(),
      address: input.address ?? null,
      longitude: input.longitude ?? null,
      latitude: input.latitude ?? null,
      cellCode: input.cellCode ?? null,
      controlLevel: input.controlLevel,
      status: input.status ?? 'OPERATING',
    })
    .onConflictDoNothing({ target: sourceEnterprises.uscc })
    .returning();
  if (!row) throw new ConflictError(`an enterprise with USCC ${input.uscc} already exists`);
  return toEnterprise(row);
}

export async function updateEnterprise(deps: SourceDeps, uscc: string, patch: EnterprisePatch): Promise<Enterprise> {
  const problems = checkEnterprise(patch);
  await checkCell(deps, patch.cellCode, problems);
  if (problems.length > 0) throw new ValidationError(problems);
  const values: Partial<typeof sourceEnterprises.$inferInsert> = { updatedAt: deps.now() };
  if (patch.name !== undefined) values.name = patch.name.trim();
  if (patch.industry !== undefined) values.industry = patch.industry.trim();
  if (patch.address !== undefined) values.address = patch.address;
  if (patch.longitude !== undefined) values.longitude = patch.longitude;
  if (patch.latitude !== undefined) values.latitude = patch.latitude;
  if (patch.cellCode !== undefined) values.cellCode = patch.cellCode;
  if (patch.controlLevel !== undefined) values.controlLevel = patch.controlLevel;
  if (patch.status !== undefined) values.status = patch.status;
  const [row] = await deps.db.orm.update(sourceEnterprises).set(values).where(eq(sourceEnterprises.uscc, uscc)).returning();
  if (!row) throw new NotFoundError('Enterprise', uscc);
  return toEnterprise(row);
}

export function scopeOfEnterprises(viewer: Viewer): SQL | undefined {
  return enterpriseScope(viewer, { uscc: sql`${sourceEnterprises.uscc}`, cell: sql`${sourceEnterprises.cellCode}` });
}

export async function enterprisesByIds(deps: SourceDeps, viewer: Viewer | undefined, ids: readonly number[]): Promise<(Enterprise | undefined)[]> {
  if (ids.length === 0) return [];
  const rows = await deps.db.orm
    .select()
    .from(sourceEnterprises)
    .where(and(inArray(sourceEnterprises.id, [...ids]), viewer ? scopeOfEnterprises(viewer) : undefined));
  const byId = new Map(rows.map((row) => [row.id, toEnterprise(row)]));
  return ids.map((id) => byId.get(id));
}

/** By USCC; without a viewer (other modules' internal callers) no row scope applies. */
export async function enterprisesByUscc(deps: SourceDeps, viewer: Viewer | undefined, codes: readonly string[]): Promise<(Enterprise | undefined)[]> {
  if (codes.length === 0) return [];
  const rows = await deps.db.orm
    .select()
    .from(sourceEnterprises)
    .where(and(inArray(sourceEnterprises.uscc, [...codes]), viewer ? scopeOfEnterprises(viewer) : undefined));
  const byCode = new Map(rows.map((row) => [row.uscc, toEnterprise(row)]));
  return codes.map((code) => byCode.get(code));
}

export const MAX_SEARCH_LENGTH = 100;

/** What `listEnterprises` filters on, without its page: undefined when the viewer sees nothing. */
export async function listEnterprisesConditions(deps: SourceDeps, viewer: Viewer, filter: EnterpriseFilter): Promise<(SQL | undefined)[] | undefined> {
  const problems: FieldProblem[] = [];
  checkText(problems, 'filter.search', filter.search, MAX_SEARCH_LENGTH, false);
  checkText(problems, 'filter.industry', filter.industry, 100, false);
  checkText(problems, 'filter.cell', filter.cellCode, 32, false);
  if (filter.controlLevel !== undefined && !CONTROL_LEVELS.includes(filter.controlLevel))
    problems.push({ path: 'filter.controlLevel', message: 'unknown control level' });
  if (problems.length > 0) throw new ValidationError(problems);
  const conditions: (SQL | undefined)[] = [scopeOfEnterprises(viewer)];
  if (filter.cellCode) conditions.push(sql`${sourceEnterprises.cellCode} LIKE ${`${escapeLike(filter.cellCode)}%`}`);
  if (filter.controlLevel) conditions.push(eq(sourceEnterprises.controlLevel, filter.controlLevel));
  if (filter.industry) conditions.push(eq(sourceEnterprises.industry, filter.industry));
  if (filter.search) {
    const pattern = `%${escapeLike(filter.search)}%`;
    conditions.push(sql`(${sourceEnterprises.name} ILIKE ${pattern} OR ${sourceEnterprises.uscc} ILIKE ${pattern})`);
  }
  return conditions;
}

/** An enterprise's columns under the names of its fields, for statements written out. */
const ENTERPRISE_COLUMNS = {
  id: 'source_enterprises.id AS "id"',
  uscc: 'source_enterprises.uscc AS "uscc"',
  name: 'source_enterprises.name AS "name"',
  industry: 'source_enterprises.industry AS "industry"',
  address: 'source_enterprises.address AS "address"',
  longitude: 'source_enterprises.longitude AS "longitude"',
  latitude: 'source_enterprises.latitude AS "latitude"',
  cellCode: 'source_enterprises.cell_code AS "cellCode"',
  controlLevel: 'source_enterprises.control_level AS "controlLevel"',
  status: 'source_enterprises.status AS "status"',
  createdAt: 'source_enterprises.created_at AS "createdAt"',
} as const satisfies Record<keyof Enterprise, string>;

export type EnterpriseColumn = keyof typeof ENTERPRISE_COLUMNS;

/** What every enterprise row carries, whatever a reader asked for: its keys and what tells its type. */
const KEY_COLUMNS: readonly EnterpriseColumn[] = ['id', 'uscc', 'controlLevel'];

/** The columns read for `columns` (and the key columns), in one fixed order so that the same set always makes the same text; every column when `columns` is absent. */
function wantedColumns(columns: readonly EnterpriseColumn[] | undefined): EnterpriseColumn[] {
  return (Object.keys(ENTERPRISE_COLUMNS) as EnterpriseColumn[]).filter((column) => !columns || columns.includes(column) || KEY_COLUMNS.includes(column));
}

/** Where each field of an enterprise sits in a positional row; -1: not read. */
type Positions = Record<EnterpriseColumn, number>;

function positionsOf(wanted: readonly EnterpriseColumn[]): Positions {
  return Object.fromEntries((Object.keys(ENTERPRISE_COLUMNS) as EnterpriseColumn[]).map((column) => [column, wanted.indexOf(column)])) as Positions;
}

/** An enterprise from a positional row; a row read with only some columns gives an enterprise with only those fields. */
function enterpriseFromValues(values: readonly unknown[], at: Positions): Enterprise {
  const value = <T>(index: number): T => (index < 0 ? undefined : values[index]) as T;
  const createdAt = value<string | undefined>(at.createdAt);
  return {
    id: value(at.id),
    uscc: value(at.uscc),
    name: value(at.name),
    industry: value(at.industry),
    address: value(at.address),
    longitude: value(at.longitude),
    latitude: value(at.latitude),
    cellCode: value(at.cellCode),
    controlLevel: value<ControlLevel>(at.controlLevel),
    status: value<EnterpriseStatus>(at.status),
    createdAt: createdAt === undefined ? (undefined as unknown as Date) : new Date(createdAt),
  };
}

/**
 * One page of enterprises in the viewer's scope, with an `extra` value when a caller reads more
 * along with them. Written out (not through drizzle's builder) with a text that depends only on
 * which filters and columns are given, so the server keeps it prepared. `columns` narrows the row
 * to what a reader will look at (the key columns always come); every column when absent. The page
 * comes back as one json array of positional rows: the driver decodes one value instead of one per
 * column and row, and a json `extra` is carried inside it as it is.
 */
export async function enterprisePage(
  deps: SourceDeps,
  viewer: Viewer,
  filter: EnterpriseFilter,
  page: Page,
  options: { extra?: SQL; columns?: readonly EnterpriseColumn[] } = {},
): Promise<{ enterprise: Enterprise; extra: unknown }[]> {
  const conditions = await listEnterprisesConditions(deps, viewer, filter);
  if (!conditions) return [];
  if (page.afterId !== undefined) conditions.push(gt(sourceEnterprises.id, page.afterId));
  const { extra, columns } = options;
  const wanted = wantedColumns(columns);
  const select = sql.raw(wanted.map((column) => ENTERPRISE_COLUMNS[column]).join(', '));
  const members = sql.raw([...wanted.map((column) => `p."${column}"`), ...(extra ? ['p.extra'] : [])].join(', '));
  const [result] = await queryStatement<{ page: unknown[][] }>(
    deps.db,
    sql`SELECT coalesce(json_agg(json_build_array(${members}) ORDER BY p.id), '[]'::json) AS page FROM (
      SELECT ${select}${extra ? sql`, ${extra} AS extra` : sql``}
        FROM source_enterprises WHERE ${and(...conditions) ?? sql`true`} ORDER BY source_enterprises.id LIMIT ${page.limit}) p`,
  );
  const at = positionsOf(wanted);
  return (result?.page ?? []).map((values) => ({ enterprise: enterpriseFromValues(values, at), extra: extra ? values[wanted.length] : undefined }));
}

/** A page of enterprises; with `columns`, each carries only those fields (and its keys). */
export async function listEnterprises(
  deps: SourceDeps,
  viewer: Viewer,
  filter: EnterpriseFilter,
  page: Page,
  columns?: readonly EnterpriseColumn[],
): Promise<Enterprise[]> {
  return (await enterprisePage(deps, viewer, filter, page, { columns })).map((row) => row.enterprise);
}

/** How many rows `listEnterprises` would page through, every page together (one statement). */
export async function countEnterprises(deps: SourceDeps, viewer: Viewer, filter: EnterpriseFilter): Promise<number> {
  const conditions = await listEnterprisesConditions(deps, viewer, filter);
  return conditions ? deps.db.orm.$count(sourceEnterprises, and(...conditions)) : 0;
}

/** Control levels whose enterprises must disclose their monitoring data (国控/省控/市控). */
export const KEY_CONTROL_LEVELS: readonly ControlLevel[] = ['STATE', 'PROVINCE', 'CITY'];

/** How many enterprises disclosure lists (state-, province- and city-controlled). */
export async function countKeyEnterprises(deps: SourceDeps): Promise<number> {
  return deps.db.orm.$count(sourceEnterprises, inArray(sourceEnterprises.controlLevel, [...KEY_CONTROL_LEVELS]));
}

/** State-, province- and city-controlled enterprises by id, for disclosure; no row scope. */
export async function keyEnterprises(deps: SourceDeps, page: Page): Promise<Enterprise[]> {
  const limit = Math.min(Math.max(Math.trunc(page.limit), 1), 101);
  const rows = await deps.db.orm
    .select()
    .from(sourceEnterprises)
    .where(
      and(inArray(sourceEnterprises.controlLevel, [...KEY_CONTROL_LEVELS]), page.afterId !== undefined ? gt(sourceEnterprises.id, page.afterId) : undefined),
    )
    .orderBy(asc(sourceEnterprises.id))
    .limit(limit);
  return rows.map(toEnterprise);
}

/** Enterprises in these cells or under them, for other modules; bounded, no row scope. */
export async function enterprisesInCells(deps: SourceDeps, cellCodes: readonly string[], limit = 500): Promise<Enterprise[]> {
  if (cellCodes.length === 0) return [];
  if (cellCodes.length > 200) throw new ValidationError([{ path: 'cellCodes', message: 'at most 200 cells' }]);
  const patterns = cellCodes.map((code) => `${escapeLike(code)}%`);
  const rows = await deps.db.orm
    .select()
    .from(sourceEnterprises)
    .where(sql`${sourceEnterprises.cellCode} LIKE ANY (ARRAY(SELECT jsonb_array_elements_text(${json(patterns)})))`)
    .orderBy(asc(sourceEnterprises.id))
    .limit(Math.min(Math.max(limit, 1), 2000));
  return rows.map(toEnterprise);
}

export interface NearbyQuery {
  longitude: number;
  latitude: number;
  radiusKm: number;
  limit: number;
}

export const MAX_NEARBY_RADIUS_KM = 50;
export const MAX_NEARBY = 100;

export function checkNearby(query: NearbyQuery): void {
  const problems: FieldProblem[] = [];
  checkPosition(problems, query.longitude, query.latitude);
  if (!(query.radiusKm > 0 && query.radiusKm <= MAX_NEARBY_RADIUS_KM)) problems.push({ path: 'radiusKm', message: `must be in (0, ${MAX_NEARBY_RADIUS_KM}]` });
  if (!Number.isInteger(query.limit) || query.limit < 1 || query.limit > MAX_NEARBY) problems.push({ path: 'limit', message: `must be 1-${MAX_NEARBY}` });
  if (problems.length > 0) throw new ValidationError(problems);
}

/**
 * Great-circle distance in km from the query point to (lonColumn, latColumn), with a bounding box
 * that lets the planner skip far rows before the trigonometry.
 */
export function distanceSql(query: NearbyQuery, lon: SQL, lat: SQL): { distance: SQL; box: SQL } {
  const dLat = query.radiusKm / 111.2;
  const dLon = query.radiusKm / (111.2 * Math.max(Math.cos((query.latitude * Math.PI) / 180), 0.01));
  const distance = sql`(2 * 6371.0088 * asin(sqrt(
      power(sin(radians(${lat} - ${query.latitude}::float8) / 2), 2)
      + cos(radians(${query.latitude}::float8)) * cos(radians(${lat})) * power(sin(radians(${lon} - ${query.longitude}::float8) / 2), 2))))`;
  const box = sql`${lat} BETWEEN ${query.latitude - dLat}::float8 AND ${query.latitude + dLat}::float8
                  AND ${lon} BETWEEN ${query.longitude - dLon}::float8 AND ${query.longitude + dLon}::float8`;
  return { distance, box };
}

/** Enterprises within the radius, nearest first, with their distance; no row scope. */
export async function enterprisesNear(deps: SourceDeps, query: NearbyQuery): Promise<(Enterprise & { distanceKm: number })[]> {
  checkNearby(query);
  const { distance, box } = distanceSql(query, sql`e.longitude`, sql`e.latitude`);
  const rows = await rowsOf<typeof sourceEnterprises.$inferSelect & { distance_km: number }>(
    deps.db.orm,
    sql`SELECT * FROM (
          SELECT e.id, e.uscc, e.name, e.industry, e.address, e.longitude, e.latitude, e.cell_code AS "cellCode",
                 e.control_level AS "controlLevel", e.status, e.created_at AS "createdAt", e.updated_at AS "updatedAt", ${distance} AS distance_km
            FROM source_enterprises e
           WHERE e.longitude IS NOT NULL AND e.latitude IS NOT NULL AND ${box}) near
         WHERE distance_km <= ${query.radiusKm}::float8
         ORDER BY distance_km, id
         LIMIT ${query.limit}`,
  );
  return rows.map((row) => ({ ...toEnterprise({ ...row, createdAt: new Date(row.createdAt) }), distanceKm: Number(row.distance_km) }));
}
