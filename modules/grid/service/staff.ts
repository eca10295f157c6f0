import { escapeLike } from '../../../src/db';
import { and, asc, eq, gt, ilike, inArray, isNull, sql, type SQL } from 'drizzle-orm';
import type { Viewer } from '../../../src/auth/viewer';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../../src/errors';
import { json, rowsOf } from '../../../src/db';
import { gridAssignments, gridStaff } from '../tables';
import { cellsByCodes } from './cells';
import type { GridDeps } from './deps';
import { toStaff } from './rows';
import { cellInScope, scopeOf } from './scope';
import { STAFF_ROLES, type GridAssignment, type GridStaff, type StaffRole } from './types';
import { PHONE, Problems, optionalText } from './validate';

export interface StaffFilter {
  role?: StaffRole | undefined;
  organisationCode?: string | undefined;
  /** only the district bureau's people */
  districtBureau?: boolean | undefined;
  active?: boolean | undefined;
  search?: string | undefined;
}

export interface StaffInput {
  name: string;
  role: StaffRole;
  organisationCode?: string | null;
  phone?: string | null;
  subject?: string | null;
  active?: boolean;
}

export type StaffPatch = Partial<StaffInput>;

export interface AssignmentInput {
  staffId: number;
  cellCode: string;
  validFrom: Date;
  validTo?: Date | null;
}

/** A person's assignments, newest first, at most this many. */
export const MAX_ASSIGNMENTS_SHOWN = 100;

export async function staffByIds(deps: GridDeps, ids: readonly number[]): Promise<(GridStaff | undefined)[]> {
  if (ids.length === 0) return [];
  const rows = await deps.db.orm
    .select()
    .from(gridStaff)
    .where(inArray(gridStaff.id, [...new Set(ids)]));
  const byId = new Map(rows.map((row) => [row.id, toStaff(row)]));
  return ids.map((id) => byId.get(id));
}

/** What `listStaff` filters on, without its page: undefined when the viewer sees nothing. */
async function listStaffConditions(deps: GridDeps, viewer: Viewer, filter: StaffFilter): Promise<(SQL | undefined)[] | undefined> {
  const scope = await scopeOf(deps, viewer);
  if (!scope.staff) return undefined;
  const conditions: (SQL | undefined)[] = [];
  if (filter.role) conditions.push(eq(gridStaff.role, filter.role));
  if (filter.organisationCode) conditions.push(eq(gridStaff.organisationCode, filter.organisationCode));
  if (filter.districtBureau) conditions.push(isNull(gridStaff.organisationCode));
  if (filter.active !== undefined) conditions.push(eq(gridStaff.active, filter.active));
  if (filter.search) conditions.push(ilike(gridStaff.name, `%${escapeLike(filter.search)}%`));
  return conditions;
}

export async function listStaff(
  deps: GridDeps,
  viewer: Viewer,
  filter: StaffFilter,
  page: { limit: number; afterId: number | undefined },
): Promise<GridStaff[]> {
  const conditions = await listStaffConditions(deps, viewer, filter);
  if (!conditions) return [];
  if (page.afterId !== undefined) conditions.push(gt(gridStaff.id, page.afterId));
  const rows = await deps.db.orm
    .select()
    .from(gridStaff)
    .where(and(...conditions))
    .orderBy(asc(gridStaff.id))
    .limit(page.limit);
  return rows.map(toStaff);
}

/** How many rows `listStaff` would page through, every page together (one statement). */
export async function countStaff(deps: GridDeps, viewer: Viewer, filter: StaffFilter): Promise<number> {
  const conditions = await listStaffConditions(deps, viewer, filter);
  return conditions ? deps.db.orm.$count(gridStaff, and(...conditions)) : 0;
}

async function checkStaff(deps: GridDeps, input: StaffPatch, role: StaffRole, organisationCode: string | null): Promise<void> {
  const problems = new Problems();
  if (input.name !== undefined) problems.text('name', input.name, 1, 50);
  if (!STAFF_ROLES.includes(role)) problems.add('role', 'unknown role');
  if (input.phone != null && input.phone !== '' && !PHONE.test(input.phone)) problems.add('phone', 'not a phone number');
  if (input.subject != null && !/^[\w.@:|-]{1,128}$/.test(input.subject)) problems.add('subject', 'must be 1-128 letters, digits or . @ : | - _');
  if (role === 'DISTRICT_OFFICER' && organisationCode) problems.add('organisationCode', 'a district officer belongs to the district bureau');
  if (role === 'TOWN_OFFICER' && !organisationCode) problems.add('organisationCode', 'a town officer belongs to a town office');
  problems.done();
  if (organisationCode) {
    const [cell] = await cellsByCodes(deps, [organisationCode]);
    if (!cell || cell.level !== 2) throw new ValidationError([{ path: 'organisationCode', message: 'must be a town (level-2 cell) code' }]);
  }
}

async function subjectTaken(deps: GridDeps, subject: string | null | undefined, exceptId?: number): Promise<boolean> {
  if (!subject) return false;
  const rows = await deps.db.orm.select({ id: gridStaff.id }).from(gridStaff).where(eq(gridStaff.subject, subject));
  return rows.some((row) => row.id !== exceptId);
}

export async function createStaff(deps: GridDeps, input: StaffInput): Promise<GridStaff> {
  const organisationCode = optionalText(input.organisationCode);
  await checkStaff(deps, input, input.role, organisationCode);
  if (await subjectTaken(deps, input.subject)) throw new ConflictError(`subject ${input.subject} already belongs to a staff member`);
  const [row] = await deps.db.orm
    .insert(gridStaff)
    .values({
      name: input.name.trim(),
      role: input.role,
      organisationCode,
      phone: optionalText(input.phone),
      subject: optionalText(input.subject),
      active: input.active ?? true,
    })
    .onConflictDoNothing({ target: gridStaff.subject })
    .returning();
  if (!row) throw new ConflictError(`subject ${input.subject} already belongs to a staff member`);
  return toStaff(row);
}

export async function updateStaff(deps: GridDeps, id: number, patch: StaffPatch): Promise<GridStaff> {
  const [current] = await staffByIds(deps, [id]);
  if (!current) throw new NotFoundError('GridStaff', String(id));
  const role = patch.role ?? current.role;
  const organisationCode = patch.organisationCode !== undefined ? optionalText(patch.organisationCode) : current.organisationCode;
  await checkStaff(deps, patch, role, organisationCode);
  if (patch.subject !== undefined && (await subjectTaken(deps, patch.subject, id)))
    throw new ConflictError(`subject ${patch.subject} already belongs to a staff member`);
  const values: Partial<typeof gridStaff.$inferInsert> = { role, organisationCode, updatedAt: deps.now() };
  if (patch.name !== undefined) values.name = patch.name.trim();
  if (patch.phone !== undefined) values.phone = optionalText(patch.phone);
  if (patch.subject !== undefined) values.subject = optionalText(patch.subject);
  if (patch.active !== undefined) values.active = patch.active;
  const [row] = await deps.db.orm.update(gridStaff).set(values).where(eq(gridStaff.id, id)).returning();
  return toStaff(row as typeof gridStaff.$inferSelect);
}

function toAssignment(row: typeof gridAssignments.$inferSelect): GridAssignment {
  return { id: row.id, staffId: row.staffId, cellCode: row.cellCode, validFrom: row.validFrom, validTo: row.validTo };
}

/** Assigns an assistant to a cell for a period; a town officer only within their town. */
export async function assignAssistant(deps: GridDeps, viewer: Viewer, input: AssignmentInput): Promise<GridAssignment> {
  const scope = await scopeOf(deps, viewer);
  const problems = new Problems();
  if (Number.isNaN(input.validFrom.getTime())) problems.add('validFrom', 'invalid time');
  if (input.validTo && !(input.validTo > input.validFrom)) problems.add('validTo', 'must be after validFrom');
  problems.done();
  const [staff] = await staffByIds(deps, [input.staffId]);
  if (!staff) throw new NotFoundError('GridStaff', String(input.staffId));
  const [cell] = await cellsByCodes(deps, [input.cellCode]);
  if (!cell) throw new NotFoundError('GridCell', input.cellCode);
  if (!scope.officer || !cellInScope(scope, cell.code)) throw new ForbiddenError('this cell is outside your grid');
  if (staff.role !== 'ASSISTANT') problems.add('staff', 'only assistants are assigned to cells; officers answer for cells as their officers');
  if (!staff.active) problems.add('staff', 'this assistant is not active');
  problems.done();
  const [row] = await deps.db.orm
    .insert(gridAssignments)
    .values({ staffId: staff.id, cellCode: cell.code, validFrom: input.validFrom, validTo: input.validTo ?? null })
    .returning();
  return toAssignment(row as typeof gridAssignments.$inferSelect);
}

/** Ends an assignment at `at` (now when not given). */
export async function endAssignment(deps: GridDeps, viewer: Viewer, id: number, at: Date | undefined): Promise<GridAssignment> {
  const scope = await scopeOf(deps, viewer);
  const [row] = await deps.db.orm.select().from(gridAssignments).where(eq(gridAssignments.id, id));
  if (!row) throw new NotFoundError('GridAssignment', String(id));
  if (!scope.officer || !cellInScope(scope, row.cellCode)) throw new ForbiddenError('this cell is outside your grid');
  const end = at ?? deps.now();
  if (row.validTo && row.validTo <= end) throw new ConflictError('this assignment has already ended');
  if (end < row.validFrom) throw new ValidationError([{ path: 'at', message: 'before the assignment began' }]);
  const [updated] = await deps.db.orm.update(gridAssignments).set({ validTo: end }).where(eq(gridAssignments.id, id)).returning();
  return toAssignment(updated as typeof gridAssignments.$inferSelect);
}

/** Each staff member's assignments, newest first, at most MAX_ASSIGNMENTS_SHOWN each. */
export async function assignmentsOfStaff(deps: GridDeps, staffIds: readonly number[]): Promise<GridAssignment[][]> {
  if (staffIds.length === 0) return [];
  const rows = await rowsOf<{ id: number; staffId: number; cellCode: string; validFrom: Date | string; validTo: Date | string | null }>(
    deps.db.orm,
    sql`SELECT id, "staffId", "cellCode", "validFrom", "validTo" FROM (
          SELECT id, staff_id AS "staffId", cell_code AS "cellCode", valid_from AS "validFrom", valid_to AS "validTo",
                 row_number() OVER (PARTITION BY staff_id ORDER BY valid_from DESC, id DESC) AS position
            FROM grid_assignments
           WHERE staff_id IN (SELECT (jsonb_array_elements_text(${json([...new Set(staffIds)])}))::int)
        ) ranked WHERE position <= ${MAX_ASSIGNMENTS_SHOWN} ORDER BY "validFrom" DESC, id DESC`,
  );
  const byStaff = new Map<number, GridAssignment[]>();
  for (const row of rows) {
    const assignment: GridAssignment = {
      id: Number(row.id),
      staffId: Number(row.staffId),
      cellCode: row.cellCode,
      validFrom: new Date(row.validFrom),
      validTo: row.validTo === null ? null : new Date(row.validTo),
    };
    const list = byStaff.get(assignment.staffId);
    if (list) list.push(assignment);
    else byStaff.set(assignment.staffId, [assignment]);
  }
  return staffIds.map((id) => byStaff.get(id) ?? []);
}

/**
 * The active assistants answering for each cell: assigned now to the cell itself or to a cell above
 * it, the most specific assignment first, then the longest-standing.
 */
export async function activeAssistantsOf(deps: GridDeps, codes: readonly string[]): Promise<GridStaff[][]> {
  if (codes.length === 0) return [];
  const now = deps.now().toISOString();
  const rows = await rowsOf<typeof gridStaff.$inferSelect & { key: string }>(
    deps.db.orm,
    sql`SELECT DISTINCT ON (k.code, s.id) k.code AS key, s.id, s.subject, s.name, s.role, s.organisation_code AS "organisationCode",
               s.phone, s.active, length(a.cell_code) AS depth, a.valid_from
          FROM (SELECT DISTINCT jsonb_array_elements_text(${json([...new Set(codes)])}) AS code) k
          JOIN grid_assignments a ON k.code LIKE a.cell_code || '%'
          JOIN grid_staff s ON s.id = a.staff_id
         WHERE s.active AND s.role = 'ASSISTANT'
           AND a.valid_from <= ${now}::timestamptz AND (a.valid_to IS NULL OR a.valid_to > ${now}::timestamptz)
         ORDER BY k.code, s.id, length(a.cell_code) DESC, a.valid_from`,
  );
  const byCode = new Map<string, (GridStaff & { depth: number; since: number })[]>();
  for (const row of rows) {
    const raw = row as unknown as { depth: number | string; valid_from: Date | string };
    const entry = { ...toStaff(row), depth: Number(raw.depth), since: new Date(raw.valid_from).getTime() };
    const list = byCode.get(row.key);
    if (list) list.push(entry);
    else byCode.set(row.key, [entry]);
  }
  return codes.map((code) =>
    (byCode.get(code) ?? []).sort((a, b) => b.depth - a.depth || a.since - b.since || a.id - b.id).map(({ depth: _depth, since: _since, ...staff }) => staff),
  );
}

/** Assistants with no current assignment (for the coverage report). */
export async function assistantsWithoutCell(deps: GridDeps): Promise<GridStaff[]> {
  const now = deps.now();
  const rows = await deps.db.orm
    .select()
    .from(gridStaff)
    .where(
      and(
        eq(gridStaff.role, 'ASSISTANT'),
        eq(gridStaff.active, true),
        sql`NOT EXISTS (SELECT 1 FROM ${gridAssignments} a WHERE a.staff_id = ${gridStaff.id}
              AND a.valid_from <= ${now.toISOString()}::timestamptz AND (a.valid_to IS NULL OR a.valid_to > ${now.toISOString()}::timestamptz))`,
      ),
    )
    .orderBy(asc(gridStaff.id));
  return rows.map(toStaff);
}
