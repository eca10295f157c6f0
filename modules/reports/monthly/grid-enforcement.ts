import type { Viewer } from '../../../src/auth/viewer';
import type { ServiceRegistry } from '../../../src/services';
import { gridServiceRef, type GridTask } from '../../grid/public';
import { sourceServiceRef, type EnforcementCase, type Enterprise } from '../../source/public';
import { casePages } from '../exports/source';
import type { MonthSpan } from './period';
import { MAX_LISTED, TOP_ASSISTANTS, type EnforcementPart, type GridPart } from './types';

const PAGE = 500;
/** Tasks and patrols one report reads: far above a district's month, and a bound all the same. */
const MAX_READ = 100_000;
const TASK_TYPES = ['ROUTINE_PATROL', 'EXCEEDANCE_INSPECTION', 'COMPLAINT', 'SPECIAL_CAMPAIGN', 'OTHER'] as const;
const TASK_STATUSES = ['DISPATCHED', 'ACCEPTED', 'IN_PROGRESS', 'SUBMITTED', 'VERIFIED', 'RETURNED', 'OVERDUE'] as const;

/** Tasks dispatched in the month by type and status, patrols, and the assessment ranking. */
export async function gridPart(services: ServiceRegistry, viewer: Viewer, span: MonthSpan): Promise<GridPart> {
  const grid = services.get(gridServiceRef);
  const tasks: GridTask[] = [];
  let beforeId: number | undefined;
  while (tasks.length < MAX_READ) {
    const page = await grid.tasks.list(viewer, { dispatchedFrom: span.from, dispatchedTo: new Date(span.to.getTime() - 1) }, { limit: PAGE, beforeId });
    tasks.push(...page);
    if (page.length < PAGE) break;
    beforeId = page.at(-1)?.id;
  }
  let patrols = 0;
  let media = 0;
  let before: number | undefined;
  for (let read = 0; read < MAX_READ; read += PAGE) {
    const page = await grid.patrols.list(viewer, { from: span.from, to: new Date(span.to.getTime() - 1) }, { limit: PAGE, beforeId: before });
    patrols += page.length;
    media += (await grid.media.ofPatrols(page.map((p) => p.id))).reduce((n, list) => n + list.length, 0);
    if (page.length < PAGE) break;
    before = page.at(-1)?.id;
  }
  const towns = await grid.assessment(viewer, { from: span.from, to: span.to, groupBy: 'TOWN' });
  const assistants = await grid.assessment(viewer, { from: span.from, to: span.to, groupBy: 'ASSISTANT' });
  const overdue = (t: GridTask) => t.overdueAt !== null;
  return {
    tasks: tasks.length,
    tasksByType: TASK_TYPES.map((type) => {
      const of = tasks.filter((t) => t.type === type);
      return { type, dispatched: of.length, verified: of.filter((t) => t.status === 'VERIFIED').length, overdue: of.filter(overdue).length };
    }),
    tasksByStatus: TASK_STATUSES.map((status) => ({ status, count: tasks.filter((t) => t.status === status).length })),
    patrols,
    media,
    townRanking: towns.map((r) => ({
      rank: r.rank,
      code: r.key,
      name: r.name,
      assigned: r.assigned,
      completed: r.completed,
      overdue: r.overdue,
      patrols: r.patrols,
      score: r.score,
    })),
    topAssistants: assistants
      .flatMap((r) => (r.rank === null ? [] : [{ ...r, rank: r.rank }]))
      .slice(0, TOP_ASSISTANTS)
      .map((r) => ({ rank: r.rank, name: r.name, assigned: r.assigned, completed: r.completed, patrols: r.patrols, score: r.score })),
  };
}

const inMonth = (time: Date | null, span: MonthSpan): boolean => time !== null && time >= span.from && time < span.to;

/** Cases opened, decided and closed in the month, and the penalties decided. */
export async function enforcementPart(services: ServiceRegistry, viewer: Viewer, span: MonthSpan, signal: AbortSignal): Promise<EnforcementPart> {
  const source = services.get(sourceServiceRef);
  const relevant: EnforcementCase[] = [];
  const counts = { opened: 0, decided: 0, closed: 0, penalties: 0, penaltyYuan: 0 };
  const context = { viewer, services, signal, limits: { maxRows: Number.MAX_SAFE_INTEGER, maxRangeDays: 31 } };
  for await (const page of casePages(source, context, {})) {
    for (const c of page) {
      const opened = inMonth(c.openedAt, span);
      const decided = inMonth(c.decidedAt, span);
      if (opened) counts.opened += 1;
      if (decided) counts.decided += 1;
      if (inMonth(c.closedAt, span)) counts.closed += 1;
      if (decided && c.penaltyYuan !== null && c.penaltyYuan > 0) {
        counts.penalties += 1;
        counts.penaltyYuan += c.penaltyYuan;
      }
      if ((opened || decided) && relevant.length < MAX_LISTED) relevant.push(c);
    }
  }
  const enterprises = await source.enterprises.byIds(viewer, [...new Set(relevant.map((c) => c.enterpriseId))]);
  const names = new Map(enterprises.filter((e): e is Enterprise => e !== undefined).map((e) => [e.id, e.name]));
  return {
    ...counts,
    penaltyYuan: Math.round(counts.penaltyYuan * 100) / 100,
    listed: relevant.map((c) => ({
      caseNumber: c.caseNumber,
      enterpriseName: names.get(c.enterpriseId) ?? null,
      status: c.status,
      decision: c.decision,
      penaltyYuan: c.penaltyYuan,
      openedAt: c.openedAt,
      decidedAt: c.decidedAt,
    })),
  };
}
