import type { Logger } from 'pino';
import type { Database } from '../../../src/db';
import type { EventBus } from '../../../src/events/bus';
import type { ServiceRegistry } from '../../../src/services';
import type { AutoOpenRule } from './types';

/** What the emergency service functions need: passed in, never imported as singletons. */
export interface EmergencyDeps {
  db: Database;
  bus: EventBus;
  logger: Logger;
  now: () => Date;
  /** the grid (scope, cells, assistants), the monitoring core, and the source module when it is on */
  services: ServiceRegistry;
  /** which exceedance episodes open a proposed incident on their own */
  autoOpenRules: readonly AutoOpenRule[];
}
