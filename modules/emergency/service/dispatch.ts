import { and, asc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Viewer } from '../../../src/auth/viewer';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../../src/errors';
import { emergencyOrders, emergencyResources } from '../tables';
import { orderIssued } from '../events';
import type { EmergencyDeps } from './deps';
import { actorOf, commandable, incidentsByIds } from './incidents';
import { toOrder } from './rows';
import { mayCommand, scopeOf } from './scope';
import { recordEntry } from './timeline';
import type { DispatchOrder } from './types';
import { Problems, optionalText } from './validate';

/** Orders per incident are few; this bounds them all the same. */
export const MAX_ORDERS = 200;

export interface DispatchInput {
  incidentId: number;
  resourceId: number;
  /** how many of the resource (people, sets, units); all of it when not given */
  quantity?: number | null;
  instructions?: string | null;
  /** token subjects of the people to tell about the order */
  notify?: readonly string[] | null;
}

/** People one order tells; a dispatch names its team leader or expert, not a roster. */
export const MAX_ORDER_RECIPIENTS = 20;

export async function ordersOf(deps: EmergencyDeps, incidentIds: readonly number[]): Promise<DispatchOrder[][]> {
  if (incidentIds.length === 0) return [];
  const rows = await deps.db.orm
    .select()
    .from(emergencyOrders)
    .where(inArray(emergencyOrders.incidentId, [...new Set(incidentIds)]))
    .orderBy(asc(emergencyOrders.id))
    .limit(MAX_ORDERS * incidentIds.length);
  const byIncident = new Map<number, DispatchOrder[]>();
  for (const row of rows) byIncident.set(row.incidentId, [...(byIncident.get(row.incidentId) ?? []), toOrder(row)]);
  return incidentIds.map((id) => byIncident.get(id) ?? []);
}

/**
 * Sends a resource to an incident. A team, expert or piece of equipment is then busy until the
 * incident closes; supplies are drawn down, and busy only once none are left.
 */
export async function dispatchResource(deps: EmergencyDeps, viewer: Viewer, input: DispatchInput): Promise<DispatchOrder> {
  new Problems().text('input.instructions', input.instructions, 0, 2000).done();
  const recipients = [...new Set((input.notify ?? []).map((subject) => subject.trim()))];
  if (recipients.length > MAX_ORDER_RECIPIENTS || recipients.some((subject) => subject.length === 0 || subject.length > 128)) {
    throw new ValidationError([{ path: 'input.notify', message: `at most ${MAX_ORDER_RECIPIENTS} token subjects of 1-128 characters` }]);
  }
  const { incident, scope } = await commandable(deps, viewer, input.incidentId);
  if (incident.status === 'CLOSED') throw new ConflictError('the incident is closed');
  const [resource] = await deps.db.orm.select().from(emergencyResources).where(eq(emergencyResources.id, input.resourceId));
  if (!resource) throw new NotFoundError('EmergencyResource', String(input.resourceId));
  if (!resource.available) throw new ConflictError(`${resource.name} is not available`);
  const quantity = input.quantity ?? resource.quantity;
  if (!Number.isInteger(quantity) || quantity < 1 || quantity > resource.quantity) {
    throw new ValidationError([{ path: 'input.quantity', message: `1-${resource.quantity}` }]);
  }
  const supply = resource.kind === 'SUPPLY';
  const remaining = supply ? resource.quantity - quantity : resource.quantity;
  const now = deps.now();
  const actor = actorOf(viewer, scope);
  return deps.bus.transaction(async (tx, emit) => {
    const [taken] = await tx
      .update(emergencyResources)
      .set({ quantity: remaining, available: supply && remaining > 0, updatedAt: now })
      .where(and(eq(emergencyResources.id, resource.id), eq(emergencyResources.available, true), sql`${emergencyResources.quantity} >= ${quantity}`))
      .returning();
    if (!taken) throw new ConflictError(`${resource.name} was taken meanwhile`);
    const [row] = await tx
      .insert(emergencyOrders)
      .values({
        incidentId: incident.id,
        resourceId: resource.id,
        quantity,
        instructions: optionalText(input.instructions),
        issuedBy: actor.subject,
        issuedAt: now,
      })
      .returning();
    const order = toOrder(row as typeof emergencyOrders.$inferSelect);
    const unit = resource.unit ?? '';
    await recordEntry(tx, emit, incident, {
      kind: 'ORDER_ISSUED',
      summary: `调派 ${resource.name} ${quantity}${unit}`,
      detail: { orderId: order.id, resourceId: resource.id, quantity },
      actor,
      at: now,
    });
    emit(orderIssued, {
      orderId: order.id,
      incidentId: incident.id,
      incidentTitle: incident.title,
      resourceName: resource.name,
      quantity,
      unit: resource.unit,
      instructions: order.instructions,
      recipients,
      actor: actor.subject,
      at: now.toISOString(),
    });
    return order;
  });
}

const STAGE = {
  acknowledge: { column: 'acknowledgedAt', kind: 'ORDER_ACKNOWLEDGED', verb: '接令' },
  arrive: { column: 'arrivedAt', kind: 'ORDER_ARRIVED', verb: '到达现场' },
} as const;

/** Records that the resource acknowledged the order, or arrived on site; each once, in that order. */
export async function recordOrderStage(deps: EmergencyDeps, viewer: Viewer, orderId: number, stage: keyof typeof STAGE): Promise<DispatchOrder> {
  const [row] = await deps.db.orm.select().from(emergencyOrders).where(eq(emergencyOrders.id, orderId));
  const scope = await scopeOf(deps, viewer);
  const [incident] = row ? await incidentsByIds(deps, viewer, [row.incidentId]) : [];
  if (!row || !incident) throw new NotFoundError('EmergencyDispatchOrder', String(orderId));
  if (!mayCommand(scope, incident.cellCode)) throw new ForbiddenError('only the district, or the town over the incident’s cell, may do this');
  const { column, kind, verb } = STAGE[stage];
  if (row[column]) throw new ConflictError(`already recorded: ${verb}`);
  if (stage === 'arrive' && !row.acknowledgedAt) throw new ConflictError('the order has not been acknowledged');
  const now = deps.now();
  const actor = actorOf(viewer, scope);
  return deps.bus.transaction(async (tx, emit) => {
    const [updated] = await tx
      .update(emergencyOrders)
      .set({ [column]: now })
      .where(and(eq(emergencyOrders.id, orderId), isNull(emergencyOrders[column])))
      .returning();
    if (!updated) throw new ConflictError(`already recorded: ${verb}`);
    const [resource] = await tx.select({ name: emergencyResources.name }).from(emergencyResources).where(eq(emergencyResources.id, updated.resourceId));
    await recordEntry(tx, emit, incident, { kind, summary: `${resource?.name ?? '资源'} ${verb}`, detail: { orderId }, actor, at: now });
    return toOrder(updated);
  });
}
