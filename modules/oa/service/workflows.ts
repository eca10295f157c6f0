import { and, asc, desc, eq, inArray, lt, sql, type SQL } from 'drizzle-orm';
import type { Viewer } from '../../../src/auth/viewer';
import { json, rowsOf, type Executor } from '../../../src/db';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../../src/errors';
import { workflowActed, workflowStarted, type WorkflowEventPayload } from '../events';
import { oaDocuments, oaWorkflowActions, oaWorkflowDefinitions, oaWorkflowInstances } from '../tables';
import { actorOf, type Actor } from './access';
import { definitionByKey } from './definitions';
import type { OaDeps } from './deps';
import { documentsByIds } from './documents';
import { decide, pendingSubjects, startInstance, validFieldValue, FIELD_NAME, type AssigneeResolver, type EngineError } from './engine';
import { directory } from './people';
import { toAction, toDefinition, toInstance } from './rows';
import {
  INSTANCE_STATUSES,
  WORKFLOW_ACTIONS,
  type FieldValue,
  type InstanceState,
  type InstanceStatus,
  type OaWorkflowActionRecord,
  type OaWorkflowInstance,
  type Page,
  type WorkflowAction,
  type WorkflowStep,
} from './types';
import { Problems, decodeGlobalId, encodeGlobalId, optionalText } from './validate';

export const MAX_FIELDS = 20;
export const MAX_ACTIONS_SHOWN = 200;

export interface StartInput {
  definitionKey: string;
  /** a version of the key; its newest when not given */
  version?: number | null;
  title: string;
  documentId?: number | null;
  /** any hub entity's global id, when the approval is not on a document */
  subjectGlobalId?: string | null;
  fields?: Record<string, unknown> | null;
}

export interface ActInput {
  instanceId: number;
  action: WorkflowAction;
  step?: string | null;
  opinion?: string | null;
  returnTo?: string | null;
  forwardTo?: string | null;
}

export interface InstanceFilter {
  status?: InstanceStatus[] | undefined;
  definitionKey?: string | undefined;
  documentId?: number | undefined;
  subjectGlobalId?: string | undefined;
  /** only those waiting for the viewer's action */
  pendingForMe?: boolean | undefined;
}

/** Confidential approvals: participants and administrators only. */
export function instanceCondition(actor: Actor): SQL | undefined {
  if (actor.admin) return undefined;
  return sql`(${oaWorkflowInstances.confidential} = false OR ${oaWorkflowInstances.participants} @> ${json([actor.subject])})`;
}

export function toHubError(error: EngineError): Error {
  if (error.kind === 'FORBIDDEN') return new ForbiddenError(error.message);
  if (error.kind === 'CONFLICT') return new ConflictError(error.message);
  return new ValidationError([{ path: error.path ? `input.${error.path}` : 'input', message: error.message }]);
}

/** The columns an instance keeps from its engine state, for lists and deadline checks. */
function stateColumns(steps: readonly WorkflowStep[], state: InstanceState) {
  return {
    status: state.status,
    currentStep: state.currentStep,
    state,
    pendingSubjects: pendingSubjects(steps, state),
    participants: state.participants,
    stepDeadline: state.stepDeadline ? new Date(state.stepDeadline) : null,
  };
}

/** Resolves steps to people with one directory read for the whole definition (and a forward target). */
async function resolverFor(
  executor: Executor,
  steps: readonly WorkflowStep[],
  extra: readonly string[] = [],
): Promise<{ resolve: AssigneeResolver; isPerson: (s: string) => boolean }> {
  const people = await directory(executor, { roles: [...new Set(steps.flatMap((s) => s.roles))], subjects: [...steps.flatMap((s) => s.subjects), ...extra] });
  const active = new Set(people.map((p) => p.subject));
  return {
    resolve: (step) => [
      ...step.subjects.filter((s) => active.has(s)),
      ...people.filter((p) => p.roles.some((r) => step.roles.includes(r))).map((p) => p.subject),
    ],
    isPerson: (subject) => active.has(subject),
  };
}

function checkFields(fields: Record<string, unknown>): Record<string, FieldValue> {
  const problems = new Problems();
  const entries = Object.entries(fields);
  if (entries.length > MAX_FIELDS) problems.add('input.fields', `at most ${MAX_FIELDS} fields`);
  for (const [name, value] of entries) {
    if (!FIELD_NAME.test(name)) problems.add(`input.fields.${name.slice(0, 32)}`, 'a field name of letters, digits and _');
    else if (!validFieldValue(value)) problems.add(`input.fields.${name}`, 'a finite number, a boolean or at most 200 characters');
  }
  problems.done();
  return fields as Record<string, FieldValue>;
}

function payloadOf(
  instance: OaWorkflowInstance,
  action: WorkflowEventPayload['action'],
  actor: string,
  before: readonly string[],
  at: Date,
): WorkflowEventPayload {
  return {
    instanceId: instance.id,
    title: instance.title,
    action,
    actor,
    status: instance.status,
    currentStep: instance.currentStep,
    pendingSubjects: instance.pendingSubjects,
    audience: { subjects: [...new Set([...before, ...instance.pendingSubjects, actor])], organisations: [], roles: [] },
    at: at.toISOString(),
  };
}

export async function startWorkflow(deps: OaDeps, viewer: Viewer, input: StartInput): Promise<OaWorkflowInstance> {
  const actor = await actorOf(deps, viewer);
  const problems = new Problems().text('input.title', input.title, 1, 200);
  if ((input.documentId == null) === (input.subjectGlobalId == null)) problems.add('input', 'start on a document or on an entity’s global id, one of them');
  if (input.subjectGlobalId != null && !decodeGlobalId(input.subjectGlobalId)) problems.add('input.subjectGlobalId', 'not a global id');
  problems.done();
  const fields = checkFields(input.fields ?? {});
  const definition = await definitionByKey(deps, input.definitionKey, input.version);
  if (!definition) throw new NotFoundError('OaWorkflowDefinition', input.version != null ? `${input.definitionKey}@${input.version}` : input.definitionKey);
  const document = input.documentId != null ? (await documentsByIds(deps, viewer, [input.documentId]))[0] : undefined;
  if (input.documentId != null && !document) throw new NotFoundError('OaDocument', String(input.documentId));
  if (document && (document.status === 'IN_APPROVAL' || document.status === 'ARCHIVED'))
    throw new ConflictError(`the document is ${document.status === 'ARCHIVED' ? 'archived' : 'already in approval'}`);
  const now = deps.now();
  return deps.bus.transaction(async (tx, emit) => {
    const { resolve } = await resolverFor(tx, definition.steps);
    const started = startInstance(definition.steps, actor.subject, resolve, now);
    if (!started.ok) throw toHubError(started.error);
    const state = started.state;
    if (document) {
      const [moved] = await tx
        .update(oaDocuments)
        .set({ status: 'IN_APPROVAL', updatedAt: now })
        .where(and(eq(oaDocuments.id, document.id), eq(oaDocuments.status, document.status)))
        .returning({ id: oaDocuments.id });
      if (!moved) throw new ConflictError('the document changed meanwhile; reload it');
    }
    const [row] = await tx
      .insert(oaWorkflowInstances)
      .values({
        definitionId: definition.id,
        title: input.title.trim(),
        subjectGlobalId: document ? encodeGlobalId('OaDocument', document.id) : (input.subjectGlobalId ?? null),
        documentId: document?.id ?? null,
        confidential: document?.securityLevel === 'CONFIDENTIAL',
        fields,
        ...stateColumns(definition.steps, state),
        startedBy: actor.subject,
        startedAt: now,
      })
      .returning();
    const instance = toInstance(row as typeof oaWorkflowInstances.$inferSelect);
    emit(workflowStarted, payloadOf(instance, 'START', actor.subject, [], now));
    return instance;
  });
}

/** One action on an instance, checked by the engine, recorded with who, when and the opinion. */
export async function actOnWorkflow(deps: OaDeps, viewer: Viewer, input: ActInput): Promise<OaWorkflowInstance> {
  const actor = await actorOf(deps, viewer);
  const problems = new Problems().text(
    'input.opinion',
    input.opinion,
    input.action === 'COMMENT' || input.action === 'REJECT' || input.action === 'RETURN' ? 1 : 0,
    2000,
  );
  if (!WORKFLOW_ACTIONS.includes(input.action)) problems.add('input.action', 'unknown action');
  problems.text('input.step', input.step, 0, 32).text('input.returnTo', input.returnTo, 0, 32).text('input.forwardTo', input.forwardTo, 0, 128);
  problems.done();
  const now = deps.now();
  return deps.bus.transaction(async (tx, emit) => {
    const [row] = await tx
      .select()
      .from(oaWorkflowInstances)
      .where(and(eq(oaWorkflowInstances.id, input.instanceId), instanceCondition(actor)))
      .for('update');
    if (!row) throw new NotFoundError('OaWorkflowInstance', String(input.instanceId));
    const instance = toInstance(row);
    const [definitionRow] = await tx.select().from(oaWorkflowDefinitions).where(eq(oaWorkflowDefinitions.id, instance.definitionId));
    const definition = toDefinition(definitionRow as typeof oaWorkflowDefinitions.$inferSelect);
    const { resolve, isPerson } = await resolverFor(tx, definition.steps, input.forwardTo ? [input.forwardTo] : []);
    const outcome = decide({
      steps: definition.steps,
      state: instance.state,
      fields: instance.fields,
      action: { kind: input.action, actor: actor.subject, step: input.step, returnTo: input.returnTo, forwardTo: input.forwardTo },
      resolve,
      isPerson,
      now,
    });
    if (!outcome.ok) throw toHubError(outcome.error);
    const state = outcome.state;
    const stepChanged = state.currentStep !== instance.state.currentStep || state.stepEnteredAt !== instance.state.stepEnteredAt;
    const [updated] = await tx
      .update(oaWorkflowInstances)
      .set({
        ...stateColumns(definition.steps, state),
        ...(stepChanged ? { stepOverdueAt: null } : {}),
        revision: sql`${oaWorkflowInstances.revision} + 1`,
        finishedAt: outcome.finished ? now : null,
      })
      .where(eq(oaWorkflowInstances.id, instance.id))
      .returning();
    await tx.insert(oaWorkflowActions).values({
      instanceId: instance.id,
      step: instance.state.currentStep,
      action: input.action,
      actor: actor.subject,
      actorName: actor.name,
      opinion: optionalText(input.opinion),
      returnTo: input.action === 'RETURN' ? (input.returnTo ?? null) : null,
      forwardTo: input.action === 'FORWARD' ? (input.forwardTo ?? null) : null,
      at: now,
    });
    if (outcome.finished && instance.documentId !== null) {
      await tx
        .update(oaDocuments)
        .set({ status: state.status === 'APPROVED' ? 'APPROVED' : 'REJECTED', updatedAt: now })
        .where(eq(oaDocuments.id, instance.documentId));
    }
    const result = toInstance(updated as typeof oaWorkflowInstances.$inferSelect);
    emit(workflowActed, payloadOf(result, input.action, actor.subject, instance.pendingSubjects, now));
    return result;
  });
}

export async function instancesByIds(deps: OaDeps, viewer: Viewer, ids: readonly number[]): Promise<(OaWorkflowInstance | undefined)[]> {
  if (ids.length === 0) return [];
  const actor = await actorOf(deps, viewer);
  const rows = await deps.db.orm
    .select()
    .from(oaWorkflowInstances)
    .where(and(inArray(oaWorkflowInstances.id, [...new Set(ids)]), instanceCondition(actor)));
  const byId = new Map(rows.map((row) => [row.id, toInstance(row)]));
  return ids.map((id) => byId.get(id));
}

/** What `listInstances` filters on, without its page: undefined when the viewer sees nothing. */
async function listInstancesConditions(deps: OaDeps, viewer: Viewer, filter: InstanceFilter): Promise<(SQL | undefined)[] | undefined> {
  const actor = await actorOf(deps, viewer);
  if ((filter.status?.length ?? 0) > INSTANCE_STATUSES.length) throw new ValidationError([{ path: 'filter.status', message: 'too many values' }]);
  if (filter.subjectGlobalId !== undefined && !decodeGlobalId(filter.subjectGlobalId))
    throw new ValidationError([{ path: 'filter.subject', message: 'not a global id' }]);
  const conditions: (SQL | undefined)[] = [instanceCondition(actor)];
  if (filter.status?.length) conditions.push(inArray(oaWorkflowInstances.status, filter.status));
  if (filter.definitionKey)
    conditions.push(sql`${oaWorkflowInstances.definitionId} IN (SELECT id FROM oa_workflow_definitions WHERE key = ${filter.definitionKey})`);
  if (filter.documentId !== undefined) conditions.push(eq(oaWorkflowInstances.documentId, filter.documentId));
  if (filter.subjectGlobalId) conditions.push(eq(oaWorkflowInstances.subjectGlobalId, filter.subjectGlobalId));
  if (filter.pendingForMe) conditions.push(sql`${oaWorkflowInstances.pendingSubjects} @> ${json([actor.subject])}`);
  return conditions;
}

export async function listInstances(deps: OaDeps, viewer: Viewer, filter: InstanceFilter, page: Page): Promise<OaWorkflowInstance[]> {
  const conditions = await listInstancesConditions(deps, viewer, filter);
  if (!conditions) return [];
  if (page.beforeId !== undefined) conditions.push(lt(oaWorkflowInstances.id, page.beforeId));
  const rows = await deps.db.orm
    .select()
    .from(oaWorkflowInstances)
    .where(and(...conditions))
    .orderBy(desc(oaWorkflowInstances.id))
    .limit(page.limit);
  return rows.map(toInstance);
}

/** How many rows `listInstances` would page through, every page together (one statement). */
export async function countInstances(deps: OaDeps, viewer: Viewer, filter: InstanceFilter): Promise<number> {
  const conditions = await listInstancesConditions(deps, viewer, filter);
  return conditions ? deps.db.orm.$count(oaWorkflowInstances, and(...conditions)) : 0;
}

/** Each instance's actions, oldest first, at most MAX_ACTIONS_SHOWN each; the caller has checked visibility. */
export async function actionsOf(deps: OaDeps, instanceIds: readonly number[]): Promise<OaWorkflowActionRecord[][]> {
  if (instanceIds.length === 0) return [];
  const rows = await rowsOf<{ id: number }>(
    deps.db.orm,
    sql`SELECT id FROM (SELECT id, row_number() OVER (PARTITION BY instance_id ORDER BY id) AS position FROM oa_workflow_actions
         WHERE instance_id IN (SELECT (jsonb_array_elements_text(${json([...new Set(instanceIds)])}))::int)) ranked WHERE position <= ${MAX_ACTIONS_SHOWN}`,
  );
  const ids = rows.map((r) => Number(r.id));
  const actions =
    ids.length === 0 ? [] : await deps.db.orm.select().from(oaWorkflowActions).where(inArray(oaWorkflowActions.id, ids)).orderBy(asc(oaWorkflowActions.id));
  const byInstance = new Map<number, OaWorkflowActionRecord[]>();
  for (const row of actions) {
    const list = byInstance.get(row.instanceId) ?? [];
    list.push(toAction(row));
    byInstance.set(row.instanceId, list);
  }
  return instanceIds.map((id) => byInstance.get(id) ?? []);
}
