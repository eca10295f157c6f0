import { and, desc, eq, inArray, isNull, lt, lte, ne, or, sql, type SQL } from 'drizzle-orm';
import type { Viewer } from '../../../src/auth/viewer';
import { json, rowsOf, type Executor } from '../../../src/db';
import type { Emit } from '../../../src/events/bus';
import { ConflictError, ForbiddenError, NotFoundError } from '../../../src/errors';
import { supervisionAssigned, supervisionEscalated, supervisionReported, workflowStepOverdue, type SupervisionEventPayload } from '../events';
import { oaSupervisedTasks, oaSupervisionReports, oaWorkflowInstances } from '../tables';
import { actorOf, type Actor } from './access';
import type { OaDeps } from './deps';
import { toInstance, toReport, toSupervisedTask } from './rows';
import { DISTRICT_BUREAU, SUPERVISION_STATUSES, type OaSupervisedTask, type OaSupervisionReport, type Page, type SupervisionStatus } from './types';
import { ORGANISATION, Problems, decodeGlobalId, optionalText } from './validate';

/** An overdue task is raised again each day it stays late. */
export const ESCALATE_AGAIN_MS = 24 * 3_600_000;
export const MAX_REPORTS_SHOWN = 100;
const MAX_DEADLINE_MS = 366 * 24 * 3_600_000;

export interface SupervisedTaskInput {
  title: string;
  description?: string | null;
  ownerOrganisation: string;
  deadline: Date;
  subjectGlobalId?: string | null;
}

export interface SupervisionFilter {
  status?: SupervisionStatus[] | undefined;
  ownerOrganisation?: string | undefined;
  overdueOnly?: boolean | undefined;
}

const supervises = (actor: Actor): boolean => actor.admin || actor.roles.includes('district');

/** District officers see every task; others those of their organisation, and any they supervise. */
export function taskCondition(actor: Actor): SQL | undefined {
  if (supervises(actor)) return undefined;
  const own = actor.organisation ? eq(oaSupervisedTasks.ownerOrganisation, actor.organisation) : sql`false`;
  return or(own, eq(oaSupervisedTasks.supervisor, actor.subject));
}

function payloadOf(task: OaSupervisedTask, at: Date): SupervisionEventPayload {
  return {
    taskId: task.id,
    title: task.title,
    ownerOrganisation: task.ownerOrganisation,
    status: task.status,
    deadline: task.deadline.toISOString(),
    escalationLevel: task.escalationLevel,
    audience: { subjects: [task.supervisor], organisations: [task.ownerOrganisation], roles: [] },
    at: at.toISOString(),
  };
}

export async function createSupervisedTask(deps: OaDeps, viewer: Viewer, input: SupervisedTaskInput): Promise<OaSupervisedTask> {
  const actor = await actorOf(deps, viewer);
  if (!supervises(actor)) throw new ForbiddenError('district officers put tasks under supervision');
  const now = deps.now();
  const problems = new Problems().text('input.title', input.title, 1, 200).text('input.description', input.description, 0, 5000);
  if (!ORGANISATION.test(input.ownerOrganisation)) problems.add('input.ownerOrganisation', '`bureau` or a town office’s cell code');
  if (Number.isNaN(input.deadline.getTime()) || input.deadline <= now) problems.add('input.deadline', 'must be in the future');
  else if (input.deadline.getTime() - now.getTime() > MAX_DEADLINE_MS) problems.add('input.deadline', 'at most a year ahead');
  if (input.subjectGlobalId != null && !decodeGlobalId(input.subjectGlobalId)) problems.add('input.subject', 'not a global id');
  problems.done();
  return deps.bus.transaction(async (tx, emit) => {
    const [row] = await tx
      .insert(oaSupervisedTasks)
      .values({
        title: input.title.trim(),
        description: optionalText(input.description),
        ownerOrganisation: input.ownerOrganisation,
        supervisor: actor.subject,
        subjectGlobalId: input.subjectGlobalId ?? null,
        deadline: input.deadline,
        status: 'OPEN',
        createdAt: now,
      })
      .returning();
    const task = toSupervisedTask(row as typeof oaSupervisedTasks.$inferSelect);
    emit(supervisionAssigned, payloadOf(task, now));
    return task;
  });
}

export async function tasksByIds(deps: OaDeps, viewer: Viewer, ids: readonly number[]): Promise<(OaSupervisedTask | undefined)[]> {
  if (ids.length === 0) return [];
  const actor = await actorOf(deps, viewer);
  const rows = await deps.db.orm
    .select()
    .from(oaSupervisedTasks)
    .where(and(inArray(oaSupervisedTasks.id, [...new Set(ids)]), taskCondition(actor)));
  const byId = new Map(rows.map((row) => [row.id, toSupervisedTask(row)]));
  return ids.map((id) => byId.get(id));
}

/** What `listSupervisedTasks` filters on, without its page: undefined when the viewer sees nothing. */
async function listSupervisedTasksConditions(deps: OaDeps, viewer: Viewer, filter: SupervisionFilter): Promise<(SQL | undefined)[] | undefined> {
  const actor = await actorOf(deps, viewer);
  const conditions: (SQL | undefined)[] = [taskCondition(actor)];
  if (filter.status?.length)
    conditions.push(
      inArray(
        oaSupervisedTasks.status,
        filter.status.filter((s) => SUPERVISION_STATUSES.includes(s)),
      ),
    );
  if (filter.ownerOrganisation) conditions.push(eq(oaSupervisedTasks.ownerOrganisation, filter.ownerOrganisation));
  if (filter.overdueOnly) conditions.push(ne(oaSupervisedTasks.status, 'COMPLETED'), lt(oaSupervisedTasks.deadline, deps.now()));
  return conditions;
}

export async function listSupervisedTasks(deps: OaDeps, viewer: Viewer, filter: SupervisionFilter, page: Page): Promise<OaSupervisedTask[]> {
  const conditions = await listSupervisedTasksConditions(deps, viewer, filter);
  if (!conditions) return [];
  if (page.beforeId !== undefined) conditions.push(lt(oaSupervisedTasks.id, page.beforeId));
  const rows = await deps.db.orm
    .select()
    .from(oaSupervisedTasks)
    .where(and(...conditions))
    .orderBy(desc(oaSupervisedTasks.id))
    .limit(page.limit);
  return rows.map(toSupervisedTask);
}

/** How many rows `listSupervisedTasks` would page through, every page together (one statement). */
export async function countSupervisedTasks(deps: OaDeps, viewer: Viewer, filter: SupervisionFilter): Promise<number> {
  const conditions = await listSupervisedTasksConditions(deps, viewer, filter);
  return conditions ? deps.db.orm.$count(oaSupervisedTasks, and(...conditions)) : 0;
}

/** Changes a task that is not completed yet (checked in the same statement) and announces it. */
async function updateOpenTask(
  tx: Executor,
  emit: Emit,
  id: number,
  change: Partial<typeof oaSupervisedTasks.$inferInsert>,
  now: Date,
): Promise<OaSupervisedTask> {
  const [row] = await tx
    .update(oaSupervisedTasks)
    .set(change)
    .where(and(eq(oaSupervisedTasks.id, id), ne(oaSupervisedTasks.status, 'COMPLETED')))
    .returning();
  if (!row) throw new ConflictError('the task is completed');
  const updated = toSupervisedTask(row);
  emit(supervisionReported, payloadOf(updated, now));
  return updated;
}

async function visibleTask(deps: OaDeps, viewer: Viewer, id: number): Promise<OaSupervisedTask> {
  const [task] = await tasksByIds(deps, viewer, [id]);
  if (!task) throw new NotFoundError('OaSupervisedTask', String(id));
  if (task.status === 'COMPLETED') throw new ConflictError('the task is completed');
  return task;
}

/** The owner organisation reports progress (a percentage and what was done). */
export async function reportProgress(deps: OaDeps, viewer: Viewer, id: number, input: { progress: number; note: string }): Promise<OaSupervisedTask> {
  const actor = await actorOf(deps, viewer);
  const problems = new Problems().text('input.note', input.note, 1, 2000);
  if (!Number.isInteger(input.progress) || input.progress < 0 || input.progress > 100) problems.add('input.progress', 'a percentage, 0-100');
  problems.done();
  const task = await visibleTask(deps, viewer, id);
  if (!actor.admin && actor.organisation !== task.ownerOrganisation) throw new ForbiddenError('only the owner organisation reports progress');
  const now = deps.now();
  return deps.bus.transaction(async (tx, emit) => {
    await tx
      .insert(oaSupervisionReports)
      .values({ taskId: id, reporter: actor.subject, reporterName: actor.name, progress: input.progress, note: input.note.trim(), at: now });
    return updateOpenTask(tx, emit, id, { progress: input.progress, status: 'IN_PROGRESS' }, now);
  });
}

/** The supervisor (or a district officer) accepts the work and closes the task. */
export async function completeSupervisedTask(deps: OaDeps, viewer: Viewer, id: number): Promise<OaSupervisedTask> {
  const actor = await actorOf(deps, viewer);
  const task = await visibleTask(deps, viewer, id);
  if (!supervises(actor) && task.supervisor !== actor.subject) throw new ForbiddenError('the supervisor closes a supervised task');
  const now = deps.now();
  return deps.bus.transaction((tx, emit) => updateOpenTask(tx, emit, id, { status: 'COMPLETED', completedAt: now }, now));
}

export async function reportsOf(deps: OaDeps, taskIds: readonly number[]): Promise<OaSupervisionReport[][]> {
  if (taskIds.length === 0) return [];
  const ranked = await rowsOf<{ id: number }>(
    deps.db.orm,
    sql`SELECT id FROM (SELECT id, row_number() OVER (PARTITION BY task_id ORDER BY id DESC) AS position FROM oa_supervision_reports
         WHERE task_id IN (SELECT (jsonb_array_elements_text(${json([...new Set(taskIds)])}))::int)) ranked WHERE position <= ${MAX_REPORTS_SHOWN}`,
  );
  const ids = ranked.map((r) => Number(r.id));
  const rows =
    ids.length === 0
      ? []
      : await deps.db.orm.select().from(oaSupervisionReports).where(inArray(oaSupervisionReports.id, ids)).orderBy(desc(oaSupervisionReports.id));
  const byTask = new Map<number, OaSupervisionReport[]>();
  for (const row of rows) byTask.set(row.taskId, [...(byTask.get(row.taskId) ?? []), toReport(row)]);
  return taskIds.map((id) => byTask.get(id) ?? []);
}

/**
 * Raises what is late at `now`: supervised tasks past their deadline (again each further day)
 * and approval steps past their time limit (once per step). The module runs it on a timer.
 */
export async function escalateOverdue(deps: OaDeps, now: Date): Promise<{ tasks: number; steps: number }> {
  return deps.bus.transaction(async (tx, emit) => {
    const again = new Date(now.getTime() - ESCALATE_AGAIN_MS);
    const tasks = await tx
      .update(oaSupervisedTasks)
      .set({ escalationLevel: sql`${oaSupervisedTasks.escalationLevel} + 1`, escalatedAt: now })
      .where(
        and(
          ne(oaSupervisedTasks.status, 'COMPLETED'),
          lt(oaSupervisedTasks.deadline, now),
          or(isNull(oaSupervisedTasks.escalatedAt), lte(oaSupervisedTasks.escalatedAt, again)),
        ),
      )
      .returning();
    for (const row of tasks.sort((a, b) => a.id - b.id)) {
      const task = toSupervisedTask(row);
      const payload = payloadOf(task, now);
      emit(supervisionEscalated, { ...payload, audience: { ...payload.audience, organisations: [...new Set([task.ownerOrganisation, DISTRICT_BUREAU])] } });
    }
    const steps = await tx
      .update(oaWorkflowInstances)
      .set({ stepOverdueAt: now })
      .where(and(eq(oaWorkflowInstances.status, 'RUNNING'), lt(oaWorkflowInstances.stepDeadline, now), isNull(oaWorkflowInstances.stepOverdueAt)))
      .returning();
    for (const row of steps.sort((a, b) => a.id - b.id)) {
      const instance = toInstance(row);
      emit(workflowStepOverdue, {
        instanceId: instance.id,
        title: instance.title,
        action: 'OVERDUE',
        actor: 'system',
        status: instance.status,
        currentStep: instance.currentStep,
        pendingSubjects: instance.pendingSubjects,
        audience: { subjects: [...instance.pendingSubjects, instance.startedBy], organisations: [], roles: [] },
        at: now.toISOString(),
      });
    }
    return { tasks: tasks.length, steps: steps.length };
  });
}
