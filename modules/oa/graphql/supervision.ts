import type { HubBuilder } from '../../../src/graphql/builder';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../../src/errors';
import { pageOf } from '../../../src/graphql/pagination';
import { oaServiceRef } from '../public';
import type { OaSupervisionReport } from '../service/types';
import type { OaEnums } from './enums';
import { STAFF_ONLY, idOf, orUndefined } from './ids';
import { reportsLoader, supervisedTaskLoader } from './loaders';
import { OaSupervisedTaskRef } from './refs';
import { boundedList } from '../../../src/graphql/cost/declare';
import { MAX_REPORTS_SHOWN } from '../service/supervision';
import { loadNodes } from '../../../src/graphql/loaders';

const ERRORS = { types: [ValidationError, NotFoundError, ForbiddenError, ConflictError] };

/** 督办: supervised tasks with deadlines, progress reports and escalation. */
export function registerSupervisionSchema(builder: HubBuilder, enums: OaEnums): void {
  const ReportRef = builder.objectRef<OaSupervisionReport>('OaSupervisionReport').implement({
    fields: (t) => ({
      reporter: t.exposeString('reporter'),
      reporterName: t.exposeString('reporterName', { nullable: true }),
      progress: t.exposeInt('progress', { description: 'percent' }),
      note: t.exposeString('note'),
      at: t.field({ type: 'DateTime', resolve: (r) => r.at }),
    }),
  });

  builder.node(OaSupervisedTaskRef, {
    description: 'A supervised task (督办) put on an organisation, escalated each day it is overdue.',
    id: { resolve: (s) => s.id },
    loadMany: loadNodes(supervisedTaskLoader),
    isTypeOf: (value) => typeof value === 'object' && value !== null && 'ownerOrganisation' in value && 'escalationLevel' in value,
    fields: (t) => ({
      title: t.exposeString('title'),
      description: t.exposeString('description', { nullable: true }),
      ownerOrganisation: t.exposeString('ownerOrganisation'),
      supervisor: t.exposeString('supervisor'),
      subject: t.field({ type: enums.EntityLink, nullable: true, resolve: (s) => s.subjectGlobalId }),
      deadline: t.field({ type: 'DateTime', resolve: (s) => s.deadline }),
      status: t.field({ type: enums.SupervisionStatus, resolve: (s) => s.status }),
      overdue: t.boolean({ resolve: (s, _a, ctx) => s.status !== 'COMPLETED' && s.deadline < ctx.now() }),
      progress: t.exposeInt('progress', { description: 'percent, from the latest report' }),
      escalationLevel: t.exposeInt('escalationLevel', { description: 'how many times it has been escalated while overdue' }),
      escalatedAt: t.field({ type: 'DateTime', nullable: true, resolve: (s) => s.escalatedAt }),
      createdAt: t.field({ type: 'DateTime', resolve: (s) => s.createdAt }),
      completedAt: t.field({ type: 'DateTime', nullable: true, resolve: (s) => s.completedAt }),
      reports: t.field({
        extensions: boundedList(MAX_REPORTS_SHOWN),
        type: [ReportRef],
        description: 'newest first, at most 100',
        resolve: async (s, _a, ctx) => (await reportsLoader(ctx).load(s.id)) ?? [],
      }),
    }),
  });

  const Filter = builder.inputType('OaSupervisedTaskFilter', {
    fields: (t) => ({
      status: t.field({ type: [enums.SupervisionStatus], required: false }),
      ownerOrganisation: t.string({ required: false }),
      overdueOnly: t.boolean({ required: false }),
    }),
  });
  const TaskInput = builder.inputType('OaSupervisedTaskInput', {
    fields: (t) => ({
      title: t.string({ required: true }),
      description: t.string({ required: false }),
      ownerOrganisation: t.string({ required: true, description: '`bureau` or a town office’s cell code' }),
      deadline: t.field({ type: 'DateTime', required: true }),
      subject: t.string({ required: false, description: 'the hub entity it is about (global id)' }),
    }),
  });

  builder.queryFields((t) => ({
    oaSupervisedTask: t.field({
      authScopes: STAFF_ONLY,
      type: OaSupervisedTaskRef,
      nullable: true,
      args: { id: t.arg.globalID({ required: true }) },
      resolve: (_root, args, ctx) => supervisedTaskLoader(ctx).load(idOf(args.id, 'OaSupervisedTask', 'id')),
    }),
    oaSupervisedTasks: t.connection({
      authScopes: STAFF_ONLY,
      type: OaSupervisedTaskRef,
      description: 'Supervised tasks: every one for district officers, their organisation’s for others; newest first.',
      args: { filter: t.arg({ type: Filter, required: false }) },
      resolve: async (_root, args, ctx) => {
        const f = args.filter ?? {};
        const list = ctx.services.get(oaServiceRef).supervision;
        const query = [
          ctx.viewer,
          { status: orUndefined(f.status), ownerOrganisation: orUndefined(f.ownerOrganisation), overdueOnly: orUndefined(f.overdueOnly) },
        ] as const;
        return pageOf(args, 'descending', (window) => list.list(...query, window), { idOf: (s) => s.id, count: () => list.count(...query) });
      },
    }),
  }));

  builder.mutationFields((t) => ({
    createOaSupervisedTask: t.field({
      authScopes: { roles: ['admin', 'district'] },
      type: OaSupervisedTaskRef,
      errors: ERRORS,
      args: { input: t.arg({ type: TaskInput, required: true }) },
      resolve: (_root, { input }, ctx) =>
        ctx.services.get(oaServiceRef).supervision.create(ctx.viewer, {
          title: input.title,
          description: input.description,
          ownerOrganisation: input.ownerOrganisation,
          deadline: input.deadline,
          subjectGlobalId: input.subject,
        }),
    }),
    reportOaSupervisedTaskProgress: t.field({
      authScopes: STAFF_ONLY,
      type: OaSupervisedTaskRef,
      description: 'The owner organisation reports progress.',
      errors: ERRORS,
      args: { id: t.arg.globalID({ required: true }), progress: t.arg.int({ required: true }), note: t.arg.string({ required: true }) },
      resolve: (_root, args, ctx) =>
        ctx.services.get(oaServiceRef).supervision.report(ctx.viewer, idOf(args.id, 'OaSupervisedTask', 'id'), { progress: args.progress, note: args.note }),
    }),
    completeOaSupervisedTask: t.field({
      authScopes: STAFF_ONLY,
      type: OaSupervisedTaskRef,
      description: 'The supervisor accepts the work and closes the task.',
      errors: ERRORS,
      args: { id: t.arg.globalID({ required: true }) },
      resolve: (_root, args, ctx) => ctx.services.get(oaServiceRef).supervision.complete(ctx.viewer, idOf(args.id, 'OaSupervisedTask', 'id')),
    }),
  }));
}
