/**
 * The task life cycle as data:
 *
 *   DISPATCHED -accept-> ACCEPTED -start-> IN_PROGRESS -submit-> SUBMITTED -verify-> VERIFIED (closed)
 *                                               ^                    |
 *                                               +--start-- RETURNED <-return-+
 *
 * OVERDUE is set by the deadline timer on a task still with the assistant (dispatched, accepted,
 * in progress or returned). It marks lateness rather than a stage of the work, so the task goes on
 * from the stage it was in when it became overdue.
 */

export const TASK_STATUSES = ['DISPATCHED', 'ACCEPTED', 'IN_PROGRESS', 'SUBMITTED', 'VERIFIED', 'RETURNED', 'OVERDUE'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

/** What a person does to a task. */
export const TASK_ACTIONS = ['ACCEPT', 'START', 'SUBMIT', 'VERIFY', 'RETURN'] as const;
export type TaskAction = (typeof TASK_ACTIONS)[number];

/** Everything recorded in a task's history: the people's actions and the hub's own. */
export type TaskHistoryAction = TaskAction | 'DISPATCH' | 'REASSIGN' | 'MARK_OVERDUE';

/** Who may take an action: the task's assignee, or an officer over its cell. */
export const ACTION_ACTOR: Readonly<Record<TaskAction, 'assignee' | 'officer'>> = {
  ACCEPT: 'assignee',
  START: 'assignee',
  SUBMIT: 'assignee',
  VERIFY: 'officer',
  RETURN: 'officer',
};

const MOVES: Readonly<Record<TaskAction, Partial<Record<TaskStatus, TaskStatus>>>> = {
  ACCEPT: { DISPATCHED: 'ACCEPTED' },
  START: { ACCEPTED: 'IN_PROGRESS', RETURNED: 'IN_PROGRESS' },
  SUBMIT: { IN_PROGRESS: 'SUBMITTED' },
  VERIFY: { SUBMITTED: 'VERIFIED' },
  RETURN: { SUBMITTED: 'RETURNED' },
};

/** Stages the deadline timer may mark OVERDUE: the work is still with the assistant. */
export const OVERDUE_ELIGIBLE: readonly TaskStatus[] = ['DISPATCHED', 'ACCEPTED', 'IN_PROGRESS', 'RETURNED'];

export interface TaskState {
  status: TaskStatus;
  /** set while OVERDUE: the stage the task was in */
  statusBeforeOverdue: TaskStatus | null;
}

/** The stage a task's next action is judged from. */
export function effectiveStatus(task: TaskState): TaskStatus {
  return task.status === 'OVERDUE' ? (task.statusBeforeOverdue ?? 'DISPATCHED') : task.status;
}

/** The status after `action`, or undefined when the action is not possible now. */
export function nextStatus(task: TaskState, action: TaskAction): TaskStatus | undefined {
  return MOVES[action][effectiveStatus(task)];
}

/** Closed tasks take no more actions. */
export function isClosed(status: TaskStatus): boolean {
  return status === 'VERIFIED';
}

/** The actions possible from a task's state: what a client may offer as buttons. */
export function availableActions(task: TaskState): TaskAction[] {
  return TASK_ACTIONS.filter((action) => nextStatus(task, action) !== undefined);
}
