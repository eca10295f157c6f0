import type { HubModule } from '../modules';
import { createMonitoringService } from './service';
import { monitoringServiceRef } from './public';
import { registerMonitoringTypes } from './graphql/types';
import { registerMonitoringQueries } from './graphql/fields';
import { registerMonitoringMutations } from './graphql/mutations';
import { registerMonitoringSubscriptions } from './graphql/subscriptions';
import { registerDutyTypes } from './graphql/duty';
import { registerForecastTypes } from './graphql/forecast';
import { startInterruptionWatch } from './interruption';
import { startForecastWarnings } from './forecast/warnings';

/** The shared time-series core: always on; source, air and water build on it. */
export const monitoringModule: HubModule = {
  name: 'monitoring',
  description: 'monitors, factors, limits, readings, evaluation, exceedance episodes, data interruption',
  provide: (hub) => {
    hub.services.provide(
      monitoringServiceRef,
      createMonitoringService({
        db: hub.db,
        bus: hub.bus,
        logger: hub.logger.child({ module: 'monitoring' }),
        now: hub.now,
        settings: hub.config.monitoring,
        observe: hub.metrics,
      }),
    );
  },
  register: (builder) => {
    const types = registerMonitoringTypes(builder);
    registerMonitoringQueries(builder, types);
    registerMonitoringMutations(builder, types);
    registerMonitoringSubscriptions(builder, types);
    registerDutyTypes(builder);
    registerForecastTypes(builder);
  },
  start: (hub) => {
    const deps = { db: hub.db, bus: hub.bus, logger: hub.logger.child({ module: 'monitoring' }), now: hub.now, settings: hub.config.monitoring };
    startInterruptionWatch(hub.scheduler, deps);
    startForecastWarnings(hub.scheduler, deps);
    return hub.services.get(monitoringServiceRef).relayChangesBetweenInstances();
  },
};
