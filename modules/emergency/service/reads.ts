import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Viewer } from '../../../src/auth/viewer';
import { emergencyActions, emergencyIncidents, emergencyOrders } from '../tables';
import type { EmergencyDeps } from './deps';
import { toAction, toOrder } from './rows';
import { cellCondition, scopeOf } from './scope';
import type { DispatchOrder, IncidentAction } from './types';

/**
 * The scoped readers every path to an emergency record goes through (root fields, node(id),
 * nested fields). Plans and resources are the bureau's own: staff read them, nobody else. Actions
 * and dispatch orders belong to an incident and are seen by whoever sees the incident.
 */

/** `read` for staff viewers; nothing for anyone else. */
export async function forStaff<K, V>(
  deps: EmergencyDeps,
  viewer: Viewer,
  keys: readonly K[],
  read: () => Promise<(V | undefined)[]>,
): Promise<(V | undefined)[]> {
  return (await scopeOf(deps, viewer)).staff ? read() : keys.map(() => undefined);
}

export async function actionsByIds(deps: EmergencyDeps, viewer: Viewer, ids: readonly number[]): Promise<(IncidentAction | undefined)[]> {
  const scope = await scopeOf(deps, viewer);
  if (!scope.staff || ids.length === 0) return ids.map(() => undefined);
  const rows = await deps.db.orm
    .select({ action: emergencyActions })
    .from(emergencyActions)
    .innerJoin(emergencyIncidents, eq(emergencyIncidents.id, emergencyActions.incidentId))
    .where(and(inArray(emergencyActions.id, [...new Set(ids)]), cellCondition(scope, sql`${emergencyIncidents.cellCode}`)));
  const byId = new Map(rows.map(({ action }) => [action.id, toAction(action)]));
  return ids.map((id) => byId.get(id));
}

export async function ordersByIds(deps: EmergencyDeps, viewer: Viewer, ids: readonly number[]): Promise<(DispatchOrder | undefined)[]> {
  const scope = await scopeOf(deps, viewer);
  if (!scope.staff || ids.length === 0) return ids.map(() => undefined);
  const rows = await deps.db.orm
    .select({ order: emergencyOrders })
    .from(emergencyOrders)
    .innerJoin(emergencyIncidents, eq(emergencyIncidents.id, emergencyOrders.incidentId))
    .where(and(inArray(emergencyOrders.id, [...new Set(ids)]), cellCondition(scope, sql`${emergencyIncidents.cellCode}`)));
  const byId = new Map(rows.map(({ order }) => [order.id, toOrder(order)]));
  return ids.map((id) => byId.get(id));
}
