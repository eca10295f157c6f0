import type { HubBuilder } from '../../../src/graphql/builder';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../../src/errors';
import { pageOf } from '../../../src/graphql/pagination';
import { gridServiceRef } from '../public';
import type { GridAssignment } from '../service/types';
import type { GridEnums } from './enums';
import { idOf, orUndefined } from './ids';
import { assignmentsLoader, cellByCodeLoader, staffLoader } from './loaders';
import { GridCellRef, GridStaffRef } from './refs';
import { boundedList } from '../../../src/graphql/cost/declare';
import { MAX_ASSIGNMENTS_SHOWN } from '../service/staff';
import { loadNodes } from '../../../src/graphql/loaders';

const STAFF = ['admin', 'district', 'town', 'assistant'] as const;

/** Assistants and officers, and their assignments to cells. */
export function registerStaffSchema(builder: HubBuilder, enums: GridEnums): void {
  const AssignmentRef = builder.objectRef<GridAssignment>('GridAssignment').implement({
    description: 'An assistant answering for a cell over a period (分片包干、定人定岗).',
    fields: (t) => ({
      id: t.exposeID('id'),
      staff: t.field({ type: GridStaffRef, nullable: true, resolve: (a, _x, ctx) => staffLoader(ctx).load(a.staffId) }),
      cellCode: t.exposeString('cellCode'),
      cell: t.field({ type: GridCellRef, nullable: true, resolve: (a, _x, ctx) => cellByCodeLoader(ctx).load(a.cellCode) }),
      validFrom: t.field({ type: 'DateTime', resolve: (a) => a.validFrom }),
      validTo: t.field({ type: 'DateTime', nullable: true, resolve: (a) => a.validTo }),
      active: t.boolean({ resolve: (a, _x, ctx) => a.validFrom <= ctx.now() && (a.validTo === null || a.validTo > ctx.now()) }),
    }),
  });

  builder.node(GridStaffRef, {
    description: 'A grid assistant (环保协管员) or a town or district officer.',
    id: { resolve: (staff) => staff.id },
    loadMany: loadNodes(staffLoader),
    isTypeOf: (value) => typeof value === 'object' && value !== null && 'role' in value && 'organisationCode' in value,
    fields: (t) => ({
      name: t.exposeString('name'),
      role: t.field({ type: enums.StaffRole, resolve: (s) => s.role }),
      organisationCode: t.exposeString('organisationCode', { nullable: true, description: 'the town office’s level-2 cell; null for the district bureau' }),
      organisation: t.field({
        type: GridCellRef,
        nullable: true,
        resolve: (s, _a, ctx) => (s.organisationCode ? cellByCodeLoader(ctx).load(s.organisationCode) : null),
      }),
      active: t.exposeBoolean('active'),
      phone: t.string({
        nullable: true,
        authScopes: { staff: true },
        unauthorizedResolver: () => null,
        description: 'personal data: shown to staff only, null for anyone else',
        resolve: (s) => s.phone,
      }),
      subject: t.string({
        nullable: true,
        authScopes: { staff: true },
        unauthorizedResolver: () => null,
        description: 'the token subject of this person’s account; staff only',
        resolve: (s) => s.subject,
      }),
      assignments: t.field({
        extensions: boundedList(MAX_ASSIGNMENTS_SHOWN),
        type: [AssignmentRef],
        authScopes: { staff: true },
        unauthorizedResolver: () => [],
        description: 'newest first, at most 100; staff only',
        resolve: async (s, _a, ctx) => (await assignmentsLoader(ctx).load(s.id)) ?? [],
      }),
    }),
  });

  const StaffFilter = builder.inputType('GridStaffFilter', {
    fields: (t) => ({
      role: t.field({ type: enums.StaffRole, required: false }),
      organisationCode: t.string({ required: false }),
      districtBureau: t.boolean({ required: false, description: 'only the district bureau’s people' }),
      active: t.boolean({ required: false }),
      search: t.string({ required: false, description: 'part of the name' }),
    }),
  });

  builder.queryFields((t) => ({
    gridStaff: t.connection({
      authScopes: { roles: [...STAFF] },
      type: GridStaffRef,
      args: { filter: t.arg({ type: StaffFilter, required: false }) },
      resolve: async (_root, args, ctx) => {
        const filter = args.filter ?? {};
        if ((filter.search?.length ?? 0) > 50) throw new ValidationError([{ path: 'filter.search', message: 'at most 50 characters' }]);
        const list = ctx.services.get(gridServiceRef).staff;
        const query = [
          ctx.viewer,
          {
            role: orUndefined(filter.role),
            organisationCode: orUndefined(filter.organisationCode),
            districtBureau: orUndefined(filter.districtBureau),
            active: orUndefined(filter.active),
            search: orUndefined(filter.search),
          },
        ] as const;
        return pageOf(args, 'ascending', (window) => list.list(...query, window), { idOf: (s) => s.id, count: () => list.count(...query) });
      },
    }),
    gridMe: t.field({
      authScopes: { roles: [...STAFF] },
      type: GridStaffRef,
      nullable: true,
      description: 'The staff record linked to the viewer’s token subject.',
      resolve: async (_root, _args, ctx) => (await ctx.services.get(gridServiceRef).scopeOf(ctx.viewer)).self ?? null,
    }),
  }));

  const StaffInput = builder.inputType('GridStaffInput', {
    fields: (t) => ({
      name: t.string({ required: true }),
      role: t.field({ type: enums.StaffRole, required: true }),
      organisationCode: t.string({ required: false, description: 'the town office’s level-2 cell; none for the district bureau' }),
      phone: t.string({ required: false }),
      subject: t.string({ required: false, description: 'the token subject of this person’s account' }),
      active: t.boolean({ required: false }),
    }),
  });
  const StaffPatch = builder.inputType('GridStaffPatch', {
    fields: (t) => ({
      name: t.string({ required: false }),
      role: t.field({ type: enums.StaffRole, required: false }),
      organisationCode: t.string({ required: false }),
      phone: t.string({ required: false }),
      subject: t.string({ required: false }),
      active: t.boolean({ required: false }),
    }),
  });
  const AssignmentInput = builder.inputType('GridAssignmentInput', {
    fields: (t) => ({
      staff: t.globalID({ required: true }),
      cellCode: t.string({ required: true }),
      validFrom: t.field({ type: 'DateTime', required: true }),
      validTo: t.field({ type: 'DateTime', required: false }),
    }),
  });

  builder.mutationFields((t) => ({
    createGridStaff: t.field({
      authScopes: { district: true },
      type: GridStaffRef,
      errors: { types: [ValidationError, ConflictError] },
      args: { input: t.arg({ type: StaffInput, required: true }) },
      resolve: (_root, { input }, ctx) =>
        ctx.services.get(gridServiceRef).staff.create({
          name: input.name,
          role: input.role,
          organisationCode: input.organisationCode ?? null,
          phone: input.phone ?? null,
          subject: input.subject ?? null,
          active: input.active ?? true,
        }),
    }),
    updateGridStaff: t.field({
      authScopes: { district: true },
      type: GridStaffRef,
      errors: { types: [ValidationError, NotFoundError, ConflictError] },
      args: { id: t.arg.globalID({ required: true }), input: t.arg({ type: StaffPatch, required: true }) },
      resolve: (_root, { id, input }, ctx) =>
        ctx.services.get(gridServiceRef).staff.update(idOf(id, 'GridStaff', 'id'), {
          name: orUndefined(input.name),
          role: orUndefined(input.role),
          organisationCode: input.organisationCode,
          phone: input.phone,
          subject: input.subject,
          active: orUndefined(input.active),
        }),
    }),
    assignGridAssistant: t.field({
      authScopes: { roles: ['admin', 'district', 'town'] },
      type: AssignmentRef,
      description: 'Makes an assistant answer for a cell from validFrom (until validTo); a town officer within their town.',
      errors: { types: [ValidationError, NotFoundError, ForbiddenError] },
      args: { input: t.arg({ type: AssignmentInput, required: true }) },
      resolve: (_root, { input }, ctx) =>
        ctx.services.get(gridServiceRef).staff.assign(ctx.viewer, {
          staffId: idOf(input.staff, 'GridStaff', 'input.staff'),
          cellCode: input.cellCode,
          validFrom: input.validFrom,
          validTo: input.validTo ?? null,
        }),
    }),
    endGridAssignment: t.field({
      authScopes: { roles: ['admin', 'district', 'town'] },
      type: AssignmentRef,
      errors: { types: [ValidationError, NotFoundError, ForbiddenError, ConflictError] },
      args: { id: t.arg.id({ required: true }), at: t.arg({ type: 'DateTime', required: false, description: 'now when not given' }) },
      resolve: (_root, args, ctx) => {
        const id = Number(args.id);
        if (!Number.isSafeInteger(id)) throw new ValidationError([{ path: 'id', message: 'not an assignment id' }]);
        return ctx.services.get(gridServiceRef).staff.endAssignment(ctx.viewer, id, args.at ?? undefined);
      },
    }),
  }));
}
