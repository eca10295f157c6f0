import type { Logger } from 'pino';
import type { ServiceRegistry } from '../../../src/services';
import type { ExportLimits } from '../exports/kind';
import type { ExportJobs } from './jobs';

/** What the reports service needs: passed in, never imported as singletons. */
export interface ReportsDeps {
  services: ServiceRegistry;
  logger: Logger;
  now: () => Date;
  /** the modules that are on: an export or a report part exists only while its module is */
  modules: readonly string[];
  limits: ExportLimits;
  jobs: ExportJobs;
}
