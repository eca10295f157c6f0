import type { HubBuilder } from '../../../src/graphql/builder';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../../src/errors';
import { pageOf } from '../../../src/graphql/pagination';
import { oaServiceRef } from '../public';
import type { ReadReceipts } from '../service/notices';
import type { OaEnums } from './enums';
import { STAFF_ONLY, idOf, orUndefined } from './ids';
import { noticeLoader, readAtLoader, receiptsLoader } from './loaders';
import { OaNoticeRef, OaPersonRef } from './refs';
import { boundedList } from '../../../src/graphql/cost/declare';
import { MAX_UNREAD_SHOWN } from '../service/notices';
import { loadNodes } from '../../../src/graphql/loaders';

const ERRORS = { types: [ValidationError, NotFoundError, ForbiddenError, ConflictError] };

/** Notices (通知) to organisations or roles, with read receipts. */
export function registerNoticeSchema(builder: HubBuilder, enums: OaEnums): void {
  const ReceiptsRef = builder.objectRef<ReadReceipts>('OaNoticeReceipts').implement({
    description: 'Who the notice reached (through the people directory) and who has not read it.',
    fields: (t) => ({
      audienceCount: t.exposeInt('audienceCount'),
      readCount: t.exposeInt('readCount'),
      unread: t.field({ extensions: boundedList(MAX_UNREAD_SHOWN), type: [OaPersonRef], description: 'at most 100', resolve: (r) => r.unread }),
    }),
  });

  builder.node(OaNoticeRef, {
    description: 'A notice published to organisations or roles.',
    id: { resolve: (n) => n.id },
    loadMany: loadNodes(noticeLoader),
    isTypeOf: (value) => typeof value === 'object' && value !== null && 'audienceOrganisations' in value,
    fields: (t) => ({
      title: t.exposeString('title'),
      body: t.exposeString('body'),
      publisher: t.exposeString('publisher'),
      publisherName: t.exposeString('publisherName', { nullable: true }),
      organisations: t.exposeStringList('audienceOrganisations'),
      roles: t.field({ type: [enums.Role], resolve: (n) => n.audienceRoles }),
      publishedAt: t.field({ type: 'DateTime', resolve: (n) => n.publishedAt }),
      readAt: t.field({
        type: 'DateTime',
        nullable: true,
        description: 'when the viewer read it',
        resolve: async (n, _a, ctx) => (await readAtLoader(ctx).load(n.id)) ?? null,
      }),
      receipts: t.field({
        type: ReceiptsRef,
        nullable: true,
        description: 'for the publisher and administrators; null for anyone else',
        resolve: async (n, _a, ctx) => (await receiptsLoader(ctx).load(n.id)) ?? null,
      }),
    }),
  });

  const NoticeInput = builder.inputType('OaNoticeInput', {
    fields: (t) => ({
      title: t.string({ required: true }),
      body: t.string({ required: true }),
      organisations: t.stringList({ required: false, description: '`bureau` or town offices’ cell codes' }),
      roles: t.field({ type: [enums.Role], required: false }),
    }),
  });
  const Filter = builder.inputType('OaNoticeFilter', {
    fields: (t) => ({ unreadOnly: t.boolean({ required: false }), mine: t.boolean({ required: false, description: 'those the viewer published' }) }),
  });

  builder.queryFields((t) => ({
    oaNotice: t.field({
      authScopes: STAFF_ONLY,
      type: OaNoticeRef,
      nullable: true,
      args: { id: t.arg.globalID({ required: true }) },
      resolve: (_root, args, ctx) => noticeLoader(ctx).load(idOf(args.id, 'OaNotice', 'id')),
    }),
    oaNotices: t.connection({
      authScopes: STAFF_ONLY,
      type: OaNoticeRef,
      description: 'Notices addressed to the viewer or published by them, newest first.',
      args: { filter: t.arg({ type: Filter, required: false }) },
      resolve: async (_root, args, ctx) => {
        const list = ctx.services.get(oaServiceRef).notices;
        const query = [ctx.viewer, { unreadOnly: orUndefined(args.filter?.unreadOnly), mine: orUndefined(args.filter?.mine) }] as const;
        return pageOf(args, 'descending', (window) => list.list(...query, window), { idOf: (n) => n.id, count: () => list.count(...query) });
      },
    }),
  }));

  builder.mutationFields((t) => ({
    publishOaNotice: t.field({
      authScopes: { roles: ['admin', 'district', 'town'] },
      type: OaNoticeRef,
      errors: ERRORS,
      args: { input: t.arg({ type: NoticeInput, required: true }) },
      resolve: (_root, { input }, ctx) =>
        ctx.services
          .get(oaServiceRef)
          .notices.publish(ctx.viewer, { title: input.title, body: input.body, organisations: input.organisations, roles: input.roles }),
    }),
    markNoticeRead: t.field({
      authScopes: STAFF_ONLY,
      type: OaNoticeRef,
      description: 'Records the viewer’s read receipt; reading again keeps the first time.',
      errors: ERRORS,
      args: { id: t.arg.globalID({ required: true }) },
      resolve: (_root, args, ctx) => ctx.services.get(oaServiceRef).notices.markRead(ctx.viewer, idOf(args.id, 'OaNotice', 'id')),
    }),
  }));
}
