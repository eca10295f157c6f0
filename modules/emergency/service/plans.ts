import { and, asc, eq, gt, inArray, type SQL } from 'drizzle-orm';
import { hasRole, type Viewer } from '../../../src/auth/viewer';
import { ConflictError, ForbiddenError, NotFoundError } from '../../../src/errors';
import type { IncidentLevel } from '../levels';
import { emergencyActions, emergencyPlanSteps, emergencyPlans } from '../tables';
import type { EmergencyDeps } from './deps';
import { actorOf, commandable, incidentsByIds } from './incidents';
import { toAction, toPlan, toStep } from './rows';
import { mayCommand, scopeOf } from './scope';
import { recordEntry } from './timeline';
import { INCIDENT_LEVELS, INCIDENT_TYPES, type Incident, type IncidentAction, type IncidentType, type Plan, type PlanStep } from './types';
import { Problems, optionalText } from './validate';

export const MAX_STEPS = 50;

export interface PlanInput {
  name: string;
  incidentType: IncidentType;
  level: IncidentLevel;
  summary?: string | null;
  steps: readonly { title: string; ownerRole: string; description?: string | null }[];
}

export interface PlanFilter {
  incidentType?: IncidentType | undefined;
  level?: IncidentLevel | undefined;
}

/** What `listPlans` filters on, without its page: undefined when the viewer sees nothing. */
async function listPlansConditions(deps: EmergencyDeps, filter: PlanFilter): Promise<(SQL | undefined)[] | undefined> {
  const conditions: (SQL | undefined)[] = [];
  if (filter.incidentType) conditions.push(eq(emergencyPlans.incidentType, filter.incidentType));
  if (filter.level) conditions.push(eq(emergencyPlans.level, filter.level));
  return conditions;
}

export async function listPlans(deps: EmergencyDeps, filter: PlanFilter, page: { limit: number; afterId: number | undefined }): Promise<Plan[]> {
  const conditions = await listPlansConditions(deps, filter);
  if (!conditions) return [];
  if (page.afterId !== undefined) conditions.push(gt(emergencyPlans.id, page.afterId));
  const rows = await deps.db.orm
    .select()
    .from(emergencyPlans)
    .where(and(...conditions))
    .orderBy(asc(emergencyPlans.id))
    .limit(page.limit);
  return rows.map(toPlan);
}

/** How many rows `listPlans` would page through, every page together (one statement). */
export async function countPlans(deps: EmergencyDeps, filter: PlanFilter): Promise<number> {
  const conditions = await listPlansConditions(deps, filter);
  return conditions ? deps.db.orm.$count(emergencyPlans, and(...conditions)) : 0;
}

export async function plansByIds(deps: EmergencyDeps, ids: readonly number[]): Promise<(Plan | undefined)[]> {
  if (ids.length === 0) return [];
  const rows = await deps.db.orm
    .select()
    .from(emergencyPlans)
    .where(inArray(emergencyPlans.id, [...new Set(ids)]));
  const byId = new Map(rows.map((row) => [row.id, toPlan(row)]));
  return ids.map((id) => byId.get(id));
}

/** Each plan's steps in order (a plan holds at most MAX_STEPS). */
export async function stepsOf(deps: EmergencyDeps, planIds: readonly number[]): Promise<PlanStep[][]> {
  if (planIds.length === 0) return [];
  const rows = await deps.db.orm
    .select()
    .from(emergencyPlanSteps)
    .where(inArray(emergencyPlanSteps.planId, [...new Set(planIds)]))
    .orderBy(asc(emergencyPlanSteps.planId), asc(emergencyPlanSteps.position));
  const byPlan = new Map<number, PlanStep[]>();
  for (const row of rows) byPlan.set(row.planId, [...(byPlan.get(row.planId) ?? []), toStep(row)]);
  return planIds.map((id) => byPlan.get(id) ?? []);
}

/** Each incident's actions, plan by plan in step order. The caller has checked visibility. */
export async function actionsOf(deps: EmergencyDeps, incidentIds: readonly number[]): Promise<IncidentAction[][]> {
  if (incidentIds.length === 0) return [];
  const rows = await deps.db.orm
    .select()
    .from(emergencyActions)
    .where(inArray(emergencyActions.incidentId, [...new Set(incidentIds)]))
    .orderBy(asc(emergencyActions.incidentId), asc(emergencyActions.id))
    .limit(MAX_STEPS * 10 * incidentIds.length);
  const byIncident = new Map<number, IncidentAction[]>();
  for (const row of rows) byIncident.set(row.incidentId, [...(byIncident.get(row.incidentId) ?? []), toAction(row)]);
  return incidentIds.map((id) => byIncident.get(id) ?? []);
}

/** Administrators and district officers keep the plans. */
export async function createPlan(deps: EmergencyDeps, viewer: Viewer, input: PlanInput): Promise<Plan> {
  if (!hasRole(viewer, 'admin', 'district')) throw new ForbiddenError('only the district keeps response plans');
  const problems = new Problems().text('input.name', input.name, 1, 200).text('input.summary', input.summary, 0, 4000);
  if (!INCIDENT_TYPES.includes(input.incidentType)) problems.add('input.incidentType', 'unknown incident type');
  if (!INCIDENT_LEVELS.includes(input.level)) problems.add('input.level', 'unknown level');
  if (input.steps.length < 1 || input.steps.length > MAX_STEPS) problems.add('input.steps', `1-${MAX_STEPS} steps`);
  input.steps.forEach((step, i) =>
    problems
      .text(`input.steps.${i}.title`, step.title, 1, 200)
      .text(`input.steps.${i}.ownerRole`, step.ownerRole, 1, 100)
      .text(`input.steps.${i}.description`, step.description, 0, 2000),
  );
  problems.done();
  return deps.db.orm.transaction(async (tx) => {
    const [row] = await tx
      .insert(emergencyPlans)
      .values({ name: input.name.trim(), incidentType: input.incidentType, level: input.level, summary: optionalText(input.summary) })
      .returning();
    const plan = toPlan(row as typeof emergencyPlans.$inferSelect);
    await tx.insert(emergencyPlanSteps).values(
      input.steps.map((step, i) => ({
        planId: plan.id,
        position: i + 1,
        title: step.title.trim(),
        ownerRole: step.ownerRole.trim(),
        description: optionalText(step.description),
      })),
    );
    return plan;
  });
}

/** Creates the plan's steps on the incident as actions to track; a plan is activated once per incident. */
export async function activatePlan(deps: EmergencyDeps, viewer: Viewer, incidentId: number, planId: number): Promise<Incident> {
  const { incident, scope } = await commandable(deps, viewer, incidentId);
  if (incident.status === 'CLOSED') throw new ConflictError('the incident is closed');
  const [plan] = await plansByIds(deps, [planId]);
  if (!plan) throw new NotFoundError('EmergencyPlan', String(planId));
  const [steps = []] = await stepsOf(deps, [planId]);
  const now = deps.now();
  const actor = actorOf(viewer, scope);
  return deps.bus.transaction(async (tx, emit) => {
    const rows = await tx
      .insert(emergencyActions)
      .values(
        steps.map((step) => ({ incidentId, planId, position: step.position, title: step.title, ownerRole: step.ownerRole, status: 'PENDING', createdAt: now })),
      )
      .onConflictDoNothing()
      .returning();
    if (rows.length === 0) throw new ConflictError('this plan is already active on the incident');
    await recordEntry(tx, emit, incident, {
      kind: 'PLAN_ACTIVATED',
      summary: `启动预案：${plan.name}（${steps.length} 项措施）`,
      detail: { planId },
      actor,
      at: now,
    });
    return incident;
  });
}

/** Marks a plan step done, with who and when. */
export async function completeAction(deps: EmergencyDeps, viewer: Viewer, actionId: number, note: string | null | undefined): Promise<IncidentAction> {
  new Problems().text('note', note, 0, 2000).done();
  const [row] = await deps.db.orm.select().from(emergencyActions).where(eq(emergencyActions.id, actionId));
  const scope = await scopeOf(deps, viewer);
  const [incident] = row ? await incidentsByIds(deps, viewer, [row.incidentId]) : [];
  if (!row || !incident) throw new NotFoundError('EmergencyAction', String(actionId));
  if (!mayCommand(scope, incident.cellCode)) throw new ForbiddenError('only the district, or the town over the incident’s cell, may do this');
  if (row.status === 'DONE') throw new ConflictError('this step is already done');
  const now = deps.now();
  const actor = actorOf(viewer, scope);
  return deps.bus.transaction(async (tx, emit) => {
    const [updated] = await tx
      .update(emergencyActions)
      .set({ status: 'DONE', doneBy: actor.subject, doneByName: actor.name, doneAt: now, note: optionalText(note) })
      .where(and(eq(emergencyActions.id, actionId), eq(emergencyActions.status, 'PENDING')))
      .returning();
    if (!updated) throw new ConflictError('this step is already done');
    await recordEntry(tx, emit, incident, {
      kind: 'ACTION_DONE',
      summary: `完成措施 ${updated.position}：${updated.title}`,
      detail: { actionId, planId: updated.planId },
      actor,
      at: now,
    });
    return toAction(updated);
  });
}
