/** OA's domain types and the closed value sets they use. */

export const OA_ROLES = ['admin', 'district', 'town', 'assistant'] as const;
export type OaRole = (typeof OA_ROLES)[number];

/** The organisation code of the district bureau; a town office's code is its level-2 cell code. */
export const DISTRICT_BUREAU = 'bureau';

export const DOCUMENT_KINDS = ['INCOMING', 'OUTGOING'] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];
export const SECURITY_LEVELS = ['PUBLIC', 'INTERNAL', 'CONFIDENTIAL'] as const;
export type SecurityLevel = (typeof SECURITY_LEVELS)[number];
export const URGENCIES = ['NORMAL', 'URGENT', 'EXTRA_URGENT'] as const;
export type Urgency = (typeof URGENCIES)[number];
export const DOCUMENT_STATUSES = ['DRAFT', 'IN_APPROVAL', 'APPROVED', 'REJECTED', 'ARCHIVED'] as const;
export type DocumentStatus = (typeof DOCUMENT_STATUSES)[number];

export const STEP_MODES = ['COUNTERSIGN', 'ANY_ONE'] as const;
export type StepMode = (typeof STEP_MODES)[number];
export const CONDITION_OPERATORS = ['GTE', 'GT', 'LTE', 'LT', 'EQ', 'NEQ'] as const;
export type ConditionOperator = (typeof CONDITION_OPERATORS)[number];
export const WORKFLOW_ACTIONS = ['APPROVE', 'REJECT', 'RETURN', 'FORWARD', 'COMMENT'] as const;
export type WorkflowAction = (typeof WORKFLOW_ACTIONS)[number];
export const INSTANCE_STATUSES = ['RUNNING', 'APPROVED', 'REJECTED'] as const;
export type InstanceStatus = (typeof INSTANCE_STATUSES)[number];

export const SUPERVISION_STATUSES = ['OPEN', 'IN_PROGRESS', 'COMPLETED'] as const;
export type SupervisionStatus = (typeof SUPERVISION_STATUSES)[number];

/** A value an instance carries for branch conditions, e.g. `penaltyAmount: 150000`. */
export type FieldValue = string | number | boolean;

export interface Attachment {
  mediaId: string;
  name: string;
  contentType: string | null;
  size: number | null;
}

export interface StepCondition {
  field: string;
  operator: ConditionOperator;
  value: FieldValue;
}

export interface StepBranch {
  when: StepCondition;
  next: string;
}

/** Where a step goes when nothing branches: the next step in order, or the end. */
export const END = 'END';

export interface WorkflowStep {
  id: string;
  name: string;
  mode: StepMode;
  /** owners by role, resolved through the people directory when the step is entered */
  roles: OaRole[];
  /** owners by token subject */
  subjects: string[];
  timeLimitHours: number;
  /** checked in order; the first whose condition holds picks the next step */
  branches: StepBranch[];
  /** a later step's id or END; null: the following step in order (the end after the last) */
  next: string | null;
}

export interface InstanceState {
  status: InstanceStatus;
  currentStep: string | null;
  /** who owns the current step (after any forwarding) */
  assignees: string[];
  /** who has approved the current step so far */
  approvals: string[];
  /** steps entered, in order, up to the current one: where a return may go */
  path: string[];
  stepEnteredAt: string | null;
  stepDeadline: string | null;
  /** everyone ever asked to act, plus the initiator: who may read a confidential instance */
  participants: string[];
}

export interface OaPerson {
  id: number;
  subject: string;
  name: string;
  organisation: string;
  title: string | null;
  roles: OaRole[];
  active: boolean;
}

export interface OaDocument {
  id: number;
  kind: DocumentKind;
  number: string;
  year: number;
  title: string;
  senderOrganisation: string;
  recipientOrganisation: string;
  securityLevel: SecurityLevel;
  urgency: Urgency;
  status: DocumentStatus;
  body: string;
  attachments: Attachment[];
  links: string[];
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
}

export interface OaWorkflowDefinition {
  id: number;
  key: string;
  version: number;
  name: string;
  description: string | null;
  steps: WorkflowStep[];
  createdBy: string;
  createdAt: Date;
}

export interface OaWorkflowInstance {
  id: number;
  definitionId: number;
  title: string;
  subjectGlobalId: string | null;
  documentId: number | null;
  confidential: boolean;
  fields: Record<string, FieldValue>;
  status: InstanceStatus;
  currentStep: string | null;
  state: InstanceState;
  pendingSubjects: string[];
  stepDeadline: Date | null;
  stepOverdueAt: Date | null;
  startedBy: string;
  startedAt: Date;
  finishedAt: Date | null;
}

export interface OaWorkflowActionRecord {
  id: number;
  instanceId: number;
  step: string | null;
  action: WorkflowAction;
  actor: string;
  actorName: string | null;
  opinion: string | null;
  returnTo: string | null;
  forwardTo: string | null;
  at: Date;
}

export interface OaNotice {
  id: number;
  title: string;
  body: string;
  publisher: string;
  publisherName: string | null;
  audienceOrganisations: string[];
  audienceRoles: OaRole[];
  publishedAt: Date;
}

export interface OaSupervisedTask {
  id: number;
  title: string;
  description: string | null;
  ownerOrganisation: string;
  supervisor: string;
  subjectGlobalId: string | null;
  deadline: Date;
  status: SupervisionStatus;
  progress: number;
  escalationLevel: number;
  escalatedAt: Date | null;
  createdAt: Date;
  completedAt: Date | null;
}

export interface OaSupervisionReport {
  id: number;
  taskId: number;
  reporter: string;
  reporterName: string | null;
  progress: number;
  note: string;
  at: Date;
}

/** Keyset page: newest first, ids below `beforeId`. */
export interface Page {
  limit: number;
  beforeId: number | undefined;
}

/** The viewer as OA sees them: token subject, directory name and organisation, roles from both. */
export interface Actor {
  subject: string;
  name: string | null;
  organisation: string | null;
  roles: OaRole[];
  admin: boolean;
}
