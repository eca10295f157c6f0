import { LimitError } from '../../../src/errors';
import { lookupFactor, monitoringServiceRef, type Monitor, type MonitorKind, type Severity } from '../../../src/monitoring/public';
import { CELL_CODE, USCC } from '../../../src/validation';
import type { Row } from '../format/cells';
import { EPISODE_STATUS_NAMES, label, LIMIT_BASIS_NAMES, MONITOR_KIND_NAMES, SEVERITY_NAMES } from '../format/labels';
import { checkAborted, rangeStamp, type ExportKind } from './kind';

const MONITOR_KINDS: readonly MonitorKind[] = [
  'WASTEWATER_OUTLET',
  'FLUE_GAS_OUTLET',
  'HEAVY_METAL_ANALYSER',
  'WATER_SAMPLER',
  'AIR_STATION',
  'WATER_STATION',
  'NOISE',
  'OTHER',
];
const SEVERITIES: readonly Severity[] = ['WARNING', 'EXCEEDANCE'];
const STATUSES = ['OPEN', 'CLOSED'] as const;
const PAGE = 500;

/** Exceedance episodes opened in [from, to), newest first, as the GraphQL `exceedances` connection. */
export const exceedancesExport: ExportKind = {
  name: 'exceedances',
  title: '超标记录',
  module: 'monitoring',
  roles: ['admin', 'district', 'town', 'assistant', 'enterprise', 'upstream'],
  params: ['from', 'to', 'severity', 'status', 'monitorKind', 'enterprise', 'cell'],
  open: async (context, params) => {
    const range = params.range(context.limits.maxRangeDays);
    const filter = {
      severity: params.choice('severity', SEVERITIES),
      status: params.choice('status', STATUSES),
      monitorKind: params.choices('monitorKind', MONITOR_KINDS),
      enterpriseUscc: params.string('enterprise', { pattern: USCC }),
      cellCode: params.string('cell', { pattern: CELL_CODE }),
      from: range.from,
      // the service's `to` is inclusive; an export's range is [from, to)
      to: new Date(range.to.getTime() - 1),
    };
    const monitoring = context.services.get(monitoringServiceRef);
    let written = 0;
    return {
      fileName: `exceedances-${rangeStamp(range)}`,
      sheet: '超标记录',
      columns: [
        { header: '编号', type: 'integer' },
        { header: '监测点编号（MN）', type: 'text', width: 26 },
        { header: '监测点名称', type: 'text', width: 24 },
        { header: '监测点类型', type: 'text', width: 14 },
        { header: '因子编码', type: 'text' },
        { header: '因子名称', type: 'text', width: 16 },
        { header: '数据类型', type: 'text' },
        { header: '级别', type: 'text' },
        { header: '状态', type: 'text' },
        { header: '开始时间（北京时间）', type: 'time', width: 20 },
        { header: '最近超限时间（北京时间）', type: 'time', width: 20 },
        { header: '结束时间（北京时间）', type: 'time', width: 20 },
        { header: '峰值', type: 'number' },
        { header: '峰值时间（北京时间）', type: 'time', width: 20 },
        { header: '限值上限', type: 'number' },
        { header: '限值下限', type: 'number' },
        { header: '评价基准', type: 'text' },
        { header: '统一社会信用代码', type: 'text', width: 22 },
        { header: '网格编码', type: 'text', width: 18 },
        { header: '确认时间（北京时间）', type: 'time', width: 20 },
        { header: '确认人', type: 'text' },
        { header: '确认说明', type: 'text', width: 30 },
      ],
      estimatedRows: null,
      pages: async function* () {
        let beforeId: number | undefined;
        for (;;) {
          checkAborted(context.signal);
          const page = await monitoring.listExceedances(context.viewer, filter, { limit: PAGE, beforeId });
          written += page.length;
          if (written > context.limits.maxRows) throw new LimitError(`more than ${context.limits.maxRows} exceedances: narrow the range`);
          const monitors = await monitoring.monitorsByIds(context.viewer, [...new Set(page.map((e) => e.monitorId))]);
          const byId = new Map(monitors.filter((m): m is Monitor => m !== undefined).map((m) => [m.id, m]));
          if (page.length > 0) {
            yield page.map((e): Row => {
              const monitor = byId.get(e.monitorId);
              return [
                e.id,
                monitor?.mn ?? null,
                monitor?.name ?? null,
                label(MONITOR_KIND_NAMES, e.monitorKind),
                e.factor,
                lookupFactor(e.factor)?.nameZh ?? e.factor,
                e.interval,
                label(SEVERITY_NAMES, e.severity),
                label(EPISODE_STATUS_NAMES, e.status),
                e.openedAt,
                e.lastOutAt,
                e.closedAt,
                e.peakValue,
                e.peakAt,
                e.limitUpper,
                e.limitLower,
                label(LIMIT_BASIS_NAMES, e.basis),
                e.enterpriseUscc,
                e.cellCode,
                e.acknowledgedAt,
                e.acknowledgedBy,
                e.acknowledgeNote,
              ];
            });
          }
          if (page.length < PAGE) return;
          beforeId = page.at(-1)?.id;
        }
      },
    };
  },
};
