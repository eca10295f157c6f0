import type { Logger } from 'pino';
import type { Database } from '../../../src/db';
import type { EventBus } from '../../../src/events/bus';
import type { Viewer } from '../../../src/auth/viewer';
import type { Actor } from './types';

/** What OA's service functions need: passed in, never imported as singletons. */
export interface OaDeps {
  db: Database;
  bus: EventBus;
  logger: Logger;
  now: () => Date;
  /** a viewer's directory entry, looked up once per viewer object (one request or one socket) */
  actorCache: WeakMap<Viewer, Promise<Actor>>;
}
