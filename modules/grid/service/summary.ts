/** The grid's part of the duty room: fixed statement counts, in the viewer's grid scope. */
import { asc, eq, sql } from 'drizzle-orm';
import type { Viewer } from '../../../src/auth/viewer';
import { rowsOf } from '../../../src/db';
import { monitoringServiceRef } from '../../../src/monitoring/public';
import { gridCells } from '../tables';
import type { GridDeps } from './deps';
import { scopeOf } from './scope';
import { taskCondition } from './tasks';

/** The most towns a district's summary lists. */
export const MAX_TOWNS = 1000;

export interface TaskCompletion {
  /** first instant of the Asia/Shanghai month */
  from: Date;
  dispatched: number;
  verified: number;
  overdue: number;
  open: number;
}

export interface TownExceedances {
  code: string;
  name: string;
  warning: number;
  exceedance: number;
}

/** Tasks dispatched this Asia/Shanghai month and how far they got (one statement after the scope). */
export async function taskCompletion(deps: GridDeps, viewer: Viewer): Promise<TaskCompletion> {
  const scope = await scopeOf(deps, viewer);
  const now = deps.now().toISOString();
  const [row] = await rowsOf<{ from: Date | string; dispatched: number; verified: number; overdue: number; open: number }>(
    deps.db.orm,
    sql`WITH month AS (SELECT date_trunc('month', ${now}::timestamptz AT TIME ZONE 'Asia/Shanghai') AT TIME ZONE 'Asia/Shanghai' AS start)
        SELECT month.start AS "from",
               count(grid_tasks.id)::int AS dispatched,
               (count(grid_tasks.id) FILTER (WHERE grid_tasks.status = 'VERIFIED'))::int AS verified,
               (count(grid_tasks.id) FILTER (WHERE grid_tasks.status = 'OVERDUE'))::int AS overdue,
               (count(grid_tasks.id) FILTER (WHERE grid_tasks.status NOT IN ('VERIFIED')))::int AS open
          FROM month LEFT JOIN grid_tasks ON grid_tasks.dispatched_at >= month.start AND (${taskCondition(scope) ?? sql`true`})
         GROUP BY month.start`,
  );
  return {
    from: new Date(row?.from ?? now),
    dispatched: Number(row?.dispatched ?? 0),
    verified: Number(row?.verified ?? 0),
    overdue: Number(row?.overdue ?? 0),
    open: Number(row?.open ?? 0),
  };
}

/**
 * Open episodes rolled up to the towns (level 2) that hold their cells: one statement for the
 * towns, one for the counts. Towns outside the viewer's scope have nothing to count and are left out.
 */
export async function exceedancesByTown(deps: GridDeps, viewer: Viewer): Promise<TownExceedances[]> {
  const [towns, counts] = await Promise.all([
    deps.db.orm
      .select({ code: gridCells.code, name: gridCells.name })
      .from(gridCells)
      .where(eq(gridCells.level, 2))
      .orderBy(asc(gridCells.code))
      .limit(MAX_TOWNS),
    deps.services.get(monitoringServiceRef).summary.openExceedances(viewer),
  ]);
  const scope = await scopeOf(deps, viewer);
  const byTown = new Map(towns.map((town) => [town.code, { ...town, warning: 0, exceedance: 0 }]));
  for (const count of counts) {
    const town = towns.find((t) => count.cellCode?.startsWith(t.code));
    const entry = town ? byTown.get(town.code) : undefined;
    if (!entry) continue;
    if (count.severity === 'WARNING') entry.warning += count.count;
    else entry.exceedance += count.count;
  }
  return [...byTown.values()].filter((town) => scope.all || scope.cells.some((cell) => town.code.startsWith(cell) || cell.startsWith(town.code)));
}
