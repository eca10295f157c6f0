import type { HubRuntime, StopFunction } from '../../src/modules';
import { exceedanceEscalated, exceedanceOpened, type ExceedanceEventPayload } from '../../src/monitoring/public';
import { gridServiceRef } from './public';

/** How often tasks past their deadline are looked for. */
export const OVERDUE_CHECK_MS = 60_000;

/**
 * The grid's workers: inspection tasks from exceedance episodes (at least once; the task's unique
 * exceedance key makes a repeat harmless) and the deadline timer.
 */
export async function startGridWorkers(hub: HubRuntime): Promise<StopFunction> {
  const service = hub.services.get(gridServiceRef);
  const logger = hub.logger.child({ module: 'grid' });
  const stopConsumer = await hub.bus.consume({
    name: 'grid.exceedance-dispatch',
    // an episode that opens at warning level gets its task when it escalates
    topics: [exceedanceOpened, exceedanceEscalated],
    handle: async (event) => {
      await service.tasks.dispatchInspection(event.payload as ExceedanceEventPayload);
    },
  });
  let running: Promise<unknown> = Promise.resolve();
  const check = (): void => {
    running = service.tasks.markOverdue().catch((error: unknown) => logger.error({ err: error }, 'overdue check failed; will retry'));
  };
  check();
  const timer = setInterval(check, OVERDUE_CHECK_MS);
  timer.unref();
  return async () => {
    clearInterval(timer);
    stopConsumer();
    await running;
  };
}
