import { and, desc, inArray, lt, sql, type SQL } from 'drizzle-orm';
import { hasRole, type Viewer } from '../../../src/auth/viewer';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError, type FieldProblem } from '../../../src/errors';
import { gridServiceRef } from '../../grid/public';
import { sourceEnterprises, sourceInspections } from '../tables';
import { checkText, enterprisesByUscc } from './enterprises';
import { groupBy } from './outlets';
import { newestPerEnterprise } from './records';
import { enterpriseScope } from './scope';
import { INSPECTION_RESULTS, type Inspection, type InspectionResult, type SourceDeps } from './types';

export interface InspectionInput {
  /** from the patrol's target when a patrol is given */
  enterpriseUscc?: string | null;
  /** the grid patrol this inspection was recorded from: enterprise, time, inspector and findings default to it */
  patrolId?: number | null;
  inspectedAt?: Date | null;
  inspector?: string | null;
  result: InspectionResult;
  findings?: string | null;
}

export function toInspection(row: typeof sourceInspections.$inferSelect): Inspection {
  return {
    id: row.id,
    enterpriseId: row.enterpriseId,
    inspectedAt: row.inspectedAt,
    inspector: row.inspector,
    patrolId: row.patrolId,
    result: row.result as InspectionResult,
    findings: row.findings,
  };
}

/** Grid staff inspect the enterprises in their cells; the district inspects all. */
export async function recordInspection(deps: SourceDeps, viewer: Viewer, input: InspectionInput): Promise<Inspection> {
  if (!hasRole(viewer, 'admin', 'district', 'town', 'assistant') || !viewer.subject) throw new ForbiddenError('only bureau and grid staff record inspections');
  const problems: FieldProblem[] = [];
  if (!INSPECTION_RESULTS.includes(input.result)) problems.push({ path: 'result', message: 'COMPLIANT or ISSUES_FOUND' });
  checkText(problems, 'inspector', input.inspector, 100, false);
  checkText(problems, 'findings', input.findings, 4000, false);
  if (input.inspectedAt && input.inspectedAt > new Date(deps.now().getTime() + 5 * 60_000)) problems.push({ path: 'inspectedAt', message: 'is in the future' });
  if (problems.length > 0) throw new ValidationError(problems);
  let uscc = input.enterpriseUscc ?? null;
  let inspectedAt = input.inspectedAt ?? null;
  let inspector = input.inspector ?? null;
  let findings = input.findings ?? null;
  if (input.patrolId != null) {
    const [patrol] = await deps.services.get(gridServiceRef).patrols.byIds(viewer, [input.patrolId]);
    if (!patrol) throw new NotFoundError('GridPatrol', String(input.patrolId));
    uscc ??= patrol.targetUscc;
    inspectedAt ??= patrol.patrolledAt;
    inspector ??= patrol.authorName ?? patrol.authorSubject;
    findings ??= patrol.findings;
  }
  if (!uscc) throw new ValidationError([{ path: 'enterpriseUscc', message: 'give the enterprise, or a patrol that names one' }]);
  const [enterprise] = await enterprisesByUscc(deps, viewer, [uscc]);
  if (!enterprise) throw new NotFoundError('Enterprise', uscc);
  const [row] = await deps.db.orm
    .insert(sourceInspections)
    .values({
      enterpriseId: enterprise.id,
      inspectedAt: inspectedAt ?? deps.now(),
      inspector: inspector ?? viewer.name ?? viewer.subject,
      patrolId: input.patrolId ?? null,
      result: input.result,
      findings,
      createdBy: viewer.subject,
    })
    .onConflictDoNothing()
    .returning();
  if (!row) throw new ConflictError(`patrol ${input.patrolId} is already recorded as an inspection`);
  return toInspection(row);
}

export async function inspectionsOfEnterprises(deps: SourceDeps, enterpriseIds: readonly number[]): Promise<Inspection[][]> {
  const rows = (await newestPerEnterprise(deps, 'source_inspections', 't.inspected_at DESC, t.id DESC', enterpriseIds, [
    'inspectedAt',
    'createdAt',
  ])) as unknown as Inspection[];
  return groupBy(enterpriseIds, rows, (row) => row.enterpriseId);
}

function inspectionScope(viewer: Viewer): SQL | undefined {
  const condition = enterpriseScope(viewer, { uscc: sql`e.uscc`, cell: sql`e.cell_code` });
  return condition === undefined ? undefined : sql`EXISTS (SELECT 1 FROM source_enterprises e WHERE e.id = ${sourceInspections.enterpriseId} AND ${condition})`;
}

export async function inspectionsByIds(deps: SourceDeps, viewer: Viewer, ids: readonly number[]): Promise<(Inspection | undefined)[]> {
  if (ids.length === 0) return [];
  const rows = await deps.db.orm
    .select()
    .from(sourceInspections)
    .where(and(inArray(sourceInspections.id, [...ids]), inspectionScope(viewer)));
  const byId = new Map(rows.map((row) => [row.id, toInspection(row)]));
  return ids.map((id) => byId.get(id));
}

/** What `listInspections` filters on, without its page: undefined when the viewer sees nothing. */
async function listInspectionsConditions(
  deps: SourceDeps,
  viewer: Viewer,
  filter: { enterpriseUscc?: string | undefined },
): Promise<(SQL | undefined)[] | undefined> {
  const conditions: (SQL | undefined)[] = [inspectionScope(viewer)];
  if (filter.enterpriseUscc) {
    conditions.push(sql`${sourceInspections.enterpriseId} = (SELECT id FROM ${sourceEnterprises} WHERE ${sourceEnterprises.uscc} = ${filter.enterpriseUscc})`);
  }
  return conditions;
}

/** Newest first; keyset on id. */
export async function listInspections(
  deps: SourceDeps,
  viewer: Viewer,
  filter: { enterpriseUscc?: string | undefined },
  page: { limit: number; beforeId: number | undefined },
): Promise<Inspection[]> {
  const conditions = await listInspectionsConditions(deps, viewer, filter);
  if (!conditions) return [];
  if (page.beforeId !== undefined) conditions.push(lt(sourceInspections.id, page.beforeId));
  const rows = await deps.db.orm
    .select()
    .from(sourceInspections)
    .where(and(...conditions))
    .orderBy(desc(sourceInspections.id))
    .limit(page.limit);
  return rows.map(toInspection);
}

/** How many rows `listInspections` would page through, every page together (one statement). */
export async function countInspections(deps: SourceDeps, viewer: Viewer, filter: { enterpriseUscc?: string | undefined }): Promise<number> {
  const conditions = await listInspectionsConditions(deps, viewer, filter);
  return conditions ? deps.db.orm.$count(sourceInspections, and(...conditions)) : 0;
}
