import { escapeLike } from '../../../src/db';
import { and, desc, eq, gte, inArray, isNull, lt, lte, sql, type SQL } from 'drizzle-orm';
import type { Viewer } from '../../../src/auth/viewer';
import { json, rowsOf } from '../../../src/db';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../../src/errors';
import { gridMedia, gridPatrols } from '../tables';
import { cellsByCodes, locateCell } from './cells';
import type { GridDeps } from './deps';
import { validPoint } from './geometry';
import { toPatrol } from './rows';
import { cellCondition, cellInScope, scopeOf, type GridScope } from './scope';
import { tasksByIds } from './tasks';
import {
  DISCHARGE_STATUSES,
  FACILITY_STATUSES,
  HAZARDOUS_WASTE_STATUSES,
  PRODUCTION_STATUSES,
  type DischargeStatus,
  type FacilityStatus,
  type GridPatrol,
  type HazardousWasteStatus,
  type ProductionStatus,
} from './types';
import { Problems, USCC, optionalText } from './validate';

export interface PatrolInput {
  taskId?: number | null;
  /** found from the position when not given (and no task names it) */
  cellCode?: string | null;
  patrolledAt: Date;
  longitude: number;
  latitude: number;
  targetUscc?: string | null;
  productionStatus: ProductionStatus;
  dischargeStatus: DischargeStatus;
  treatmentFacility: FacilityStatus;
  hazardousWaste: HazardousWasteStatus;
  findings?: string | null;
  notes?: string | null;
  /** uploads of the author's own, not yet attached to a patrol */
  mediaIds?: readonly string[] | null;
}

export interface PatrolFilter {
  cellCode?: string | undefined;
  taskId?: number | undefined;
  staffId?: number | undefined;
  mine?: boolean | undefined;
  from?: Date | undefined;
  to?: Date | undefined;
}

export const MAX_MEDIA_PER_PATROL = 20;
/** Patrols shown under one task. */
export const MAX_PATROLS_PER_TASK = 100;
/** The mobile app may sync a patrol recorded offline this long ago. */
const MAX_BACKDATE_DAYS = 90;
const CLOCK_SKEW_MS = 5 * 60_000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Patrols a viewer may see: in their cells, or their own. */
function patrolCondition(scope: GridScope): SQL | undefined {
  return cellCondition(scope, sql`${gridPatrols.cellCode}`, scope.self ? sql`${gridPatrols.staffId} = ${scope.self.id}` : undefined);
}

export function patrolVisible(scope: GridScope, patrol: Pick<GridPatrol, 'cellCode' | 'staffId'>): boolean {
  return cellInScope(scope, patrol.cellCode) || (scope.self !== undefined && patrol.staffId === scope.self.id);
}

function checkPatrol(input: PatrolInput, now: Date): void {
  const problems = new Problems();
  if (Number.isNaN(input.patrolledAt.getTime()) || input.patrolledAt.getTime() > now.getTime() + CLOCK_SKEW_MS)
    problems.add('patrolledAt', 'cannot be in the future');
  else if (now.getTime() - input.patrolledAt.getTime() > MAX_BACKDATE_DAYS * 86_400_000) problems.add('patrolledAt', `at most ${MAX_BACKDATE_DAYS} days ago`);
  if (!validPoint(input.longitude, input.latitude)) problems.add('longitude', 'position out of range');
  if (input.targetUscc && !USCC.test(input.targetUscc)) problems.add('targetUscc', 'not an 18-character unified social credit code');
  if (!PRODUCTION_STATUSES.includes(input.productionStatus)) problems.add('productionStatus', 'unknown value');
  if (!DISCHARGE_STATUSES.includes(input.dischargeStatus)) problems.add('dischargeStatus', 'unknown value');
  if (!FACILITY_STATUSES.includes(input.treatmentFacility)) problems.add('treatmentFacility', 'unknown value');
  if (!HAZARDOUS_WASTE_STATUSES.includes(input.hazardousWaste)) problems.add('hazardousWaste', 'unknown value');
  problems.text('findings', input.findings, 0, 2000).text('notes', input.notes, 0, 4000);
  const media = input.mediaIds ?? [];
  if (media.length > MAX_MEDIA_PER_PATROL) problems.add('mediaIds', `at most ${MAX_MEDIA_PER_PATROL}`);
  else if (new Set(media).size !== media.length) problems.add('mediaIds', 'a file is listed twice');
  else media.forEach((id, index) => UUID.test(id) || problems.add(`mediaIds.${index}`, 'not a media id'));
  problems.done();
}

/** Records a patrol in a cell of the author's and attaches the author's uploads to it. */
export async function recordPatrol(deps: GridDeps, viewer: Viewer, input: PatrolInput): Promise<GridPatrol> {
  const scope = await scopeOf(deps, viewer);
  if (!scope.staff || !viewer.subject) throw new ForbiddenError('only grid staff record patrols');
  const now = deps.now();
  checkPatrol(input, now);
  let cellCode = optionalText(input.cellCode);
  if (input.taskId != null) {
    const [task] = await tasksByIds(deps, viewer, [input.taskId]);
    if (!task) throw new NotFoundError('GridTask', String(input.taskId));
    if (task.status === 'VERIFIED') throw new ConflictError('this task is closed');
    cellCode = task.cellCode;
  }
  if (!cellCode) cellCode = (await locateCell(deps, input.longitude, input.latitude))?.code ?? null;
  if (!cellCode) throw new ValidationError([{ path: 'cellCode', message: 'give the cell: the position lies in no cell boundary' }]);
  const [cell] = await cellsByCodes(deps, [cellCode]);
  if (!cell) throw new NotFoundError('GridCell', cellCode);
  if (input.taskId == null && !cellInScope(scope, cell.code)) throw new ForbiddenError('this cell is outside your grid');
  const mediaIds = [...(input.mediaIds ?? [])];
  if (mediaIds.length > 0) {
    const found = await deps.db.orm.select().from(gridMedia).where(inArray(gridMedia.id, mediaIds));
    const problems = new Problems();
    mediaIds.forEach((id, index) => {
      const media = found.find((m) => m.id === id);
      if (!media || media.uploadedBy !== viewer.subject) problems.add(`mediaIds.${index}`, 'no such upload of yours');
      else if (media.patrolId !== null) problems.add(`mediaIds.${index}`, 'already attached to a patrol');
    });
    problems.done();
  }
  return deps.db.orm.transaction(async (tx) => {
    const [row] = await tx
      .insert(gridPatrols)
      .values({
        taskId: input.taskId ?? null,
        cellCode: cell.code,
        staffId: scope.self?.id ?? null,
        authorSubject: viewer.subject as string,
        authorName: scope.self?.name ?? viewer.name ?? null,
        patrolledAt: input.patrolledAt,
        longitude: input.longitude,
        latitude: input.latitude,
        targetUscc: optionalText(input.targetUscc),
        productionStatus: input.productionStatus,
        dischargeStatus: input.dischargeStatus,
        treatmentFacility: input.treatmentFacility,
        hazardousWaste: input.hazardousWaste,
        findings: optionalText(input.findings),
        notes: optionalText(input.notes),
        createdAt: now,
      })
      .returning();
    const patrol = toPatrol(row as typeof gridPatrols.$inferSelect);
    if (mediaIds.length > 0) {
      const attached = await tx
        .update(gridMedia)
        .set({ patrolId: patrol.id })
        .where(and(inArray(gridMedia.id, mediaIds), isNull(gridMedia.patrolId), eq(gridMedia.uploadedBy, viewer.subject as string)))
        .returning({ id: gridMedia.id });
      if (attached.length !== mediaIds.length) throw new ConflictError('a file was attached to another patrol meanwhile');
    }
    return patrol;
  });
}

export async function patrolsByIds(deps: GridDeps, viewer: Viewer, ids: readonly number[]): Promise<(GridPatrol | undefined)[]> {
  if (ids.length === 0) return [];
  const scope = await scopeOf(deps, viewer);
  const rows = await deps.db.orm
    .select()
    .from(gridPatrols)
    .where(and(inArray(gridPatrols.id, [...new Set(ids)]), patrolCondition(scope)));
  const byId = new Map(rows.map((row) => [row.id, toPatrol(row)]));
  return ids.map((id) => byId.get(id));
}

/** What `listPatrols` filters on, without its page: undefined when the viewer sees nothing. */
async function listPatrolsConditions(deps: GridDeps, viewer: Viewer, filter: PatrolFilter): Promise<(SQL | undefined)[] | undefined> {
  const scope = await scopeOf(deps, viewer);
  const conditions: (SQL | undefined)[] = [patrolCondition(scope)];
  if (filter.cellCode) conditions.push(sql`${gridPatrols.cellCode} LIKE ${`${escapeLike(filter.cellCode)}%`}`);
  if (filter.taskId !== undefined) conditions.push(eq(gridPatrols.taskId, filter.taskId));
  if (filter.staffId !== undefined) conditions.push(eq(gridPatrols.staffId, filter.staffId));
  if (filter.mine) conditions.push(viewer.subject ? eq(gridPatrols.authorSubject, viewer.subject) : sql`false`);
  if (filter.from) conditions.push(gte(gridPatrols.patrolledAt, filter.from));
  if (filter.to) conditions.push(lte(gridPatrols.patrolledAt, filter.to));
  return conditions;
}

/** Newest first; keyset on id. */
export async function listPatrols(
  deps: GridDeps,
  viewer: Viewer,
  filter: PatrolFilter,
  page: { limit: number; beforeId: number | undefined },
): Promise<GridPatrol[]> {
  const conditions = await listPatrolsConditions(deps, viewer, filter);
  if (!conditions) return [];
  if (page.beforeId !== undefined) conditions.push(lt(gridPatrols.id, page.beforeId));
  const rows = await deps.db.orm
    .select()
    .from(gridPatrols)
    .where(and(...conditions))
    .orderBy(desc(gridPatrols.id))
    .limit(page.limit);
  return rows.map(toPatrol);
}

/** How many rows `listPatrols` would page through, every page together (one statement). */
export async function countPatrols(deps: GridDeps, viewer: Viewer, filter: PatrolFilter): Promise<number> {
  const conditions = await listPatrolsConditions(deps, viewer, filter);
  return conditions ? deps.db.orm.$count(gridPatrols, and(...conditions)) : 0;
}

/** Each task's patrols, newest first, at most MAX_PATROLS_PER_TASK each. The caller has checked the tasks are visible. */
export async function patrolsOfTasks(deps: GridDeps, taskIds: readonly number[]): Promise<GridPatrol[][]> {
  if (taskIds.length === 0) return [];
  const rows = await rowsOf<{ id: number }>(
    deps.db.orm,
    sql`SELECT id FROM (
          SELECT id, row_number() OVER (PARTITION BY task_id ORDER BY id DESC) AS position
            FROM grid_patrols WHERE task_id IN (SELECT (jsonb_array_elements_text(${json([...new Set(taskIds)])}))::int)
        ) ranked WHERE position <= ${MAX_PATROLS_PER_TASK}`,
  );
  const ids = rows.map((row) => Number(row.id));
  const patrols =
    ids.length > 0 ? (await deps.db.orm.select().from(gridPatrols).where(inArray(gridPatrols.id, ids)).orderBy(desc(gridPatrols.id))).map(toPatrol) : [];
  return taskIds.map((id) => patrols.filter((patrol) => patrol.taskId === id));
}
