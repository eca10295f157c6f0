import { and, asc, eq, gt, inArray, sql, type SQL } from 'drizzle-orm';
import type { Viewer } from '../../../src/auth/viewer';
import { json, type Executor } from '../../../src/db';
import { ForbiddenError } from '../../../src/errors';
import { oaPeople } from '../tables';
import { actorOf } from './access';
import type { OaDeps } from './deps';
import { toPerson } from './rows';
import { OA_ROLES, type OaPerson, type OaRole } from './types';
import { ORGANISATION, Problems, SUBJECT, optionalText } from './validate';

export interface PersonInput {
  subject: string;
  name: string;
  organisation: string;
  title?: string | null;
  roles: OaRole[];
  active?: boolean | null;
}

export interface PeopleFilter {
  organisation?: string | undefined;
  role?: OaRole | undefined;
}

/** Active people holding any of `roles`, or named in `subjects`: who a step or a notice resolves to. */
export async function directory(
  executor: Executor,
  who: { roles: readonly string[]; subjects: readonly string[]; organisations?: readonly string[] },
): Promise<OaPerson[]> {
  const parts: SQL[] = [];
  if (who.subjects.length > 0) parts.push(inArray(oaPeople.subject, [...new Set(who.subjects)]));
  if (who.roles.length > 0)
    parts.push(
      sql`EXISTS (SELECT 1 FROM jsonb_array_elements_text(${oaPeople.roles}) r(role) WHERE r.role IN (SELECT jsonb_array_elements_text(${json([...new Set(who.roles)])})))`,
    );
  if (who.organisations && who.organisations.length > 0) parts.push(inArray(oaPeople.organisation, [...new Set(who.organisations)]));
  if (parts.length === 0) return [];
  const rows = await executor
    .select()
    .from(oaPeople)
    .where(and(eq(oaPeople.active, true), sql`(${sql.join(parts, sql` OR `)})`))
    .orderBy(asc(oaPeople.subject))
    .limit(2000);
  return rows.map(toPerson);
}

export async function upsertPerson(deps: OaDeps, viewer: Viewer, input: PersonInput): Promise<OaPerson> {
  const actor = await actorOf(deps, viewer);
  if (!actor.admin) throw new ForbiddenError('only an administrator keeps the people directory');
  const problems = new Problems();
  if (!SUBJECT.test(input.subject)) problems.add('input.subject', 'a token subject of at most 128 letters, digits and . _ @ : -');
  problems.text('input.name', input.name, 1, 50).text('input.title', input.title, 0, 50);
  if (!ORGANISATION.test(input.organisation)) problems.add('input.organisation', '`bureau` or a town office’s cell code');
  if (input.roles.length === 0 || input.roles.some((role) => !OA_ROLES.includes(role))) problems.add('input.roles', 'one or more staff roles');
  problems.done();
  const values = {
    subject: input.subject,
    name: input.name.trim(),
    organisation: input.organisation,
    title: optionalText(input.title),
    roles: [...new Set(input.roles)],
    active: input.active ?? true,
    updatedAt: deps.now(),
  };
  const [row] = await deps.db.orm.insert(oaPeople).values(values).onConflictDoUpdate({ target: oaPeople.subject, set: values }).returning();
  return toPerson(row as typeof oaPeople.$inferSelect);
}

/** What `listPeople` filters on, without its page: undefined when the viewer sees nothing. */
async function listPeopleConditions(deps: OaDeps, viewer: Viewer, filter: PeopleFilter): Promise<(SQL | undefined)[] | undefined> {
  await actorOf(deps, viewer);
  const conditions: (SQL | undefined)[] = [];
  if (filter.organisation) conditions.push(eq(oaPeople.organisation, filter.organisation));
  if (filter.role) conditions.push(sql`${oaPeople.roles} @> ${json([filter.role])}`);
  return conditions;
}

export async function listPeople(
  deps: OaDeps,
  viewer: Viewer,
  filter: PeopleFilter,
  page: { limit: number; afterId: number | undefined },
): Promise<OaPerson[]> {
  const conditions = await listPeopleConditions(deps, viewer, filter);
  if (!conditions) return [];
  if (page.afterId !== undefined) conditions.push(gt(oaPeople.id, page.afterId));
  const rows = await deps.db.orm
    .select()
    .from(oaPeople)
    .where(and(...conditions))
    .orderBy(asc(oaPeople.id))
    .limit(page.limit);
  return rows.map(toPerson);
}

/** How many rows `listPeople` would page through, every page together (one statement). */
export async function countPeople(deps: OaDeps, viewer: Viewer, filter: PeopleFilter): Promise<number> {
  const conditions = await listPeopleConditions(deps, viewer, filter);
  return conditions ? deps.db.orm.$count(oaPeople, and(...conditions)) : 0;
}

/** For loaders: people by token subject, in the order asked. */
export async function peopleBySubjects(deps: OaDeps, subjects: readonly string[]): Promise<(OaPerson | undefined)[]> {
  if (subjects.length === 0) return [];
  const rows = await deps.db.orm
    .select()
    .from(oaPeople)
    .where(inArray(oaPeople.subject, [...new Set(subjects)]));
  const bySubject = new Map(rows.map((row) => [row.subject, toPerson(row)]));
  return subjects.map((subject) => bySubject.get(subject));
}

export async function peopleByIds(deps: OaDeps, ids: readonly number[]): Promise<(OaPerson | undefined)[]> {
  if (ids.length === 0) return [];
  const rows = await deps.db.orm
    .select()
    .from(oaPeople)
    .where(inArray(oaPeople.id, [...new Set(ids)]));
  const byId = new Map(rows.map((row) => [row.id, toPerson(row)]));
  return ids.map((id) => byId.get(id));
}
