import type { Logger } from 'pino';
import type { Database } from '../../../src/db';
import type { EventBus } from '../../../src/events/bus';
import type { ServiceRegistry } from '../../../src/services';
import type { Viewer } from '../../../src/auth/viewer';
import type { CoverageSource, GridScope } from './types';
import type { MediaStore } from './media-store';
import type { MediaUrlSigner } from './media-url';

/** What the grid's service functions need: passed in, never imported as singletons. */
export interface GridDeps {
  db: Database;
  bus: EventBus;
  logger: Logger;
  now: () => Date;
  /** to reach the monitoring core's service (monitors in coverage and task targets) */
  services: ServiceRegistry;
  /** other modules' entities for the coverage report, by kind */
  coverageSources: Map<string, CoverageSource>;
  /** the grid cell of an enterprise by USCC, from the module that keeps enterprise files (set when it is on) */
  enterpriseCells: { locate?: (uscc: string) => Promise<string | null> };
  /** a viewer's scope, worked out once per viewer object (one request or one socket) for a short while */
  scopeCache: WeakMap<Viewer, { expires: number; scope: Promise<GridScope> }>;
  media: {
    store: MediaStore;
    signer: MediaUrlSigner;
    /** MEDIA_MAX_BYTES: the largest file a resumable upload may declare */
    maxBytes: number;
  };
}
