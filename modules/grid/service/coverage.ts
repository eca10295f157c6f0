import { sql } from 'drizzle-orm';
import type { Viewer } from '../../../src/auth/viewer';
import { rowsOf } from '../../../src/db';
import { ForbiddenError } from '../../../src/errors';
import { monitoringServiceRef } from '../../../src/monitoring/public';
import type { gridCells } from '../tables';
import { levelThreeCodes } from './cells';
import type { GridDeps } from './deps';
import { toCell } from './rows';
import { assistantsWithoutCell } from './staff';
import { cellCondition, cellInScope, scopeOf } from './scope';
import type { CoverageEntity, CoverageSource, GridCell, GridStaff } from './types';

export type { CoverageEntity, CoverageSource } from './types';

export interface CoverageGap extends CoverageEntity {
  kind: string;
}

/** Each list of the report holds at most this many entries; the counts are exact. */
export const MAX_COVERAGE_ROWS = 500;
/** How many monitors the report reads (in pages) before it stops. */
const MAX_MONITORS_READ = 50_000;
const MONITOR_PAGE = 500;

export interface CoverageReport {
  cellsWithoutAssistant: GridCell[];
  cellsWithoutAssistantCount: number;
  assistantsWithoutCell: GridStaff[];
  assistantsWithoutCellCount: number;
  entitiesWithoutCell: CoverageGap[];
  entitiesWithoutCellCount: number;
}

export function registerCoverageSource(deps: GridDeps, kind: string, source: CoverageSource): void {
  if (!/^[a-z][a-zA-Z0-9-]{1,39}$/.test(kind)) throw new Error(`coverage source kind "${kind}" must be a short lower-case word`);
  if (deps.coverageSources.has(kind)) throw new Error(`coverage source "${kind}" is registered twice`);
  deps.coverageSources.set(kind, source);
}

/** Monitors are the grid's own built-in source: read through the monitoring service, page by page. */
export function monitorCoverageSource(deps: GridDeps): CoverageSource {
  return async (viewer) => {
    const monitoring = deps.services.get(monitoringServiceRef);
    const entities: CoverageEntity[] = [];
    let afterId: number | undefined;
    while (entities.length < MAX_MONITORS_READ) {
      const page = await monitoring.listMonitors(viewer, {}, { limit: MONITOR_PAGE, afterId });
      for (const monitor of page) entities.push({ id: monitor.mn, name: monitor.name, cellCode: monitor.cellCode });
      if (page.length < MONITOR_PAGE) break;
      afterId = page.at(-1)?.id;
    }
    return entities;
  };
}

/**
 * "No blind spots": level-3 cells nobody answers for, active assistants with no cell, and
 * entities of every registered source that lie in no level-3 cell. A town officer sees their town.
 */
export async function coverageReport(deps: GridDeps, viewer: Viewer): Promise<CoverageReport> {
  const scope = await scopeOf(deps, viewer);
  if (!scope.officer) throw new ForbiddenError('the coverage report is for officers');
  const now = deps.now().toISOString();
  const uncovered = await rowsOf<typeof gridCells.$inferSelect>(
    deps.db.orm,
    sql`SELECT c.id, c.code, c.name, c.level, c.parent_code AS "parentCode", c.admin_code AS "adminCode", c.boundary, c.longitude, c.latitude
          FROM grid_cells c
         WHERE c.level = 3 AND ${cellCondition(scope, sql`c.code`) ?? sql`true`}
           AND NOT EXISTS (
             SELECT 1 FROM grid_assignments a JOIN grid_staff s ON s.id = a.staff_id
              WHERE c.code LIKE a.cell_code || '%' AND s.active AND s.role = 'ASSISTANT'
                AND a.valid_from <= ${now}::timestamptz AND (a.valid_to IS NULL OR a.valid_to > ${now}::timestamptz))
         ORDER BY c.code`,
  );
  const idle = (await assistantsWithoutCell(deps)).filter(
    (staff) => scope.all || (staff.organisationCode !== null && cellInScope(scope, staff.organisationCode)),
  );
  const levelThree = await levelThreeCodes(deps);
  const gaps: CoverageGap[] = [];
  const sources = [...deps.coverageSources.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  for (const [kind, source] of sources) {
    for (const entity of await source(viewer)) {
      if (entity.cellCode === null || !levelThree.has(entity.cellCode)) gaps.push({ kind, id: entity.id, name: entity.name, cellCode: entity.cellCode });
    }
  }
  return {
    cellsWithoutAssistant: uncovered.slice(0, MAX_COVERAGE_ROWS).map(toCell),
    cellsWithoutAssistantCount: uncovered.length,
    assistantsWithoutCell: idle.slice(0, MAX_COVERAGE_ROWS),
    assistantsWithoutCellCount: idle.length,
    entitiesWithoutCell: gaps.slice(0, MAX_COVERAGE_ROWS),
    entitiesWithoutCellCount: gaps.length,
  };
}
