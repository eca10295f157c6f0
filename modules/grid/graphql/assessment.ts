import type { HubBuilder } from '../../../src/graphql/builder';
import { readPage, toConnection } from '../../../src/graphql/pagination';
import { gridServiceRef } from '../public';
import type { AssessmentRow } from '../service/assessment';
import type { GridEnums } from './enums';
import { cellByCodeLoader, staffLoader } from './loaders';
import { GridCellRef, GridStaffRef } from './refs';

type RankedRow = AssessmentRow & { position: number };

/** The work assessment (工作考评) and its ranking. */
export function registerAssessmentSchema(builder: HubBuilder, enums: GridEnums): void {
  const PartsRef = builder.objectRef<AssessmentRow['parts']>('GridScoreParts').implement({
    description: 'Each part of the score as a share from 0 to 1, before weighting (weights: see the README).',
    fields: (t) => ({
      completion: t.exposeFloat('completion'),
      punctuality: t.exposeFloat('punctuality'),
      responsiveness: t.exposeFloat('responsiveness'),
      patrols: t.exposeFloat('patrols'),
      media: t.exposeFloat('media'),
    }),
  });
  const RowRef = builder.objectRef<RankedRow>('GridAssessmentRow').implement({
    fields: (t) => ({
      rank: t.exposeInt('rank', { description: '1 is best; equal scores share a rank' }),
      key: t.exposeString('key', { description: 'the staff id or the cell code' }),
      name: t.exposeString('name'),
      staff: t.field({ type: GridStaffRef, nullable: true, resolve: (r, _a, ctx) => (r.staffId !== null ? staffLoader(ctx).load(r.staffId) : null) }),
      cell: t.field({ type: GridCellRef, nullable: true, resolve: (r, _a, ctx) => (r.cellCode !== null ? cellByCodeLoader(ctx).load(r.cellCode) : null) }),
      assignedTasks: t.int({ description: 'tasks dispatched in the period', resolve: (r) => r.assigned }),
      completedTasks: t.int({ description: 'of those, verified', resolve: (r) => r.completed }),
      onTimeTasks: t.int({ description: 'of the completed, submitted by the deadline', resolve: (r) => r.onTime }),
      overdueTasks: t.int({ description: 'of those dispatched, past the deadline before submission', resolve: (r) => r.overdue }),
      meanResponseSeconds: t.int({ nullable: true, description: 'mean time from dispatch to acceptance', resolve: (r) => r.meanResponseSeconds }),
      patrols: t.int({ description: 'patrols made in the period', resolve: (r) => r.patrols }),
      media: t.int({ description: 'photos and videos attached to those patrols', resolve: (r) => r.media }),
      score: t.exposeFloat('score', { description: '0-100' }),
      parts: t.field({ type: PartsRef, resolve: (r) => r.parts }),
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
      description: 'The work assessment over a period, ranked by score. Officers see their grid; an assistant, their own row (ASSISTANT only).',
      args: { period: t.arg({ type: PeriodInput, required: true }), groupBy: t.arg({ type: enums.AssessmentGroup, required: true }) },
      resolve: async (_root, args, ctx) => {
        const page = readPage(args);
        const rows = await ctx.services.get(gridServiceRef).assessment(ctx.viewer, { from: args.period.from, to: args.period.to, groupBy: args.groupBy });
        const start = page.after ?? 0;
        const ranked = rows.map((row, index) => ({ ...row, position: index + 1 })).slice(start, start + page.limit + 1);
        // the assessment is computed whole, so its length is the count
        return toConnection(ranked, page.limit, (row) => row.position, start > 0, () => rows.length);
      },
    }),
  }));
}
