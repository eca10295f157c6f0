import { escapeLike } from '../../../src/db';
import { and, desc, eq, gte, ilike, inArray, lt, lte, sql, type SQL } from 'drizzle-orm';
import type { Viewer } from '../../../src/auth/viewer';
import { json } from '../../../src/db';
import { ConflictError, ForbiddenError, NotFoundError } from '../../../src/errors';
import { oaDocuments } from '../tables';
import { actorOf, type Actor } from './access';
import type { OaDeps } from './deps';
import { toDocument } from './rows';
import {
  DOCUMENT_KINDS,
  DOCUMENT_STATUSES,
  SECURITY_LEVELS,
  URGENCIES,
  type Attachment,
  type DocumentKind,
  type DocumentStatus,
  type OaDocument,
  type Page,
  type SecurityLevel,
  type Urgency,
} from './types';
import { Problems, decodeGlobalId, optionalText } from './validate';

export const MAX_BODY = 50_000;
export const MAX_ATTACHMENTS = 20;
export const MAX_LINKS = 20;
/** The bureau's own number prefixes: 龙环发 for what it issues, 龙环收 for what it registers. */
export const NUMBER_PREFIX: Readonly<Record<DocumentKind, string>> = { OUTGOING: '龙环发', INCOMING: '龙环收' };
const NUMBER = /^(.{1,16})〔(\d{4})〕(\d{1,6})号$/u;

export interface DocumentInput {
  kind: DocumentKind;
  /** e.g. 龙环发〔2026〕12号; the next number of the kind and year when not given */
  number?: string | null;
  title: string;
  senderOrganisation: string;
  recipientOrganisation: string;
  securityLevel: SecurityLevel;
  urgency: Urgency;
  body: string;
  attachments?: Attachment[] | null;
  links?: string[] | null;
}

export interface DocumentFilter {
  kind?: DocumentKind | undefined;
  status?: DocumentStatus[] | undefined;
  securityLevel?: SecurityLevel | undefined;
  year?: number | undefined;
  /** part of the title or number */
  search?: string | undefined;
  /** documents linked to this global id */
  link?: string | undefined;
  createdFrom?: Date | undefined;
  createdTo?: Date | undefined;
}

/** The year a person in Chengdu writes on the document. */
export const localYear = (at: Date): number => new Date(at.getTime() + 8 * 3_600_000).getUTCFullYear();

/** Confidential documents: their author, anyone in an approval on them, and administrators. */
export function documentCondition(actor: Actor): SQL | undefined {
  if (actor.admin) return undefined;
  return sql`(${oaDocuments.securityLevel} <> 'CONFIDENTIAL' OR ${oaDocuments.createdBy} = ${actor.subject} OR EXISTS (
    SELECT 1 FROM oa_workflow_instances i WHERE i.document_id = ${oaDocuments.id} AND i.participants @> ${json([actor.subject])}))`;
}

export async function documentsByIds(deps: OaDeps, viewer: Viewer, ids: readonly number[]): Promise<(OaDocument | undefined)[]> {
  if (ids.length === 0) return [];
  const actor = await actorOf(deps, viewer);
  const rows = await deps.db.orm
    .select()
    .from(oaDocuments)
    .where(and(inArray(oaDocuments.id, [...new Set(ids)]), documentCondition(actor)));
  const byId = new Map(rows.map((row) => [row.id, toDocument(row)]));
  return ids.map((id) => byId.get(id));
}

/** What `listDocuments` filters on, without its page: undefined when the viewer sees nothing. */
async function listDocumentsConditions(deps: OaDeps, viewer: Viewer, filter: DocumentFilter): Promise<(SQL | undefined)[] | undefined> {
  const actor = await actorOf(deps, viewer);
  const problems = new Problems().text('filter.search', filter.search, 0, 100);
  if ((filter.status?.length ?? 0) > DOCUMENT_STATUSES.length) problems.add('filter.status', 'too many values');
  if (filter.link !== undefined && !decodeGlobalId(filter.link)) problems.add('filter.link', 'not a global id');
  problems.done();
  const conditions: (SQL | undefined)[] = [documentCondition(actor)];
  if (filter.kind) conditions.push(eq(oaDocuments.kind, filter.kind));
  if (filter.status?.length) conditions.push(inArray(oaDocuments.status, filter.status));
  if (filter.securityLevel) conditions.push(eq(oaDocuments.securityLevel, filter.securityLevel));
  if (filter.year !== undefined) conditions.push(eq(oaDocuments.year, filter.year));
  if (filter.search) {
    const pattern = `%${escapeLike(filter.search)}%`;
    conditions.push(sql`(${ilike(oaDocuments.title, pattern)} OR ${ilike(oaDocuments.number, pattern)})`);
  }
  if (filter.link) conditions.push(sql`${oaDocuments.links} @> ${json([filter.link])}`);
  if (filter.createdFrom) conditions.push(gte(oaDocuments.createdAt, filter.createdFrom));
  if (filter.createdTo) conditions.push(lte(oaDocuments.createdAt, filter.createdTo));
  return conditions;
}

export async function listDocuments(deps: OaDeps, viewer: Viewer, filter: DocumentFilter, page: Page): Promise<OaDocument[]> {
  const conditions = await listDocumentsConditions(deps, viewer, filter);
  if (!conditions) return [];
  if (page.beforeId !== undefined) conditions.push(lt(oaDocuments.id, page.beforeId));
  const rows = await deps.db.orm
    .select()
    .from(oaDocuments)
    .where(and(...conditions))
    .orderBy(desc(oaDocuments.id))
    .limit(page.limit);
  return rows.map(toDocument);
}

/** How many rows `listDocuments` would page through, every page together (one statement). */
export async function countDocuments(deps: OaDeps, viewer: Viewer, filter: DocumentFilter): Promise<number> {
  const conditions = await listDocumentsConditions(deps, viewer, filter);
  return conditions ? deps.db.orm.$count(oaDocuments, and(...conditions)) : 0;
}

function checkDocument(input: DocumentInput, path: string): void {
  const problems = new Problems();
  if (!DOCUMENT_KINDS.includes(input.kind)) problems.add(`${path}.kind`, 'unknown kind');
  if (!SECURITY_LEVELS.includes(input.securityLevel)) problems.add(`${path}.securityLevel`, 'unknown security level');
  if (!URGENCIES.includes(input.urgency)) problems.add(`${path}.urgency`, 'unknown urgency');
  problems
    .text(`${path}.title`, input.title, 1, 200)
    .text(`${path}.senderOrganisation`, input.senderOrganisation, 1, 100)
    .text(`${path}.recipientOrganisation`, input.recipientOrganisation, 1, 100)
    .text(`${path}.body`, input.body, 0, MAX_BODY);
  if (input.number != null && !NUMBER.test(input.number)) problems.add(`${path}.number`, 'like 龙环发〔2026〕12号');
  const attachments = input.attachments ?? [];
  if (attachments.length > MAX_ATTACHMENTS) problems.add(`${path}.attachments`, `at most ${MAX_ATTACHMENTS}`);
  attachments.forEach((a, i) => {
    problems
      .text(`${path}.attachments.${i}.mediaId`, a.mediaId, 1, 64)
      .text(`${path}.attachments.${i}.name`, a.name, 1, 200)
      .text(`${path}.attachments.${i}.contentType`, a.contentType, 0, 100);
    if (a.size != null && (!Number.isSafeInteger(a.size) || a.size < 0)) problems.add(`${path}.attachments.${i}.size`, 'bytes, not negative');
  });
  const links = input.links ?? [];
  if (links.length > MAX_LINKS) problems.add(`${path}.links`, `at most ${MAX_LINKS}`);
  links.forEach((link, i) => {
    if (!decodeGlobalId(link)) problems.add(`${path}.links.${i}`, 'not a global id');
  });
  problems.done();
}

export async function createDocument(deps: OaDeps, viewer: Viewer, input: DocumentInput): Promise<OaDocument> {
  const actor = await actorOf(deps, viewer);
  checkDocument(input, 'input');
  const now = deps.now();
  return deps.db.orm.transaction(async (tx) => {
    let number: string;
    let year: number;
    let sequence: number;
    if (input.number) {
      const match = NUMBER.exec(input.number) as RegExpExecArray;
      number = input.number;
      year = Number(match[2]);
      sequence = Number(match[3]);
    } else {
      year = localYear(now);
      const prefix = `${NUMBER_PREFIX[input.kind]}〔${year}〕`;
      const [last] = await tx
        .select({ sequence: sql<number>`max(${oaDocuments.sequence})` })
        .from(oaDocuments)
        .where(and(eq(oaDocuments.kind, input.kind), eq(oaDocuments.year, year), sql`starts_with(${oaDocuments.number}, ${prefix})`));
      sequence = Number(last?.sequence ?? 0) + 1;
      number = `${prefix}${sequence}号`;
    }
    const [row] = await tx
      .insert(oaDocuments)
      .values({
        kind: input.kind,
        number,
        year,
        sequence,
        title: input.title.trim(),
        senderOrganisation: input.senderOrganisation.trim(),
        recipientOrganisation: input.recipientOrganisation.trim(),
        securityLevel: input.securityLevel,
        urgency: input.urgency,
        status: 'DRAFT',
        body: input.body,
        attachments: (input.attachments ?? []).map((a) => ({
          mediaId: a.mediaId,
          name: a.name,
          contentType: optionalText(a.contentType),
          size: a.size ?? null,
        })),
        links: [...new Set(input.links ?? [])],
        createdBy: actor.subject,
        createdAt: now,
        updatedAt: now,
      })
      .onConflictDoNothing({ target: [oaDocuments.kind, oaDocuments.year, oaDocuments.number] })
      .returning();
    if (!row) throw new ConflictError(`document number ${number} is already used`);
    return toDocument(row);
  });
}

/** Archives a finished document; only its author or an administrator may. */
export async function archiveDocument(deps: OaDeps, viewer: Viewer, id: number): Promise<OaDocument> {
  const actor = await actorOf(deps, viewer);
  const [document] = await documentsByIds(deps, viewer, [id]);
  if (!document) throw new NotFoundError('OaDocument', String(id));
  if (!actor.admin && document.createdBy !== actor.subject) throw new ForbiddenError('only the author or an administrator archives a document');
  if (document.status === 'IN_APPROVAL') throw new ConflictError('the document is in approval');
  if (document.status === 'ARCHIVED') throw new ConflictError('the document is already archived');
  const [row] = await deps.db.orm.update(oaDocuments).set({ status: 'ARCHIVED', updatedAt: deps.now() }).where(eq(oaDocuments.id, id)).returning();
  return toDocument(row as typeof oaDocuments.$inferSelect);
}
