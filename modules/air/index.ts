import type { HubModule } from '../../src/modules';
import { monitoringServiceRef } from '../../src/monitoring/public';
import { startEpisodeWatch } from './service/episodes';
import { registerAirMutations } from './graphql/mutations';
import { registerAirQueries } from './graphql/queries';
import { registerAirSubscriptions } from './graphql/subscriptions';
import { registerAirTypes } from './graphql/types';
import { registerAirDutyFields } from './graphql/duty';
import { airServiceRef } from './public';
import { seedAir } from './seed';
import { createAirService } from './service/air-service';

/** Air quality: stations, hourly and daily AQI by the HJ 633 edition in force, air episodes. */
export const airModule: HubModule = {
  name: 'air',
  description: 'air automatic monitoring stations, AQI under HJ 633-2012 and -2026, air episodes',
  dependsOn: [],
  provide: (hub) => {
    hub.services.provide(
      airServiceRef,
      createAirService({
        db: hub.db,
        bus: hub.bus,
        logger: hub.logger.child({ module: 'air' }),
        now: hub.now,
        monitoring: () => hub.services.get(monitoringServiceRef),
      }),
    );
  },
  register: (builder) => {
    const types = registerAirTypes(builder);
    registerAirQueries(builder, types);
    registerAirMutations(builder, types);
    registerAirSubscriptions(builder, types);
    registerAirDutyFields(builder);
  },
  start: (hub) => {
    const service = hub.services.get(airServiceRef);
    startEpisodeWatch(hub.scheduler, (now) => service.evaluateAirEpisodes(now), hub.now, hub.logger.child({ module: 'air' }));
  },
  seed: (hub) => seedAir(hub),
};
