/** The emergency module's vocabulary, shared by its service, its schema and its seed. */
import type { MonitorKind, Severity } from '../../../src/monitoring/public';
import type { IncidentCriteria, IncidentLevel, WarningColour } from '../levels';

export const INCIDENT_TYPES = ['WATER_POLLUTION', 'AIR_POLLUTION', 'HAZARDOUS_CHEMICALS', 'HAZARDOUS_WASTE', 'RADIATION', 'OTHER'] as const;
export type IncidentType = (typeof INCIDENT_TYPES)[number];

export const INCIDENT_LEVELS = ['I', 'II', 'III', 'IV'] as const satisfies readonly IncidentLevel[];

export const RESOURCE_KINDS = ['TEAM', 'EXPERT', 'EQUIPMENT', 'SUPPLY'] as const;
export type ResourceKind = (typeof RESOURCE_KINDS)[number];

export const ACTION_STATUSES = ['PENDING', 'DONE'] as const;
export type ActionStatus = (typeof ACTION_STATUSES)[number];

export const TIMELINE_KINDS = [
  'REPORTED',
  'LEVEL_CHANGED',
  'STATUS_CHANGED',
  'PLAN_ACTIVATED',
  'ACTION_DONE',
  'ORDER_ISSUED',
  'ORDER_ACKNOWLEDGED',
  'ORDER_ARRIVED',
  'REPORTED_UPWARD',
  'LINKED',
  'NOTE',
] as const;
export type TimelineKind = (typeof TIMELINE_KINDS)[number];

export const INCIDENT_STATUSES = ['REPORTED', 'VERIFIED', 'RESPONDING', 'CONTAINED', 'CLOSED'] as const;
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];

export interface Incident {
  id: number;
  title: string;
  type: IncidentType;
  description: string | null;
  level: IncidentLevel;
  criteria: IncidentCriteria;
  warningColour: WarningColour;
  status: IncidentStatus;
  /** opened by the hub from an exceedance, awaiting an officer's verification */
  proposed: boolean;
  longitude: number | null;
  latitude: number | null;
  address: string | null;
  cellCode: string | null;
  reporterSubject: string;
  reporterName: string | null;
  occurredAt: Date | null;
  reportedAt: Date;
  reportedUpwardAt: Date | null;
  reportedUpwardBy: string | null;
  closedAt: Date | null;
  exceedanceIds: number[];
  sourceUsccs: string[];
  cameraIds: string[];
  originExceedanceId: number | null;
}

export interface PlanStep {
  id: number;
  planId: number;
  position: number;
  title: string;
  ownerRole: string;
  description: string | null;
}

export interface Plan {
  id: number;
  name: string;
  incidentType: IncidentType;
  level: IncidentLevel;
  summary: string | null;
}

export interface IncidentAction {
  id: number;
  incidentId: number;
  planId: number;
  position: number;
  title: string;
  ownerRole: string;
  status: ActionStatus;
  doneBy: string | null;
  doneByName: string | null;
  doneAt: Date | null;
  note: string | null;
}

export interface Resource {
  id: number;
  kind: ResourceKind;
  name: string;
  description: string | null;
  quantity: number;
  unit: string | null;
  longitude: number;
  latitude: number;
  cellCode: string | null;
  contactName: string | null;
  contactPhone: string | null;
  available: boolean;
}

export interface DispatchOrder {
  id: number;
  incidentId: number;
  resourceId: number;
  quantity: number;
  instructions: string | null;
  issuedBy: string;
  issuedAt: Date;
  acknowledgedAt: Date | null;
  arrivedAt: Date | null;
}

export interface TimelineEntry {
  id: number;
  incidentId: number;
  kind: TimelineKind;
  summary: string;
  detail: Record<string, unknown> | null;
  actor: string;
  actorName: string | null;
  at: Date;
}

/** Who did something: a token subject, or `system` for the hub itself. */
export interface Actor {
  subject: string;
  name: string | null;
}

export const SYSTEM_ACTOR: Actor = { subject: 'system', name: null };

/**
 * An exceedance episode on a monitor of `monitorKind` that reaches `severity` (a WARNING rule also
 * takes exceedances) opens a proposed incident of `incidentType`, level IV until an officer grades
 * it, with the given warning colour.
 */
export interface AutoOpenRule {
  monitorKind: MonitorKind;
  severity: Severity;
  incidentType: IncidentType;
  warningColour: WarningColour;
}
