import type { HubBuilder } from '../../../src/graphql/builder';
import { dutyRefs } from '../../../src/monitoring/public';
import { gridServiceRef } from '../public';
import { MAX_TOWNS, type TaskCompletion, type TownExceedances } from '../service/summary';
import { boundedList } from '../../../src/graphql/cost/declare';

/** The grid's panels on the duty screen: open episodes by town, this month's task completion. */
export function registerGridDutyFields(builder: HubBuilder): void {
  const { summary: DutySummaryRef, map: DutyMapRef, point: DutyMapPointRef } = dutyRefs(builder);
  const TownRef = builder.objectRef<TownExceedances>('DutyTownExceedances').implement({
    fields: (t) => ({
      code: t.exposeString('code', { description: 'the town’s (level-2) cell code' }),
      name: t.exposeString('name'),
      warning: t.exposeInt('warning'),
      exceedance: t.exposeInt('exceedance'),
    }),
  });
  const CompletionRef = builder.objectRef<TaskCompletion>('DutyTaskCompletion').implement({
    fields: (t) => ({
      from: t.field({ type: 'DateTime', description: 'start of the Asia/Shanghai month', resolve: (c) => c.from }),
      dispatched: t.exposeInt('dispatched', { description: 'tasks dispatched this month' }),
      verified: t.exposeInt('verified', { description: 'of them, verified (done)' }),
      overdue: t.exposeInt('overdue', { description: 'of them, past their deadline and not done' }),
      open: t.exposeInt('open', { description: 'of them, not yet verified' }),
      rate: t.float({
        nullable: true,
        description: 'verified / dispatched; null when nothing was dispatched',
        resolve: (c) => (c.dispatched ? c.verified / c.dispatched : null),
      }),
    }),
  });
  builder.objectFields(DutySummaryRef, (t) => ({
    openExceedancesByTown: t.field({
      type: [TownRef],
      extensions: boundedList(MAX_TOWNS),
      description: 'open episodes by the town that holds their cell, in code order (two statements)',
      resolve: (_root, _a, ctx) => ctx.services.get(gridServiceRef).summary.exceedancesByTown(ctx.viewer),
    }),
    gridTasksThisMonth: t.field({
      type: CompletionRef,
      description: 'grid tasks dispatched this month and how many are done (one statement)',
      resolve: (_root, _a, ctx) => ctx.services.get(gridServiceRef).summary.taskCompletion(ctx.viewer),
    }),
  }));
}
