/** Rows to domain objects: the one place a stored text becomes a typed value. */
import type { IncidentLevel, WarningColour } from '../levels';
import type {
  emergencyActions,
  emergencyIncidents,
  emergencyOrders,
  emergencyPlanSteps,
  emergencyPlans,
  emergencyResources,
  emergencyTimeline,
} from '../tables';
import type {
  ActionStatus,
  DispatchOrder,
  Incident,
  IncidentAction,
  IncidentStatus,
  IncidentType,
  Plan,
  PlanStep,
  Resource,
  ResourceKind,
  TimelineEntry,
  TimelineKind,
} from './types';

export function toIncident(row: typeof emergencyIncidents.$inferSelect): Incident {
  return {
    id: row.id,
    title: row.title,
    type: row.type as IncidentType,
    description: row.description,
    level: row.level as IncidentLevel,
    criteria: row.criteria,
    warningColour: row.warningColour as WarningColour,
    status: row.status as IncidentStatus,
    proposed: row.proposed,
    longitude: row.longitude,
    latitude: row.latitude,
    address: row.address,
    cellCode: row.cellCode,
    reporterSubject: row.reporterSubject,
    reporterName: row.reporterName,
    occurredAt: row.occurredAt,
    reportedAt: row.reportedAt,
    reportedUpwardAt: row.reportedUpwardAt,
    reportedUpwardBy: row.reportedUpwardBy,
    closedAt: row.closedAt,
    exceedanceIds: row.exceedanceIds,
    sourceUsccs: row.sourceUsccs,
    cameraIds: row.cameraIds,
    originExceedanceId: row.originExceedanceId,
  };
}

export function toPlan(row: typeof emergencyPlans.$inferSelect): Plan {
  return { id: row.id, name: row.name, incidentType: row.incidentType as IncidentType, level: row.level as IncidentLevel, summary: row.summary };
}

export function toStep(row: typeof emergencyPlanSteps.$inferSelect): PlanStep {
  return { id: row.id, planId: row.planId, position: row.position, title: row.title, ownerRole: row.ownerRole, description: row.description };
}

export function toAction(row: typeof emergencyActions.$inferSelect): IncidentAction {
  return {
    id: row.id,
    incidentId: row.incidentId,
    planId: row.planId,
    position: row.position,
    title: row.title,
    ownerRole: row.ownerRole,
    status: row.status as ActionStatus,
    doneBy: row.doneBy,
    doneByName: row.doneByName,
    doneAt: row.doneAt,
    note: row.note,
  };
}

export function toResource(row: typeof emergencyResources.$inferSelect): Resource {
  return {
    id: row.id,
    kind: row.kind as ResourceKind,
    name: row.name,
    description: row.description,
    quantity: row.quantity,
    unit: row.unit,
    longitude: row.longitude,
    latitude: row.latitude,
    cellCode: row.cellCode,
    contactName: row.contactName,
    contactPhone: row.contactPhone,
    available: row.available,
  };
}

export function toOrder(row: typeof emergencyOrders.$inferSelect): DispatchOrder {
  return {
    id: row.id,
    incidentId: row.incidentId,
    resourceId: row.resourceId,
    quantity: row.quantity,
    instructions: row.instructions,
    issuedBy: row.issuedBy,
    issuedAt: row.issuedAt,
    acknowledgedAt: row.acknowledgedAt,
    arrivedAt: row.arrivedAt,
  };
}

export function toEntry(row: typeof emergencyTimeline.$inferSelect): TimelineEntry {
  return {
    id: row.id,
    incidentId: row.incidentId,
    kind: row.kind as TimelineKind,
    summary: row.summary,
    detail: row.detail ?? null,
    actor: row.actor,
    actorName: row.actorName,
    at: row.at,
  };
}
