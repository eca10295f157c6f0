import type {
  oaDocuments,
  oaNotices,
  oaPeople,
  oaSupervisedTasks,
  oaSupervisionReports,
  oaWorkflowActions,
  oaWorkflowDefinitions,
  oaWorkflowInstances,
} from '../tables';
import type {
  DocumentKind,
  DocumentStatus,
  InstanceStatus,
  OaDocument,
  OaNotice,
  OaPerson,
  OaRole,
  OaSupervisedTask,
  OaSupervisionReport,
  OaWorkflowActionRecord,
  OaWorkflowDefinition,
  OaWorkflowInstance,
  SecurityLevel,
  SupervisionStatus,
  Urgency,
  WorkflowAction,
} from './types';

/** Table rows to domain objects: the one place text columns become the closed unions they hold. */

export const toPerson = (row: typeof oaPeople.$inferSelect): OaPerson => ({
  id: row.id,
  subject: row.subject,
  name: row.name,
  organisation: row.organisation,
  title: row.title,
  roles: row.roles as OaRole[],
  active: row.active,
});

export const toDocument = (row: typeof oaDocuments.$inferSelect): OaDocument => ({
  ...row,
  kind: row.kind as DocumentKind,
  securityLevel: row.securityLevel as SecurityLevel,
  urgency: row.urgency as Urgency,
  status: row.status as DocumentStatus,
});

export const toDefinition = (row: typeof oaWorkflowDefinitions.$inferSelect): OaWorkflowDefinition => ({ ...row });

export const toInstance = (row: typeof oaWorkflowInstances.$inferSelect): OaWorkflowInstance => ({
  id: row.id,
  definitionId: row.definitionId,
  title: row.title,
  subjectGlobalId: row.subjectGlobalId,
  documentId: row.documentId,
  confidential: row.confidential,
  fields: row.fields,
  status: row.status as InstanceStatus,
  currentStep: row.currentStep,
  state: row.state,
  pendingSubjects: row.pendingSubjects,
  stepDeadline: row.stepDeadline,
  stepOverdueAt: row.stepOverdueAt,
  startedBy: row.startedBy,
  startedAt: row.startedAt,
  finishedAt: row.finishedAt,
});

export const toAction = (row: typeof oaWorkflowActions.$inferSelect): OaWorkflowActionRecord => ({ ...row, action: row.action as WorkflowAction });

export const toNotice = (row: typeof oaNotices.$inferSelect): OaNotice => ({ ...row, audienceRoles: row.audienceRoles as OaRole[] });

export const toSupervisedTask = (row: typeof oaSupervisedTasks.$inferSelect): OaSupervisedTask => ({ ...row, status: row.status as SupervisionStatus });

export const toReport = (row: typeof oaSupervisionReports.$inferSelect): OaSupervisionReport => ({ ...row });
