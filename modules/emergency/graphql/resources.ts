import type { HubBuilder } from '../../../src/graphql/builder';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../../src/errors';
import { pageOf } from '../../../src/graphql/pagination';
import { emergencyServiceRef } from '../public';
import type { EmergencyEnums } from './enums';
import { OFFICERS, STAFF, idOf, orUndefined } from './ids';
import { resourceLoader } from './loaders';
import { EmergencyOrderRef, EmergencyResourceRef } from './refs';
import { loadNodes } from '../../../src/graphql/loaders';

const ERRORS = { types: [ValidationError, NotFoundError, ForbiddenError, ConflictError] };

/** Resources (teams, experts, equipment, supplies) and dispatching them to incidents. */
export function registerResourceSchema(builder: HubBuilder, enums: EmergencyEnums): void {
  builder.node(EmergencyResourceRef, {
    description: 'A response team, an expert, equipment or supplies the district can send.',
    id: { resolve: (r) => r.id },
    loadMany: loadNodes(resourceLoader),
    isTypeOf: (value) => typeof value === 'object' && value !== null && 'contactPhone' in value && 'available' in value,
    fields: (t) => ({
      kind: t.field({ type: enums.ResourceKind, resolve: (r) => r.kind }),
      name: t.exposeString('name'),
      description: t.exposeString('description', { nullable: true }),
      quantity: t.exposeInt('quantity'),
      unit: t.exposeString('unit', { nullable: true }),
      location: t.field({ type: enums.Point, resolve: (r) => ({ longitude: r.longitude, latitude: r.latitude }) }),
      cellCode: t.exposeString('cellCode', { nullable: true }),
      // every field of the type is staff-only already; the contact is personal data
      contactName: t.exposeString('contactName', { nullable: true, authScopes: { roles: [...STAFF] } }),
      contactPhone: t.exposeString('contactPhone', { nullable: true, authScopes: { roles: [...STAFF] } }),
      available: t.exposeBoolean('available'),
    }),
  });

  const Filter = builder.inputType('EmergencyResourceFilter', {
    fields: (t) => ({
      kind: t.field({ type: [enums.ResourceKind], required: false }),
      available: t.boolean({ required: false }),
    }),
  });
  const ResourceInput = builder.inputType('EmergencyResourceInput', {
    fields: (t) => ({
      kind: t.field({ type: enums.ResourceKind, required: true }),
      name: t.string({ required: true }),
      description: t.string({ required: false }),
      quantity: t.int({ required: true }),
      unit: t.string({ required: false }),
      longitude: t.float({ required: true }),
      latitude: t.float({ required: true }),
      cellCode: t.string({ required: false }),
      contactName: t.string({ required: false }),
      contactPhone: t.string({ required: false }),
      available: t.boolean({ required: false }),
    }),
  });
  const ResourcePatch = builder.inputType('EmergencyResourcePatch', {
    fields: (t) => ({
      name: t.string({ required: false }),
      description: t.string({ required: false }),
      quantity: t.int({ required: false }),
      unit: t.string({ required: false }),
      longitude: t.float({ required: false }),
      latitude: t.float({ required: false }),
      cellCode: t.string({ required: false }),
      contactName: t.string({ required: false }),
      contactPhone: t.string({ required: false }),
      available: t.boolean({ required: false }),
    }),
  });
  const DispatchInput = builder.inputType('EmergencyDispatchInput', {
    fields: (t) => ({
      incident: t.globalID({ required: true }),
      resource: t.globalID({ required: true }),
      quantity: t.int({ required: false, description: 'all of it when not given' }),
      instructions: t.string({ required: false }),
      notify: t.stringList({
        required: false,
        description: 'token subjects of the people to tell (the team leader on duty, the expert), in the app and through the notification gateway; at most 20',
      }),
    }),
  });

  builder.queryFields((t) => ({
    emergencyResources: t.connection({
      authScopes: { roles: [...STAFF] },
      type: EmergencyResourceRef,
      description: 'The district’s response resources.',
      args: { filter: t.arg({ type: Filter, required: false }) },
      resolve: async (_root, args, ctx) => {
        const filter = args.filter ?? {};
        const list = ctx.services.get(emergencyServiceRef).resources;
        const query = [ctx.viewer, { kind: orUndefined(filter.kind), available: orUndefined(filter.available) }] as const;
        return pageOf(args, 'ascending', (window) => list.list(...query, window), { idOf: (resource) => resource.id, count: () => list.count(...query) });
      },
    }),
  }));

  builder.mutationFields((t) => ({
    createEmergencyResource: t.field({
      authScopes: { roles: ['admin', 'district'] },
      type: EmergencyResourceRef,
      errors: ERRORS,
      args: { input: t.arg({ type: ResourceInput, required: true }) },
      resolve: (_root, { input }, ctx) => ctx.services.get(emergencyServiceRef).resources.create(ctx.viewer, input),
    }),
    updateEmergencyResource: t.field({
      authScopes: { roles: ['admin', 'district'] },
      type: EmergencyResourceRef,
      errors: ERRORS,
      args: { id: t.arg.globalID({ required: true }), input: t.arg({ type: ResourcePatch, required: true }) },
      resolve: (_root, args, ctx) => ctx.services.get(emergencyServiceRef).resources.update(ctx.viewer, idOf(args.id, 'EmergencyResource', 'id'), args.input),
    }),
    dispatchEmergencyResource: t.field({
      authScopes: { roles: [...OFFICERS] },
      type: EmergencyOrderRef,
      description: 'Sends an available resource to an incident.',
      errors: ERRORS,
      args: { input: t.arg({ type: DispatchInput, required: true }) },
      resolve: (_root, { input }, ctx) =>
        ctx.services.get(emergencyServiceRef).resources.dispatch(ctx.viewer, {
          incidentId: idOf(input.incident, 'EmergencyIncident', 'input.incident'),
          resourceId: idOf(input.resource, 'EmergencyResource', 'input.resource'),
          quantity: input.quantity,
          instructions: input.instructions,
          notify: input.notify,
        }),
    }),
    acknowledgeEmergencyOrder: t.field({
      authScopes: { roles: [...OFFICERS] },
      type: EmergencyOrderRef,
      description: 'The resource acknowledged the order.',
      errors: ERRORS,
      args: { id: t.arg.globalID({ required: true }) },
      resolve: (_root, args, ctx) => ctx.services.get(emergencyServiceRef).resources.acknowledge(ctx.viewer, idOf(args.id, 'EmergencyDispatchOrder', 'id')),
    }),
    recordEmergencyOrderArrival: t.field({
      authScopes: { roles: [...OFFICERS] },
      type: EmergencyOrderRef,
      description: 'The resource arrived on site.',
      errors: ERRORS,
      args: { id: t.arg.globalID({ required: true }) },
      resolve: (_root, args, ctx) => ctx.services.get(emergencyServiceRef).resources.arrive(ctx.viewer, idOf(args.id, 'EmergencyDispatchOrder', 'id')),
    }),
  }));
}
