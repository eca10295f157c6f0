import type { HubBuilder } from '../../../src/graphql/builder';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../../src/errors';
import { pageOf } from '../../../src/graphql/pagination';
import { oaServiceRef } from '../public';
import type { OaDocument } from '../service/types';
import type { OaEnums } from './enums';
import { STAFF_ONLY, idOf, orUndefined } from './ids';
import { documentLoader, personLoader } from './loaders';
import { OaDocumentRef, OaPersonRef } from './refs';
import { boundedList } from '../../../src/graphql/cost/declare';
import { MAX_ATTACHMENTS, MAX_LINKS } from '../service/documents';
import { loadNodes } from '../../../src/graphql/loaders';

const ERRORS = { types: [ValidationError, NotFoundError, ForbiddenError, ConflictError] };

/** 收文 and 发文: the document register. */
export function registerDocumentSchema(builder: HubBuilder, enums: OaEnums): void {
  builder.node(OaDocumentRef, {
    description: 'An incoming (收文) or outgoing (发文) document. CONFIDENTIAL ones are shown to their author, approval participants and administrators only.',
    id: { resolve: (d) => d.id },
    loadMany: loadNodes(documentLoader),
    isTypeOf: (value) => typeof value === 'object' && value !== null && 'securityLevel' in value && 'recipientOrganisation' in value,
    fields: (t) => ({
      kind: t.field({ type: enums.DocumentKind, resolve: (d) => d.kind }),
      number: t.exposeString('number', { description: '文号, e.g. 龙环发〔2026〕12号' }),
      year: t.exposeInt('year'),
      title: t.exposeString('title'),
      senderOrganisation: t.exposeString('senderOrganisation'),
      recipientOrganisation: t.exposeString('recipientOrganisation'),
      securityLevel: t.field({ type: enums.SecurityLevel, resolve: (d) => d.securityLevel }),
      urgency: t.field({ type: enums.Urgency, resolve: (d) => d.urgency }),
      status: t.field({ type: enums.DocumentStatus, resolve: (d) => d.status }),
      body: t.exposeString('body'),
      attachments: t.field({ type: [enums.Attachment], extensions: boundedList(MAX_ATTACHMENTS, { computed: true }), resolve: (d) => d.attachments }),
      links: t.field({
        type: [enums.EntityLink],
        extensions: boundedList(MAX_LINKS, { computed: true }),
        description: 'the hub entities the document is about',
        resolve: (d) => d.links,
      }),
      createdBy: t.exposeString('createdBy'),
      author: t.field({ type: OaPersonRef, nullable: true, resolve: (d, _a, ctx) => personLoader(ctx).load(d.createdBy) }),
      createdAt: t.field({ type: 'DateTime', resolve: (d) => d.createdAt }),
      updatedAt: t.field({ type: 'DateTime', resolve: (d) => d.updatedAt }),
    }),
  });

  const Filter = builder.inputType('OaDocumentFilter', {
    fields: (t) => ({
      kind: t.field({ type: enums.DocumentKind, required: false }),
      status: t.field({ type: [enums.DocumentStatus], required: false }),
      securityLevel: t.field({ type: enums.SecurityLevel, required: false }),
      year: t.int({ required: false }),
      search: t.string({ required: false, description: 'part of the title or number' }),
      link: t.string({ required: false, description: 'documents linked to this global id' }),
      createdFrom: t.field({ type: 'DateTime', required: false }),
      createdTo: t.field({ type: 'DateTime', required: false }),
    }),
  });
  const AttachmentInput = builder.inputType('OaAttachmentInput', {
    fields: (t) => ({
      mediaId: t.string({ required: true }),
      name: t.string({ required: true }),
      contentType: t.string({ required: false }),
      size: t.int({ required: false }),
    }),
  });
  const DocumentInput = builder.inputType('OaDocumentInput', {
    fields: (t) => ({
      kind: t.field({ type: enums.DocumentKind, required: true }),
      number: t.string({ required: false, description: 'the next number of the kind and year (龙环发〔YYYY〕N号 / 龙环收〔YYYY〕N号) when not given' }),
      title: t.string({ required: true }),
      senderOrganisation: t.string({ required: true }),
      recipientOrganisation: t.string({ required: true }),
      securityLevel: t.field({ type: enums.SecurityLevel, required: true }),
      urgency: t.field({ type: enums.Urgency, required: true }),
      body: t.string({ required: true, description: 'at most 50,000 characters' }),
      attachments: t.field({ type: [AttachmentInput], required: false }),
      links: t.stringList({ required: false, description: 'Relay global ids of hub entities (enterprise, exceedance, incident, task, case)' }),
    }),
  });

  builder.queryFields((t) => ({
    oaDocument: t.field({
      authScopes: STAFF_ONLY,
      type: OaDocumentRef,
      nullable: true,
      args: { id: t.arg.globalID({ required: true }) },
      resolve: (_root, args, ctx) => documentLoader(ctx).load(idOf(args.id, 'OaDocument', 'id')),
    }),
    oaDocuments: t.connection({
      authScopes: STAFF_ONLY,
      type: OaDocumentRef,
      description: 'Documents the viewer may read, newest first.',
      args: { filter: t.arg({ type: Filter, required: false }) },
      resolve: async (_root, args, ctx) => {
        const f = args.filter ?? {};
        const list = ctx.services.get(oaServiceRef).documents;
        const query = [
          ctx.viewer,
          {
            kind: orUndefined(f.kind),
            status: orUndefined(f.status),
            securityLevel: orUndefined(f.securityLevel),
            year: orUndefined(f.year),
            search: orUndefined(f.search),
            link: orUndefined(f.link),
            createdFrom: orUndefined(f.createdFrom),
            createdTo: orUndefined(f.createdTo),
          },
        ] as const;
        return pageOf(args, 'descending', (window) => list.list(...query, window), { idOf: (d: OaDocument) => d.id, count: () => list.count(...query) });
      },
    }),
  }));

  builder.mutationFields((t) => ({
    createOaDocument: t.field({
      authScopes: STAFF_ONLY,
      type: OaDocumentRef,
      description: 'Registers an incoming document or drafts an outgoing one (status DRAFT).',
      errors: ERRORS,
      args: { input: t.arg({ type: DocumentInput, required: true }) },
      resolve: (_root, { input }, ctx) =>
        ctx.services.get(oaServiceRef).documents.create(ctx.viewer, {
          kind: input.kind,
          number: input.number,
          title: input.title,
          senderOrganisation: input.senderOrganisation,
          recipientOrganisation: input.recipientOrganisation,
          securityLevel: input.securityLevel,
          urgency: input.urgency,
          body: input.body,
          attachments: input.attachments?.map((a) => ({ mediaId: a.mediaId, name: a.name, contentType: a.contentType ?? null, size: a.size ?? null })),
          links: input.links,
        }),
    }),
    archiveOaDocument: t.field({
      authScopes: STAFF_ONLY,
      type: OaDocumentRef,
      description: 'Files a document away; its author or an administrator, not while in approval.',
      errors: ERRORS,
      args: { id: t.arg.globalID({ required: true }) },
      resolve: (_root, args, ctx) => ctx.services.get(oaServiceRef).documents.archive(ctx.viewer, idOf(args.id, 'OaDocument', 'id')),
    }),
  }));
}
