import type { Logger } from 'pino';
import type { Database } from '../../../src/db';
import type { EventBus } from '../../../src/events/bus';
import type { MonitoringService } from '../../../src/monitoring/public';

/** What the air service functions need: passed in, never imported as singletons. */
export interface AirDeps {
  db: Database;
  bus: EventBus;
  logger: Logger;
  now: () => Date;
  /** looked up when used: the monitoring core binds its service in the same start-up pass */
  monitoring: () => MonitoringService;
}
