import { and, eq } from 'drizzle-orm';
import type { Viewer } from '../../../src/auth/viewer';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../../src/errors';
import { gridTasks } from '../tables';
import type { GridDeps } from './deps';
import { staffByIds } from './staff';
import { cellInScope, scopeOf } from './scope';
import { recordTaskChange } from './task-records';
import { actorOf, answersFor, tasksByIds } from './tasks';
import { ACTION_ACTOR, nextStatus, type TaskAction } from './transitions';
import type { GridTask } from './types';
import { Problems, optionalText } from './validate';

const STAMP: Readonly<Record<TaskAction, keyof typeof gridTasks.$inferInsert | undefined>> = {
  ACCEPT: 'acceptedAt',
  START: 'startedAt',
  SUBMIT: 'submittedAt',
  VERIFY: 'verifiedAt',
  RETURN: undefined,
};

/**
 * Moves a task on by one action. The assignee accepts, starts and submits; an officer over the
 * task's cell verifies or returns it. An action the task's state does not allow is a conflict.
 */
export async function transitionTask(deps: GridDeps, viewer: Viewer, id: number, action: TaskAction, note: string | null | undefined): Promise<GridTask> {
  const scope = await scopeOf(deps, viewer);
  const problems = new Problems().text('note', note, 0, 2000);
  if (action === 'RETURN' && !optionalText(note)) problems.add('note', 'say why the task goes back');
  problems.done();
  const [task] = await tasksByIds(deps, viewer, [id]);
  if (!task) throw new NotFoundError('GridTask', String(id));
  if (ACTION_ACTOR[action] === 'assignee' && !(scope.self && task.assigneeId === scope.self.id))
    throw new ForbiddenError('only the task’s assignee may do this');
  if (ACTION_ACTOR[action] === 'officer' && !(scope.officer && cellInScope(scope, task.cellCode)))
    throw new ForbiddenError('only an officer over the task’s cell may do this');
  const next = nextStatus(task, action);
  if (!next) throw new ConflictError(`a ${task.status} task cannot take ${action}`);
  const now = deps.now();
  const actor = actorOf(viewer, scope);
  const values: Partial<typeof gridTasks.$inferInsert> = { status: next, statusBeforeOverdue: null, updatedAt: now };
  const stamp = STAMP[action];
  // the first start counts for the assessment; a restart after a return keeps it
  if (stamp && !(action === 'START' && task.startedAt)) Object.assign(values, { [stamp]: now });
  return deps.bus.transaction(async (tx, emit) => {
    const [row] = await tx
      .update(gridTasks)
      .set(values)
      .where(and(eq(gridTasks.id, id), eq(gridTasks.status, task.status)))
      .returning();
    if (!row) throw new ConflictError('the task changed meanwhile; reload it');
    return recordTaskChange(tx, emit, { row, action, from: task.status, actor, note: optionalText(note), at: now });
  });
}

/** An officer hands an open task to another assistant, who starts again from accepting it. */
export async function reassignTask(deps: GridDeps, viewer: Viewer, id: number, assigneeId: number, note: string | null | undefined): Promise<GridTask> {
  const scope = await scopeOf(deps, viewer);
  new Problems().text('note', note, 0, 2000).done();
  const [task] = await tasksByIds(deps, viewer, [id]);
  if (!task) throw new NotFoundError('GridTask', String(id));
  if (!(scope.officer && cellInScope(scope, task.cellCode))) throw new ForbiddenError('only an officer over the task’s cell may do this');
  if (task.status === 'VERIFIED' || task.status === 'SUBMITTED') throw new ConflictError(`a ${task.status} task cannot be reassigned`);
  const [assignee] = await staffByIds(deps, [assigneeId]);
  if (!assignee) throw new NotFoundError('GridStaff', String(assigneeId));
  if (assignee.role !== 'ASSISTANT' || !assignee.active) throw new ValidationError([{ path: 'assignee', message: 'tasks go to active assistants' }]);
  if (!(await answersFor(deps, assigneeId, task.cellCode)))
    throw new ValidationError([{ path: 'assignee', message: 'this assistant does not answer for the cell' }]);
  const now = deps.now();
  const actor = actorOf(viewer, scope);
  return deps.bus.transaction(async (tx, emit) => {
    const [row] = await tx
      .update(gridTasks)
      .set({ assigneeId, status: 'DISPATCHED', statusBeforeOverdue: null, acceptedAt: null, startedAt: null, updatedAt: now })
      .where(and(eq(gridTasks.id, id), eq(gridTasks.status, task.status)))
      .returning();
    if (!row) throw new ConflictError('the task changed meanwhile; reload it');
    return recordTaskChange(tx, emit, { row, action: 'REASSIGN', from: task.status, actor, note: optionalText(note), at: now });
  });
}
