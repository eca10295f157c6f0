import type { HubModule } from '../../src/modules';
import { exceedanceEscalated, exceedanceOpened } from '../../src/monitoring/public';
import { registerEmergencySchema } from './graphql/schema';
import { emergencyServiceRef } from './public';
import { seedEmergency } from './seed';
import { DEFAULT_AUTO_OPEN_RULES, type AutoOpenRule } from './service/auto-open';
import { createEmergencyService } from './service/emergency-service';

/**
 * Environmental emergency command: incidents graded by the national criteria, response plans,
 * resources and dispatch, a timeline, and proposed incidents from severe exceedances.
 * `autoOpenRules` says which episodes open an incident on their own (see DEFAULT_AUTO_OPEN_RULES).
 */
export function createEmergencyModule(options: { autoOpenRules?: readonly AutoOpenRule[] } = {}): HubModule {
  const autoOpenRules = options.autoOpenRules ?? DEFAULT_AUTO_OPEN_RULES;
  return {
    name: 'emergency',
    description: 'emergency incidents and grading, response plans, resources and dispatch, command view, incidents from severe exceedances',
    dependsOn: ['grid'],
    provide: (hub) => {
      hub.services.provide(
        emergencyServiceRef,
        createEmergencyService({
          db: hub.db,
          bus: hub.bus,
          logger: hub.logger.child({ module: 'emergency' }),
          now: hub.now,
          services: hub.services,
          autoOpenRules,
        }),
      );
    },
    register: registerEmergencySchema,
    start: async (hub) => {
      const service = hub.services.get(emergencyServiceRef);
      // at least once: the unique key on the episode makes a repeat, or an escalation of an episode
      // that already opened one, create nothing
      const stop = await hub.bus.consume({
        name: 'emergency.auto-open',
        topics: [exceedanceOpened, exceedanceEscalated],
        handle: async (event) => {
          await service.incidents.openFromExceedance(event.payload);
        },
      });
      return stop;
    },
    seed: seedEmergency,
  };
}

export const emergencyModule: HubModule = createEmergencyModule();
