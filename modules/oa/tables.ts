import { boolean, index, integer, jsonb, pgTable, primaryKey, serial, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import type { Attachment, FieldValue, InstanceState, WorkflowStep } from './service/types';

/**
 * The people OA routes work to, keyed by token subject. `organisation` is `bureau` for the district
 * bureau or a town office's level-2 cell code; roles decide who a role-owned step resolves to.
 */
export const oaPeople = pgTable(
  'oa_people',
  {
    id: serial('id').primaryKey(),
    subject: text('subject').notNull(),
    name: text('name').notNull(),
    organisation: text('organisation').notNull(),
    title: text('title'),
    roles: jsonb('roles').$type<string[]>().notNull(),
    active: boolean('active').notNull().default(true),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('oa_people_subject_key').on(t.subject), index('oa_people_organisation_idx').on(t.organisation)],
);

/** 收文 and 发文. The number is unique within a kind and year; `links` are Relay global ids of any hub entity. */
export const oaDocuments = pgTable(
  'oa_documents',
  {
    id: serial('id').primaryKey(),
    kind: text('kind').notNull(),
    number: text('number').notNull(),
    year: integer('year').notNull(),
    sequence: integer('sequence').notNull(),
    title: text('title').notNull(),
    senderOrganisation: text('sender_organisation').notNull(),
    recipientOrganisation: text('recipient_organisation').notNull(),
    securityLevel: text('security_level').notNull(),
    urgency: text('urgency').notNull(),
    status: text('status').notNull(),
    body: text('body').notNull(),
    attachments: jsonb('attachments').$type<Attachment[]>().notNull(),
    links: jsonb('links').$type<string[]>().notNull(),
    createdBy: text('created_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('oa_documents_number_key').on(t.kind, t.year, t.number), index('oa_documents_kind_idx').on(t.kind, t.year, t.sequence)],
);

/** Approval workflows as data: editing a key adds a version; instances point at the version they started on. */
export const oaWorkflowDefinitions = pgTable(
  'oa_workflow_definitions',
  {
    id: serial('id').primaryKey(),
    key: text('key').notNull(),
    version: integer('version').notNull(),
    name: text('name').notNull(),
    description: text('description'),
    steps: jsonb('steps').$type<WorkflowStep[]>().notNull(),
    createdBy: text('created_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('oa_workflow_definitions_key_version_key').on(t.key, t.version)],
);

/**
 * A running or finished approval. `state` is the engine's state; `pending_subjects` repeats who
 * may act now so the inbox finds them with one indexed condition; `revision` guards against two
 * actions on one stale state.
 */
export const oaWorkflowInstances = pgTable(
  'oa_workflow_instances',
  {
    id: serial('id').primaryKey(),
    definitionId: integer('definition_id')
      .notNull()
      .references(() => oaWorkflowDefinitions.id),
    title: text('title').notNull(),
    subjectGlobalId: text('subject_global_id'),
    documentId: integer('document_id').references(() => oaDocuments.id),
    confidential: boolean('confidential').notNull().default(false),
    fields: jsonb('fields').$type<Record<string, FieldValue>>().notNull(),
    status: text('status').notNull(),
    currentStep: text('current_step'),
    state: jsonb('state').$type<InstanceState>().notNull(),
    pendingSubjects: jsonb('pending_subjects').$type<string[]>().notNull(),
    participants: jsonb('participants').$type<string[]>().notNull(),
    stepDeadline: timestamp('step_deadline', { withTimezone: true }),
    stepOverdueAt: timestamp('step_overdue_at', { withTimezone: true }),
    revision: integer('revision').notNull().default(0),
    startedBy: text('started_by').notNull(),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
  },
  (t) => [
    index('oa_workflow_instances_status_idx').on(t.status, t.id),
    index('oa_workflow_instances_document_idx').on(t.documentId),
    index('oa_workflow_instances_pending_idx').using('gin', t.pendingSubjects),
  ],
);

/** Every action on an instance: who, when, on which step, with what opinion. */
export const oaWorkflowActions = pgTable(
  'oa_workflow_actions',
  {
    id: serial('id').primaryKey(),
    instanceId: integer('instance_id')
      .notNull()
      .references(() => oaWorkflowInstances.id, { onDelete: 'cascade' }),
    step: text('step'),
    action: text('action').notNull(),
    actor: text('actor').notNull(),
    actorName: text('actor_name'),
    opinion: text('opinion'),
    returnTo: text('return_to'),
    forwardTo: text('forward_to'),
    at: timestamp('at', { withTimezone: true }).notNull(),
  },
  (t) => [index('oa_workflow_actions_instance_idx').on(t.instanceId, t.id)],
);

export const oaNotices = pgTable(
  'oa_notices',
  {
    id: serial('id').primaryKey(),
    title: text('title').notNull(),
    body: text('body').notNull(),
    publisher: text('publisher').notNull(),
    publisherName: text('publisher_name'),
    audienceOrganisations: jsonb('audience_organisations').$type<string[]>().notNull(),
    audienceRoles: jsonb('audience_roles').$type<string[]>().notNull(),
    publishedAt: timestamp('published_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('oa_notices_published_idx').on(t.publishedAt)],
);

export const oaNoticeReads = pgTable(
  'oa_notice_reads',
  {
    noticeId: integer('notice_id')
      .notNull()
      .references(() => oaNotices.id, { onDelete: 'cascade' }),
    subject: text('subject').notNull(),
    readAt: timestamp('read_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ name: 'oa_notice_reads_pkey', columns: [t.noticeId, t.subject] })],
);

/** 督办: a task put on an organisation with a deadline; escalated while overdue. */
export const oaSupervisedTasks = pgTable(
  'oa_supervised_tasks',
  {
    id: serial('id').primaryKey(),
    title: text('title').notNull(),
    description: text('description'),
    ownerOrganisation: text('owner_organisation').notNull(),
    supervisor: text('supervisor').notNull(),
    subjectGlobalId: text('subject_global_id'),
    deadline: timestamp('deadline', { withTimezone: true }).notNull(),
    status: text('status').notNull(),
    progress: integer('progress').notNull().default(0),
    escalationLevel: integer('escalation_level').notNull().default(0),
    escalatedAt: timestamp('escalated_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    completedAt: timestamp('completed_at', { withTimezone: true }),
  },
  (t) => [index('oa_supervised_tasks_owner_idx').on(t.ownerOrganisation, t.status), index('oa_supervised_tasks_deadline_idx').on(t.status, t.deadline)],
);

export const oaSupervisionReports = pgTable(
  'oa_supervision_reports',
  {
    id: serial('id').primaryKey(),
    taskId: integer('task_id')
      .notNull()
      .references(() => oaSupervisedTasks.id, { onDelete: 'cascade' }),
    reporter: text('reporter').notNull(),
    reporterName: text('reporter_name'),
    progress: integer('progress').notNull(),
    note: text('note').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull(),
  },
  (t) => [index('oa_supervision_reports_task_idx').on(t.taskId, t.id)],
);
