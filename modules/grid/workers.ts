import type { HubRuntime, StopFunction } from '../../src/modules';
import { exceedanceEscalated, exceedanceOpened } from '../../src/monitoring/public';
import { gridServiceRef } from './public';

/** How often tasks past their deadline are looked for. */
export const OVERDUE_CHECK_MS = 60_000;

/** An unfinished upload untouched this long was given up by its phone: its bytes are dropped. */
export const ABANDONED_UPLOAD_HOURS = 24;

/**
 * The grid's workers: inspection tasks from exceedance episodes (at least once; the task's unique
 * exceedance key makes a repeat harmless) and the deadline timer.
 */
export async function startGridWorkers(hub: HubRuntime): Promise<StopFunction> {
  const service = hub.services.get(gridServiceRef);
  const stopConsumer = await hub.bus.consume({
    name: 'grid.exceedance-dispatch',
    // an episode that opens at warning level gets its task when it escalates
    topics: [exceedanceOpened, exceedanceEscalated],
    handle: async (event) => {
      await service.tasks.dispatchInspection(event.payload);
    },
  });
  hub.scheduler.every({ name: 'grid.media-uploads-sweep', everyMs: 3_600_000, run: () => service.media.uploads.sweep(ABANDONED_UPLOAD_HOURS) });
  hub.scheduler.every({ name: 'grid.overdue', everyMs: OVERDUE_CHECK_MS, runAtStart: true, run: () => service.tasks.markOverdue() });
  return stopConsumer;
}
