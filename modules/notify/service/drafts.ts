import type { HubEvent } from '../../../src/events/topics';
import { taskAssigned, taskOverdue, taskReturned, type TaskEventPayload } from '../../grid/public';
import { orderIssued, type OrderIssuedPayload } from '../../emergency/public';
import { workflowActed, workflowStarted, type WorkflowEventPayload } from '../../oa/public';
import type { NotificationDraft } from './notify-service';

/** A deadline as the assistant reads it: Beijing time. */
const beijing = (iso: string): string =>
  new Date(iso).toLocaleString('zh-CN', {
    timeZone: 'Asia/Shanghai',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  });

/** The topics the outbox is fed from. */
export const NOTIFY_TOPICS = [taskAssigned, taskReturned, taskOverdue, workflowStarted, workflowActed, orderIssued] as const;

/**
 * Actions after which a step waits on someone new. A comment leaves the step where it was (its
 * people were told already); a rejection or the last approval ends the instance.
 */
const MOVES_THE_STEP = new Set<WorkflowEventPayload['action']>(['START', 'APPROVE', 'RETURN', 'FORWARD']);

/** Everyone a running workflow now waits on, except whoever just acted. */
function approvalDrafts(flow: WorkflowEventPayload): NotificationDraft[] {
  if (flow.status !== 'RUNNING' || !MOVES_THE_STEP.has(flow.action)) return [];
  return [...new Set(flow.pendingSubjects)]
    .filter((recipient) => recipient !== flow.actor)
    .map((recipient) => ({
      recipient,
      kind: 'OA_APPROVAL_PENDING' as const,
      title: `待审批：${flow.title}`,
      body: '流程已到您的审批环节，请在办公待办中处理。',
      subject: { type: 'OaWorkflowInstance', id: flow.instanceId },
    }));
}

/** The people a dispatch order names, except the commander who issued it. */
function dispatchDrafts(order: OrderIssuedPayload): NotificationDraft[] {
  const what = `${order.resourceName} ${order.quantity}${order.unit ?? ''}`;
  return order.recipients
    .filter((recipient) => recipient !== order.actor)
    .map((recipient) => ({
      recipient,
      kind: 'INCIDENT_DISPATCHED' as const,
      title: `应急调派：${order.incidentTitle}`,
      body: order.instructions ? `调派 ${what}：${order.instructions}` : `调派 ${what}，请立即出发并接令。`,
      subject: { type: 'EmergencyIncident', id: order.incidentId },
    }));
}

/** Who is told what about one event; none for an event without a person to tell. */
export function draftsOf(event: HubEvent): NotificationDraft[] {
  if (event.topic === orderIssued.name) return dispatchDrafts(event.payload as OrderIssuedPayload);
  if (event.topic === workflowStarted.name || event.topic === workflowActed.name) return approvalDrafts(event.payload as WorkflowEventPayload);
  const task = event.payload as TaskEventPayload;
  if (!task.assigneeSubject) return [];
  const subject = { type: 'GridTask', id: task.taskId };
  const base = { recipient: task.assigneeSubject, subject };
  if (event.topic === taskAssigned.name) {
    return [
      { ...base, kind: 'TASK_ASSIGNED', title: `新任务：${task.title}`, body: `请于 ${beijing(task.deadline)}（北京时间）前办结，网格 ${task.cellCode}。` },
    ];
  }
  if (event.topic === taskReturned.name) {
    return [{ ...base, kind: 'TASK_RETURNED', title: `任务被退回：${task.title}`, body: `请按退回意见重新处理，期限 ${beijing(task.deadline)}（北京时间）。` }];
  }
  if (event.topic === taskOverdue.name) {
    return [{ ...base, kind: 'TASK_OVERDUE', title: `任务已逾期：${task.title}`, body: `办理期限 ${beijing(task.deadline)}（北京时间）已过，请尽快处理。` }];
  }
  return [];
}
