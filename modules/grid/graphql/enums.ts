import type { HubBuilder } from '../../../src/graphql/builder';
import { ASSESSMENT_GROUPS } from '../service/assessment';
import { TASK_ACTIONS, TASK_STATUSES } from '../service/transitions';
import {
  DISCHARGE_STATUSES,
  FACILITY_STATUSES,
  HAZARDOUS_WASTE_STATUSES,
  PRODUCTION_STATUSES,
  STAFF_ROLES,
  TARGET_KINDS,
  TASK_TYPES,
} from '../service/types';

/** The grid's enums and small shared object types, made once and handed to the field files. */
export function registerGridEnums(builder: HubBuilder) {
  const GridPoint = builder.objectRef<{ longitude: number; latitude: number }>('GridPoint').implement({
    description: 'A WGS 84 position.',
    fields: (t) => ({ longitude: t.exposeFloat('longitude'), latitude: t.exposeFloat('latitude') }),
  });
  return {
    GridPoint,
    StaffRole: builder.enumType('GridStaffRole', { values: STAFF_ROLES }),
    TaskType: builder.enumType('GridTaskType', { values: TASK_TYPES }),
    TaskStatus: builder.enumType('GridTaskStatus', {
      description: 'DISPATCHED -> ACCEPTED -> IN_PROGRESS -> SUBMITTED -> VERIFIED (closed), or RETURNED (back to IN_PROGRESS); OVERDUE once the deadline passes with the work still with the assistant.',
      values: TASK_STATUSES,
    }),
    TaskAction: builder.enumType('GridTaskAction', { values: TASK_ACTIONS }),
    TargetKind: builder.enumType('GridTargetKind', { values: TARGET_KINDS }),
    ProductionStatus: builder.enumType('GridProductionStatus', { values: PRODUCTION_STATUSES }),
    DischargeStatus: builder.enumType('GridDischargeStatus', { values: DISCHARGE_STATUSES }),
    FacilityStatus: builder.enumType('GridFacilityStatus', { description: 'whether the pollution treatment facility was running', values: FACILITY_STATUSES }),
    HazardousWasteStatus: builder.enumType('GridHazardousWasteStatus', { values: HAZARDOUS_WASTE_STATUSES }),
    AssessmentGroup: builder.enumType('GridAssessmentGroup', { values: ASSESSMENT_GROUPS }),
  };
}

export type GridEnums = ReturnType<typeof registerGridEnums>;
