import { and, eq, gt, isNull, lte, or, sql, type SQL } from 'drizzle-orm';
import { hasRole, isStaff, seesAllRows, type Viewer } from '../../../src/auth/viewer';
import { json } from '../../../src/db';
import { gridAssignments, gridStaff } from '../tables';
import type { GridDeps } from './deps';
import { toStaff } from './rows';
import type { GridScope, GridStaff } from './types';

/**
 * What a viewer may see and do in the grid. Cell codes are hierarchical, so `cells` are prefixes:
 * a town officer's town code covers every village under it. An assistant's cells come from the
 * token's `cells` claim and from their current assignments (found through the token subject); a
 * town officer's from the claim and their town office.
 */
export type { GridScope } from './types';

/** How long a worked-out scope is reused for the same viewer (a long-lived socket sees changes after this). */
const SCOPE_TTL_MS = 30_000;

async function computeScope(deps: GridDeps, viewer: Viewer): Promise<GridScope> {
  const all = seesAllRows(viewer);
  const staff = isStaff(viewer);
  const officer = hasRole(viewer, 'admin', 'district', 'town');
  let self: GridStaff | undefined;
  if (viewer.subject && staff) {
    const [row] = await deps.db.orm.select().from(gridStaff).where(eq(gridStaff.subject, viewer.subject));
    self = row ? toStaff(row) : undefined;
  }
  const cells = new Set<string>();
  if (hasRole(viewer, 'town', 'assistant')) {
    for (const cell of viewer.cells) if (/^[0-9A-Za-z]{1,32}$/.test(cell)) cells.add(cell);
    if (self?.active && hasRole(viewer, 'town') && self.role === 'TOWN_OFFICER' && self.organisationCode) cells.add(self.organisationCode);
    if (self?.active && hasRole(viewer, 'assistant') && self.role === 'ASSISTANT') {
      const now = deps.now();
      const rows = await deps.db.orm
        .select({ cellCode: gridAssignments.cellCode })
        .from(gridAssignments)
        .where(
          and(eq(gridAssignments.staffId, self.id), lte(gridAssignments.validFrom, now), or(isNull(gridAssignments.validTo), gt(gridAssignments.validTo, now))),
        );
      for (const row of rows) cells.add(row.cellCode);
    }
  }
  return Object.freeze({ all, staff, officer, cells: Object.freeze([...cells].sort()), self });
}

export function scopeOf(deps: GridDeps, viewer: Viewer): Promise<GridScope> {
  const cached = deps.scopeCache.get(viewer);
  const now = Date.now();
  if (cached && cached.expires > now) return cached.scope;
  const scope = computeScope(deps, viewer);
  deps.scopeCache.set(viewer, { expires: now + SCOPE_TTL_MS, scope });
  scope.catch(() => deps.scopeCache.delete(viewer));
  return scope;
}

/** Whether a cell lies within the scope (the cell itself or under one of its cells). */
export function cellInScope(scope: GridScope, code: string): boolean {
  if (scope.all) return true;
  if (!scope.staff) return false;
  return scope.cells.some((cell) => code.startsWith(cell));
}

/** The SQL form of `cellInScope` over a cell-code column; `orElse` widens it (a task's assignee). */
export function cellCondition(scope: GridScope, column: SQL, orElse?: SQL): SQL | undefined {
  if (scope.all) return undefined;
  if (!scope.staff) return sql`false`;
  const parts: SQL[] = [];
  if (scope.cells.length > 0) {
    const patterns = scope.cells.map((cell) => `${cell}%`);
    parts.push(sql`${column} LIKE ANY (ARRAY(SELECT jsonb_array_elements_text(${json(patterns)})))`);
  }
  if (orElse) parts.push(orElse);
  if (parts.length === 0) return sql`false`;
  return parts.length === 1 ? parts[0] : sql`(${sql.join(parts, sql` OR `)})`;
}
