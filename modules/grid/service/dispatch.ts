import { lookupFactor } from '../../../src/monitoring/public';
import { sql } from 'drizzle-orm';
import type { ExceedanceEventPayload } from '../../../src/monitoring/public';
import { rowsOf } from '../../../src/db';
import { gridTasks } from '../tables';
import { cellsByCodes } from './cells';
import type { GridDeps } from './deps';
import { activeAssistantsOf } from './staff';
import { SYSTEM_ACTOR, recordTaskChange } from './task-records';
import { OVERDUE_ELIGIBLE, type TaskStatus } from './transitions';
import type { GridTask } from './types';

/** Hours an assistant has to inspect an exceedance on site. */
export const EXCEEDANCE_INSPECTION_HOURS = 24;
const OVERDUE_BATCH = 200;

/**
 * One EXCEEDANCE_INSPECTION task per episode, to the first active assistant answering for the
 * episode's cell (the others of the cell see it too, by cell). The unique key on the exceedance id
 * makes a redelivered or repeated event create nothing. Episodes still at warning level wait: the
 * task goes out when they open as, or escalate to, an exceedance.
 */
export async function dispatchInspection(deps: GridDeps, episode: ExceedanceEventPayload): Promise<GridTask | undefined> {
  if (episode.severity !== 'EXCEEDANCE') return undefined;
  if (!episode.cellCode) {
    deps.logger.warn({ exceedanceId: episode.exceedanceId, mn: episode.mn }, 'exceedance in no grid cell: no inspection task (see gridCoverage)');
    return undefined;
  }
  const [cell] = await cellsByCodes(deps, [episode.cellCode]);
  if (!cell) {
    deps.logger.warn({ exceedanceId: episode.exceedanceId, cellCode: episode.cellCode }, 'exceedance in an unknown grid cell: no inspection task');
    return undefined;
  }
  const assignee = (await activeAssistantsOf(deps, [cell.code]))[0]?.[0];
  const now = deps.now();
  // people read the factor's name and unit (氨氮 mg/L), not its HJ 212 code
  const factor = lookupFactor(episode.factor);
  const factorName = factor ? factor.nameZh : episode.factor;
  const unit = factor?.unit ? ` ${factor.unit}` : '';
  const limit = episode.limitUpper !== null ? `，限值 ${episode.limitUpper}${unit}` : '';
  return deps.bus.transaction(async (tx, emit) => {
    const [row] = await tx
      .insert(gridTasks)
      .values({
        type: 'EXCEEDANCE_INSPECTION',
        title: `超标核查：${episode.monitorName} ${factorName}`.slice(0, 200),
        description: `${factorName}（${episode.factor}）实测 ${episode.value}${unit}${limit}（${episode.at}）`,
        targetKind: 'MONITOR',
        targetUscc: episode.enterpriseUscc,
        targetMonitorId: episode.monitorId,
        cellCode: cell.code,
        assigneeId: assignee?.id ?? null,
        status: 'DISPATCHED',
        deadline: new Date(now.getTime() + EXCEEDANCE_INSPECTION_HOURS * 3_600_000),
        dispatchedBy: SYSTEM_ACTOR.subject,
        dispatchedAt: now,
        exceedanceId: episode.exceedanceId,
        updatedAt: now,
      })
      .onConflictDoNothing({ target: gridTasks.exceedanceId })
      .returning();
    if (!row) return undefined;
    if (!assignee) deps.logger.warn({ taskId: row.id, cellCode: cell.code }, 'inspection task has no assistant to go to: the cell has none active');
    return recordTaskChange(tx, emit, { row, action: 'DISPATCH', from: null, actor: SYSTEM_ACTOR, note: null, at: now });
  });
}

/**
 * Marks tasks whose deadline has passed with the work still with the assistant, once each, and
 * emits `grid.task.overdue` for each. Safe to run on several instances at once: a row already
 * taken by one is skipped by the others.
 */
export async function markOverdueTasks(deps: GridDeps): Promise<number> {
  let marked = 0;
  for (;;) {
    const now = deps.now();
    const count = await deps.bus.transaction(async (tx, emit) => {
      const rows = await rowsOf<{ id: number; status: TaskStatus }>(
        tx,
        sql`SELECT id, status FROM grid_tasks
             WHERE status IN (SELECT jsonb_array_elements_text(${JSON.stringify(OVERDUE_ELIGIBLE)}::jsonb))
               AND overdue_at IS NULL AND deadline < ${now.toISOString()}::timestamptz
             ORDER BY id LIMIT ${OVERDUE_BATCH} FOR UPDATE SKIP LOCKED`,
      );
      for (const found of rows) {
        const [row] = await tx
          .update(gridTasks)
          .set({ status: 'OVERDUE', statusBeforeOverdue: found.status, overdueAt: now, updatedAt: now })
          .where(sql`${gridTasks.id} = ${Number(found.id)}`)
          .returning();
        if (row) await recordTaskChange(tx, emit, { row, action: 'MARK_OVERDUE', from: found.status, actor: SYSTEM_ACTOR, note: null, at: now });
      }
      return rows.length;
    });
    marked += count;
    if (count < OVERDUE_BATCH) return marked;
  }
}
