import type { HubBuilder } from '../../../src/graphql/builder';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../../src/errors';
import { pageOf } from '../../../src/graphql/pagination';
import { emergencyServiceRef } from '../public';
import type { PlanStep } from '../service/types';
import type { EmergencyEnums } from './enums';
import { OFFICERS, STAFF, idOf, orUndefined } from './ids';
import { planLoader, stepsLoader } from './loaders';
import { EmergencyActionRef, EmergencyIncidentRef, EmergencyPlanRef } from './refs';
import { boundedList } from '../../../src/graphql/cost/declare';
import { MAX_STEPS } from '../service/plans';
import { loadNodes } from '../../../src/graphql/loaders';

const ERRORS = { types: [ValidationError, NotFoundError, ForbiddenError, ConflictError] };

/** Response plans (预案): types, queries, and activating one on an incident. */
export function registerPlanSchema(builder: HubBuilder, enums: EmergencyEnums): void {
  const StepRef = builder.objectRef<PlanStep>('EmergencyPlanStep').implement({
    fields: (t) => ({
      position: t.exposeInt('position'),
      title: t.exposeString('title'),
      ownerRole: t.exposeString('ownerRole', { description: 'the role that owns the step (应急办, 监测站, 执法大队...)' }),
      description: t.exposeString('description', { nullable: true }),
    }),
  });

  builder.node(EmergencyPlanRef, {
    description: 'A response plan for one incident type and level, with ordered steps.',
    id: { resolve: (p) => p.id },
    loadMany: loadNodes(planLoader),
    isTypeOf: (value) => typeof value === 'object' && value !== null && 'incidentType' in value && 'summary' in value,
    fields: (t) => ({
      name: t.exposeString('name'),
      incidentType: t.field({ type: enums.IncidentType, resolve: (p) => p.incidentType }),
      level: t.field({ type: enums.IncidentLevel, resolve: (p) => p.level }),
      summary: t.exposeString('summary', { nullable: true }),
      steps: t.field({ type: [StepRef], extensions: boundedList(MAX_STEPS), resolve: async (p, _a, ctx) => (await stepsLoader(ctx).load(p.id)) ?? [] }),
    }),
  });

  const Filter = builder.inputType('EmergencyPlanFilter', {
    fields: (t) => ({
      incidentType: t.field({ type: enums.IncidentType, required: false }),
      level: t.field({ type: enums.IncidentLevel, required: false }),
    }),
  });
  const StepInput = builder.inputType('EmergencyPlanStepInput', {
    fields: (t) => ({
      title: t.string({ required: true }),
      ownerRole: t.string({ required: true }),
      description: t.string({ required: false }),
    }),
  });
  const PlanInput = builder.inputType('EmergencyPlanInput', {
    fields: (t) => ({
      name: t.string({ required: true }),
      incidentType: t.field({ type: enums.IncidentType, required: true }),
      level: t.field({ type: enums.IncidentLevel, required: true }),
      summary: t.string({ required: false }),
      steps: t.field({ type: [StepInput], required: true, description: 'in order; 1-50' }),
    }),
  });

  builder.queryFields((t) => ({
    emergencyPlans: t.connection({
      authScopes: { roles: [...STAFF] },
      type: EmergencyPlanRef,
      description: 'Response plans, by type and level.',
      args: { filter: t.arg({ type: Filter, required: false }) },
      resolve: async (_root, args, ctx) => {
        const filter = args.filter ?? {};
        const list = ctx.services.get(emergencyServiceRef).plans;
        const query = [ctx.viewer, { incidentType: orUndefined(filter.incidentType), level: orUndefined(filter.level) }] as const;
        return pageOf(args, 'ascending', (window) => list.list(...query, window), { idOf: (plan) => plan.id, count: () => list.count(...query) });
      },
    }),
  }));

  builder.mutationFields((t) => ({
    createEmergencyPlan: t.field({
      authScopes: { roles: ['admin', 'district'] },
      type: EmergencyPlanRef,
      errors: ERRORS,
      args: { input: t.arg({ type: PlanInput, required: true }) },
      resolve: (_root, { input }, ctx) => ctx.services.get(emergencyServiceRef).plans.create(ctx.viewer, input),
    }),
    activateEmergencyPlan: t.field({
      authScopes: { roles: [...OFFICERS] },
      type: EmergencyIncidentRef,
      description: 'Creates the plan’s steps on the incident as actions to track; once per plan and incident.',
      errors: ERRORS,
      args: { incident: t.arg.globalID({ required: true }), plan: t.arg.globalID({ required: true }) },
      resolve: (_root, args, ctx) =>
        ctx.services
          .get(emergencyServiceRef)
          .plans.activate(ctx.viewer, idOf(args.incident, 'EmergencyIncident', 'incident'), idOf(args.plan, 'EmergencyPlan', 'plan')),
    }),
    completeEmergencyAction: t.field({
      authScopes: { roles: [...OFFICERS] },
      type: EmergencyActionRef,
      description: 'Marks an activated plan step done.',
      errors: ERRORS,
      args: { id: t.arg.globalID({ required: true }), note: t.arg.string({ required: false }) },
      resolve: (_root, args, ctx) => ctx.services.get(emergencyServiceRef).plans.completeAction(ctx.viewer, idOf(args.id, 'EmergencyAction', 'id'), args.note),
    }),
  }));
}
