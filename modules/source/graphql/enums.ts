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
import { zhValues } from '../../../src/graphql/zh';

/** The source module's enums, registered once per builder and handed to its field files. */
export function registerSourceEnums(builder: HubBuilder) {
  return {
    ControlLevel: builder.enumType('ControlLevel', {
      description: 'who lists the enterprise as a key source: 国控 STATE, 省控 PROVINCE, 市控 CITY, district key DISTRICT_KEY',
      values: zhValues(CONTROL_LEVELS, { CITY: '市控', DISTRICT_KEY: '区重点', PROVINCE: '省控', STATE: '国控' }),
    }),
    EnterpriseStatus: builder.enumType('EnterpriseStatus', {
      values: zhValues(ENTERPRISE_STATUSES, { CLOSED: '关闭', OPERATING: '生产经营', SUSPENDED: '停产' }),
    }),
    OutletKind: builder.enumType('OutletKind', {
      description: 'WASTEWATER (HJ 212 ST 32) or FLUE_GAS (ST 31)',
      values: zhValues(OUTLET_KINDS, { FLUE_GAS: '废气排放口', WASTEWATER: '废水排放口' }),
    }),
    LimitBasis: builder.enumType('PermitLimitBasis', {
      description: 'RAW values, or CONVERTED to the reference O2 (flue gas)',
      values: zhValues(LIMIT_BASES, { CONVERTED: '折算值', RAW: '实测值' }),
    }),
    RiskLevel: builder.enumType('RiskLevel', {
      description: '一般 GENERAL, 较大 LARGER, 重大 MAJOR',
      values: zhValues(RISK_LEVELS, { GENERAL: '一般', LARGER: '较大', MAJOR: '重大' }),
    }),
    InspectionResult: builder.enumType('InspectionResult', { values: zhValues(INSPECTION_RESULTS, { COMPLIANT: '合规', ISSUES_FOUND: '发现问题' }) }),
    CaseStatus: builder.enumType('EnforcementCaseStatus', {
      description: 'OPEN -> DECIDED -> CLOSED',
      values: zhValues(CASE_STATUSES, { CLOSED: '结案', DECIDED: '已作出处罚决定', OPEN: '立案' }),
    }),
    SiteKind: builder.enumType('VideoSiteKind', {
      values: zhValues(SITE_KINDS, { DRINKING_WATER_SOURCE: '饮用水水源地', ENTERPRISE: '企业', KEY_AREA: '重点区域' }),
    }),
    CameraStatus: builder.enumType('CameraStatus', { values: zhValues(CAMERA_STATUSES, { OFFLINE: '离线', ONLINE: '在线', UNKNOWN: '未知' }) }),
    ReportedCameraStatus: builder.enumType('ReportedCameraStatus', { values: zhValues(['ONLINE', 'OFFLINE'] as const, { OFFLINE: '离线', ONLINE: '在线' }) }),
    SnapshotTarget: builder.enumType('SnapshotTarget', {
      description: 'what a snapshot is evidence of',
      values: zhValues(SNAPSHOT_TARGETS, { CASE: '执法案件', EXCEEDANCE: '超标', PATROL: '巡查' }),
    }),
    SampleCommandStatus: builder.enumType('SampleCommandStatus', {
      description:
        'the HJ 212 3015 sent to a sampler’s data logger: NOT_SENT (no logger), PENDING, DONE (9012 ExeRtn 1), REFUSED (9011 QnRtn not 1), FAILED (another ExeRtn), TIMEOUT, NOT_CONNECTED',
      values: zhValues(SAMPLE_COMMAND_STATUSES, {
        DONE: '已留样',
        FAILED: '执行失败',
        NOT_CONNECTED: '数采仪未连接',
        NOT_SENT: '未下发',
        PENDING: '等待应答',
        REFUSED: '请求被拒',
        TIMEOUT: '应答超时',
      }),
    }),
    FacilityRunStatus: builder.enumType('FacilityRunStatus', {
      description: 'HJ 212 2021 SB-RS: 0 OFF, 1 RUNNING, 2 CALIBRATING, 3 MAINTENANCE, 4 ALARM, 5 BLOWBACK',
      values: zhValues(['OFF', 'RUNNING', 'CALIBRATING', 'MAINTENANCE', 'ALARM', 'BLOWBACK', 'UNKNOWN'] as const, {
        ALARM: '故障报警',
        BLOWBACK: '反吹',
        CALIBRATING: '校准',
        MAINTENANCE: '维护',
        OFF: '停运',
        RUNNING: '运行',
        UNKNOWN: '未知',
      }),
    }),
  };
}

export type SourceEnums = ReturnType<typeof registerSourceEnums>;
