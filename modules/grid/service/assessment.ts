import { sql, type SQL } from 'drizzle-orm';
import type { Viewer } from '../../../src/auth/viewer';
import { rowsOf } from '../../../src/db';
import { ForbiddenError, ValidationError } from '../../../src/errors';
import type { GridDeps } from './deps';
import {
  ASSESSMENT_WEIGHTS,
  assessmentScore,
  rankByScore,
  scoreLines,
  scoreParts,
  unrankedReason,
  type AssessmentCounts,
  type ScoreLine,
  type ScoreShares,
  type UnrankedReason,
} from './score';
import { cellCondition, cellInScope, scopeOf, type GridScope } from './scope';

export const ASSESSMENT_GROUPS = ['ASSISTANT', 'CELL', 'TOWN'] as const;
export type AssessmentGroup = (typeof ASSESSMENT_GROUPS)[number];

export interface AssessmentQuery {
  from: Date;
  to: Date;
  groupBy: AssessmentGroup;
}

export interface AssessmentRow extends AssessmentCounts {
  /** staff id, or cell code */
  key: string;
  name: string;
  staffId: number | null;
  cellCode: string | null;
  score: number;
  parts: ScoreShares;
  lines: ScoreLine[];
  /** null for a row that is not ranked; see `unranked` */
  rank: number | null;
  unranked: UnrankedReason | null;
}

const MAX_PERIOD_DAYS = 366;

interface Group {
  key: string;
  name: string;
  staffId: number | null;
  cellCode: string | null;
  units: number;
}

type Num = number | string | null;

/** Who is assessed: every assistant, level-3 cell or town in the viewer's grid, with or without work in the period. */
async function groupsOf(deps: GridDeps, scope: GridScope, groupBy: AssessmentGroup): Promise<Group[]> {
  if (groupBy === 'ASSISTANT') {
    const rows = await rowsOf<{ id: number; name: string; organisation_code: string | null; cells: string[] | null }>(
      deps.db.orm,
      sql`SELECT s.id, s.name, s.organisation_code,
                 (SELECT jsonb_agg(a.cell_code) FROM grid_assignments a WHERE a.staff_id = s.id) AS cells
            FROM grid_staff s WHERE s.role = 'ASSISTANT' AND s.active ORDER BY s.id`,
    );
    return rows
      .filter((row) => {
        if (!scope.officer) return scope.self?.id === Number(row.id);
        if (scope.all) return true;
        return (row.organisation_code !== null && cellInScope(scope, row.organisation_code)) || (row.cells ?? []).some((cell) => cellInScope(scope, cell));
      })
      .map((row) => ({ key: String(row.id), name: row.name, staffId: Number(row.id), cellCode: null, units: 1 }));
  }
  const level = groupBy === 'CELL' ? 3 : 2;
  const rows = await rowsOf<{ code: string; name: string; villages: Num }>(
    deps.db.orm,
    sql`SELECT c.code, c.name,
               (SELECT count(*) FROM grid_cells v WHERE v.level = 3 AND v.code LIKE c.code || '%') AS villages
          FROM grid_cells c WHERE c.level = ${level} AND ${cellCondition(scope, sql`c.code`) ?? sql`true`} ORDER BY c.code`,
  );
  return rows.map((row) => ({
    key: row.code,
    name: row.name,
    staffId: null,
    cellCode: row.code,
    units: groupBy === 'CELL' ? 1 : Math.max(1, Number(row.villages)),
  }));
}

/** The SQL expression a task or patrol row is grouped by. */
function groupKey(groupBy: AssessmentGroup, person: SQL, cell: SQL): SQL {
  if (groupBy === 'ASSISTANT') return sql`${person}::text`;
  if (groupBy === 'CELL') return cell;
  return sql`(SELECT town.code FROM grid_cells town WHERE town.level = 2 AND ${cell} LIKE town.code || '%' ORDER BY town.code LIMIT 1)`;
}

/**
 * The work assessment (工作考评) over a period: per assistant, level-3 cell or town, the tasks
 * dispatched in the period and what became of them, the patrols made in it and their media, a
 * score (see ASSESSMENT_WEIGHTS) and the ranking by score; rows without work are listed unranked. Officers see their grid; an assistant
 * sees their own row.
 */
export async function assessment(deps: GridDeps, viewer: Viewer, query: AssessmentQuery): Promise<AssessmentRow[]> {
  const scope = await scopeOf(deps, viewer);
  if (!scope.staff) throw new ForbiddenError('the assessment is for grid staff');
  if (!scope.officer && query.groupBy !== 'ASSISTANT') throw new ForbiddenError('assistants see their own assessment only');
  const days = (query.to.getTime() - query.from.getTime()) / 86_400_000;
  if (!(days > 0)) throw new ValidationError([{ path: 'period.to', message: 'must be after from' }]);
  if (days > MAX_PERIOD_DAYS) throw new ValidationError([{ path: 'period', message: `at most ${MAX_PERIOD_DAYS} days` }]);
  const from = query.from.toISOString();
  const to = query.to.toISOString();
  const asOf = new Date(Math.min(query.to.getTime(), deps.now().getTime())).toISOString();
  const taskScope = cellCondition(scope, sql`t.cell_code`, scope.self ? sql`t.assignee_id = ${scope.self.id}` : undefined) ?? sql`true`;
  const patrolScope = cellCondition(scope, sql`p.cell_code`, scope.self ? sql`p.staff_id = ${scope.self.id}` : undefined) ?? sql`true`;

  const taskRows = await rowsOf<{ key: string | null; assigned: Num; completed: Num; on_time: Num; overdue: Num; mean_response: Num }>(
    deps.db.orm,
    sql`SELECT ${groupKey(query.groupBy, sql`t.assignee_id`, sql`t.cell_code`)} AS key,
               count(*) AS assigned,
               count(*) FILTER (WHERE t.verified_at IS NOT NULL) AS completed,
               count(*) FILTER (WHERE t.verified_at IS NOT NULL AND t.submitted_at <= t.deadline) AS on_time,
               count(*) FILTER (WHERE t.overdue_at IS NOT NULL OR coalesce(t.submitted_at, ${asOf}::timestamptz) > t.deadline) AS overdue,
               avg(extract(epoch FROM t.accepted_at - t.dispatched_at)) FILTER (WHERE t.accepted_at IS NOT NULL) AS mean_response
          FROM grid_tasks t
         WHERE t.dispatched_at >= ${from}::timestamptz AND t.dispatched_at < ${to}::timestamptz AND ${taskScope}
         GROUP BY 1`,
  );
  const patrolRows = await rowsOf<{ key: string | null; patrols: Num; media: Num }>(
    deps.db.orm,
    // a patrol sent again by an app that lost its answer (same person, time and place) is one patrol
    sql`SELECT ${groupKey(query.groupBy, sql`p.staff_id`, sql`p.cell_code`)} AS key,
               count(DISTINCT (p.author_subject, p.patrolled_at, p.longitude, p.latitude)) AS patrols, coalesce(sum(m.n), 0) AS media
          FROM grid_patrols p
          LEFT JOIN LATERAL (SELECT count(*) AS n FROM grid_media gm WHERE gm.patrol_id = p.id) m ON true
         WHERE p.patrolled_at >= ${from}::timestamptz AND p.patrolled_at < ${to}::timestamptz AND ${patrolScope}
         GROUP BY 1`,
  );

  const tasks = new Map(taskRows.filter((row) => row.key !== null).map((row) => [row.key as string, row]));
  const patrols = new Map(patrolRows.filter((row) => row.key !== null).map((row) => [row.key as string, row]));
  const groups = await groupsOf(deps, scope, query.groupBy);
  const rows = groups.map((group) => {
    const t = tasks.get(group.key);
    const p = patrols.get(group.key);
    const counts: AssessmentCounts = {
      assigned: Number(t?.assigned ?? 0),
      completed: Number(t?.completed ?? 0),
      onTime: Number(t?.on_time ?? 0),
      overdue: Number(t?.overdue ?? 0),
      meanResponseSeconds: t?.mean_response == null ? null : Math.round(Number(t.mean_response)),
      patrols: Number(p?.patrols ?? 0),
      media: Number(p?.media ?? 0),
    };
    return {
      ...counts,
      key: group.key,
      name: group.name,
      staffId: group.staffId,
      cellCode: group.cellCode,
      score: assessmentScore(counts, days, group.units, ASSESSMENT_WEIGHTS),
      parts: scoreParts(counts, days, group.units, ASSESSMENT_WEIGHTS),
      lines: scoreLines(counts, days, group.units, ASSESSMENT_WEIGHTS),
      unranked: unrankedReason(counts, ASSESSMENT_WEIGHTS),
    };
  });
  return rankByScore(rows);
}
