import { defineEvent } from '../../src/events/topics';
import type { InstanceStatus, WorkflowAction } from './service/types';

/** Whose inbox an event changes: people by subject, organisations, or everyone with a role. */
export interface InboxAudience {
  subjects: string[];
  organisations: string[];
  roles: string[];
}

export interface WorkflowEventPayload {
  instanceId: number;
  title: string;
  action: WorkflowAction | 'START' | 'OVERDUE';
  actor: string;
  status: InstanceStatus;
  currentStep: string | null;
  /** who may act now */
  pendingSubjects: string[];
  /** whose inbox changed: who could act before and who can now */
  audience: InboxAudience;
  at: string;
}

export interface NoticeEventPayload {
  noticeId: number;
  title: string;
  publisher: string;
  audience: InboxAudience;
  at: string;
}

export interface SupervisionEventPayload {
  taskId: number;
  title: string;
  ownerOrganisation: string;
  status: string;
  deadline: string;
  escalationLevel: number;
  audience: InboxAudience;
  at: string;
}

export const workflowStarted = defineEvent<WorkflowEventPayload>('oa.workflow.started');
/** any action on a running instance, including the one that closes it */
export const workflowActed = defineEvent<WorkflowEventPayload>('oa.workflow.acted');
/** a step's time limit passed with the step still waiting */
export const workflowStepOverdue = defineEvent<WorkflowEventPayload>('oa.workflow.stepOverdue');
export const noticePublished = defineEvent<NoticeEventPayload>('oa.notice.published');
export const noticeRead = defineEvent<NoticeEventPayload>('oa.notice.read');
export const supervisionAssigned = defineEvent<SupervisionEventPayload>('oa.supervision.assigned');
export const supervisionReported = defineEvent<SupervisionEventPayload>('oa.supervision.reported');
/** the task is past its deadline and not completed: raised once, then again each further day late */
export const supervisionEscalated = defineEvent<SupervisionEventPayload>('oa.supervision.escalated');

export const OA_TOPICS = [
  workflowStarted,
  workflowActed,
  workflowStepOverdue,
  noticePublished,
  noticeRead,
  supervisionAssigned,
  supervisionReported,
  supervisionEscalated,
] as const;
