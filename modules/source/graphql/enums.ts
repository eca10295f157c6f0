import type { HubBuilder } from '../../../src/graphql/builder';
import {
  CAMERA_STATUSES,
  CASE_STATUSES,
  CONTROL_LEVELS,
  ENTERPRISE_STATUSES,
  INSPECTION_RESULTS,
  LIMIT_BASES,
  OUTLET_KINDS,
  RISK_LEVELS,
  SAMPLE_COMMAND_STATUSES,
  SITE_KINDS,
  SNAPSHOT_TARGETS,
} from '../service/types';

/** The source module's enums, registered once per builder and handed to its field files. */
export function registerSourceEnums(builder: HubBuilder) {
  return {
    ControlLevel: builder.enumType('ControlLevel', {
      description: 'who lists the enterprise as a key source: 国控 STATE, 省控 PROVINCE, 市控 CITY, district key DISTRICT_KEY',
      values: CONTROL_LEVELS,
    }),
    EnterpriseStatus: builder.enumType('EnterpriseStatus', { values: ENTERPRISE_STATUSES }),
    OutletKind: builder.enumType('OutletKind', { description: 'WASTEWATER (HJ 212 ST 32) or FLUE_GAS (ST 31)', values: OUTLET_KINDS }),
    LimitBasis: builder.enumType('PermitLimitBasis', { description: 'RAW values, or CONVERTED to the reference O2 (flue gas)', values: LIMIT_BASES }),
    RiskLevel: builder.enumType('RiskLevel', { description: '一般 GENERAL, 较大 LARGER, 重大 MAJOR', values: RISK_LEVELS }),
    InspectionResult: builder.enumType('InspectionResult', { values: INSPECTION_RESULTS }),
    CaseStatus: builder.enumType('EnforcementCaseStatus', { description: 'OPEN -> DECIDED -> CLOSED', values: CASE_STATUSES }),
    SiteKind: builder.enumType('VideoSiteKind', { values: SITE_KINDS }),
    CameraStatus: builder.enumType('CameraStatus', { values: CAMERA_STATUSES }),
    ReportedCameraStatus: builder.enumType('ReportedCameraStatus', { values: ['ONLINE', 'OFFLINE'] as const }),
    SnapshotTarget: builder.enumType('SnapshotTarget', { description: 'what a snapshot is evidence of', values: SNAPSHOT_TARGETS }),
    SampleCommandStatus: builder.enumType('SampleCommandStatus', {
      description:
        'the HJ 212 3015 sent to a sampler’s data logger: NOT_SENT (no logger), PENDING, DONE (9012 ExeRtn 1), REFUSED (9011 QnRtn not 1), FAILED (another ExeRtn), TIMEOUT, NOT_CONNECTED',
      values: SAMPLE_COMMAND_STATUSES,
    }),
    FacilityRunStatus: builder.enumType('FacilityRunStatus', {
      description: 'HJ 212 2021 SB-RS: 0 OFF, 1 RUNNING, 2 CALIBRATING, 3 MAINTENANCE, 4 ALARM, 5 BLOWBACK',
      values: ['OFF', 'RUNNING', 'CALIBRATING', 'MAINTENANCE', 'ALARM', 'BLOWBACK', 'UNKNOWN'] as const,
    }),
  };
}

export type SourceEnums = ReturnType<typeof registerSourceEnums>;
