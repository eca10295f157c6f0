/** What other modules may use of OA: the service, its types, event topics and the Pothos refs. */
import { createServiceRef } from '../../src/services';
import type { OaService } from './service/oa-service';

export const oaServiceRef = createServiceRef<OaService>('oa');
export type { OaService } from './service/oa-service';
export type { Actor } from './service/access';
export type { Inbox } from './service/inbox';
export type {
  OaDocument,
  OaNotice,
  OaPerson,
  OaSupervisedTask,
  OaWorkflowDefinition,
  OaWorkflowInstance,
  WorkflowStep,
  DocumentKind,
  SecurityLevel,
  Urgency,
} from './service/types';
export type { InboxAudience, NoticeEventPayload, SupervisionEventPayload, WorkflowEventPayload } from './events';
export {
  OA_TOPICS,
  noticePublished,
  noticeRead,
  supervisionAssigned,
  supervisionEscalated,
  supervisionReported,
  workflowActed,
  workflowStarted,
  workflowStepOverdue,
} from './events';
export { OaDocumentRef, OaNoticeRef, OaSupervisedTaskRef, OaWorkflowInstanceRef } from './graphql/refs';
