import type { HubBuilder } from '../../../src/graphql/builder';
import type { HubContext } from '../../../src/graphql/context';
import { pageOf } from '../../../src/graphql/pagination';
import { oaServiceRef } from '../public';
import { availableActions } from '../service/engine';
import type { OaWorkflowActionRecord, OaWorkflowInstance, StepBranch, WorkflowStep } from '../service/types';
import type { OaEnums } from './enums';
import { STAFF_ONLY, idOf, orUndefined } from './ids';
import { actionsLoader, definitionLoader, documentLoader, instanceLoader, personLoader } from './loaders';
import { OaDocumentRef, OaPersonRef, OaWorkflowDefinitionRef, OaWorkflowInstanceRef } from './refs';
import { boundedList } from '../../../src/graphql/cost/declare';
import { MAX_ACTIONS_SHOWN } from '../service/workflows';
import { MAX_BRANCHES, MAX_STEPS, MAX_STEP_SUBJECTS } from '../service/engine';
import { loadNodes } from '../../../src/graphql/loaders';

const stepOf = async (instance: OaWorkflowInstance, ctx: HubContext): Promise<WorkflowStep | null> => {
  if (instance.currentStep === null) return null;
  const definition = await definitionLoader(ctx).load(instance.definitionId);
  return definition?.steps.find((s) => s.id === instance.currentStep) ?? null;
};

const people = async (subjects: readonly string[], ctx: HubContext) =>
  (await Promise.all(subjects.map((s) => personLoader(ctx).load(s)))).filter((p) => p !== undefined);

/** Workflow definitions and instances: the types and the queries. */
export function registerWorkflowSchema(builder: HubBuilder, enums: OaEnums): void {
  const BranchRef = builder.objectRef<StepBranch>('OaWorkflowBranch').implement({
    description: 'When `field operator value` holds for the instance, the step goes to `next`.',
    fields: (t) => ({
      field: t.string({ resolve: (b) => b.when.field }),
      operator: t.field({ type: enums.Operator, resolve: (b) => b.when.operator }),
      value: t.field({ type: 'JSON', resolve: (b) => b.when.value }),
      next: t.exposeString('next'),
    }),
  });
  const StepRef = builder.objectRef<WorkflowStep>('OaWorkflowStep').implement({
    fields: (t) => ({
      id: t.exposeString('id'),
      name: t.exposeString('name'),
      mode: t.field({ type: enums.StepMode, resolve: (s) => s.mode }),
      roles: t.field({ type: [enums.Role], resolve: (s) => s.roles }),
      subjects: t.exposeStringList('subjects', { description: 'named owners by token subject' }),
      timeLimitHours: t.exposeInt('timeLimitHours'),
      branches: t.field({ extensions: boundedList(MAX_BRANCHES, { computed: true }), type: [BranchRef], resolve: (s) => s.branches }),
      next: t.exposeString('next', { nullable: true, description: 'a later step or END; null: the following step (the end after the last)' }),
    }),
  });
  const ActionRef = builder.objectRef<OaWorkflowActionRecord>('OaWorkflowActionRecord').implement({
    description: 'One action on an approval: who, when, on which step, with what opinion.',
    fields: (t) => ({
      step: t.exposeString('step', { nullable: true }),
      action: t.field({ type: enums.Action, resolve: (a) => a.action }),
      actor: t.exposeString('actor'),
      actorName: t.exposeString('actorName', { nullable: true }),
      opinion: t.exposeString('opinion', { nullable: true }),
      returnTo: t.exposeString('returnTo', { nullable: true }),
      forwardTo: t.exposeString('forwardTo', { nullable: true }),
      at: t.field({ type: 'DateTime', resolve: (a) => a.at }),
    }),
  });

  builder.node(OaWorkflowDefinitionRef, {
    description: 'One version of an approval workflow. Saving a key again adds a version; instances keep theirs.',
    id: { resolve: (d) => d.id },
    loadMany: loadNodes(definitionLoader),
    isTypeOf: (value) => typeof value === 'object' && value !== null && 'steps' in value && 'version' in value,
    fields: (t) => ({
      key: t.exposeString('key'),
      version: t.exposeInt('version'),
      name: t.exposeString('name'),
      description: t.exposeString('description', { nullable: true }),
      steps: t.field({ extensions: boundedList(MAX_STEPS, { computed: true }), type: [StepRef], resolve: (d) => d.steps }),
      createdBy: t.exposeString('createdBy'),
      createdAt: t.field({ type: 'DateTime', resolve: (d) => d.createdAt }),
    }),
  });

  builder.node(OaWorkflowInstanceRef, {
    description: 'An approval in progress or finished, on a document or any hub entity.',
    id: { resolve: (i) => i.id },
    loadMany: loadNodes(instanceLoader),
    isTypeOf: (value) => typeof value === 'object' && value !== null && 'pendingSubjects' in value && 'definitionId' in value,
    fields: (t) => ({
      title: t.exposeString('title'),
      definition: t.field({
        type: OaWorkflowDefinitionRef,
        description: 'the version it started with',
        resolve: async (i, _a, ctx) => (await definitionLoader(ctx).load(i.definitionId)) as never,
      }),
      status: t.field({ type: enums.InstanceStatus, resolve: (i) => i.status }),
      currentStep: t.field({ type: StepRef, nullable: true, resolve: (i, _a, ctx) => stepOf(i, ctx) }),
      stepDeadline: t.field({ type: 'DateTime', nullable: true, resolve: (i) => i.stepDeadline }),
      stepOverdue: t.boolean({
        description: 'the current step is past its time limit',
        resolve: (i, _a, ctx) => i.stepDeadline !== null && i.stepDeadline < ctx.now(),
      }),
      assignees: t.exposeStringList('pendingSubjects', { description: 'token subjects who may act on the current step now' }),
      pendingPeople: t.field({ extensions: boundedList(MAX_STEP_SUBJECTS), type: [OaPersonRef], resolve: (i, _a, ctx) => people(i.pendingSubjects, ctx) }),
      approvedBy: t.stringList({ description: 'who has approved the current step so far (countersign)', resolve: (i) => i.state.approvals }),
      path: t.stringList({ description: 'steps entered, up to the current one: where RETURN may go', resolve: (i) => i.state.path }),
      availableActions: t.field({
        type: [enums.Action],
        description: 'what the viewer may do now',
        resolve: async (i, _a, ctx) => {
          const definition = await definitionLoader(ctx).load(i.definitionId);
          return definition && ctx.viewer.subject ? availableActions(definition.steps, i.state, ctx.viewer.subject) : [];
        },
      }),
      fields: t.field({ type: 'JSON', description: 'the values branch conditions read, e.g. {"penaltyAmount": 150000}', resolve: (i) => i.fields }),
      document: t.field({
        type: OaDocumentRef,
        nullable: true,
        resolve: (i, _a, ctx) => (i.documentId !== null ? documentLoader(ctx).load(i.documentId) : null),
      }),
      subject: t.field({ type: enums.EntityLink, nullable: true, description: 'what the approval is about', resolve: (i) => i.subjectGlobalId }),
      confidential: t.exposeBoolean('confidential'),
      startedBy: t.exposeString('startedBy'),
      startedAt: t.field({ type: 'DateTime', resolve: (i) => i.startedAt }),
      finishedAt: t.field({ type: 'DateTime', nullable: true, resolve: (i) => i.finishedAt }),
      actions: t.field({
        extensions: boundedList(MAX_ACTIONS_SHOWN),
        type: [ActionRef],
        description: 'oldest first, at most 200',
        resolve: async (i, _a, ctx) => (await actionsLoader(ctx).load(i.id)) ?? [],
      }),
    }),
  });

  const DefinitionFilter = builder.inputType('OaWorkflowDefinitionFilter', {
    fields: (t) => ({ key: t.string({ required: false }), latestOnly: t.boolean({ required: false, description: 'each key’s newest version only' }) }),
  });
  const InstanceFilter = builder.inputType('OaWorkflowInstanceFilter', {
    fields: (t) => ({
      status: t.field({ type: [enums.InstanceStatus], required: false }),
      definitionKey: t.string({ required: false }),
      document: t.globalID({ required: false }),
      subject: t.string({ required: false, description: 'approvals on this entity (global id)' }),
      pendingForMe: t.boolean({ required: false }),
    }),
  });

  builder.queryFields((t) => ({
    oaWorkflowDefinition: t.field({
      authScopes: STAFF_ONLY,
      type: OaWorkflowDefinitionRef,
      nullable: true,
      description: 'A key’s given version, or its newest.',
      args: { key: t.arg.string({ required: true }), version: t.arg.int({ required: false }) },
      resolve: async (_root, args, ctx) => {
        const oa = ctx.services.get(oaServiceRef);
        await oa.actor(ctx.viewer);
        return oa.definitions.byKey(ctx.viewer, args.key, args.version);
      },
    }),
    oaWorkflowDefinitions: t.connection({
      authScopes: STAFF_ONLY,
      type: OaWorkflowDefinitionRef,
      description: 'Definitions, newest first.',
      args: { filter: t.arg({ type: DefinitionFilter, required: false }) },
      resolve: async (_root, args, ctx) => {
        const list = ctx.services.get(oaServiceRef).definitions;
        const query = [ctx.viewer, { key: orUndefined(args.filter?.key), latestOnly: orUndefined(args.filter?.latestOnly) }] as const;
        return pageOf(args, 'descending', (window) => list.list(...query, window), { idOf: (d) => d.id, count: () => list.count(...query) });
      },
    }),
    oaWorkflowInstance: t.field({
      authScopes: STAFF_ONLY,
      type: OaWorkflowInstanceRef,
      nullable: true,
      args: { id: t.arg.globalID({ required: true }) },
      resolve: (_root, args, ctx) => instanceLoader(ctx).load(idOf(args.id, 'OaWorkflowInstance', 'id')),
    }),
    oaWorkflowInstances: t.connection({
      authScopes: STAFF_ONLY,
      type: OaWorkflowInstanceRef,
      description: 'Approvals the viewer may see, newest first.',
      args: { filter: t.arg({ type: InstanceFilter, required: false }) },
      resolve: async (_root, args, ctx) => {
        const f = args.filter ?? {};
        const list = ctx.services.get(oaServiceRef).workflows;
        const query = [
          ctx.viewer,
          {
            status: orUndefined(f.status),
            definitionKey: orUndefined(f.definitionKey),
            documentId: f.document ? idOf(f.document, 'OaDocument', 'filter.document') : undefined,
            subjectGlobalId: orUndefined(f.subject),
            pendingForMe: orUndefined(f.pendingForMe),
          },
        ] as const;
        return pageOf(args, 'descending', (window) => list.list(...query, window), { idOf: (i) => i.id, count: () => list.count(...query) });
      },
    }),
  }));
}
