import type { Viewer } from '../../../src/auth/viewer';
import { json } from '../../../src/db';
import { sql, type SQL } from 'drizzle-orm';
import { gridServiceRef, type GridService } from '../../grid/public';
import type { EmergencyDeps } from './deps';

/** The grid's view of a viewer: which cells they answer for and whether they command in them. */
export type EmergencyScope = Awaited<ReturnType<GridService['scopeOf']>>;

export function scopeOf(deps: EmergencyDeps, viewer: Viewer): Promise<EmergencyScope> {
  return deps.services.get(gridServiceRef).scopeOf(viewer);
}

/**
 * Staff read incidents; town officers and assistants only those in their cells (cell codes are
 * hierarchical, so a town's code covers its villages). An incident without a cell is the
 * district's.
 */
export function cellVisible(scope: EmergencyScope, cellCode: string | null): boolean {
  if (scope.all) return true;
  if (!scope.staff || !cellCode) return false;
  return scope.cells.some((cell) => cellCode.startsWith(cell));
}

/** Transitions, levels, plans and dispatch: district and administrators, and a town for its own cells. */
export function mayCommand(scope: EmergencyScope, cellCode: string | null): boolean {
  return scope.officer && cellVisible(scope, cellCode);
}

/** The SQL form of `cellVisible` over a cell-code column. */
export function cellCondition(scope: EmergencyScope, column: SQL): SQL | undefined {
  if (scope.all) return undefined;
  if (!scope.staff || scope.cells.length === 0) return sql`false`;
  const patterns = scope.cells.map((cell) => `${cell}%`);
  return sql`${column} LIKE ANY (ARRAY(SELECT jsonb_array_elements_text(${json(patterns)})))`;
}
