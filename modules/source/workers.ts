import type { HubRuntime, StopFunction } from '../../src/modules';
import { exceedanceEscalated, exceedanceOpened } from '../../src/monitoring/public';
import { sourceServiceRef } from './public';

/**
 * The sampler worker: a sample is retained when an episode at a sampler's outlet reaches
 * exceedance level, whether it opened there or escalated from a warning. Delivery is at least
 * once; the retention's unique episode key makes a repeat harmless, and only the delivery that
 * created the retention sends its 3015 to the sampler's logger.
 */
export async function startSourceWorkers(hub: HubRuntime): Promise<StopFunction> {
  const service = hub.services.get(sourceServiceRef);
  const stop = await hub.bus.consume({
    name: 'source.sampler-retention',
    topics: [exceedanceOpened, exceedanceEscalated],
    handle: async (event) => {
      await service.retainSample(event.payload);
    },
  });
  return async () => {
    await stop();
    // 3015 commands still waiting for a device record their outcome before the database closes.
    await service.samples.commandsSettled();
  };
}
