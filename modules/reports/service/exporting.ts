import type { Writable } from 'node:stream';
import { hasRole, type Viewer } from '../../../src/auth/viewer';
import { ForbiddenError, NotFoundError } from '../../../src/errors';
import { airDailyExport } from '../exports/air';
import { exceedancesExport } from '../exports/exceedances';
import { gridAssessmentExport, gridTasksExport } from '../exports/grid';
import type { ExportKind, ExportTable } from '../exports/kind';
import type { Row } from '../format/cells';
import { ExportParams } from '../exports/params';
import { readingsExport } from '../exports/readings';
import { complianceSummaryExport, enforcementCasesExport, outletComplianceExport } from '../exports/source';
import { waterDailyExport } from '../exports/water';
import { CONTENT_TYPES, createTableWriter, EXPORT_FORMATS, type ExportFormat } from '../format/writers';
import type { ReportsDeps } from './deps';
import type { ExportJob, RunningExport } from './jobs';

/** Every export the hub knows; each is offered only while its module is on. */
export const EXPORT_KINDS: readonly ExportKind[] = [
  readingsExport,
  exceedancesExport,
  outletComplianceExport,
  complianceSummaryExport,
  enforcementCasesExport,
  gridAssessmentExport,
  gridTasksExport,
  airDailyExport,
  waterDailyExport,
];

export function enabledKinds(deps: Pick<ReportsDeps, 'modules'>): ExportKind[] {
  return EXPORT_KINDS.filter((kind) => deps.modules.includes(kind.module));
}

/** An export that passed its checks and counted its rows: nothing has been sent yet. */
export interface PreparedExport {
  readonly job: ExportJob;
  readonly format: ExportFormat;
  readonly contentType: string;
  /** with its extension */
  readonly fileName: string;
  /** streams the file into `sink`; rejects when the export fails or is cancelled */
  write(sink: Writable): Promise<void>;
  /** the download went away before the end */
  abandon(reason: string): void;
}

/**
 * Checks who asks for what (the roles of the GraphQL field the export mirrors, then the services'
 * own row scope), registers the export as running and lets the kind count its rows, so every
 * refusal comes before the first byte.
 */
export async function prepareExport(deps: ReportsDeps, viewer: Viewer, kindName: string, query: URLSearchParams): Promise<PreparedExport> {
  const kind = enabledKinds(deps).find((k) => k.name === kindName);
  if (!kind) throw new NotFoundError('Export', kindName.slice(0, 40));
  if (!hasRole(viewer, ...kind.roles)) throw new ForbiddenError(`the ${kind.name} export is not for this account`);
  const params = new ExportParams(query, kind.params);
  const format = params.choice('format', EXPORT_FORMATS, 'csv');
  const running = deps.jobs.start(viewer, { kind: kind.name, format, fileName: `${kind.name}.${format}` });
  let table: ExportTable;
  try {
    table = await kind.open({ viewer, services: deps.services, limits: deps.limits, signal: running.signal }, params);
  } catch (error) {
    running.finish('FAILED', error instanceof Error ? error.message : 'failed');
    throw error;
  }
  running.estimate(table.estimatedRows);
  // The first page is read before anything is sent, so that what the services refuse on their
  // first call (a period longer than they compute, say) is a clean error and not a cut download.
  const pages = table.pages()[Symbol.asyncIterator]();
  let first: IteratorResult<readonly Row[]>;
  try {
    first = await pages.next();
  } catch (error) {
    running.finish('FAILED', error instanceof Error ? error.message : 'failed');
    throw error;
  }
  const fileName = `${table.fileName}.${format}`;
  return {
    job: running.job,
    format,
    contentType: CONTENT_TYPES[format],
    fileName,
    write: (sink) => writeTable(deps, running, table, format, sink, first, pages),
    abandon: (reason) => {
      running.finish('CANCELLED', reason);
      void pages.return?.();
    },
  };
}

async function writeTable(
  deps: ReportsDeps,
  running: RunningExport,
  table: ExportTable,
  format: ExportFormat,
  sink: Writable,
  first: IteratorResult<readonly Row[]>,
  pages: AsyncIterator<readonly Row[]>,
): Promise<void> {
  const writer = createTableWriter(format, sink, table.columns, table.sheet);
  try {
    for (let page = first; !page.done; page = await pages.next()) {
      if (running.signal.aborted) throw running.signal.reason;
      await writer.rows(page.value);
      running.progress(page.value.length);
    }
    if (running.signal.aborted) throw running.signal.reason;
    await writer.end();
    running.finish('DONE');
  } catch (error) {
    if (running.signal.aborted) running.finish('CANCELLED', running.job.reason ?? 'cancelled');
    else {
      running.finish('FAILED', error instanceof Error && 'code' in error ? error.message : 'the export failed');
      deps.logger.warn({ err: error, export: running.job.id, kind: running.job.kind }, 'export failed');
    }
    throw error;
  }
}
