import { LimitError, ValidationError } from '../../../src/errors';
import { lookupFactor } from '../../../src/monitoring/public';
import { CELL_CODE, FACTOR_CODE, USCC } from '../../../src/validation';
import { sourceServiceRef, type ControlLevel, type EnforcementCase, type Enterprise, type SourceService } from '../../source/public';
import type { Row } from '../format/cells';
import { CASE_STATUS_NAMES, CONTROL_LEVEL_NAMES, label, LIMIT_BASIS_NAMES, OUTLET_KIND_NAMES } from '../format/labels';
import { checkAborted, rangeStamp, type ExportContext, type ExportKind } from './kind';
import type { ExportParams } from './params';

const CONTROL_LEVELS: readonly ControlLevel[] = ['STATE', 'PROVINCE', 'CITY', 'DISTRICT_KEY'];
const CASE_STATUSES = ['OPEN', 'DECIDED', 'CLOSED'] as const;
const READERS = ['admin', 'district', 'town', 'assistant', 'enterprise', 'upstream'] as const;
const ENTERPRISE_PAGE = 500;
/** Enterprises one compliance export covers: as many as the compliance summary judges. */
const MAX_ENTERPRISES = 2000;

/** The enterprises the viewer sees, narrowed by the export's filters; bounded. */
export async function visibleEnterprises(source: SourceService, context: ExportContext, params: ExportParams): Promise<Enterprise[]> {
  const uscc = params.string('enterprise', { pattern: USCC });
  const filter = { controlLevel: params.choice('controlLevel', CONTROL_LEVELS), cellCode: params.string('cell', { pattern: CELL_CODE }), search: uscc };
  const found: Enterprise[] = [];
  let afterId: number | undefined;
  for (;;) {
    checkAborted(context.signal);
    const page = await source.enterprises.list(context.viewer, filter, { limit: ENTERPRISE_PAGE, afterId });
    found.push(...page.filter((e) => uscc === undefined || e.uscc === uscc));
    if (found.length > MAX_ENTERPRISES)
      throw new LimitError(`more than ${MAX_ENTERPRISES} enterprises: narrow the export with controlLevel, cell or enterprise`);
    if (page.length < ENTERPRISE_PAGE) return found;
    afterId = page.at(-1)?.id;
  }
}

/**
 * Every permit-limited factor of every outlet of the enterprises the viewer sees, each judged by
 * the same service call as the GraphQL field `outletCompliance`, so each row equals that field.
 */
export const outletComplianceExport: ExportKind = {
  name: 'outlet-compliance',
  title: '排放口达标情况',
  module: 'source',
  roles: READERS,
  params: ['from', 'to', 'enterprise', 'controlLevel', 'cell', 'factor'],
  open: async (context, params) => {
    const range = params.range(context.limits.maxRangeDays);
    const onlyFactor = params.string('factor', { pattern: FACTOR_CODE });
    const source = context.services.get(sourceServiceRef);
    const enterprises = await visibleEnterprises(source, context, params);
    const outlets = await source.files.outlets(enterprises.map((e) => e.id));
    const limits = await source.files.outletLimits(outlets.flat().map((o) => o.id));
    const jobs: { enterprise: Enterprise; outlet: (typeof outlets)[number][number]; factor: string }[] = [];
    let index = 0;
    enterprises.forEach((enterprise, e) => {
      for (const outlet of outlets[e] ?? []) {
        const factors = [...new Set((limits[index] ?? []).map((l) => l.factor))].sort();
        index += 1;
        for (const factor of factors) if (onlyFactor === undefined || factor === onlyFactor) jobs.push({ enterprise, outlet, factor });
      }
    });
    if (jobs.length > context.limits.maxRows) throw new LimitError(`${jobs.length} outlet factors; an export holds at most ${context.limits.maxRows}`);
    return {
      fileName: `outlet-compliance-${rangeStamp(range)}`,
      sheet: '排放口达标情况',
      columns: [
        { header: '统一社会信用代码', type: 'text', width: 22 },
        { header: '企业名称', type: 'text', width: 28 },
        { header: '控制级别', type: 'text' },
        { header: '排放口编号', type: 'text' },
        { header: '排放口名称', type: 'text', width: 20 },
        { header: '排放口类型', type: 'text' },
        { header: '因子编码', type: 'text' },
        { header: '因子名称', type: 'text', width: 16 },
        { header: '评价基准', type: 'text' },
        { header: '应有小时数（h）', type: 'integer' },
        { header: '有效小时数（h）', type: 'integer' },
        { header: '数据有效率', type: 'ratio' },
        { header: '超标小时数（h）', type: 'integer' },
        { header: '达标小时数（h）', type: 'integer' },
        { header: '达标率', type: 'ratio' },
        { header: '超标次数', type: 'integer' },
        { header: '最差小时均值', type: 'number', width: 14 },
        { header: '最差时段（北京时间）', type: 'time', width: 20 },
      ],
      estimatedRows: jobs.length,
      pages: async function* () {
        const PAGE = 20;
        for (let start = 0; start < jobs.length; start += PAGE) {
          checkAborted(context.signal);
          const rows: Row[] = [];
          for (const job of jobs.slice(start, start + PAGE)) {
            const r = await source.compliance.outlet(context.viewer, {
              enterpriseUscc: job.enterprise.uscc,
              outletCode: job.outlet.code,
              factor: job.factor,
              from: range.from,
              to: range.to,
            });
            rows.push([
              job.enterprise.uscc,
              job.enterprise.name,
              label(CONTROL_LEVEL_NAMES, job.enterprise.controlLevel),
              job.outlet.code,
              job.outlet.name,
              label(OUTLET_KIND_NAMES, job.outlet.kind),
              job.factor,
              lookupFactor(job.factor)?.nameZh ?? job.factor,
              label(LIMIT_BASIS_NAMES, r.basis),
              r.expectedHours,
              r.validHours,
              r.validDataRate,
              r.exceedanceHours,
              r.compliantHours,
              r.complianceRate,
              r.episodes,
              r.worstValue,
              r.worstAt,
            ]);
          }
          yield rows;
        }
      },
    };
  },
};

/** The compliance summary by control level, as `complianceSummary`. */
export const complianceSummaryExport: ExportKind = {
  name: 'compliance-summary',
  title: '按控制级别达标汇总',
  module: 'source',
  roles: ['admin', 'district', 'town', 'upstream'],
  params: ['from', 'to'],
  open: async (context, params) => {
    const range = params.range(context.limits.maxRangeDays);
    const source = context.services.get(sourceServiceRef);
    const summary = await source.compliance.summary(context.viewer, range);
    return {
      fileName: `compliance-summary-${rangeStamp(range)}`,
      sheet: '达标汇总',
      columns: [
        { header: '控制级别', type: 'text' },
        { header: '企业数', type: 'integer' },
        { header: '评价因子数', type: 'integer' },
        { header: '应有小时数（h）', type: 'integer' },
        { header: '有效小时数（h）', type: 'integer' },
        { header: '数据有效率', type: 'ratio' },
        { header: '超标小时数（h）', type: 'integer' },
        { header: '达标小时数（h）', type: 'integer' },
        { header: '达标率', type: 'ratio' },
        { header: '超标次数', type: 'integer' },
      ],
      estimatedRows: summary.length,
      pages: async function* () {
        yield summary.map((s): Row => [
          label(CONTROL_LEVEL_NAMES, s.controlLevel),
          s.enterprises,
          s.seriesJudged,
          s.expectedHours,
          s.validHours,
          s.validDataRate,
          s.exceedanceHours,
          s.compliantHours,
          s.complianceRate,
          s.episodes,
        ]);
      },
    };
  },
};

const CASE_PAGE = 500;
/** Cases read to find those of a period: the list is newest first by id, not by date. */
const MAX_CASES_SCANNED = 200_000;

/**
 * Enforcement cases the viewer sees, newest first, as `enforcementCases` lists them; `from`/`to`
 * keep the cases opened in that range.
 */
export async function* casePages(
  source: SourceService,
  context: ExportContext,
  filter: { status?: (typeof CASE_STATUSES)[number] | undefined; enterpriseUscc?: string | undefined },
  opened?: { from: Date; to: Date },
): AsyncGenerator<EnforcementCase[]> {
  let beforeId: number | undefined;
  for (let scanned = 0; scanned < MAX_CASES_SCANNED; scanned += CASE_PAGE) {
    checkAborted(context.signal);
    const page = await source.enforcement.listCases(context.viewer, filter, { limit: CASE_PAGE, beforeId });
    const kept = opened ? page.filter((c) => c.openedAt >= opened.from && c.openedAt < opened.to) : page;
    if (kept.length > 0) yield kept;
    if (page.length < CASE_PAGE) return;
    beforeId = page.at(-1)?.id;
  }
  throw new LimitError(`more than ${MAX_CASES_SCANNED} cases: narrow the export with status or enterprise`);
}

export const enforcementCasesExport: ExportKind = {
  name: 'enforcement-cases',
  title: '行政处罚案件',
  module: 'source',
  roles: READERS,
  params: ['from', 'to', 'status', 'enterprise'],
  open: async (context, params) => {
    const status = params.choice('status', CASE_STATUSES);
    const enterpriseUscc = params.string('enterprise', { pattern: USCC });
    const from = params.time('from');
    const to = params.time('to');
    if ((from === undefined) !== (to === undefined)) throw new ValidationError([{ path: from ? 'to' : 'from', message: 'give both from and to, or neither' }]);
    const opened = from && to ? params.range(context.limits.maxRangeDays) : undefined;
    const source = context.services.get(sourceServiceRef);
    let written = 0;
    return {
      fileName: `enforcement-cases${opened ? `-${rangeStamp(opened)}` : ''}`,
      sheet: '行政处罚案件',
      columns: [
        { header: '案件编号', type: 'text', width: 22 },
        { header: '统一社会信用代码', type: 'text', width: 22 },
        { header: '企业名称', type: 'text', width: 28 },
        { header: '违法事实', type: 'text', width: 40 },
        { header: '处罚决定', type: 'text', width: 40 },
        { header: '罚款金额（元）', type: 'number', width: 14 },
        { header: '案件状态', type: 'text' },
        { header: '是否公开', type: 'boolean' },
        { header: '立案时间（北京时间）', type: 'time', width: 20 },
        { header: '决定时间（北京时间）', type: 'time', width: 20 },
        { header: '结案时间（北京时间）', type: 'time', width: 20 },
      ],
      estimatedRows: null,
      pages: async function* () {
        for await (const cases of casePages(source, context, { status, enterpriseUscc }, opened)) {
          written += cases.length;
          if (written > context.limits.maxRows) throw new LimitError(`more than ${context.limits.maxRows} cases`);
          const enterprises = await source.enterprises.byIds(context.viewer, [...new Set(cases.map((c) => c.enterpriseId))]);
          const byId = new Map(enterprises.filter((e): e is Enterprise => e !== undefined).map((e) => [e.id, e]));
          yield cases.map((c): Row => {
            const enterprise = byId.get(c.enterpriseId);
            return [
              c.caseNumber,
              enterprise?.uscc ?? null,
              enterprise?.name ?? null,
              c.findings,
              c.decision,
              c.penaltyYuan,
              label(CASE_STATUS_NAMES, c.status),
              c.published,
              c.openedAt,
              c.decidedAt,
              c.closedAt,
            ];
          });
        }
      },
    };
  },
};
