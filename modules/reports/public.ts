/** What other modules may use of the reports module. */
import { createServiceRef } from '../../src/services';
import type { ReportsService } from './service/reports-service';

export const reportsServiceRef = createServiceRef<ReportsService>('reports');
export type { ReportsService, MonthlyReportFile } from './service/reports-service';
export type { ExportJob, ExportState } from './service/jobs';
export type { ExportKind } from './exports/kind';
export { EXPORT_PATH, MONTHLY_PATH } from './routes';
