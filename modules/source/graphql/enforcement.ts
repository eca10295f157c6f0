import type { HubBuilder } from '../../../src/graphql/builder';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../../src/errors';
import { pageOf } from '../../../src/graphql/pagination';
import { sourceServiceRef } from '../public';
import type { SourceEnums } from './enums';
import { idOf, orUndefined } from './ids';
import { caseLoader, enterpriseLoader, inspectionLoader, snapshotLoader } from './loaders';
import { EnforcementCaseRef, EnterpriseRef, InspectionRef } from './refs';
import { SNAPSHOTS, type VideoTypes } from './video';
import { limitArgument, limitedList, takeLimit } from '../../../src/graphql/cost/declare';
import { loadNodes } from '../../../src/graphql/loaders';

const STAFF = ['admin', 'district', 'town', 'assistant'] as const;
const READERS = ['admin', 'district', 'town', 'assistant', 'enterprise', 'upstream'] as const;

/** Inspections and enforcement cases: types, lists and the case's life cycle. */
export function registerEnforcementSchema(builder: HubBuilder, enums: SourceEnums, { SnapshotRef }: VideoTypes): void {
  builder.node(InspectionRef, {
    description: 'An on-site inspection of an enterprise; `patrolId` names the grid patrol it came from.',
    id: { resolve: (i) => i.id },
    loadMany: loadNodes(inspectionLoader),
    isTypeOf: (value) => typeof value === 'object' && value !== null && 'inspectedAt' in value && 'inspector' in value,
    fields: (t) => ({
      enterprise: t.field({ type: EnterpriseRef, nullable: true, resolve: (i, _a, ctx) => enterpriseLoader(ctx).load(i.enterpriseId) }),
      inspectedAt: t.field({ type: 'DateTime', resolve: (i) => i.inspectedAt }),
      inspector: t.exposeString('inspector'),
      patrolId: t.exposeInt('patrolId', { nullable: true, description: 'the grid patrol (GridPatrol) it was recorded from' }),
      result: t.field({ type: enums.InspectionResult, resolve: (i) => i.result }),
      findings: t.exposeString('findings', { nullable: true }),
    }),
  });

  builder.node(EnforcementCaseRef, {
    description: 'An enforcement case (行政处罚案件): findings, the decision and its penalty.',
    id: { resolve: (c) => c.id },
    loadMany: loadNodes(caseLoader),
    isTypeOf: (value) => typeof value === 'object' && value !== null && 'caseNumber' in value && 'findings' in value,
    fields: (t) => ({
      caseNumber: t.exposeString('caseNumber'),
      enterprise: t.field({ type: EnterpriseRef, nullable: true, resolve: (c, _a, ctx) => enterpriseLoader(ctx).load(c.enterpriseId) }),
      inspection: t.field({
        type: InspectionRef,
        nullable: true,
        resolve: (c, _a, ctx) => (c.inspectionId === null ? null : inspectionLoader(ctx).load(c.inspectionId)),
      }),
      findings: t.exposeString('findings'),
      decision: t.exposeString('decision', { nullable: true }),
      penaltyYuan: t.exposeFloat('penaltyYuan', { nullable: true, description: 'fine in yuan' }),
      status: t.field({ type: enums.CaseStatus, resolve: (c) => c.status }),
      published: t.exposeBoolean('published', { description: 'the decision is public (information disclosure)' }),
      openedAt: t.field({ type: 'DateTime', resolve: (c) => c.openedAt }),
      decidedAt: t.field({ type: 'DateTime', nullable: true, resolve: (c) => c.decidedAt }),
      closedAt: t.field({ type: 'DateTime', nullable: true, resolve: (c) => c.closedAt }),
      snapshots: t.field({
        type: [SnapshotRef],
        description: 'camera snapshots attached as evidence',
        args: { limit: t.arg.int(limitArgument(SNAPSHOTS)) },
        extensions: limitedList(SNAPSHOTS),
        resolve: async (c, args, ctx) => takeLimit(await ((await snapshotLoader('CASE')(ctx).load(c.id)) ?? []), args.limit, SNAPSHOTS),
      }),
    }),
  });

  const CaseFilter = builder.inputType('EnforcementCaseFilter', {
    fields: (t) => ({ status: t.field({ type: enums.CaseStatus, required: false }), enterpriseUscc: t.string({ required: false }) }),
  });

  builder.queryFields((t) => ({
    inspections: t.connection({
      authScopes: { roles: [...READERS] },
      type: InspectionRef,
      description: 'Inspections of the enterprises the viewer sees, newest first.',
      args: { enterpriseUscc: t.arg.string({ required: false }) },
      resolve: async (_root, args, ctx) => {
        const list = ctx.services.get(sourceServiceRef).enforcement;
        const query = [ctx.viewer, { enterpriseUscc: orUndefined(args.enterpriseUscc) }] as const;
        return pageOf(args, 'descending', (window) => list.listInspections(...query, window), {
          idOf: (i) => i.id,
          count: () => list.countInspections(...query),
        });
      },
    }),
    enforcementCases: t.connection({
      authScopes: { roles: [...READERS] },
      type: EnforcementCaseRef,
      description: 'Enforcement cases of the enterprises the viewer sees, newest first.',
      args: { filter: t.arg({ type: CaseFilter, required: false }) },
      resolve: async (_root, args, ctx) => {
        const list = ctx.services.get(sourceServiceRef).enforcement;
        const query = [ctx.viewer, { status: orUndefined(args.filter?.status), enterpriseUscc: orUndefined(args.filter?.enterpriseUscc) }] as const;
        return pageOf(args, 'descending', (window) => list.listCases(...query, window), { idOf: (c) => c.id, count: () => list.countCases(...query) });
      },
    }),
  }));

  const InspectionInput = builder.inputType('RecordInspectionInput', {
    fields: (t) => ({
      enterpriseUscc: t.string({ required: false, description: 'taken from the patrol’s target when a patrol is given' }),
      patrol: t.globalID({ required: false, description: 'the GridPatrol this inspection is recorded from' }),
      inspectedAt: t.field({ type: 'DateTime', required: false }),
      inspector: t.string({ required: false }),
      result: t.field({ type: enums.InspectionResult, required: true }),
      findings: t.string({ required: false }),
    }),
  });
  const CaseInput = builder.inputType('OpenEnforcementCaseInput', {
    fields: (t) => ({
      enterpriseUscc: t.string({ required: true }),
      caseNumber: t.string({ required: true, description: 'e.g. 龙环罚〔2024〕12号' }),
      findings: t.string({ required: true }),
      inspection: t.globalID({ required: false }),
      openedAt: t.field({ type: 'DateTime', required: false }),
    }),
  });
  const DecisionInput = builder.inputType('DecideEnforcementCaseInput', {
    fields: (t) => ({
      decision: t.string({ required: true }),
      penaltyYuan: t.float({ required: false }),
      decidedAt: t.field({ type: 'DateTime', required: false }),
    }),
  });
  const errors = { types: [ValidationError, NotFoundError, ConflictError, ForbiddenError] };
  const caseId = (id: { typename: string; id: string }) => idOf(id, 'EnforcementCase', 'id');

  builder.mutationFields((t) => ({
    recordInspection: t.field({
      authScopes: { roles: [...STAFF] },
      type: InspectionRef,
      errors,
      args: { input: t.arg({ type: InspectionInput, required: true }) },
      resolve: (_root, { input }, ctx) =>
        ctx.services.get(sourceServiceRef).enforcement.recordInspection(ctx.viewer, {
          enterpriseUscc: input.enterpriseUscc ?? null,
          patrolId: input.patrol ? idOf(input.patrol, 'GridPatrol', 'input.patrol') : null,
          inspectedAt: input.inspectedAt ?? null,
          inspector: input.inspector ?? null,
          result: input.result,
          findings: input.findings ?? null,
        }),
    }),
    openEnforcementCase: t.field({
      authScopes: { district: true },
      type: EnforcementCaseRef,
      errors,
      args: { input: t.arg({ type: CaseInput, required: true }) },
      resolve: (_root, { input }, ctx) =>
        ctx.services.get(sourceServiceRef).enforcement.openCase(ctx.viewer, {
          enterpriseUscc: input.enterpriseUscc,
          caseNumber: input.caseNumber,
          findings: input.findings,
          inspectionId: input.inspection ? idOf(input.inspection, 'Inspection', 'input.inspection') : null,
          openedAt: input.openedAt ?? null,
        }),
    }),
    decideEnforcementCase: t.field({
      authScopes: { district: true },
      type: EnforcementCaseRef,
      errors,
      args: { id: t.arg.globalID({ required: true }), input: t.arg({ type: DecisionInput, required: true }) },
      resolve: (_root, { id, input }, ctx) =>
        ctx.services.get(sourceServiceRef).enforcement.decideCase(ctx.viewer, caseId(id), {
          decision: input.decision,
          penaltyYuan: input.penaltyYuan ?? null,
          decidedAt: input.decidedAt ?? null,
        }),
    }),
    closeEnforcementCase: t.field({
      authScopes: { district: true },
      type: EnforcementCaseRef,
      errors,
      args: { id: t.arg.globalID({ required: true }) },
      resolve: (_root, { id }, ctx) => ctx.services.get(sourceServiceRef).enforcement.closeCase(ctx.viewer, caseId(id)),
    }),
    publishEnforcementDecision: t.field({
      authScopes: { district: true },
      type: EnforcementCaseRef,
      errors,
      description: 'Makes a decided case’s decision public.',
      args: { id: t.arg.globalID({ required: true }) },
      resolve: (_root, { id }, ctx) => ctx.services.get(sourceServiceRef).enforcement.publishCase(ctx.viewer, caseId(id)),
    }),
  }));
}
