import type { HubModule } from '../../src/modules';
import { registerGridSchema } from './graphql/schema';
import { createMediaRoute } from './media-route';
import { createUploadRoute } from './upload-route';
import { createGeoRoute } from './geo-route';
import { gridServiceRef } from './public';
import { monitorCoverageSource } from './service/coverage';
import { createGridService } from './service/grid-service';
import type { GridDeps } from './service/deps';
import { seedGrid } from './seed';
import { createDatabaseMediaStore } from './service/media-store';
import { createFilesystemMediaStore } from './service/media-store-fs';
import { createMediaUrlSigner } from './service/media-url';
import { startGridWorkers } from './workers';

/** Grid supervision: cells, assistants and officers, tasks, patrols with media, assessment. */
export const gridModule: HubModule = {
  name: 'grid',
  description: 'three-level grid, assistants and assignments, task dispatch, patrol records and media, coverage, assessment',
  dependsOn: ['monitoring'],
  provide: (hub) => {
    const deps: GridDeps = {
      db: hub.db,
      bus: hub.bus,
      logger: hub.logger.child({ module: 'grid' }),
      now: hub.now,
      services: hub.services,
      coverageSources: new Map(),
      enterpriseCells: {},
      scopeCache: new WeakMap(),
      media: {
        store: hub.config.media.store === 'filesystem' ? createFilesystemMediaStore(hub.db, hub.config.media.dir) : createDatabaseMediaStore(hub.db),
        signer: createMediaUrlSigner(hub.signingKey('media-url'), hub.config.media.urlTtlSeconds),
        maxBytes: hub.config.media.maxBytes,
      },
    };
    const service = createGridService(deps);
    hub.services.provide(gridServiceRef, service);
    service.registerCoverageSource('monitor', monitorCoverageSource(deps));
    hub.addRoute(createUploadRoute({ verifyToken: hub.verifyToken, service }));
    hub.addRoute(createMediaRoute({ verifyToken: hub.verifyToken, service, now: hub.now }));
    hub.addRoute(createGeoRoute(service));
  },
  register: registerGridSchema,
  start: startGridWorkers,
  seed: seedGrid,
};
