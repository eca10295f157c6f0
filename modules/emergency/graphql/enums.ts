import type { HubBuilder } from '../../../src/graphql/builder';
import { WARNING_COLOURS } from '../levels';
import { STATUS_ACTIONS } from '../service/transitions';
import { ACTION_STATUSES, INCIDENT_LEVELS, INCIDENT_STATUSES, INCIDENT_TYPES, RESOURCE_KINDS, TIMELINE_KINDS } from '../service/types';
import { zhValues } from '../../../src/graphql/zh';

/** The emergency module's enums and small shared types, made once and handed to the field files. */
export function registerEmergencyEnums(builder: HubBuilder) {
  const Point = builder.objectRef<{ longitude: number; latitude: number }>('EmergencyPoint').implement({
    description: 'A WGS 84 position.',
    fields: (t) => ({ longitude: t.exposeFloat('longitude'), latitude: t.exposeFloat('latitude') }),
  });
  return {
    Point,
    IncidentType: builder.enumType('EmergencyIncidentType', {
      values: zhValues(INCIDENT_TYPES, {
        AIR_POLLUTION: '大气污染',
        HAZARDOUS_CHEMICALS: '危险化学品',
        HAZARDOUS_WASTE: '危险废物',
        OTHER: '其他',
        RADIATION: '辐射',
        WATER_POLLUTION: '水污染',
      }),
    }),
    IncidentLevel: builder.enumType('EmergencyLevel', {
      description: 'National grading (2014): I 特别重大, II 重大, III 较大, IV 一般.',
      values: zhValues(INCIDENT_LEVELS, { I: 'Ⅰ级（特别重大）', II: 'Ⅱ级（重大）', III: 'Ⅲ级（较大）', IV: 'Ⅳ级（一般）' }),
    }),
    IncidentStatus: builder.enumType('EmergencyIncidentStatus', {
      description: 'REPORTED -> VERIFIED -> RESPONDING -> CONTAINED -> CLOSED; a REPORTED incident may also be closed as a false alarm.',
      values: zhValues(INCIDENT_STATUSES, { CLOSED: '已结束', CONTAINED: '已控制', REPORTED: '已接报', RESPONDING: '应急响应中', VERIFIED: '已核实' }),
    }),
    StatusAction: builder.enumType('EmergencyStatusAction', {
      values: zhValues(STATUS_ACTIONS, { CLOSE: '结束', CONTAIN: '控制', RESPOND: '启动响应', VERIFY: '核实' }),
    }),
    WarningColour: builder.enumType('EmergencyWarningColour', {
      description: 'blue < yellow < orange < red',
      values: zhValues(WARNING_COLOURS, { BLUE: '蓝色预警', ORANGE: '橙色预警', RED: '红色预警', YELLOW: '黄色预警' }),
    }),
    IntakeCut: builder.enumType('EmergencyIntakeCut', {
      description: 'the largest administrative level whose drinking-water intake was cut',
      values: zhValues(['NONE', 'COUNTY', 'CITY'] as const, { CITY: '设区的市级', COUNTY: '县级', NONE: '无' }),
    }),
    CrossBoundary: builder.enumType('EmergencyCrossBoundary', {
      description: 'the widest boundary the pollution crossed',
      values: zhValues(['NONE', 'CITY', 'PROVINCE'] as const, { CITY: '跨设区的市', NONE: '无', PROVINCE: '跨省（国界）' }),
    }),
    Criterion: builder.enumType('EmergencyCriterion', {
      values: zhValues(['deaths', 'poisoned', 'evacuated', 'economicLossYuan', 'drinkingWaterIntakeCut', 'crossBoundary'] as const, {
        crossBoundary: '跨界影响',
        deaths: '死亡人数',
        drinkingWaterIntakeCut: '饮用水水源地取水中断',
        economicLossYuan: '直接经济损失（元）',
        evacuated: '疏散转移人数',
        poisoned: '中毒或重伤人数',
      }),
    }),
    UpwardStatus: builder.enumType('EmergencyUpwardReportStatus', {
      description: 'NOT_REQUIRED below level II; PENDING within the two hours; MET or MISSED',
      values: zhValues(['NOT_REQUIRED', 'PENDING', 'MET', 'MISSED'] as const, {
        MET: '按时报告',
        MISSED: '逾期未报',
        NOT_REQUIRED: '无需上报',
        PENDING: '待报告',
      }),
    }),
    ResourceKind: builder.enumType('EmergencyResourceKind', {
      values: zhValues(RESOURCE_KINDS, { EQUIPMENT: '装备', EXPERT: '专家', SUPPLY: '物资', TEAM: '救援队伍' }),
    }),
    ActionStatus: builder.enumType('EmergencyActionStatus', { values: zhValues(ACTION_STATUSES, { DONE: '已完成', PENDING: '待办' }) }),
    TimelineKind: builder.enumType('EmergencyTimelineKind', {
      values: zhValues(TIMELINE_KINDS, {
        ACTION_DONE: '措施完成',
        LEVEL_CHANGED: '级别调整',
        LINKED: '关联',
        NOTE: '备注',
        ORDER_ACKNOWLEDGED: '调度指令已确认',
        ORDER_ARRIVED: '调度力量到达',
        ORDER_ISSUED: '下达调度指令',
        PLAN_ACTIVATED: '启动预案',
        REPORTED: '接报',
        REPORTED_UPWARD: '向上级报告',
        STATUS_CHANGED: '状态变化',
      }),
    }),
  };
}

export type EmergencyEnums = ReturnType<typeof registerEmergencyEnums>;
