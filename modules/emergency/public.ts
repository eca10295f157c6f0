/** What other modules may use of the emergency module. */
import { createServiceRef } from '../../src/services';
import type { EmergencyService } from './service/emergency-service';

export const emergencyServiceRef = createServiceRef<EmergencyService>('emergency');
export type { EmergencyService } from './service/emergency-service';
export type {
  Incident,
  IncidentType,
  IncidentStatus,
  Plan,
  PlanStep,
  Resource,
  ResourceKind,
  DispatchOrder,
  TimelineEntry,
  TimelineKind,
} from './service/types';
export type { IncidentLevel, IncidentCriteria, WarningColour } from './levels';
export type { AutoOpenRule } from './service/auto-open';
export { DEFAULT_AUTO_OPEN_RULES } from './service/auto-open';
export type { IncidentEventPayload, OrderIssuedPayload } from './events';
export { INCIDENT_TOPICS, orderIssued, incidentReported, incidentLevelChanged, incidentStatusChanged, incidentUpdated } from './events';
export { EmergencyIncidentRef, EmergencyResourceRef } from './graphql/refs';
