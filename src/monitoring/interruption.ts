import { sql } from 'drizzle-orm';
import { rowsOf } from '../db';
import type { MonitoringDeps } from './deps';
import { monitorWentOffline } from './events';
import type { MonitorKind } from './types';
import type { Scheduler } from '../scheduler';

/**
 * Data interruption (数据中断): a monitor silent for more than `interruptionFactor` times its
 * reporting interval goes OFFLINE and an event says so. Data arriving brings it back (ingest).
 * Returns how many monitors went offline.
 */
export async function detectInterruptions(deps: MonitoringDeps): Promise<number> {
  const now = deps.now();
  return deps.bus.transaction(async (tx, emit) => {
    const silent = await rowsOf<{
      id: number;
      mn: string;
      name: string;
      kind: string;
      owner_module: string | null;
      enterprise_uscc: string | null;
      cell_code: string | null;
      last_data_at: Date | string | null;
    }>(
      tx,
      sql`UPDATE monitoring_monitors
             SET status = 'OFFLINE', status_changed_at = ${now.toISOString()}
           WHERE status = 'ONLINE'
             AND last_data_at < ${now.toISOString()}::timestamptz - make_interval(secs => interval_seconds * ${deps.settings.interruptionFactor})
       RETURNING id, mn, name, kind, owner_module, enterprise_uscc, cell_code, last_data_at`,
    );
    for (const monitor of silent) {
      emit(monitorWentOffline, {
        monitorId: monitor.id,
        mn: monitor.mn,
        monitorName: monitor.name,
        monitorKind: monitor.kind as MonitorKind,
        ownerModule: monitor.owner_module,
        enterpriseUscc: monitor.enterprise_uscc,
        cellCode: monitor.cell_code,
        status: 'OFFLINE',
        lastDataAt: monitor.last_data_at ? new Date(monitor.last_data_at).toISOString() : null,
        at: now.toISOString(),
      });
    }
    if (silent.length > 0) deps.logger.warn({ monitors: silent.map((m) => m.mn) }, 'data interruption: monitors went offline');
    return silent.length;
  });
}

/** Looks for silent monitors periodically, once per period across hub instances: silence is the one thing no event announces. */
export function startInterruptionWatch(scheduler: Scheduler, deps: MonitoringDeps): void {
  scheduler.every({ name: 'monitoring.interruption', everyMs: deps.settings.interruptionCheckSeconds * 1000, run: () => detectInterruptions(deps) });
}
