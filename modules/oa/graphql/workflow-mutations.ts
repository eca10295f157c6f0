import type { HubBuilder } from '../../../src/graphql/builder';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../../src/errors';
import { oaServiceRef } from '../public';
import type { FieldValue, WorkflowAction } from '../service/types';
import type { OaEnums } from './enums';
import { STAFF_ONLY, idOf } from './ids';
import { OaWorkflowDefinitionRef, OaWorkflowInstanceRef } from './refs';

const ERRORS = { types: [ValidationError, NotFoundError, ForbiddenError, ConflictError] };

/** One mutation per action, so each button maps to a field with its own description. */
const ACTION_FIELDS: readonly { field: string; action: WorkflowAction; description: string }[] = [
  { field: 'approveOaWorkflow', action: 'APPROVE', description: 'Approves the current step; a countersign step completes when every owner has approved.' },
  { field: 'rejectOaWorkflow', action: 'REJECT', description: 'Rejects: the approval ends as REJECTED. An opinion is required.' },
  {
    field: 'returnOaWorkflow',
    action: 'RETURN',
    description: 'Sends the approval back to an earlier step (`returnTo`), which starts again. An opinion is required.',
  },
  {
    field: 'forwardOaWorkflow',
    action: 'FORWARD',
    description: 'Hands the viewer’s pending approval of this step to another person (`forwardTo`, a token subject).',
  },
  { field: 'commentOaWorkflow', action: 'COMMENT', description: 'Adds an opinion without deciding; for anyone involved in the approval.' },
];

export function registerWorkflowMutations(builder: HubBuilder, enums: OaEnums): void {
  const ConditionInput = builder.inputType('OaWorkflowConditionInput', {
    fields: (t) => ({
      field: t.string({ required: true }),
      operator: t.field({ type: enums.Operator, required: true }),
      value: t.field({ type: 'JSON', required: true, description: 'a number, a boolean or a string' }),
    }),
  });
  const BranchInput = builder.inputType('OaWorkflowBranchInput', {
    fields: (t) => ({ when: t.field({ type: ConditionInput, required: true }), next: t.string({ required: true, description: 'a later step’s id, or END' }) }),
  });
  const StepInput = builder.inputType('OaWorkflowStepInput', {
    fields: (t) => ({
      id: t.string({ required: true }),
      name: t.string({ required: true }),
      mode: t.field({ type: enums.StepMode, required: true }),
      roles: t.field({ type: [enums.Role], required: false }),
      subjects: t.stringList({ required: false, description: 'named owners by token subject; they must be in the people directory' }),
      timeLimitHours: t.int({ required: true }),
      branches: t.field({ type: [BranchInput], required: false }),
      next: t.string({ required: false, description: 'a later step’s id or END; the following step when not given' }),
    }),
  });
  const DefinitionInput = builder.inputType('OaWorkflowDefinitionInput', {
    fields: (t) => ({
      key: t.string({ required: true }),
      name: t.string({ required: true }),
      description: t.string({ required: false }),
      steps: t.field({ type: [StepInput], required: true }),
    }),
  });
  const StartInput = builder.inputType('OaStartWorkflowInput', {
    fields: (t) => ({
      definitionKey: t.string({ required: true }),
      version: t.int({ required: false, description: 'the newest version when not given' }),
      title: t.string({ required: true }),
      document: t.globalID({ required: false, description: 'an OaDocument; it goes IN_APPROVAL' }),
      subject: t.string({ required: false, description: 'or any hub entity’s global id (an enforcement case, a permit application)' }),
      fields: t.field({ type: 'JSON', required: false, description: 'values branch conditions read, e.g. {"penaltyAmount": 150000}' }),
    }),
  });
  const ActInput = builder.inputType('OaWorkflowActInput', {
    fields: (t) => ({
      instance: t.globalID({ required: true }),
      step: t.string({ required: false, description: 'the step the viewer acts on; a ConflictError when the approval has moved on' }),
      opinion: t.string({ required: false, description: '意见, at most 2000 characters' }),
      returnTo: t.string({ required: false }),
      forwardTo: t.string({ required: false }),
    }),
  });

  builder.mutationFields((t) => ({
    saveOaWorkflowDefinition: t.field({
      authScopes: { admin: true },
      type: OaWorkflowDefinitionRef,
      description: 'Saves a workflow as the next version of its key. Running approvals keep the version they started with.',
      errors: ERRORS,
      args: { input: t.arg({ type: DefinitionInput, required: true }) },
      resolve: (_root, { input }, ctx) =>
        ctx.services.get(oaServiceRef).definitions.save(ctx.viewer, {
          key: input.key,
          name: input.name,
          description: input.description,
          steps: input.steps.map((s) => ({
            id: s.id,
            name: s.name,
            mode: s.mode,
            roles: s.roles ?? [],
            subjects: s.subjects ?? [],
            timeLimitHours: s.timeLimitHours,
            branches: (s.branches ?? []).map((b) => ({
              when: { field: b.when.field, operator: b.when.operator, value: b.when.value as FieldValue },
              next: b.next,
            })),
            next: s.next ?? null,
          })),
        }),
    }),
    startOaWorkflow: t.field({
      authScopes: STAFF_ONLY,
      type: OaWorkflowInstanceRef,
      description: 'Starts an approval on a document or on any hub entity.',
      errors: ERRORS,
      args: { input: t.arg({ type: StartInput, required: true }) },
      resolve: (_root, { input }, ctx) => {
        const fields = input.fields ?? {};
        if (typeof fields !== 'object' || fields === null || Array.isArray(fields))
          throw new ValidationError([{ path: 'input.fields', message: 'an object of named values' }]);
        return ctx.services.get(oaServiceRef).workflows.start(ctx.viewer, {
          definitionKey: input.definitionKey,
          version: input.version,
          title: input.title,
          documentId: input.document ? idOf(input.document, 'OaDocument', 'input.document') : null,
          subjectGlobalId: input.subject ?? null,
          fields: fields as Record<string, unknown>,
        });
      },
    }),
    ...Object.fromEntries(
      ACTION_FIELDS.map(({ field, action, description }) => [
        field,
        t.field({
          authScopes: STAFF_ONLY,
          type: OaWorkflowInstanceRef,
          description,
          errors: ERRORS,
          args: { input: t.arg({ type: ActInput, required: true }) },
          resolve: (_root, { input }, ctx) =>
            ctx.services.get(oaServiceRef).workflows.act(ctx.viewer, {
              instanceId: idOf(input.instance, 'OaWorkflowInstance', 'input.instance'),
              action,
              step: input.step,
              opinion: input.opinion,
              returnTo: input.returnTo,
              forwardTo: input.forwardTo,
            }),
        }),
      ]),
    ),
  }));
}
