import { eq } from 'drizzle-orm';
import type { Executor } from '../../../src/db';
import type { Emit } from '../../../src/events/bus';
import type { EventTopic } from '../../../src/events/topics';
import { gridStaff, gridTaskHistory, type gridTasks } from '../tables';
import { taskAccepted, taskAssigned, taskOverdue, taskReturned, taskStarted, taskSubmitted, taskVerified, type TaskEventPayload } from '../events';
import { toTask } from './rows';
import type { TaskHistoryAction, TaskStatus } from './transitions';
import type { GridTask } from './types';

/** The event each recorded action publishes. */
export const ACTION_TOPIC: Readonly<Record<TaskHistoryAction, EventTopic<TaskEventPayload>>> = {
  DISPATCH: taskAssigned,
  REASSIGN: taskAssigned,
  ACCEPT: taskAccepted,
  START: taskStarted,
  SUBMIT: taskSubmitted,
  VERIFY: taskVerified,
  RETURN: taskReturned,
  MARK_OVERDUE: taskOverdue,
};

export interface Actor {
  subject: string;
  name: string | null;
}

export const SYSTEM_ACTOR: Actor = { subject: 'system', name: null };

/**
 * Writes one history row for a task that has just changed (in the same transaction) and emits its
 * event, which the bus delivers only once that transaction commits.
 */
export async function recordTaskChange(
  tx: Executor,
  emit: Emit,
  change: { row: typeof gridTasks.$inferSelect; action: TaskHistoryAction; from: TaskStatus | null; actor: Actor; note: string | null; at: Date },
): Promise<GridTask> {
  const task = toTask(change.row);
  await tx.insert(gridTaskHistory).values({
    taskId: task.id,
    action: change.action,
    fromStatus: change.from,
    toStatus: task.status,
    actor: change.actor.subject,
    actorName: change.actor.name,
    note: change.note,
    at: change.at,
  });
  if (change.action === 'DISPATCH' && task.assigneeId === null) return task;
  let assigneeSubject: string | null = null;
  if (task.assigneeId !== null) {
    const [assignee] = await tx.select({ subject: gridStaff.subject }).from(gridStaff).where(eq(gridStaff.id, task.assigneeId));
    assigneeSubject = assignee?.subject ?? null;
  }
  emit(ACTION_TOPIC[change.action], {
    taskId: task.id,
    type: task.type,
    title: task.title,
    status: task.status,
    previousStatus: change.from,
    cellCode: task.cellCode,
    assigneeId: task.assigneeId,
    assigneeSubject,
    deadline: task.deadline.toISOString(),
    exceedanceId: task.exceedanceId,
    actor: change.actor.subject,
    at: change.at.toISOString(),
  });
  return task;
}
