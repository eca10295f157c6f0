/** Chinese names of the hub's enumerations, as the bureau's forms write them. */

export const CONTROL_LEVEL_NAMES: Readonly<Record<string, string>> = { STATE: '国控', PROVINCE: '省控', CITY: '市控', DISTRICT_KEY: '区重点' };
export const CASE_STATUS_NAMES: Readonly<Record<string, string>> = { OPEN: '已立案', DECIDED: '已作出决定', CLOSED: '已结案' };
export const OUTLET_KIND_NAMES: Readonly<Record<string, string>> = { WASTEWATER: '废水', FLUE_GAS: '废气' };
export const LIMIT_BASIS_NAMES: Readonly<Record<string, string>> = { RAW: '实测', CONVERTED: '折算' };
export const SEVERITY_NAMES: Readonly<Record<string, string>> = { WARNING: '预警', EXCEEDANCE: '超标' };
export const EPISODE_STATUS_NAMES: Readonly<Record<string, string>> = { OPEN: '持续中', CLOSED: '已结束' };
export const TASK_STATUS_NAMES: Readonly<Record<string, string>> = {
  DISPATCHED: '已派发',
  ACCEPTED: '已接收',
  IN_PROGRESS: '处理中',
  SUBMITTED: '已提交',
  VERIFIED: '已核查',
  RETURNED: '已退回',
  OVERDUE: '已逾期',
};
export const TASK_TYPE_NAMES: Readonly<Record<string, string>> = {
  ROUTINE_PATROL: '日常巡查',
  EXCEEDANCE_INSPECTION: '超标核查',
  COMPLAINT: '投诉处理',
  SPECIAL_CAMPAIGN: '专项行动',
  OTHER: '其他',
};
export const ASSESSMENT_GROUP_NAMES: Readonly<Record<string, string>> = { ASSISTANT: '协管员', CELL: '村（社区）', TOWN: '街镇' };
export const MONITOR_KIND_NAMES: Readonly<Record<string, string>> = {
  WASTEWATER_OUTLET: '废水排放口',
  FLUE_GAS_OUTLET: '废气排放口',
  HEAVY_METAL_ANALYSER: '重金属监测仪',
  WATER_SAMPLER: '水质采样器',
  AIR_STATION: '空气自动站',
  WATER_STATION: '水质自动站',
  NOISE: '噪声',
  OTHER: '其他',
};
/** GB 3838 classes as written in reports; 劣V for worse than V. */
export const WATER_CLASS_NAMES: Readonly<Record<string, string>> = { I: 'Ⅰ类', II: 'Ⅱ类', III: 'Ⅲ类', IV: 'Ⅳ类', V: 'Ⅴ类', WORSE_THAN_V: '劣Ⅴ类' };
export const AIR_STATION_LEVEL_NAMES: Readonly<Record<string, string>> = { NATIONAL: '国控', PROVINCE: '省控', CITY: '市控', DISTRICT: '区控' };
/** HJ 633 pollutant names as published. */
export const POLLUTANT_NAMES: Readonly<Record<string, string>> = { SO2: 'SO₂', NO2: 'NO₂', CO: 'CO', O3: 'O₃', PM10: 'PM₁₀', PM2_5: 'PM₂.₅' };

export const label = (names: Readonly<Record<string, string>>, value: string | null | undefined): string | null =>
  value == null ? null : (names[value] ?? value);
