import type { HubModule } from '../../src/modules';
import { registerGridSchema } from './graphql/schema';
import { createMediaRoute } from './media-route';
import { createGeoRoute } from './geo-route';
import { gridServiceRef } from './public';
import { monitorCoverageSource } from './service/coverage';
import { createGridService } from './service/grid-service';
import type { GridDeps } from './service/deps';
import { seedGrid } from './seed';
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
    };
    const service = createGridService(deps);
    hub.services.provide(gridServiceRef, service);
    service.registerCoverageSource('monitor', monitorCoverageSource(deps));
    hub.addRoute(createMediaRoute({ verifyToken: hub.verifyToken, service }));
    hub.addRoute(createGeoRoute(service));
  },
  register: registerGridSchema,
  start: startGridWorkers,
  seed: seedGrid,
};
