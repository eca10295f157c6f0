import { escapeLike } from '../../../src/db';
import { and, asc, eq, gt, gte, ilike, inArray, lte, ne, or, sql, type SQL } from 'drizzle-orm';
import { NotFoundError } from '../../../src/errors';
import { json, rowsOf } from '../../../src/db';
import { gridCellOfficers, gridCells, gridStaff } from '../tables';
import type { GridDeps } from './deps';
import { boundingBox, checkPolygon, locateInCells, validPoint, type Polygon } from './geometry';
import { toCell, toStaff } from './rows';
import type { GridCell, GridStaff } from './types';
import { CELL_CODE, Problems } from './validate';

export interface CellFilter {
  level?: number | undefined;
  parentCode?: string | undefined;
  /** a cell and everything under it */
  under?: string | undefined;
  /** part of the name or code */
  search?: string | undefined;
}

export interface CellInput {
  code: string;
  name: string;
  parentCode?: string | null;
  /** the national 12-digit division code of a town or village; left as it is when undefined */
  adminCode?: string | null;
  boundary?: unknown;
  longitude?: number | null;
  latitude?: number | null;
}

/** 统计用区划代码: province, city, county (2 each), town (3), village (3). */
const ADMIN_CODE = /^\d{12}$/;

/** Children, officers: a relation never returns more than this many rows per cell. */
export const MAX_RELATED = 500;
export const MAX_OFFICERS = 10;
const MAX_DESCENDANTS = 5000;

export async function cellsByCodes(deps: GridDeps, codes: readonly string[]): Promise<(GridCell | undefined)[]> {
  if (codes.length === 0) return [];
  const rows = await deps.db.orm
    .select()
    .from(gridCells)
    .where(inArray(gridCells.code, [...new Set(codes)]));
  const byCode = new Map(rows.map((row) => [row.code, toCell(row)]));
  return codes.map((code) => byCode.get(code));
}

export async function cellsByIds(deps: GridDeps, ids: readonly number[]): Promise<(GridCell | undefined)[]> {
  if (ids.length === 0) return [];
  const rows = await deps.db.orm
    .select()
    .from(gridCells)
    .where(inArray(gridCells.id, [...new Set(ids)]));
  const byId = new Map(rows.map((row) => [row.id, toCell(row)]));
  return ids.map((id) => byId.get(id));
}

/** What `listCells` filters on, without its page: undefined when the viewer sees nothing. */
async function listCellsConditions(deps: GridDeps, filter: CellFilter): Promise<(SQL | undefined)[] | undefined> {
  const conditions: (SQL | undefined)[] = [];
  if (filter.level !== undefined) conditions.push(eq(gridCells.level, filter.level));
  if (filter.parentCode !== undefined) conditions.push(eq(gridCells.parentCode, filter.parentCode));
  if (filter.under !== undefined) conditions.push(sql`${gridCells.code} LIKE ${`${escapeLike(filter.under)}%`}`);
  if (filter.search) {
    const pattern = `%${escapeLike(filter.search)}%`;
    conditions.push(or(ilike(gridCells.name, pattern), ilike(gridCells.code, pattern)));
  }
  return conditions;
}

/** Cells in code order (keyset on id, which follows insertion), filtered. */
export async function listCells(deps: GridDeps, filter: CellFilter, page: { limit: number; afterId: number | undefined }): Promise<GridCell[]> {
  const conditions = await listCellsConditions(deps, filter);
  if (!conditions) return [];
  if (page.afterId !== undefined) conditions.push(gt(gridCells.id, page.afterId));
  const rows = await deps.db.orm
    .select()
    .from(gridCells)
    .where(and(...conditions))
    .orderBy(asc(gridCells.id))
    .limit(page.limit);
  return rows.map(toCell);
}

/** How many rows `listCells` would page through, every page together (one statement). */
export async function countCells(deps: GridDeps, filter: CellFilter): Promise<number> {
  const conditions = await listCellsConditions(deps, filter);
  return conditions ? deps.db.orm.$count(gridCells, and(...conditions)) : 0;
}

/** Children of each parent, in code order, at most MAX_RELATED each: one statement for all parents. */
export async function childrenOf(deps: GridDeps, parentCodes: readonly string[]): Promise<GridCell[][]> {
  if (parentCodes.length === 0) return [];
  const rows = await rowsOf<typeof gridCells.$inferSelect & { position: number }>(
    deps.db.orm,
    sql`SELECT * FROM (
          SELECT id, code, name, level, parent_code AS "parentCode", admin_code AS "adminCode", boundary, longitude, latitude,
                 row_number() OVER (PARTITION BY parent_code ORDER BY code) AS position
            FROM grid_cells
           WHERE parent_code IN (SELECT jsonb_array_elements_text(${json([...new Set(parentCodes)])}))
        ) ranked WHERE position <= ${MAX_RELATED} ORDER BY code`,
  );
  const byParent = new Map<string, GridCell[]>();
  for (const row of rows) {
    const cell = toCell(row);
    const list = byParent.get(cell.parentCode as string);
    if (list) list.push(cell);
    else byParent.set(cell.parentCode as string, [cell]);
  }
  return parentCodes.map((code) => byParent.get(code) ?? []);
}

/**
 * Ancestors of each cell, root first. A cell's ancestors are the cells whose code begins its own
 * (the hierarchy rule `upsertCell` enforces), so one join answers for every cell asked about.
 */
export async function ancestorsOf(deps: GridDeps, codes: readonly string[]): Promise<GridCell[][]> {
  if (codes.length === 0) return [];
  const rows = await rowsOf<typeof gridCells.$inferSelect & { key: string }>(
    deps.db.orm,
    sql`SELECT k.code AS key, c.id, c.code, c.name, c.level, c.parent_code AS "parentCode", c.admin_code AS "adminCode", c.boundary, c.longitude, c.latitude
          FROM (SELECT DISTINCT jsonb_array_elements_text(${json([...new Set(codes)])}) AS code) k
          JOIN grid_cells c ON k.code LIKE c.code || '%' AND c.code <> k.code
         ORDER BY k.code, c.level`,
  );
  const byCode = new Map<string, GridCell[]>();
  for (const row of rows) {
    const list = byCode.get(row.key);
    if (list) list.push(toCell(row));
    else byCode.set(row.key, [toCell(row)]);
  }
  return codes.map((code) => byCode.get(code) ?? []);
}

/** Every cell under `code` (not the cell itself), in code order; bounded. */
export async function descendants(deps: GridDeps, code: string, options: { level?: number } = {}): Promise<GridCell[]> {
  if (!CELL_CODE.test(code)) return [];
  const rows = await deps.db.orm
    .select()
    .from(gridCells)
    .where(
      and(
        sql`${gridCells.code} LIKE ${`${code}%`}`,
        sql`${gridCells.code} <> ${code}`,
        options.level !== undefined ? eq(gridCells.level, options.level) : undefined,
      ),
    )
    .orderBy(asc(gridCells.code))
    .limit(MAX_DESCENDANTS);
  return rows.map(toCell);
}

/** The level-3 cell whose boundary holds the point; undefined outside every boundary. */
export async function locateCell(deps: GridDeps, longitude: number, latitude: number): Promise<GridCell | undefined> {
  if (!validPoint(longitude, latitude)) return undefined;
  const rows = await deps.db.orm
    .select()
    .from(gridCells)
    .where(
      and(
        eq(gridCells.level, 3),
        lte(gridCells.minLongitude, longitude),
        gte(gridCells.maxLongitude, longitude),
        lte(gridCells.minLatitude, latitude),
        gte(gridCells.maxLatitude, latitude),
      ),
    )
    .limit(MAX_RELATED);
  return locateInCells(rows.map(toCell), longitude, latitude);
}

/**
 * Creates or updates a cell. A child's code extends its parent's and its level is one below, which
 * keeps prefix scope and `ancestorsOf` sound; so an existing cell cannot move to another parent.
 */
export async function upsertCell(deps: GridDeps, input: CellInput): Promise<GridCell> {
  const problems = new Problems();
  if (!CELL_CODE.test(input.code)) problems.add('code', 'must be 2-32 letters or digits');
  problems.text('name', input.name, 1, 100);
  let boundary: Polygon | null = null;
  if (input.boundary !== undefined && input.boundary !== null) {
    const checked = checkPolygon(input.boundary);
    if (checked.ok) boundary = checked.polygon;
    else problems.add('boundary', checked.problem);
  }
  const hasCentre = input.longitude != null || input.latitude != null;
  if (hasCentre && !(input.longitude != null && input.latitude != null && validPoint(input.longitude, input.latitude))) {
    problems.add('longitude', 'give both longitude and latitude, in range');
  }
  problems.done();
  let level = 1;
  if (input.parentCode) {
    const [parent] = await cellsByCodes(deps, [input.parentCode]);
    if (!parent) throw new NotFoundError('GridCell', input.parentCode);
    if (parent.level >= 3) problems.add('parentCode', 'a level-3 cell has no children');
    if (!input.code.startsWith(parent.code) || input.code.length <= parent.code.length) problems.add('code', `must extend the parent's code ${parent.code}`);
    level = parent.level + 1;
  }
  const [existing] = await cellsByCodes(deps, [input.code]);
  if (existing && existing.parentCode !== (input.parentCode ?? null)) problems.add('parentCode', 'a cell cannot move to another parent');
  if (input.adminCode != null) {
    if (!ADMIN_CODE.test(input.adminCode)) problems.add('adminCode', 'must be the 12 digits of a national division code (统计用区划代码)');
    else if (level < 2) problems.add('adminCode', 'only towns and villages carry a national division code');
    else {
      const [holder] = await deps.db.orm
        .select({ code: gridCells.code })
        .from(gridCells)
        .where(and(eq(gridCells.adminCode, input.adminCode), ne(gridCells.code, input.code)));
      if (holder) problems.add('adminCode', `already names cell ${holder.code}`);
    }
  }
  problems.done();
  const box = boundary ? boundingBox(boundary) : { minLongitude: null, maxLongitude: null, minLatitude: null, maxLatitude: null };
  const values = {
    name: input.name.trim(),
    boundary,
    ...box,
    longitude: input.longitude ?? null,
    latitude: input.latitude ?? null,
    ...(input.adminCode !== undefined ? { adminCode: input.adminCode } : {}),
    updatedAt: deps.now(),
  };
  const [row] = await deps.db.orm
    .insert(gridCells)
    .values({ code: input.code, level, parentCode: input.parentCode ?? null, ...values })
    .onConflictDoUpdate({ target: gridCells.code, set: values })
    .returning();
  return toCell(row as typeof gridCells.$inferSelect);
}

/** Replaces the officers responsible for a cell. */
export async function setCellOfficers(deps: GridDeps, code: string, staffIds: readonly number[]): Promise<GridCell> {
  const problems = new Problems();
  const ids = [...new Set(staffIds)];
  if (ids.length > MAX_OFFICERS) problems.add('staff', `at most ${MAX_OFFICERS} officers`);
  problems.done();
  const [cell] = await cellsByCodes(deps, [code]);
  if (!cell) throw new NotFoundError('GridCell', code);
  const staff = ids.length > 0 ? await deps.db.orm.select().from(gridStaff).where(inArray(gridStaff.id, ids)) : [];
  for (const [index, id] of ids.entries()) {
    const found = staff.find((s) => s.id === id);
    if (!found) problems.add(`staff.${index}`, 'no such staff member');
    else if (found.role === 'ASSISTANT') problems.add(`staff.${index}`, 'an officer is a town or district officer, not an assistant');
  }
  problems.done();
  await deps.db.orm.transaction(async (tx) => {
    await tx.delete(gridCellOfficers).where(eq(gridCellOfficers.cellCode, code));
    if (ids.length > 0) await tx.insert(gridCellOfficers).values(ids.map((staffId) => ({ cellCode: code, staffId })));
  });
  return cell;
}

/** The officers of each cell, in staff order. */
export async function officersOf(deps: GridDeps, codes: readonly string[]): Promise<GridStaff[][]> {
  if (codes.length === 0) return [];
  const rows = await deps.db.orm
    .select({ cellCode: gridCellOfficers.cellCode, staff: gridStaff })
    .from(gridCellOfficers)
    .innerJoin(gridStaff, eq(gridStaff.id, gridCellOfficers.staffId))
    .where(inArray(gridCellOfficers.cellCode, [...new Set(codes)]))
    .orderBy(asc(gridStaff.id));
  const byCode = new Map<string, GridStaff[]>();
  for (const row of rows) {
    const list = byCode.get(row.cellCode);
    if (list) list.push(toStaff(row.staff));
    else byCode.set(row.cellCode, [toStaff(row.staff)]);
  }
  return codes.map((code) => byCode.get(code) ?? []);
}

/** Every level-3 cell code, for the coverage report: bounded by the size of the grid itself. */
export async function levelThreeCodes(deps: GridDeps): Promise<Set<string>> {
  const rows = await deps.db.orm.select({ code: gridCells.code }).from(gridCells).where(eq(gridCells.level, 3));
  return new Set(rows.map((row) => row.code));
}
