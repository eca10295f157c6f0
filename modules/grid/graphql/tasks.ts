import type { HubBuilder } from '../../../src/graphql/builder';
import { ValidationError } from '../../../src/errors';
import { pageOf } from '../../../src/graphql/pagination';
import { ExceedanceRef, MonitorRef } from '../../../src/monitoring/public';
import { gridServiceRef } from '../public';
import { availableActions } from '../service/transitions';
import { MAX_HISTORY } from '../service/tasks';
import { MAX_PATROLS_PER_TASK } from '../service/patrols';
import type { GridTask, GridTaskTransition } from '../service/types';
import type { GridEnums } from './enums';
import { idOf, orUndefined } from './ids';
import { cellByCodeLoader, exceedanceLoader, historyLoader, monitorLoader, staffLoader, taskLoader, taskPatrolsLoader } from './loaders';
import { GridCellRef, GridPatrolRef, GridStaffRef, GridTaskRef } from './refs';
import { limitArgument, limitedList, takeLimit } from '../../../src/graphql/cost/declare';
import { loadNodes } from '../../../src/graphql/loaders';

const STAFF = ['admin', 'district', 'town', 'assistant'] as const;

/** Task types and the task queries. */
/** A task's history and patrols: what a client gets unless it asks, and the most it may ask. */
const TASK_HISTORY = { default: 50, max: MAX_HISTORY } as const;
const TASK_PATROLS = { default: 10, max: MAX_PATROLS_PER_TASK } as const;

export function registerTaskSchema(builder: HubBuilder, enums: GridEnums): void {
  const TargetRef = builder.objectRef<GridTask>('GridTaskTarget').implement({
    description: 'What the task is about: a pollution source, a monitor, or a place.',
    fields: (t) => ({
      kind: t.field({ type: enums.TargetKind, resolve: (task) => task.targetKind }),
      uscc: t.string({ nullable: true, description: 'the enterprise’s unified social credit code', resolve: (task) => task.targetUscc }),
      monitor: t.field({
        type: MonitorRef,
        nullable: true,
        description: 'null when the monitor is outside the viewer’s monitoring scope',
        resolve: (task, _a, ctx) => (task.targetMonitorId !== null ? monitorLoader(ctx).load(task.targetMonitorId) : null),
      }),
      location: t.field({
        type: enums.GridPoint,
        nullable: true,
        resolve: (task) =>
          task.targetLongitude !== null && task.targetLatitude !== null ? { longitude: task.targetLongitude, latitude: task.targetLatitude } : null,
      }),
      description: t.string({ nullable: true, resolve: (task) => task.targetDescription }),
    }),
  });

  const TransitionRef = builder.objectRef<GridTaskTransition>('GridTaskTransition').implement({
    description: 'One recorded change of a task: who, when, from what to what, and why.',
    fields: (t) => ({
      action: t.exposeString('action', { description: 'DISPATCH, ACCEPT, START, SUBMIT, VERIFY, RETURN, REASSIGN or MARK_OVERDUE' }),
      fromStatus: t.field({ type: enums.TaskStatus, nullable: true, resolve: (h) => h.fromStatus }),
      toStatus: t.field({ type: enums.TaskStatus, resolve: (h) => h.toStatus }),
      actor: t.exposeString('actor', { description: 'token subject; `system` for the hub itself' }),
      actorName: t.exposeString('actorName', { nullable: true }),
      note: t.exposeString('note', { nullable: true }),
      at: t.field({ type: 'DateTime', resolve: (h) => h.at }),
    }),
  });

  builder.node(GridTaskRef, {
    description: 'A supervision task dispatched to a grid assistant.',
    id: { resolve: (task) => task.id },
    loadMany: loadNodes(taskLoader),
    isTypeOf: (value) => typeof value === 'object' && value !== null && 'dispatchedAt' in value && 'targetKind' in value,
    fields: (t) => ({
      type: t.field({ type: enums.TaskType, resolve: (task) => task.type }),
      title: t.exposeString('title'),
      description: t.exposeString('description', { nullable: true }),
      target: t.field({ type: TargetRef, resolve: (task) => task }),
      cellCode: t.exposeString('cellCode'),
      cell: t.field({ type: GridCellRef, nullable: true, resolve: (task, _a, ctx) => cellByCodeLoader(ctx).load(task.cellCode) }),
      assignee: t.field({
        type: GridStaffRef,
        nullable: true,
        resolve: (task, _a, ctx) => (task.assigneeId !== null ? staffLoader(ctx).load(task.assigneeId) : null),
      }),
      status: t.field({ type: enums.TaskStatus, resolve: (task) => task.status }),
      availableActions: t.field({
        type: [enums.TaskAction],
        description: 'what the task’s state allows next (whoever may take it)',
        resolve: (task) => availableActions(task),
      }),
      deadline: t.field({ type: 'DateTime', resolve: (task) => task.deadline }),
      dispatchedBy: t.exposeString('dispatchedBy', { description: 'token subject of the officer; `system` for automatic dispatch' }),
      dispatchedAt: t.field({ type: 'DateTime', resolve: (task) => task.dispatchedAt }),
      acceptedAt: t.field({ type: 'DateTime', nullable: true, resolve: (task) => task.acceptedAt }),
      startedAt: t.field({ type: 'DateTime', nullable: true, resolve: (task) => task.startedAt }),
      submittedAt: t.field({ type: 'DateTime', nullable: true, resolve: (task) => task.submittedAt }),
      verifiedAt: t.field({ type: 'DateTime', nullable: true, resolve: (task) => task.verifiedAt }),
      overdueAt: t.field({ type: 'DateTime', nullable: true, description: 'when the deadline timer found it late', resolve: (task) => task.overdueAt }),
      exceedance: t.field({
        type: ExceedanceRef,
        nullable: true,
        description: 'the episode an automatic inspection was dispatched for',
        resolve: (task, _a, ctx) => (task.exceedanceId !== null ? exceedanceLoader(ctx).load(task.exceedanceId) : null),
      }),
      history: t.field({
        type: [TransitionRef],
        description: 'oldest first, at most 200',
        args: { limit: t.arg.int(limitArgument(TASK_HISTORY)) },
        extensions: limitedList(TASK_HISTORY),
        resolve: async (task, args, ctx) => takeLimit(await ((await historyLoader(ctx).load(task.id)) ?? []), args.limit, TASK_HISTORY),
      }),
      patrols: t.field({
        type: [GridPatrolRef],
        description: 'newest first, at most 100',
        args: { limit: t.arg.int(limitArgument(TASK_PATROLS)) },
        extensions: limitedList(TASK_PATROLS),
        resolve: async (task, args, ctx) => takeLimit(await ((await taskPatrolsLoader(ctx).load(task.id)) ?? []), args.limit, TASK_PATROLS),
      }),
    }),
  });

  const TaskFilter = builder.inputType('GridTaskFilter', {
    fields: (t) => ({
      status: t.field({ type: [enums.TaskStatus], required: false }),
      type: t.field({ type: [enums.TaskType], required: false }),
      cellCode: t.string({ required: false, description: 'a cell and every cell under it' }),
      assignee: t.globalID({ required: false }),
      mine: t.boolean({ required: false, description: 'only tasks assigned to the viewer' }),
      dispatchedFrom: t.field({ type: 'DateTime', required: false }),
      dispatchedTo: t.field({ type: 'DateTime', required: false }),
    }),
  });

  builder.queryFields((t) => ({
    gridTask: t.field({
      authScopes: { roles: [...STAFF] },
      type: GridTaskRef,
      nullable: true,
      description: 'One task, when it is in the viewer’s grid.',
      args: { id: t.arg.globalID({ required: true }) },
      resolve: (_root, args, ctx) => taskLoader(ctx).load(idOf(args.id, 'GridTask', 'id')),
    }),
    gridTasks: t.connection({
      authScopes: { roles: [...STAFF] },
      type: GridTaskRef,
      description: 'Tasks in the viewer’s grid (an assistant’s cells and own tasks, a town’s cells, or all), newest first.',
      args: { filter: t.arg({ type: TaskFilter, required: false }) },
      resolve: async (_root, args, ctx) => {
        const filter = args.filter ?? {};
        if ((filter.cellCode?.length ?? 0) > 32) throw new ValidationError([{ path: 'filter.cellCode', message: 'at most 32 characters' }]);
        const list = ctx.services.get(gridServiceRef).tasks;
        const query = [
          ctx.viewer,
          {
            status: orUndefined(filter.status),
            type: orUndefined(filter.type),
            cellCode: orUndefined(filter.cellCode),
            assigneeId: filter.assignee ? idOf(filter.assignee, 'GridStaff', 'filter.assignee') : undefined,
            mine: orUndefined(filter.mine),
            dispatchedFrom: orUndefined(filter.dispatchedFrom),
            dispatchedTo: orUndefined(filter.dispatchedTo),
          },
        ] as const;
        return pageOf(args, 'descending', (window) => list.list(...query, window), { idOf: (task) => task.id, count: () => list.count(...query) });
      },
    }),
  }));
}
