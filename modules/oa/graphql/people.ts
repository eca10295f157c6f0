import type { HubBuilder } from '../../../src/graphql/builder';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../../src/errors';
import { pageOf } from '../../../src/graphql/pagination';
import { oaServiceRef } from '../public';
import type { OaEnums } from './enums';
import { STAFF_ONLY, orUndefined } from './ids';
import { personByIdLoader, personLoader } from './loaders';
import { OaPersonRef } from './refs';
import { loadNodes } from '../../../src/graphql/loaders';

/** The people directory: who OA routes steps and notices to. */
export function registerPeopleSchema(builder: HubBuilder, enums: OaEnums): void {
  builder.node(OaPersonRef, {
    id: { resolve: (p) => p.id },
    loadMany: loadNodes(personByIdLoader),
    isTypeOf: (value) => typeof value === 'object' && value !== null && 'subject' in value && 'organisation' in value && 'roles' in value,
    description: 'A member of staff as OA knows them: token subject, organisation (`bureau` or a town office’s cell code) and roles.',
    fields: (t) => ({
      subject: t.exposeString('subject'),
      name: t.exposeString('name'),
      organisation: t.exposeString('organisation'),
      title: t.exposeString('title', { nullable: true, description: '职务, e.g. 科长' }),
      roles: t.field({ type: [enums.Role], resolve: (p) => p.roles }),
      active: t.exposeBoolean('active'),
    }),
  });

  const PersonInput = builder.inputType('OaPersonInput', {
    fields: (t) => ({
      subject: t.string({ required: true }),
      name: t.string({ required: true }),
      organisation: t.string({ required: true, description: '`bureau` or a town office’s cell code' }),
      title: t.string({ required: false }),
      roles: t.field({ type: [enums.Role], required: true }),
      active: t.boolean({ required: false }),
    }),
  });

  builder.queryFields((t) => ({
    oaPeople: t.connection({
      authScopes: STAFF_ONLY,
      type: OaPersonRef,
      description: 'The people directory in entry order.',
      args: { organisation: t.arg.string({ required: false }), role: t.arg({ type: enums.Role, required: false }) },
      resolve: async (_root, args, ctx) => {
        const list = ctx.services.get(oaServiceRef).people;
        const query = [ctx.viewer, { organisation: orUndefined(args.organisation), role: orUndefined(args.role) }] as const;
        return pageOf(args, 'ascending', (window) => list.list(...query, window), { idOf: (p) => p.id, count: () => list.count(...query) });
      },
    }),
    oaPerson: t.field({
      authScopes: STAFF_ONLY,
      type: OaPersonRef,
      nullable: true,
      args: { subject: t.arg.string({ required: true }) },
      resolve: async (_root, args, ctx) => {
        await ctx.services.get(oaServiceRef).actor(ctx.viewer);
        return args.subject.length <= 128 ? personLoader(ctx).load(args.subject) : null;
      },
    }),
  }));

  builder.mutationFields((t) => ({
    upsertOaPerson: t.field({
      authScopes: { admin: true },
      type: OaPersonRef,
      description: 'Adds or updates a person in the directory (by subject). Administrators only.',
      errors: { types: [ValidationError, NotFoundError, ForbiddenError, ConflictError] },
      args: { input: t.arg({ type: PersonInput, required: true }) },
      resolve: (_root, { input }, ctx) =>
        ctx.services.get(oaServiceRef).people.upsert(ctx.viewer, {
          subject: input.subject,
          name: input.name,
          organisation: input.organisation,
          title: input.title,
          roles: input.roles,
          active: input.active,
        }),
    }),
  }));
}
