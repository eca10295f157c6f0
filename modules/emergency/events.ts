import { defineEvent } from '../../src/events/topics';
import type { IncidentLevel } from './levels';
import type { IncidentStatus, IncidentType, TimelineKind } from './service/types';

/** What every incident event carries: enough to route, scope and show it without a query. */
export interface IncidentEventPayload {
  incidentId: number;
  title: string;
  type: IncidentType;
  level: IncidentLevel;
  status: IncidentStatus;
  proposed: boolean;
  cellCode: string | null;
  /** the timeline entry the event stands for */
  timelineKind: TimelineKind;
  summary: string;
  /** token subject of who did it; `system` for the hub itself */
  actor: string;
  at: string;
}

export const incidentReported = defineEvent<IncidentEventPayload>('emergency.incident.reported');
export const incidentLevelChanged = defineEvent<IncidentEventPayload>('emergency.incident.levelChanged');
export const incidentStatusChanged = defineEvent<IncidentEventPayload>('emergency.incident.statusChanged');
/** any other timeline entry: plan, action, order, upward report, link, note */
export const incidentUpdated = defineEvent<IncidentEventPayload>('emergency.incident.updated');

export const INCIDENT_TOPICS = [incidentReported, incidentLevelChanged, incidentStatusChanged, incidentUpdated] as const;

/**
 * A resource was sent to an incident. Carries the people the commander named to tell (the team
 * leader on duty, the expert): resources are contacts, not accounts, so the order says who.
 */
export interface OrderIssuedPayload {
  orderId: number;
  incidentId: number;
  incidentTitle: string;
  resourceName: string;
  quantity: number;
  unit: string | null;
  instructions: string | null;
  /** token subjects to tell */
  recipients: string[];
  actor: string;
  at: string;
}

export const orderIssued = defineEvent<OrderIssuedPayload>('emergency.order.issued');
