/** Chinese words for the codes the hub sends, and the colours of the map's states. */
export const STATE_COLOUR: Record<string, string> = { NORMAL: '#2ecc71', WARNING: '#f1c40f', EXCEEDANCE: '#e74c3c', OFFLINE: '#7f8c8d' };
export const STATE_ZH: Record<string, string> = { NORMAL: '正常', WARNING: '预警', EXCEEDANCE: '超标', OFFLINE: '离线' };
export const SEVERITY_ZH: Record<string, string> = { WARNING: '预警', EXCEEDANCE: '超标' };
export const EXCEEDANCE_KIND_ZH: Record<string, string> = { OPENED: '开始', ESCALATED: '升级', PEAK_UPDATED: '峰值', CLOSED: '恢复' };
export const INCIDENT_LEVEL_ZH: Record<string, string> = { I: 'Ⅰ级（特别重大）', II: 'Ⅱ级（重大）', III: 'Ⅲ级（较大）', IV: 'Ⅳ级（一般）' };
export const INCIDENT_STATUS_ZH: Record<string, string> = {
  REPORTED: '已报告',
  VERIFIED: '已核实',
  RESPONDING: '处置中',
  CONTAINED: '已控制',
  CLOSED: '已结束',
};
export const INCIDENT_KIND_ZH: Record<string, string> = { REPORTED: '新事件', LEVEL_CHANGED: '定级调整', STATUS_CHANGED: '状态变化', UPDATED: '更新' };
export const CAMERA_STATUS_ZH: Record<string, string> = { ONLINE: '在线', OFFLINE: '离线', UNKNOWN: '未知' };
export const CONTROL_LEVEL_ZH: Record<string, string> = { STATE: '国控', PROVINCE: '省控', CITY: '市控', DISTRICT_KEY: '区重点' };
export const WATER_CLASS_ZH: Record<string, string> = { I: 'Ⅰ类', II: 'Ⅱ类', III: 'Ⅲ类', IV: 'Ⅳ类', V: 'Ⅴ类', WORSE_THAN_V: '劣Ⅴ类' };

const clock = new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });
const dateTime = new Intl.DateTimeFormat('zh-CN', {
  timeZone: 'Asia/Shanghai',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hour12: false,
});

/** A time as the duty room reads it: Beijing time. */
export function timeOf(value: string | Date): string {
  return clock.format(new Date(value));
}

export function dateTimeOf(value: string | Date | null | undefined): string {
  return value ? dateTime.format(new Date(value)) : '—';
}

/** Text for an element, never markup: names come from data entered elsewhere. */
export function element<K extends keyof HTMLElementTagNameMap>(tag: K, text?: string, attributes: Record<string, string> = {}): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  return node;
}
