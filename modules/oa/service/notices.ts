import { and, desc, eq, inArray, lt, sql, type SQL } from 'drizzle-orm';
import type { Viewer } from '../../../src/auth/viewer';
import { json, rowsOf } from '../../../src/db';
import { ForbiddenError, NotFoundError } from '../../../src/errors';
import { noticePublished, noticeRead, type InboxAudience } from '../events';
import { oaNoticeReads, oaNotices } from '../tables';
import { actorOf, type Actor } from './access';
import type { OaDeps } from './deps';
import { directory } from './people';
import { toNotice } from './rows';
import { OA_ROLES, type OaNotice, type OaPerson, type OaRole, type Page } from './types';
import { ORGANISATION, Problems } from './validate';

export const MAX_AUDIENCE = 50;
export const MAX_UNREAD_SHOWN = 100;

export interface NoticeInput {
  title: string;
  body: string;
  organisations?: string[] | null;
  roles?: OaRole[] | null;
}

export interface NoticeFilter {
  unreadOnly?: boolean | undefined;
  /** only those the viewer published */
  mine?: boolean | undefined;
}

/** A notice reaches the viewer when it names their organisation or one of their roles. */
export function addressedTo(actor: Actor): SQL {
  const organisation = actor.organisation ? sql`${oaNotices.audienceOrganisations} @> ${json([actor.organisation])}` : sql`false`;
  return sql`(${organisation} OR EXISTS (SELECT 1 FROM jsonb_array_elements_text(${json(actor.roles)}) v(role) WHERE ${oaNotices.audienceRoles} @> jsonb_build_array(v.role)))`;
}

export function noticeCondition(actor: Actor): SQL | undefined {
  if (actor.admin) return undefined;
  return sql`(${oaNotices.publisher} = ${actor.subject} OR ${addressedTo(actor)})`;
}

export const unreadBy = (actor: Actor): SQL =>
  sql`NOT EXISTS (SELECT 1 FROM oa_notice_reads r WHERE r.notice_id = ${oaNotices.id} AND r.subject = ${actor.subject})`;

const audienceOf = (notice: Pick<OaNotice, 'audienceOrganisations' | 'audienceRoles'>): InboxAudience => ({
  subjects: [],
  organisations: notice.audienceOrganisations,
  roles: notice.audienceRoles,
});

export async function publishNotice(deps: OaDeps, viewer: Viewer, input: NoticeInput): Promise<OaNotice> {
  const actor = await actorOf(deps, viewer);
  if (!actor.roles.some((role) => role === 'admin' || role === 'district' || role === 'town')) throw new ForbiddenError('officers publish notices');
  const organisations = [...new Set(input.organisations ?? [])];
  const roles = [...new Set(input.roles ?? [])];
  const problems = new Problems().text('input.title', input.title, 1, 200).text('input.body', input.body, 1, 20_000);
  if (organisations.length + roles.length === 0) problems.add('input', 'address the notice to organisations or roles');
  if (organisations.length > MAX_AUDIENCE || organisations.some((o) => !ORGANISATION.test(o)))
    problems.add('input.organisations', `at most ${MAX_AUDIENCE} organisation codes`);
  if (roles.some((r) => !OA_ROLES.includes(r))) problems.add('input.roles', 'staff roles only');
  problems.done();
  const now = deps.now();
  return deps.bus.transaction(async (tx, emit) => {
    const [row] = await tx
      .insert(oaNotices)
      .values({
        title: input.title.trim(),
        body: input.body,
        publisher: actor.subject,
        publisherName: actor.name,
        audienceOrganisations: organisations,
        audienceRoles: roles,
        publishedAt: now,
      })
      .returning();
    const notice = toNotice(row as typeof oaNotices.$inferSelect);
    emit(noticePublished, { noticeId: notice.id, title: notice.title, publisher: notice.publisher, audience: audienceOf(notice), at: now.toISOString() });
    return notice;
  });
}

/** A read receipt; reading twice keeps the first time. */
export async function markNoticeRead(deps: OaDeps, viewer: Viewer, id: number): Promise<OaNotice> {
  const actor = await actorOf(deps, viewer);
  const [notice] = await noticesByIds(deps, viewer, [id]);
  if (!notice) throw new NotFoundError('OaNotice', String(id));
  const now = deps.now();
  await deps.bus.transaction(async (tx, emit) => {
    const inserted = await tx.insert(oaNoticeReads).values({ noticeId: id, subject: actor.subject, readAt: now }).onConflictDoNothing().returning();
    if (inserted.length > 0) {
      emit(noticeRead, {
        noticeId: id,
        title: notice.title,
        publisher: notice.publisher,
        audience: { subjects: [actor.subject, notice.publisher], organisations: [], roles: [] },
        at: now.toISOString(),
      });
    }
  });
  return notice;
}

export async function noticesByIds(deps: OaDeps, viewer: Viewer, ids: readonly number[]): Promise<(OaNotice | undefined)[]> {
  if (ids.length === 0) return [];
  const actor = await actorOf(deps, viewer);
  const rows = await deps.db.orm
    .select()
    .from(oaNotices)
    .where(and(inArray(oaNotices.id, [...new Set(ids)]), noticeCondition(actor)));
  const byId = new Map(rows.map((row) => [row.id, toNotice(row)]));
  return ids.map((id) => byId.get(id));
}

/** What `listNotices` filters on, without its page: undefined when the viewer sees nothing. */
async function listNoticesConditions(deps: OaDeps, viewer: Viewer, filter: NoticeFilter): Promise<(SQL | undefined)[] | undefined> {
  const actor = await actorOf(deps, viewer);
  const conditions: (SQL | undefined)[] = [noticeCondition(actor)];
  if (filter.unreadOnly) conditions.push(addressedTo(actor), unreadBy(actor));
  if (filter.mine) conditions.push(eq(oaNotices.publisher, actor.subject));
  return conditions;
}

export async function listNotices(deps: OaDeps, viewer: Viewer, filter: NoticeFilter, page: Page): Promise<OaNotice[]> {
  const conditions = await listNoticesConditions(deps, viewer, filter);
  if (!conditions) return [];
  if (page.beforeId !== undefined) conditions.push(lt(oaNotices.id, page.beforeId));
  const rows = await deps.db.orm
    .select()
    .from(oaNotices)
    .where(and(...conditions))
    .orderBy(desc(oaNotices.id))
    .limit(page.limit);
  return rows.map(toNotice);
}

/** How many rows `listNotices` would page through, every page together (one statement). */
export async function countNotices(deps: OaDeps, viewer: Viewer, filter: NoticeFilter): Promise<number> {
  const conditions = await listNoticesConditions(deps, viewer, filter);
  return conditions ? deps.db.orm.$count(oaNotices, and(...conditions)) : 0;
}

/** The viewer's own read time for each notice (for `readAt`). */
export async function readTimes(deps: OaDeps, viewer: Viewer, noticeIds: readonly number[]): Promise<(Date | undefined)[]> {
  if (noticeIds.length === 0) return [];
  const actor = await actorOf(deps, viewer);
  const rows = await deps.db.orm
    .select()
    .from(oaNoticeReads)
    .where(and(inArray(oaNoticeReads.noticeId, [...new Set(noticeIds)]), eq(oaNoticeReads.subject, actor.subject)));
  const byNotice = new Map(rows.map((row) => [row.noticeId, row.readAt]));
  return noticeIds.map((id) => byNotice.get(id));
}

export interface ReadReceipts {
  audienceCount: number;
  readCount: number;
  /** the audience who have not read it yet, by name, at most MAX_UNREAD_SHOWN */
  unread: OaPerson[];
}

/**
 * For the publisher (and administrators): who the notice reached and who has not read it. The
 * audience is resolved through the people directory as it is now.
 */
export async function readReceipts(deps: OaDeps, viewer: Viewer, noticeIds: readonly number[]): Promise<(ReadReceipts | undefined)[]> {
  if (noticeIds.length === 0) return [];
  const actor = await actorOf(deps, viewer);
  const notices = (await noticesByIds(deps, viewer, noticeIds)).filter((n): n is OaNotice => n !== undefined && (actor.admin || n.publisher === actor.subject));
  if (notices.length === 0) return noticeIds.map(() => undefined);
  const people = await directory(deps.db.orm, {
    roles: [...new Set(notices.flatMap((n) => n.audienceRoles))],
    subjects: [],
    organisations: [...new Set(notices.flatMap((n) => n.audienceOrganisations))],
  });
  const reads = await rowsOf<{ notice_id: number; subject: string }>(
    deps.db.orm,
    sql`SELECT notice_id, subject FROM oa_notice_reads WHERE notice_id IN (SELECT (jsonb_array_elements_text(${json(notices.map((n) => n.id))}))::int)`,
  );
  const readers = new Map<number, Set<string>>();
  for (const read of reads) {
    const set = readers.get(Number(read.notice_id)) ?? new Set<string>();
    set.add(read.subject);
    readers.set(Number(read.notice_id), set);
  }
  const byId = new Map(
    notices.map((notice) => {
      const audience = people.filter((p) => notice.audienceOrganisations.includes(p.organisation) || p.roles.some((r) => notice.audienceRoles.includes(r)));
      const read = readers.get(notice.id) ?? new Set<string>();
      const unread = audience.filter((p) => !read.has(p.subject));
      return [notice.id, { audienceCount: audience.length, readCount: audience.length - unread.length, unread: unread.slice(0, MAX_UNREAD_SHOWN) }] as const;
    }),
  );
  return noticeIds.map((id) => byId.get(id));
}
