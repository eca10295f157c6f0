import { escapeLike } from '../../../src/db';
import { sql, type SQL } from 'drizzle-orm';
import { hasRole, isStaff, seesAllRows, type Viewer } from '../../../src/auth/viewer';
import { json } from '../../../src/db';

/**
 * Station data is for the bureau's staff and upstream platforms. Enterprises have no business
 * with it and the public gets published figures through disclosure, not raw station data.
 */
export function canReadWater(viewer: Viewer): boolean {
  // a town user behind a platform is not staff (the platform is not), yet reads its cells' stations
  return isStaff(viewer) || hasRole(viewer, 'town', 'upstream');
}

function seesEveryStation(viewer: Viewer): boolean {
  return seesAllRows(viewer) || hasRole(viewer, 'upstream');
}

/**
 * Row scope over a cell-code column: undefined when the viewer sees every station, a condition
 * never true when none. Town officers and assistants see the cells under the ones they answer for
 * (cell codes begin with their parent's).
 */
export function stationScope(viewer: Viewer, cellColumn: SQL): SQL | undefined {
  if (!canReadWater(viewer)) return sql`false`;
  if (seesEveryStation(viewer)) return undefined;
  if (hasRole(viewer, 'town', 'assistant') && viewer.cells.length > 0) {
    const patterns = viewer.cells.map((cell) => `${escapeLike(cell)}%`);
    return sql`${cellColumn} LIKE ANY (ARRAY(SELECT jsonb_array_elements_text(${json(patterns)})))`;
  }
  return sql`false`;
}

/** The same rule for one row in memory (live events). */
export function stationVisible(viewer: Viewer, cellCode: string): boolean {
  if (!canReadWater(viewer)) return false;
  if (seesEveryStation(viewer)) return true;
  return hasRole(viewer, 'town', 'assistant') && viewer.cells.some((cell) => cellCode.startsWith(cell));
}
