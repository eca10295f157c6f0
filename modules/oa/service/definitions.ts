import { and, asc, desc, eq, inArray, lt, sql, type SQL } from 'drizzle-orm';
import type { Viewer } from '../../../src/auth/viewer';
import { ForbiddenError, ValidationError } from '../../../src/errors';
import { oaWorkflowDefinitions } from '../tables';
import { actorOf } from './access';
import type { OaDeps } from './deps';
import { validateSteps } from './engine';
import { directory } from './people';
import { toDefinition } from './rows';
import type { OaWorkflowDefinition, Page, WorkflowStep } from './types';
import { Problems, optionalText } from './validate';

export const DEFINITION_KEY = /^[a-z][a-z0-9_-]{1,48}$/;

export interface DefinitionInput {
  key: string;
  name: string;
  description?: string | null;
  steps: WorkflowStep[];
}

export interface DefinitionFilter {
  key?: string | undefined;
  /** only each key's newest version */
  latestOnly?: boolean | undefined;
}

/**
 * Saves a definition as the next version of its key. Earlier versions stay as they are, so a
 * running instance goes on with the steps it started with.
 */
export async function saveDefinition(deps: OaDeps, viewer: Viewer, input: DefinitionInput): Promise<OaWorkflowDefinition> {
  const actor = await actorOf(deps, viewer);
  if (!actor.admin) throw new ForbiddenError('only an administrator edits workflow definitions');
  const problems = new Problems();
  if (!DEFINITION_KEY.test(input.key)) problems.add('input.key', 'a lower-case key of letters, digits, - and _');
  problems.text('input.name', input.name, 1, 100).text('input.description', input.description, 0, 1000);
  problems.list.push(...validateSteps(input.steps).map((p) => ({ ...p, path: `input.${p.path}` })));
  problems.done();
  const named = [...new Set(input.steps.flatMap((s) => s.subjects))];
  if (named.length > 0) {
    const known = new Set((await directory(deps.db.orm, { roles: [], subjects: named })).map((p) => p.subject));
    const unknown = named.filter((s) => !known.has(s));
    if (unknown.length > 0) throw new ValidationError([{ path: 'input.steps', message: `not in the people directory: ${unknown.join(', ')}` }]);
  }
  const steps: WorkflowStep[] = input.steps.map((s) => ({
    id: s.id,
    name: s.name.trim(),
    mode: s.mode,
    roles: [...new Set(s.roles)],
    subjects: [...new Set(s.subjects)],
    timeLimitHours: s.timeLimitHours,
    branches: s.branches.map((b) => ({ when: { field: b.when.field, operator: b.when.operator, value: b.when.value }, next: b.next })),
    next: s.next,
  }));
  return deps.db.orm.transaction(async (tx) => {
    // one version at a time per key: the unique (key, version) index settles a race, the lock avoids it
    await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtext(${`oa_workflow:${input.key}`}))`);
    const [last] = await tx
      .select({ version: sql<number>`max(${oaWorkflowDefinitions.version})` })
      .from(oaWorkflowDefinitions)
      .where(eq(oaWorkflowDefinitions.key, input.key));
    const [row] = await tx
      .insert(oaWorkflowDefinitions)
      .values({
        key: input.key,
        version: Number(last?.version ?? 0) + 1,
        name: input.name.trim(),
        description: optionalText(input.description),
        steps,
        createdBy: actor.subject,
        createdAt: deps.now(),
      })
      .returning();
    return toDefinition(row as typeof oaWorkflowDefinitions.$inferSelect);
  });
}

export async function definitionsByIds(deps: OaDeps, ids: readonly number[]): Promise<(OaWorkflowDefinition | undefined)[]> {
  if (ids.length === 0) return [];
  const rows = await deps.db.orm
    .select()
    .from(oaWorkflowDefinitions)
    .where(inArray(oaWorkflowDefinitions.id, [...new Set(ids)]));
  const byId = new Map(rows.map((row) => [row.id, toDefinition(row)]));
  return ids.map((id) => byId.get(id));
}

/** A key's given version, or its newest. */
export async function definitionByKey(deps: OaDeps, key: string, version?: number | null): Promise<OaWorkflowDefinition | undefined> {
  if (!DEFINITION_KEY.test(key)) return undefined;
  const condition = version != null ? and(eq(oaWorkflowDefinitions.key, key), eq(oaWorkflowDefinitions.version, version)) : eq(oaWorkflowDefinitions.key, key);
  const [row] = await deps.db.orm.select().from(oaWorkflowDefinitions).where(condition).orderBy(desc(oaWorkflowDefinitions.version)).limit(1);
  return row ? toDefinition(row) : undefined;
}

/** What `listDefinitions` filters on, without its page: undefined when the viewer sees nothing. */
async function listDefinitionsConditions(deps: OaDeps, viewer: Viewer, filter: DefinitionFilter): Promise<(SQL | undefined)[] | undefined> {
  await actorOf(deps, viewer);
  const conditions: (SQL | undefined)[] = [];
  if (filter.key) conditions.push(eq(oaWorkflowDefinitions.key, filter.key));
  if (filter.latestOnly) {
    conditions.push(sql`${oaWorkflowDefinitions.version} = (SELECT max(d.version) FROM oa_workflow_definitions d WHERE d.key = ${oaWorkflowDefinitions.key})`);
  }
  return conditions;
}

export async function listDefinitions(deps: OaDeps, viewer: Viewer, filter: DefinitionFilter, page: Page): Promise<OaWorkflowDefinition[]> {
  const conditions = await listDefinitionsConditions(deps, viewer, filter);
  if (!conditions) return [];
  if (page.beforeId !== undefined) conditions.push(lt(oaWorkflowDefinitions.id, page.beforeId));
  const rows = await deps.db.orm
    .select()
    .from(oaWorkflowDefinitions)
    .where(and(...conditions))
    .orderBy(desc(oaWorkflowDefinitions.id), asc(oaWorkflowDefinitions.key))
    .limit(page.limit);
  return rows.map(toDefinition);
}

/** How many rows `listDefinitions` would page through, every page together (one statement). */
export async function countDefinitions(deps: OaDeps, viewer: Viewer, filter: DefinitionFilter): Promise<number> {
  const conditions = await listDefinitionsConditions(deps, viewer, filter);
  return conditions ? deps.db.orm.$count(oaWorkflowDefinitions, and(...conditions)) : 0;
}
