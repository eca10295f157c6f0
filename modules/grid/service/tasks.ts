import { escapeLike } from '../../../src/db';
import { and, desc, eq, gte, inArray, lt, lte, sql, type SQL } from 'drizzle-orm';
import type { Viewer } from '../../../src/auth/viewer';
import { json, rowsOf } from '../../../src/db';
import { ForbiddenError, NotFoundError, ValidationError } from '../../../src/errors';
import { monitoringServiceRef } from '../../../src/monitoring/public';
import { gridTasks } from '../tables';
import { cellsByCodes, locateCell } from './cells';
import type { GridDeps } from './deps';
import { validPoint } from './geometry';
import { toTask, toTransition } from './rows';
import { activeAssistantsOf, staffByIds } from './staff';
import { cellCondition, cellInScope, scopeOf, type GridScope } from './scope';
import { recordTaskChange, type Actor } from './task-records';
import { TASK_STATUSES, type TaskStatus } from './transitions';
import { TARGET_KINDS, TASK_TYPES, type GridTask, type GridTaskTransition, type TargetKind, type TaskType } from './types';
import { Problems, USCC, optionalText } from './validate';

export interface TaskFilter {
  status?: TaskStatus[] | undefined;
  type?: TaskType[] | undefined;
  /** a cell and everything under it */
  cellCode?: string | undefined;
  assigneeId?: number | undefined;
  /** only tasks assigned to the viewer */
  mine?: boolean | undefined;
  dispatchedFrom?: Date | undefined;
  dispatchedTo?: Date | undefined;
}

export interface TaskTargetInput {
  kind: TargetKind;
  uscc?: string | null;
  monitorId?: number | null;
  /** a monitor by its HJ 212 MN, instead of monitorId */
  mn?: string | null;
  longitude?: number | null;
  latitude?: number | null;
  description?: string | null;
}

export interface DispatchInput {
  type: TaskType;
  title: string;
  description?: string | null;
  target: TaskTargetInput;
  /** the task's cell; found from the target (a monitor's cell, a place's position) when not given */
  cellCode?: string | null;
  /** an assistant answering for the cell; the cell's first active assistant when not given */
  assigneeId?: number | null;
  deadline: Date;
}

/** A task's history is short; this bounds it all the same. */
export const MAX_HISTORY = 200;
const MAX_DEADLINE_DAYS = 366;
const MAX_STATUS_FILTER = TASK_STATUSES.length;

export function actorOf(viewer: Viewer, scope: GridScope): Actor {
  return { subject: viewer.subject ?? 'anonymous', name: scope.self?.name ?? viewer.name ?? null };
}

/** Tasks a viewer may see: in their cells, or assigned to them. */
export function taskCondition(scope: GridScope): SQL | undefined {
  return cellCondition(scope, sql`${gridTasks.cellCode}`, scope.self ? sql`${gridTasks.assigneeId} = ${scope.self.id}` : undefined);
}

export function taskVisible(scope: GridScope, task: Pick<GridTask, 'cellCode' | 'assigneeId'>): boolean {
  return cellInScope(scope, task.cellCode) || (scope.self !== undefined && task.assigneeId === scope.self.id);
}

export async function tasksByIds(deps: GridDeps, viewer: Viewer, ids: readonly number[]): Promise<(GridTask | undefined)[]> {
  if (ids.length === 0) return [];
  const scope = await scopeOf(deps, viewer);
  const rows = await deps.db.orm
    .select()
    .from(gridTasks)
    .where(and(inArray(gridTasks.id, [...new Set(ids)]), taskCondition(scope)));
  const byId = new Map(rows.map((row) => [row.id, toTask(row)]));
  return ids.map((id) => byId.get(id));
}

/** What `listTasks` filters on, without its page: undefined when the viewer sees nothing. */
async function listTasksConditions(deps: GridDeps, viewer: Viewer, filter: TaskFilter): Promise<(SQL | undefined)[] | undefined> {
  const scope = await scopeOf(deps, viewer);
  if ((filter.status?.length ?? 0) > MAX_STATUS_FILTER || (filter.type?.length ?? 0) > TASK_TYPES.length) {
    throw new ValidationError([{ path: 'filter', message: 'too many values' }]);
  }
  const conditions: (SQL | undefined)[] = [taskCondition(scope)];
  if (filter.status?.length) conditions.push(inArray(gridTasks.status, filter.status));
  if (filter.type?.length) conditions.push(inArray(gridTasks.type, filter.type));
  if (filter.cellCode) conditions.push(sql`${gridTasks.cellCode} LIKE ${`${escapeLike(filter.cellCode)}%`}`);
  if (filter.assigneeId !== undefined) conditions.push(eq(gridTasks.assigneeId, filter.assigneeId));
  if (filter.mine) conditions.push(scope.self ? eq(gridTasks.assigneeId, scope.self.id) : sql`false`);
  if (filter.dispatchedFrom) conditions.push(gte(gridTasks.dispatchedAt, filter.dispatchedFrom));
  if (filter.dispatchedTo) conditions.push(lte(gridTasks.dispatchedAt, filter.dispatchedTo));
  return conditions;
}

/** Newest first; keyset on id. */
export async function listTasks(
  deps: GridDeps,
  viewer: Viewer,
  filter: TaskFilter,
  page: { limit: number; beforeId: number | undefined },
): Promise<GridTask[]> {
  const conditions = await listTasksConditions(deps, viewer, filter);
  if (!conditions) return [];
  if (page.beforeId !== undefined) conditions.push(lt(gridTasks.id, page.beforeId));
  const rows = await deps.db.orm
    .select()
    .from(gridTasks)
    .where(and(...conditions))
    .orderBy(desc(gridTasks.id))
    .limit(page.limit);
  return rows.map(toTask);
}

/** How many rows `listTasks` would page through, every page together (one statement). */
export async function countTasks(deps: GridDeps, viewer: Viewer, filter: TaskFilter): Promise<number> {
  const conditions = await listTasksConditions(deps, viewer, filter);
  return conditions ? deps.db.orm.$count(gridTasks, and(...conditions)) : 0;
}

/** Each task's transitions, oldest first, at most MAX_HISTORY each. The caller has checked the tasks are visible. */
export async function historyOf(deps: GridDeps, taskIds: readonly number[]): Promise<GridTaskTransition[][]> {
  if (taskIds.length === 0) return [];
  const rows = await rowsOf<{
    id: number;
    taskId: number;
    action: string;
    fromStatus: string | null;
    toStatus: string;
    actor: string;
    actorName: string | null;
    note: string | null;
    at: Date | string;
  }>(
    deps.db.orm,
    sql`SELECT id, "taskId", action, "fromStatus", "toStatus", actor, "actorName", note, at FROM (
          SELECT id, task_id AS "taskId", action, from_status AS "fromStatus", to_status AS "toStatus", actor,
                 actor_name AS "actorName", note, at, row_number() OVER (PARTITION BY task_id ORDER BY id) AS position
            FROM grid_task_history
           WHERE task_id IN (SELECT (jsonb_array_elements_text(${json([...new Set(taskIds)])}))::int)
        ) ranked WHERE position <= ${MAX_HISTORY} ORDER BY id`,
  );
  const byTask = new Map<number, GridTaskTransition[]>();
  for (const raw of rows) {
    const entry = toTransition({ ...raw, id: Number(raw.id), taskId: Number(raw.taskId), at: new Date(raw.at) });
    const list = byTask.get(entry.taskId);
    if (list) list.push(entry);
    else byTask.set(entry.taskId, [entry]);
  }
  return taskIds.map((id) => byTask.get(id) ?? []);
}

function checkDispatch(input: DispatchInput, now: Date): void {
  const problems = new Problems();
  if (!TASK_TYPES.includes(input.type)) problems.add('type', 'unknown task type');
  problems.text('title', input.title, 1, 200).text('description', input.description, 0, 2000);
  if (Number.isNaN(input.deadline.getTime()) || input.deadline <= now) problems.add('deadline', 'must be in the future');
  else if (input.deadline.getTime() - now.getTime() > MAX_DEADLINE_DAYS * 86_400_000) problems.add('deadline', `at most ${MAX_DEADLINE_DAYS} days ahead`);
  const target = input.target;
  if (!TARGET_KINDS.includes(target.kind)) problems.add('target.kind', 'unknown target kind');
  problems.text('target.description', target.description, 0, 500);
  if (target.kind === 'SOURCE' && !(target.uscc && USCC.test(target.uscc)))
    problems.add('target.uscc', 'a source target needs its 18-character unified social credit code');
  if (
    target.kind === 'MONITOR' &&
    !((target.monitorId != null && Number.isSafeInteger(target.monitorId)) || (target.mn && /^[A-Za-z0-9]{1,24}$/.test(target.mn)))
  ) {
    problems.add('target.monitorId', 'a monitor target needs the monitor or its MN');
  }
  const hasPoint = target.longitude != null || target.latitude != null;
  if (hasPoint && !(target.longitude != null && target.latitude != null && validPoint(target.longitude, target.latitude))) {
    problems.add('target.longitude', 'give both longitude and latitude, in range');
  }
  if (target.kind === 'PLACE' && !hasPoint && !optionalText(target.description)) problems.add('target', 'a place needs a position or a description');
  problems.done();
}

/** Whether the assistant answers for the task's cell: an assignment to it, above it or under it. */
export async function answersFor(deps: GridDeps, assigneeId: number, cellCode: string): Promise<boolean> {
  const now = deps.now().toISOString();
  const rows = await rowsOf<{ found: number }>(
    deps.db.orm,
    sql`SELECT 1 AS found FROM grid_assignments
         WHERE staff_id = ${assigneeId} AND valid_from <= ${now}::timestamptz AND (valid_to IS NULL OR valid_to > ${now}::timestamptz)
           AND (${cellCode} LIKE cell_code || '%' OR cell_code LIKE ${`${cellCode}%`}) LIMIT 1`,
  );
  return rows.length > 0;
}

/** An officer dispatches a task to an assistant answering for its cell. */
export async function dispatchTask(deps: GridDeps, viewer: Viewer, input: DispatchInput): Promise<GridTask> {
  const scope = await scopeOf(deps, viewer);
  if (!scope.officer) throw new ForbiddenError('only officers dispatch tasks');
  const now = deps.now();
  checkDispatch(input, now);
  const target = input.target;
  let cellCode = optionalText(input.cellCode);
  let monitorCell: string | null = null;
  let monitorUscc: string | null = null;
  let monitorId: number | null = target.monitorId ?? null;
  if (target.monitorId != null || target.mn) {
    const monitoring = deps.services.get(monitoringServiceRef);
    const [monitor] =
      target.monitorId != null ? await monitoring.monitorsByIds(viewer, [target.monitorId]) : await monitoring.monitorsByMns(viewer, [target.mn as string]);
    if (!monitor) throw new NotFoundError('Monitor', String(target.monitorId ?? target.mn));
    monitorCell = monitor.cellCode;
    monitorUscc = monitor.enterpriseUscc;
    monitorId = monitor.id;
  }
  if (!cellCode) cellCode = monitorCell;
  // an enterprise's task goes to the cell its file names: the dispatcher need not look it up
  const enterprise = target.uscc ?? monitorUscc;
  if (!cellCode && enterprise && deps.enterpriseCells.locate) cellCode = await deps.enterpriseCells.locate(enterprise);
  if (!cellCode && target.longitude != null && target.latitude != null) cellCode = (await locateCell(deps, target.longitude, target.latitude))?.code ?? null;
  if (!cellCode) throw new ValidationError([{ path: 'cellCode', message: 'give the cell, or a target the grid can place in one' }]);
  const [cell] = await cellsByCodes(deps, [cellCode]);
  if (!cell) throw new NotFoundError('GridCell', cellCode);
  if (!cellInScope(scope, cell.code)) throw new ForbiddenError('this cell is outside your grid');
  let assigneeId = input.assigneeId ?? null;
  if (assigneeId !== null) {
    const [assignee] = await staffByIds(deps, [assigneeId]);
    if (!assignee) throw new NotFoundError('GridStaff', String(assigneeId));
    if (assignee.role !== 'ASSISTANT' || !assignee.active) throw new ValidationError([{ path: 'assignee', message: 'tasks go to active assistants' }]);
    if (!(await answersFor(deps, assigneeId, cell.code)))
      throw new ValidationError([{ path: 'assignee', message: 'this assistant does not answer for the cell' }]);
  } else {
    assigneeId = (await activeAssistantsOf(deps, [cell.code]))[0]?.[0]?.id ?? null;
  }
  const actor = actorOf(viewer, scope);
  return deps.bus.transaction(async (tx, emit) => {
    const [row] = await tx
      .insert(gridTasks)
      .values({
        type: input.type,
        title: input.title.trim(),
        description: optionalText(input.description),
        targetKind: target.kind,
        targetUscc: target.uscc ?? null,
        targetMonitorId: monitorId,
        targetLongitude: target.longitude ?? null,
        targetLatitude: target.latitude ?? null,
        targetDescription: optionalText(target.description),
        cellCode: cell.code,
        assigneeId,
        status: 'DISPATCHED',
        deadline: input.deadline,
        dispatchedBy: actor.subject,
        dispatchedAt: now,
        updatedAt: now,
      })
      .returning();
    return recordTaskChange(tx, emit, { row: row as typeof gridTasks.$inferSelect, action: 'DISPATCH', from: null, actor, note: null, at: now });
  });
}
