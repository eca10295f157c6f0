import { and, desc, eq, inArray, lt, sql, type SQL } from 'drizzle-orm';
import type { Viewer } from '../../../src/auth/viewer';
import { rowsOf } from '../../../src/db';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError, type FieldProblem } from '../../../src/errors';
import { sourceCases, sourceEnterprises, sourceInspections } from '../tables';
import { checkText, enterprisesByUscc } from './enterprises';
import { groupBy } from './outlets';
import { newestPerEnterprise } from './records';
import { canEditSources, enterpriseScope } from './scope';
import type { CaseStatus, EnforcementCase, PublishedDecision, SourceDeps } from './types';

export interface CaseInput {
  enterpriseUscc: string;
  caseNumber: string;
  findings: string;
  inspectionId?: number | null;
  openedAt?: Date | null;
}

export interface DecisionInput {
  decision: string;
  /** yuan; none for a decision without a fine (an order to correct) */
  penaltyYuan?: number | null;
  decidedAt?: Date | null;
}

/** A fine above this is not a district's to decide; it keeps typos (extra zeros) out. */
export const MAX_PENALTY_YUAN = 10_000_000;

export function toCase(row: typeof sourceCases.$inferSelect): EnforcementCase {
  return {
    id: row.id,
    enterpriseId: row.enterpriseId,
    inspectionId: row.inspectionId,
    caseNumber: row.caseNumber,
    findings: row.findings,
    decision: row.decision,
    penaltyYuan: row.penaltyYuan,
    status: row.status as CaseStatus,
    published: row.published,
    openedAt: row.openedAt,
    decidedAt: row.decidedAt,
    closedAt: row.closedAt,
    publishedAt: row.publishedAt,
  };
}

function requireEditor(viewer: Viewer): void {
  if (!canEditSources(viewer)) throw new ForbiddenError('enforcement cases are handled by the district bureau');
}

export async function openCase(deps: SourceDeps, viewer: Viewer, input: CaseInput): Promise<EnforcementCase> {
  requireEditor(viewer);
  const problems: FieldProblem[] = [];
  if (!/^[\p{L}\p{N}〔〕[\]()（）-]{4,60}$/u.test(input.caseNumber))
    problems.push({ path: 'caseNumber', message: 'a case number of 4-60 letters, digits and brackets' });
  checkText(problems, 'findings', input.findings, 4000, true);
  if (problems.length > 0) throw new ValidationError(problems);
  const [enterprise] = await enterprisesByUscc(deps, viewer, [input.enterpriseUscc]);
  if (!enterprise) throw new NotFoundError('Enterprise', input.enterpriseUscc);
  if (input.inspectionId != null) {
    const [inspection] = await deps.db.orm
      .select({ enterpriseId: sourceInspections.enterpriseId })
      .from(sourceInspections)
      .where(eq(sourceInspections.id, input.inspectionId));
    if (!inspection || inspection.enterpriseId !== enterprise.id) throw new NotFoundError('Inspection', String(input.inspectionId));
  }
  const [row] = await deps.db.orm
    .insert(sourceCases)
    .values({
      enterpriseId: enterprise.id,
      inspectionId: input.inspectionId ?? null,
      caseNumber: input.caseNumber,
      findings: input.findings.trim(),
      status: 'OPEN',
      openedAt: input.openedAt ?? deps.now(),
    })
    .onConflictDoNothing({ target: sourceCases.caseNumber })
    .returning();
  if (!row) throw new ConflictError(`case ${input.caseNumber} already exists`);
  return toCase(row);
}

async function caseForUpdate(deps: SourceDeps, viewer: Viewer, id: number): Promise<EnforcementCase> {
  requireEditor(viewer);
  const [current] = await casesByIds(deps, viewer, [id]);
  if (!current) throw new NotFoundError('EnforcementCase', String(id));
  return current;
}

/** OPEN -> DECIDED: the penalty decision (行政处罚决定). */
export async function decideCase(deps: SourceDeps, viewer: Viewer, id: number, input: DecisionInput): Promise<EnforcementCase> {
  const problems: FieldProblem[] = [];
  checkText(problems, 'decision', input.decision, 4000, true);
  if (input.penaltyYuan != null && !(input.penaltyYuan >= 0 && input.penaltyYuan <= MAX_PENALTY_YUAN))
    problems.push({ path: 'penaltyYuan', message: `must be 0-${MAX_PENALTY_YUAN} yuan` });
  if (problems.length > 0) throw new ValidationError(problems);
  const current = await caseForUpdate(deps, viewer, id);
  if (current.status !== 'OPEN') throw new ConflictError(`case ${current.caseNumber} is ${current.status}, not OPEN`);
  const [row] = await deps.db.orm
    .update(sourceCases)
    .set({ status: 'DECIDED', decision: input.decision.trim(), penaltyYuan: input.penaltyYuan ?? null, decidedAt: input.decidedAt ?? deps.now() })
    .where(and(eq(sourceCases.id, id), eq(sourceCases.status, 'OPEN')))
    .returning();
  if (!row) throw new ConflictError(`case ${current.caseNumber} changed meanwhile`);
  return toCase(row);
}

/** DECIDED -> CLOSED: the decision is carried out. */
export async function closeCase(deps: SourceDeps, viewer: Viewer, id: number): Promise<EnforcementCase> {
  const current = await caseForUpdate(deps, viewer, id);
  if (current.status !== 'DECIDED') throw new ConflictError(`case ${current.caseNumber} is ${current.status}, not DECIDED`);
  const [row] = await deps.db.orm
    .update(sourceCases)
    .set({ status: 'CLOSED', closedAt: deps.now() })
    .where(and(eq(sourceCases.id, id), eq(sourceCases.status, 'DECIDED')))
    .returning();
  if (!row) throw new ConflictError(`case ${current.caseNumber} changed meanwhile`);
  return toCase(row);
}

/** Publishing makes a decision public (information disclosure); only decided cases have one. */
export async function publishCase(deps: SourceDeps, viewer: Viewer, id: number): Promise<EnforcementCase> {
  const current = await caseForUpdate(deps, viewer, id);
  if (current.status === 'OPEN') throw new ConflictError(`case ${current.caseNumber} has no decision to publish yet`);
  if (current.published) return current;
  const [row] = await deps.db.orm.update(sourceCases).set({ published: true, publishedAt: deps.now() }).where(eq(sourceCases.id, id)).returning();
  return toCase(row as typeof sourceCases.$inferSelect);
}

function caseScope(viewer: Viewer): SQL | undefined {
  const condition = enterpriseScope(viewer, { uscc: sql`e.uscc`, cell: sql`e.cell_code` });
  return condition === undefined ? undefined : sql`EXISTS (SELECT 1 FROM source_enterprises e WHERE e.id = ${sourceCases.enterpriseId} AND ${condition})`;
}

export async function casesByIds(deps: SourceDeps, viewer: Viewer, ids: readonly number[]): Promise<(EnforcementCase | undefined)[]> {
  if (ids.length === 0) return [];
  const rows = await deps.db.orm
    .select()
    .from(sourceCases)
    .where(and(inArray(sourceCases.id, [...ids]), caseScope(viewer)));
  const byId = new Map(rows.map((row) => [row.id, toCase(row)]));
  return ids.map((id) => byId.get(id));
}

export async function casesOfEnterprises(deps: SourceDeps, enterpriseIds: readonly number[]): Promise<EnforcementCase[][]> {
  const rows = (await newestPerEnterprise(deps, 'source_cases', 't.opened_at DESC, t.id DESC', enterpriseIds, [
    'openedAt',
    'decidedAt',
    'closedAt',
    'publishedAt',
  ])) as unknown as EnforcementCase[];
  return groupBy(
    enterpriseIds,
    rows.map((r) => ({ ...r, penaltyYuan: r.penaltyYuan === null ? null : Number(r.penaltyYuan) })),
    (row) => row.enterpriseId,
  );
}

/** What `listCases` filters on, without its page: undefined when the viewer sees nothing. */
async function listCasesConditions(
  deps: SourceDeps,
  viewer: Viewer,
  filter: { status?: CaseStatus | undefined; enterpriseUscc?: string | undefined },
): Promise<(SQL | undefined)[] | undefined> {
  const conditions: (SQL | undefined)[] = [caseScope(viewer)];
  if (filter.status) conditions.push(eq(sourceCases.status, filter.status));
  if (filter.enterpriseUscc)
    conditions.push(sql`${sourceCases.enterpriseId} = (SELECT id FROM ${sourceEnterprises} WHERE ${sourceEnterprises.uscc} = ${filter.enterpriseUscc})`);
  return conditions;
}

/** Newest first; keyset on id. */
export async function listCases(
  deps: SourceDeps,
  viewer: Viewer,
  filter: { status?: CaseStatus | undefined; enterpriseUscc?: string | undefined },
  page: { limit: number; beforeId: number | undefined },
): Promise<EnforcementCase[]> {
  const conditions = await listCasesConditions(deps, viewer, filter);
  if (!conditions) return [];
  if (page.beforeId !== undefined) conditions.push(lt(sourceCases.id, page.beforeId));
  const rows = await deps.db.orm
    .select()
    .from(sourceCases)
    .where(and(...conditions))
    .orderBy(desc(sourceCases.id))
    .limit(page.limit);
  return rows.map(toCase);
}

/** How many rows `listCases` would page through, every page together (one statement). */
export async function countCases(
  deps: SourceDeps,
  viewer: Viewer,
  filter: { status?: CaseStatus | undefined; enterpriseUscc?: string | undefined },
): Promise<number> {
  const conditions = await listCasesConditions(deps, viewer, filter);
  return conditions ? deps.db.orm.$count(sourceCases, and(...conditions)) : 0;
}

/**
 * Published decisions, newest first, for information disclosure: anyone may read them, so this
 * takes no viewer and returns nothing beyond what a published decision says.
 */
/** How many decisions are published (every page of `publishedDecisions`). */
export async function countPublishedDecisions(deps: SourceDeps): Promise<number> {
  const [row] = await rowsOf<{ count: number }>(
    deps.db.orm,
    sql`SELECT count(*)::int AS count FROM source_cases c WHERE c.published AND c.decision IS NOT NULL`,
  );
  return Number(row?.count ?? 0);
}

export async function publishedDecisions(deps: SourceDeps, page: { limit: number; beforeId?: number | undefined }): Promise<PublishedDecision[]> {
  const limit = Math.min(Math.max(Math.trunc(page.limit), 1), 101);
  const before = page.beforeId !== undefined ? sql`AND c.id < ${page.beforeId}` : sql``;
  const rows = await rowsOf<{
    id: number;
    case_number: string;
    uscc: string;
    name: string;
    decision: string;
    penalty_yuan: number | null;
    decided_at: string | Date;
    published_at: string | Date;
  }>(
    deps.db.orm,
    sql`SELECT c.id, c.case_number, e.uscc, e.name, c.decision, c.penalty_yuan, c.decided_at, c.published_at
          FROM source_cases c JOIN source_enterprises e ON e.id = c.enterprise_id
         WHERE c.published AND c.decision IS NOT NULL ${before}
         ORDER BY c.id DESC LIMIT ${limit}`,
  );
  return rows.map((row) => ({
    caseId: Number(row.id),
    caseNumber: row.case_number,
    enterpriseUscc: row.uscc,
    enterpriseName: row.name,
    decision: row.decision,
    penaltyYuan: row.penalty_yuan === null ? null : Number(row.penalty_yuan),
    decidedAt: new Date(row.decided_at),
    publishedAt: new Date(row.published_at),
  }));
}
