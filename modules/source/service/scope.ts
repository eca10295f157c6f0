import { escapeLike } from '../../../src/db';
import { sql, type SQL } from 'drizzle-orm';
import { hasRole, isStaff, seesAllRows, type Viewer } from '../../../src/auth/viewer';
import { json } from '../../../src/db';

/** Who may read enterprise files at all; the public reads published decisions through disclosure. */
export function canReadSources(viewer: Viewer): boolean {
  // a town user behind a platform is not staff (the platform is not), yet reads its cells' sources
  return isStaff(viewer) || hasRole(viewer, 'town', 'enterprise', 'upstream');
}

function seesEveryEnterprise(viewer: Viewer): boolean {
  return seesAllRows(viewer) || hasRole(viewer, 'upstream');
}

/**
 * Row scope over an enterprise's USCC and cell columns: undefined when the viewer sees every
 * enterprise, a condition never true when none. Town officers and assistants see the enterprises
 * under the cells they answer for (cell codes begin with their parent's); an enterprise account
 * sees itself.
 */
export function enterpriseScope(viewer: Viewer, columns: { uscc: SQL; cell: SQL }): SQL | undefined {
  if (!canReadSources(viewer)) return sql`false`;
  if (seesEveryEnterprise(viewer)) return undefined;
  const parts: SQL[] = [];
  if (hasRole(viewer, 'town', 'assistant') && viewer.cells.length > 0) {
    const patterns = viewer.cells.map((cell) => `${escapeLike(cell)}%`);
    parts.push(sql`${columns.cell} LIKE ANY (ARRAY(SELECT jsonb_array_elements_text(${json(patterns)})))`);
  }
  if (hasRole(viewer, 'enterprise') && viewer.enterprise) parts.push(sql`${columns.uscc} = ${viewer.enterprise}`);
  if (parts.length === 0) return sql`false`;
  return parts.length === 1 ? parts[0] : sql`(${sql.join(parts, sql` OR `)})`;
}

/** The same rule for one row in memory (events, loaded entities). */
export function enterpriseVisible(viewer: Viewer, row: { uscc: string | null; cellCode: string | null }): boolean {
  if (!canReadSources(viewer)) return false;
  if (seesEveryEnterprise(viewer)) return true;
  if (hasRole(viewer, 'town', 'assistant') && row.cellCode !== null && viewer.cells.some((cell) => row.cellCode?.startsWith(cell))) return true;
  return hasRole(viewer, 'enterprise') && viewer.enterprise !== undefined && row.uscc === viewer.enterprise;
}

/** Who keeps the files: the bureau and town staff (assistants record inspections, not cases). */
export function canEditSources(viewer: Viewer): boolean {
  return hasRole(viewer, 'admin', 'district');
}
