import { escapeLike } from '../db';
import { sql, type SQL } from 'drizzle-orm';
import { hasRole, seesAllRows, type Viewer } from '../auth/viewer';

/**
 * Row scope over any table that carries `enterprise_uscc` and `cell_code`. Cell codes are
 * hierarchical (a cell's code begins with its parent's), so a town officer whose token names the
 * town's cell sees every village cell under it. Returns undefined when the viewer sees every row,
 * and a condition that is never true when they see none.
 */
export function rowScope(viewer: Viewer, columns: { enterprise: SQL; cell: SQL }): SQL | undefined {
  if (seesAllRows(viewer) || hasRole(viewer, 'upstream')) return undefined;
  const parts: SQL[] = [];
  if (hasRole(viewer, 'town', 'assistant') && viewer.cells.length > 0) {
    const patterns = viewer.cells.map((cell) => `${escapeLike(cell)}%`);
    parts.push(sql`${columns.cell} LIKE ANY (ARRAY(SELECT jsonb_array_elements_text(${JSON.stringify(patterns)}::jsonb)))`);
  }
  if (hasRole(viewer, 'enterprise') && viewer.enterprise) {
    parts.push(sql`${columns.enterprise} = ${viewer.enterprise}`);
  }
  if (parts.length === 0) return sql`false`;
  return parts.length === 1 ? parts[0] : sql`(${sql.join(parts, sql` OR `)})`;
}

/** The same rule for one row in memory (events, loaded entities). */
export function inScope(viewer: Viewer, row: { enterpriseUscc: string | null; cellCode: string | null }): boolean {
  if (seesAllRows(viewer) || hasRole(viewer, 'upstream')) return true;
  if (hasRole(viewer, 'town', 'assistant') && row.cellCode && viewer.cells.some((cell) => row.cellCode?.startsWith(cell))) return true;
  if (hasRole(viewer, 'enterprise') && viewer.enterprise && row.enterpriseUscc === viewer.enterprise) return true;
  return false;
}

/** Who may read monitoring data at all (the public reads published data through disclosure). */
export function canReadMonitoring(viewer: Viewer): boolean {
  return hasRole(viewer, 'admin', 'district', 'town', 'assistant', 'enterprise', 'upstream');
}

/** What dashboards filter monitoring events by; every part optional. */
export interface MonitorEventFilter {
  cellCode?: string | null;
  monitorKind?: readonly string[] | null;
  ownerModule?: string | null;
  severity?: string | null;
}

/**
 * Whether a monitoring event reaches a subscriber: the viewer's row scope first, then the
 * subscriber's own filter (a cell covers every cell under it).
 */
export function monitorEventVisible(
  viewer: Viewer,
  filter: MonitorEventFilter,
  event: { enterpriseUscc: string | null; cellCode: string | null; monitorKind: string; ownerModule: string | null; severity?: string },
): boolean {
  if (!canReadMonitoring(viewer) || !inScope(viewer, event)) return false;
  if (filter.cellCode && !event.cellCode?.startsWith(filter.cellCode)) return false;
  if (filter.monitorKind?.length && !filter.monitorKind.includes(event.monitorKind)) return false;
  if (filter.ownerModule && event.ownerModule !== filter.ownerModule) return false;
  if (filter.severity && event.severity !== filter.severity) return false;
  return true;
}
