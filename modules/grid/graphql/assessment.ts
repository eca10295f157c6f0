import type { HubBuilder } from '../../../src/graphql/builder';
import { boundedList } from '../../../src/graphql/cost/declare';
import { pageOfList } from '../../../src/graphql/pagination';
import { zhValues } from '../../../src/graphql/zh';
import { gridServiceRef } from '../public';
import type { AssessmentRow } from '../service/assessment';
import { SCORE_PARTS, UNRANKED_REASONS, type ScoreLine } from '../service/score';
import type { GridEnums } from './enums';
import { cellByCodeLoader, staffLoader } from './loaders';
import { GridCellRef, GridStaffRef } from './refs';

type RankedRow = AssessmentRow & { position: number };

/** The work assessment (工作考评) and its ranking. */
export function registerAssessmentSchema(builder: HubBuilder, enums: GridEnums): void {
  const PartsRef = builder.objectRef<AssessmentRow['parts']>('GridScoreParts').implement({
    description: 'Each part of the score as a share from 0 to 1, before weighting (weights: see the README); null where the part does not apply.',
    fields: (t) => ({
      completion: t.exposeFloat('completion', { nullable: true, description: 'null with no task assigned' }),
      punctuality: t.exposeFloat('punctuality', { nullable: true, description: 'null with no task assigned' }),
      responsiveness: t.exposeFloat('responsiveness', { nullable: true, description: 'null with no task assigned' }),
      patrols: t.exposeFloat('patrols'),
      media: t.exposeFloat('media', { nullable: true, description: 'null with no patrol' }),
      overdueDeduction: t.exposeFloat('overdueDeduction', { description: 'points taken off for overdue tasks' }),
    }),
  });
  const ScorePart = builder.enumType('GridScorePart', {
    values: zhValues(SCORE_PARTS, {
      COMPLETION: '完成率',
      MEDIA: '影像资料',
      OVERDUE: '逾期扣分',
      PATROLS: '巡查频次',
      PUNCTUALITY: '及时率',
      RESPONSIVENESS: '响应速度',
    }),
  });
  const UnrankedReason = builder.enumType('GridUnrankedReason', {
    values: zhValues(UNRANKED_REASONS, { NO_ACTIVITY: '期内无任务且无巡查，不参与排名' }),
  });
  const LineRef = builder.objectRef<ScoreLine>('GridScoreLine').implement({
    description: 'One line of the score. The points of all lines add up to the score (before rounding and keeping it within 0-100).',
    fields: (t) => ({
      part: t.field({ type: ScorePart, resolve: (l) => l.part }),
      applicable: t.exposeBoolean('applicable', { description: 'false for a part the row had nothing to do for; its weight goes to the others' }),
      share: t.exposeFloat('share', { nullable: true, description: '0-1 before weighting; null when not applicable or for a deduction' }),
      maxPoints: t.float({
        description: 'the most the part can bring after renormalising; for a deduction, its cap',
        resolve: (l) => Math.round(l.maxPoints * 100) / 100,
      }),
      points: t.float({ description: 'points brought; negative for a deduction', resolve: (l) => Math.round(l.points * 100) / 100 }),
    }),
  });
  const RowRef = builder.objectRef<RankedRow>('GridAssessmentRow').implement({
    fields: (t) => ({
      rank: t.exposeInt('rank', { nullable: true, description: '1 is best; equal scores share a rank; null for a row not ranked (see unranked)' }),
      unranked: t.field({ type: UnrankedReason, nullable: true, description: 'why the row is not ranked; null when it is', resolve: (r) => r.unranked }),
      key: t.exposeString('key', { description: 'the staff id or the cell code' }),
      name: t.exposeString('name'),
      staff: t.field({ type: GridStaffRef, nullable: true, resolve: (r, _a, ctx) => (r.staffId !== null ? staffLoader(ctx).load(r.staffId) : null) }),
      cell: t.field({ type: GridCellRef, nullable: true, resolve: (r, _a, ctx) => (r.cellCode !== null ? cellByCodeLoader(ctx).load(r.cellCode) : null) }),
      assignedTasks: t.int({ description: 'tasks dispatched in the period', resolve: (r) => r.assigned }),
      completedTasks: t.int({ description: 'of those, verified', resolve: (r) => r.completed }),
      onTimeTasks: t.int({ description: 'of the completed, submitted by the deadline', resolve: (r) => r.onTime }),
      overdueTasks: t.int({ description: 'of those dispatched, past the deadline before submission', resolve: (r) => r.overdue }),
      meanResponseSeconds: t.int({ nullable: true, description: 'mean time from dispatch to acceptance', resolve: (r) => r.meanResponseSeconds }),
      patrols: t.int({ description: 'patrols made in the period; one sent again (same person, time and place) counts once', resolve: (r) => r.patrols }),
      media: t.int({ description: 'photos and videos attached to those patrols', resolve: (r) => r.media }),
      score: t.exposeFloat('score', { description: '0-100' }),
      parts: t.field({ type: PartsRef, resolve: (r) => r.parts }),
      lines: t.field({
        type: [LineRef],
        description: 'the score line by line, deductions included',
        extensions: boundedList(SCORE_PARTS.length),
        resolve: (r) => r.lines,
      }),
    }),
  });
  const PeriodInput = builder.inputType('GridPeriodInput', {
    fields: (t) => ({
      from: t.field({ type: 'DateTime', required: true }),
      to: t.field({ type: 'DateTime', required: true, description: 'exclusive; at most 366 days after from' }),
    }),
  });

  builder.queryFields((t) => ({
    gridAssessment: t.connection({
      authScopes: { roles: ['admin', 'district', 'town', 'assistant'] },
      type: RowRef,
      description:
        'The work assessment over a period, ranked by score; rows without work follow unranked. Officers see their grid; an assistant, their own row (ASSISTANT only).',
      args: { period: t.arg({ type: PeriodInput, required: true }), groupBy: t.arg({ type: enums.AssessmentGroup, required: true }) },
      resolve: async (_root, args, ctx) => {
        // the assessment is computed whole, so it is paged in memory and its length is the count
        const period = { from: args.period.from, to: args.period.to, groupBy: args.groupBy };
        return pageOfList(args, () => ctx.services.get(gridServiceRef).assessment(ctx.viewer, period));
      },
    }),
  }));
}
