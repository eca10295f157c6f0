import type { HubBuilder } from '../../../src/graphql/builder';
import { ASSESSMENT_GROUPS } from '../service/assessment';
import { TASK_ACTIONS, TASK_STATUSES } from '../service/transitions';
import { DISCHARGE_STATUSES, FACILITY_STATUSES, HAZARDOUS_WASTE_STATUSES, PRODUCTION_STATUSES, STAFF_ROLES, TARGET_KINDS, TASK_TYPES } from '../service/types';
import { zhValues } from '../../../src/graphql/zh';

/** The grid's enums and small shared object types, made once and handed to the field files. */
export function registerGridEnums(builder: HubBuilder) {
  const GridPoint = builder.objectRef<{ longitude: number; latitude: number }>('GridPoint').implement({
    description: 'A WGS 84 position.',
    fields: (t) => ({ longitude: t.exposeFloat('longitude'), latitude: t.exposeFloat('latitude') }),
  });
  return {
    GridPoint,
    StaffRole: builder.enumType('GridStaffRole', {
      values: zhValues(STAFF_ROLES, { ASSISTANT: '环保协管员', DISTRICT_OFFICER: '区局干部', TOWN_OFFICER: '街镇干部' }),
    }),
    TaskType: builder.enumType('GridTaskType', {
      values: zhValues(TASK_TYPES, {
        COMPLAINT: '投诉核查',
        EXCEEDANCE_INSPECTION: '超标核查',
        OTHER: '其他',
        ROUTINE_PATROL: '日常巡查',
        SPECIAL_CAMPAIGN: '专项行动',
      }),
    }),
    TaskStatus: builder.enumType('GridTaskStatus', {
      description:
        'DISPATCHED -> ACCEPTED -> IN_PROGRESS -> SUBMITTED -> VERIFIED (closed), or RETURNED (back to IN_PROGRESS); OVERDUE once the deadline passes with the work still with the assistant.',
      values: zhValues(TASK_STATUSES, {
        ACCEPTED: '已接收',
        DISPATCHED: '已派发',
        IN_PROGRESS: '处理中',
        OVERDUE: '逾期',
        RETURNED: '退回',
        SUBMITTED: '已提交',
        VERIFIED: '已核验',
      }),
    }),
    TaskAction: builder.enumType('GridTaskAction', {
      values: zhValues(TASK_ACTIONS, { ACCEPT: '接收', RETURN: '退回', START: '开始处理', SUBMIT: '提交', VERIFY: '核验' }),
    }),
    TargetKind: builder.enumType('GridTargetKind', { values: zhValues(TARGET_KINDS, { MONITOR: '监测设备', PLACE: '地点', SOURCE: '污染源' }) }),
    ProductionStatus: builder.enumType('GridProductionStatus', {
      values: zhValues(PRODUCTION_STATUSES, { NOT_APPLICABLE: '不适用', PARTIAL: '部分生产', PRODUCING: '正常生产', STOPPED: '停产' }),
    }),
    DischargeStatus: builder.enumType('GridDischargeStatus', {
      values: zhValues(DISCHARGE_STATUSES, { ABNORMAL: '排放异常', NONE_OBSERVED: '未见排放', NORMAL: '排放正常', NOT_APPLICABLE: '不适用' }),
    }),
    FacilityStatus: builder.enumType('GridFacilityStatus', {
      description: 'whether the pollution treatment facility was running',
      values: zhValues(FACILITY_STATUSES, { NOT_APPLICABLE: '不适用', NOT_RUNNING: '未运行', RUNNING: '正常运行' }),
    }),
    HazardousWasteStatus: builder.enumType('GridHazardousWasteStatus', {
      values: zhValues(HAZARDOUS_WASTE_STATUSES, { COMPLIANT: '规范', NON_COMPLIANT: '不规范', NOT_APPLICABLE: '不适用' }),
    }),
    AssessmentGroup: builder.enumType('GridAssessmentGroup', {
      values: zhValues(ASSESSMENT_GROUPS, { ASSISTANT: '按协管员', CELL: '按网格', TOWN: '按街镇' }),
    }),
  };
}

export type GridEnums = ReturnType<typeof registerGridEnums>;
