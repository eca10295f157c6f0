import type { HubModule } from '../../src/modules';
import { registerDisclosureQueries } from './graphql/queries';
import { registerDisclosureTypes } from './graphql/types';
import { disclosureServiceRef } from './public';
import { createDisclosureService } from './service/disclosure-service';

/** What the public may read without an account: published air, water, enterprise and enforcement data. */
export const disclosureModule: HubModule = {
  name: 'disclosure',
  description:
    'public disclosure: current and historical AQI, drinking-water source quality, key enterprises’ monitoring data, published enforcement decisions',
  dependsOn: ['air', 'water', 'source'],
  provide: (hub) => {
    hub.services.provide(disclosureServiceRef, createDisclosureService({ services: hub.services, now: hub.now }));
  },
  register: (builder) => registerDisclosureQueries(builder, registerDisclosureTypes(builder)),
};
