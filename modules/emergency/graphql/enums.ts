import type { HubBuilder } from '../../../src/graphql/builder';
import { WARNING_COLOURS } from '../levels';
import { STATUS_ACTIONS } from '../service/transitions';
import { ACTION_STATUSES, INCIDENT_LEVELS, INCIDENT_STATUSES, INCIDENT_TYPES, RESOURCE_KINDS, TIMELINE_KINDS } from '../service/types';

/** The emergency module's enums and small shared types, made once and handed to the field files. */
export function registerEmergencyEnums(builder: HubBuilder) {
  const Point = builder.objectRef<{ longitude: number; latitude: number }>('EmergencyPoint').implement({
    description: 'A WGS 84 position.',
    fields: (t) => ({ longitude: t.exposeFloat('longitude'), latitude: t.exposeFloat('latitude') }),
  });
  return {
    Point,
    IncidentType: builder.enumType('EmergencyIncidentType', { values: INCIDENT_TYPES }),
    IncidentLevel: builder.enumType('EmergencyLevel', {
      description: 'National grading (2014): I 特别重大, II 重大, III 较大, IV 一般.',
      values: INCIDENT_LEVELS,
    }),
    IncidentStatus: builder.enumType('EmergencyIncidentStatus', {
      description: 'REPORTED -> VERIFIED -> RESPONDING -> CONTAINED -> CLOSED; a REPORTED incident may also be closed as a false alarm.',
      values: INCIDENT_STATUSES,
    }),
    StatusAction: builder.enumType('EmergencyStatusAction', { values: STATUS_ACTIONS }),
    WarningColour: builder.enumType('EmergencyWarningColour', { description: 'blue < yellow < orange < red', values: WARNING_COLOURS }),
    IntakeCut: builder.enumType('EmergencyIntakeCut', { description: 'the largest administrative level whose drinking-water intake was cut', values: ['NONE', 'COUNTY', 'CITY'] as const }),
    CrossBoundary: builder.enumType('EmergencyCrossBoundary', { description: 'the widest boundary the pollution crossed', values: ['NONE', 'CITY', 'PROVINCE'] as const }),
    Criterion: builder.enumType('EmergencyCriterion', { values: ['deaths', 'poisoned', 'evacuated', 'economicLossYuan', 'drinkingWaterIntakeCut', 'crossBoundary'] as const }),
    UpwardStatus: builder.enumType('EmergencyUpwardReportStatus', {
      description: 'NOT_REQUIRED below level II; PENDING within the two hours; MET or MISSED',
      values: ['NOT_REQUIRED', 'PENDING', 'MET', 'MISSED'] as const,
    }),
    ResourceKind: builder.enumType('EmergencyResourceKind', { values: RESOURCE_KINDS }),
    ActionStatus: builder.enumType('EmergencyActionStatus', { values: ACTION_STATUSES }),
    TimelineKind: builder.enumType('EmergencyTimelineKind', { values: TIMELINE_KINDS }),
  };
}

export type EmergencyEnums = ReturnType<typeof registerEmergencyEnums>;
