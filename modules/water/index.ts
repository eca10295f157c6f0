import type { HubModule } from '../../src/modules';
import { monitoringServiceRef } from '../../src/monitoring/public';
import { registerWaterMutations } from './graphql/mutations';
import { registerWaterQueries } from './graphql/queries';
import { registerWaterSubscriptions } from './graphql/subscriptions';
import { registerWaterTypes } from './graphql/types';
import { registerWaterDutyFields } from './graphql/duty';
import { waterServiceRef } from './public';
import { seedWater } from './seed';
import { createWaterService } from './service/water-service';
import { startEpisodeWatch } from './service/watch';

/** Drinking-water sources under GB 3838: stations, hourly and daily classes, breach episodes. */
export const waterModule: HubModule = {
  name: 'water',
  description: 'drinking-water sources and stations, GB 3838 hourly and daily classes, target-class breach episodes',
  dependsOn: [],
  provide: (hub) => {
    hub.services.provide(
      waterServiceRef,
      createWaterService({
        db: hub.db,
        bus: hub.bus,
        logger: hub.logger.child({ module: 'water' }),
        now: hub.now,
        monitoring: () => hub.services.get(monitoringServiceRef),
      }),
    );
  },
  register: (builder) => {
    const types = registerWaterTypes(builder);
    registerWaterQueries(builder, types);
    registerWaterMutations(builder, types);
    registerWaterSubscriptions(builder, types);
    registerWaterDutyFields(builder);
  },
  start: (hub) =>
    startEpisodeWatch(hub.scheduler, (now) => hub.services.get(waterServiceRef).evaluateWaterEpisodes(now), hub.now, hub.logger.child({ module: 'water' })),
  seed: (hub) => seedWater(hub),
};
