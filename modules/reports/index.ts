import type { HubModule } from '../../src/modules';
import { registerReportsSchema } from './graphql/schema';
import { reportsServiceRef } from './public';
import { createReportRoutes } from './routes';
import { createReportsService } from './service/reports-service';
import { ExportJobs } from './service/jobs';

/**
 * Reports the bureau files: CSV and XLSX exports of what the other modules compute, and the
 * monthly report. It reads grid, source, air and water through their services when they are on:
 * an export or a report part whose module is off is simply not offered.
 */
export const reportsModule: HubModule = {
  name: 'reports',
  description:
    'CSV/XLSX exports (readings, compliance, exceedances, assessment, tasks, AQI, water classes, cases) and the monthly report (XLSX, printable HTML)',
  dependsOn: ['monitoring'],
  provide: (hub) => {
    const service = createReportsService({
      services: hub.services,
      logger: hub.logger.child({ module: 'reports' }),
      now: hub.now,
      modules: hub.modules,
      limits: { maxRows: hub.config.reports.exportMaxRows, maxRangeDays: hub.config.reports.exportMaxRangeDays },
      jobs: new ExportJobs({ maxRunning: hub.config.reports.exportMaxConcurrent, now: hub.now }),
    });
    hub.services.provide(reportsServiceRef, service);
    hub.addRoute(createReportRoutes({ verifyToken: hub.verifyToken, service }));
  },
  register: registerReportsSchema,
  start: (hub) => () => hub.services.get(reportsServiceRef).stop(),
};
