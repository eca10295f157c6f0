import { defineEvent } from '../../src/events/topics';
import type { TaskStatus } from './service/transitions';
import type { TaskType } from './service/types';

/** What every task event carries: enough to route, scope and show it without a query. */
export interface TaskEventPayload {
  taskId: number;
  type: TaskType;
  title: string;
  status: TaskStatus;
  previousStatus: TaskStatus | null;
  cellCode: string;
  assigneeId: number | null;
  /** the assignee's token subject, so a subscription can pick the viewer's own tasks */
  assigneeSubject: string | null;
  deadline: string;
  exceedanceId: number | null;
  /** token subject of who did it; `system` for the hub itself */
  actor: string;
  at: string;
}

/** Dispatched to an assistant, or handed to another one. */
export const taskAssigned = defineEvent<TaskEventPayload>('grid.task.assigned');
export const taskAccepted = defineEvent<TaskEventPayload>('grid.task.accepted');
export const taskStarted = defineEvent<TaskEventPayload>('grid.task.started');
export const taskSubmitted = defineEvent<TaskEventPayload>('grid.task.submitted');
export const taskVerified = defineEvent<TaskEventPayload>('grid.task.verified');
export const taskReturned = defineEvent<TaskEventPayload>('grid.task.returned');
/** The deadline passed with the work still with the assistant. */
export const taskOverdue = defineEvent<TaskEventPayload>('grid.task.overdue');

export const TASK_TOPICS = [taskAssigned, taskAccepted, taskStarted, taskSubmitted, taskVerified, taskReturned, taskOverdue] as const;
