import { hasRole, type Viewer } from '../../../src/auth/viewer';
import { ValidationError } from '../../../src/errors';
import type { ExportKind } from '../exports/kind';
import { ExportParams } from '../exports/params';
import { monthlyHtml } from '../monthly/html';
import { parseMonth } from '../monthly/period';
import { checkMonthlyReader, gatherMonthlyReport } from '../monthly/report';
import { monthlyWorkbook } from '../monthly/workbook';
import type { ReportsDeps } from './deps';
import { enabledKinds, prepareExport, type PreparedExport } from './exporting';
import type { ExportJob } from './jobs';

export interface MonthlyReportFile {
  format: 'xlsx' | 'html';
  contentType: string;
  fileName: string;
  body: Buffer;
  job: ExportJob;
}

/** The reports module's service: exports, the monthly report, and the exports running here. */
export interface ReportsService {
  /** the exports the viewer may ask for (their modules on, their roles held) */
  kinds(viewer: Viewer): ExportKind[];
  prepareExport(viewer: Viewer, kind: string, query: URLSearchParams): Promise<PreparedExport>;
  /** `month=2025-06&format=xlsx|html` */
  monthlyReport(viewer: Viewer, query: URLSearchParams): Promise<MonthlyReportFile>;
  jobs(viewer: Viewer): ExportJob[];
  job(viewer: Viewer, id: string): ExportJob | undefined;
  cancel(viewer: Viewer, id: string): ExportJob | undefined;
  /** cancels what is running: the hub is stopping */
  stop(): void;
}

const MONTHLY_FORMATS = ['xlsx', 'html'] as const;

async function monthlyReport(deps: ReportsDeps, viewer: Viewer, query: URLSearchParams): Promise<MonthlyReportFile> {
  checkMonthlyReader(viewer);
  const params = new ExportParams(query, ['month']);
  const format = params.choice('format', MONTHLY_FORMATS, 'xlsx');
  const span = parseMonth(params.string('month', { required: true }), deps.now());
  const fileName = `monthly-report-${span.month}.${format}`;
  const running = deps.jobs.start(viewer, { kind: 'monthly', format, fileName });
  try {
    const report = await gatherMonthlyReport(deps, viewer, span, running);
    const body = format === 'xlsx' ? await monthlyWorkbook(report) : Buffer.from(monthlyHtml(report), 'utf8');
    running.finish('DONE');
    return {
      format,
      contentType: format === 'xlsx' ? 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' : 'text/html; charset=utf-8',
      fileName,
      body,
      job: running.job,
    };
  } catch (error) {
    running.finish(running.signal.aborted ? 'CANCELLED' : 'FAILED', error instanceof ValidationError ? error.message : undefined);
    throw error;
  }
}

export function createReportsService(deps: ReportsDeps): ReportsService {
  return {
    kinds: (viewer) => enabledKinds(deps).filter((kind) => hasRole(viewer, ...kind.roles)),
    prepareExport: (viewer, kind, query) => prepareExport(deps, viewer, kind, query),
    monthlyReport: (viewer, query) => monthlyReport(deps, viewer, query),
    jobs: (viewer) => deps.jobs.list(viewer),
    job: (viewer, id) => deps.jobs.get(viewer, id),
    cancel: (viewer, id) => deps.jobs.cancel(viewer, id),
    stop: () => deps.jobs.cancelAll(),
  };
}
