import type { HubBuilder } from '../../../src/graphql/builder';
import type { HubContext } from '../../../src/graphql/context';
import { parseSince, subscribeEvents } from '../../../src/events/graphql';
import type { EventTopic, HubEvent } from '../../../src/events/topics';
import { TASK_TOPICS, taskAssigned, type TaskEventPayload } from '../events';
import { gridServiceRef } from '../public';
import { taskVisible } from '../service/tasks';
import type { GridEnums } from './enums';
import { taskLoader } from './loaders';
import { GridTaskRef } from './refs';
import { zhValues } from '../../../src/graphql/zh';

const STAFF = ['admin', 'district', 'town', 'assistant'] as const;

const KIND: Readonly<Record<string, string>> = Object.fromEntries(TASK_TOPICS.map((topic) => [topic.name, topic.name.split('.').pop()?.toUpperCase() ?? '']));

/**
 * Task events after `since`, then live. The viewer's grid scope is worked out once, when the
 * subscription starts; `own` keeps the viewer's own tasks only.
 */
async function* watchTasks(
  ctx: HubContext,
  options: { topics: readonly EventTopic<TaskEventPayload>[]; since: string | number | null | undefined; own: boolean; cellCode?: string | undefined },
): AsyncGenerator<HubEvent<TaskEventPayload>> {
  const since = parseSince(options.since);
  const scope = await ctx.services.get(gridServiceRef).scopeOf(ctx.viewer);
  const subject = ctx.viewer.subject;
  yield* subscribeEvents<TaskEventPayload>(ctx, {
    topics: options.topics,
    since,
    filter: (event) => {
      const p = event.payload;
      const mine = (subject !== undefined && p.assigneeSubject === subject) || (scope.self !== undefined && p.assigneeId === scope.self.id);
      if (options.own) return mine;
      if (!mine && !taskVisible(scope, { cellCode: p.cellCode, assigneeId: p.assigneeId })) return false;
      return !options.cellCode || p.cellCode.startsWith(options.cellCode);
    },
  });
}

/** Live task events: an assistant's own assignments, and every change in a viewer's grid. */
export function registerTaskSubscriptions(builder: HubBuilder, enums: GridEnums): void {
  const KindEnum = builder.enumType('GridTaskEventKind', {
    values: zhValues(['ASSIGNED', 'ACCEPTED', 'STARTED', 'SUBMITTED', 'VERIFIED', 'RETURNED', 'OVERDUE'] as const, {
      ACCEPTED: '已接收',
      ASSIGNED: '已派发',
      OVERDUE: '已逾期',
      RETURNED: '已退回',
      STARTED: '已开始',
      SUBMITTED: '已提交',
      VERIFIED: '已核验',
    }),
  });
  const EventRef = builder.objectRef<HubEvent<TaskEventPayload>>('GridTaskEvent').implement({
    fields: (t) => ({
      eventId: t.id({ description: 'outbox id: pass it as `since` after a reconnect', resolve: (e) => String(e.id) }),
      kind: t.field({ type: KindEnum, resolve: (e) => (KIND[e.topic] ?? 'ASSIGNED') as 'ASSIGNED' }),
      occurredAt: t.field({ type: 'DateTime', resolve: (e) => e.occurredAt }),
      task: t.field({
        type: GridTaskRef,
        nullable: true,
        description: 'the task as it is now',
        resolve: (e, _a, ctx) => taskLoader(ctx).load(e.payload.taskId),
      }),
      title: t.string({ resolve: (e) => e.payload.title }),
      type: t.field({ type: enums.TaskType, resolve: (e) => e.payload.type }),
      status: t.field({ type: enums.TaskStatus, description: 'the status the event left the task in', resolve: (e) => e.payload.status }),
      previousStatus: t.field({ type: enums.TaskStatus, nullable: true, resolve: (e) => e.payload.previousStatus }),
      cellCode: t.string({ resolve: (e) => e.payload.cellCode }),
      deadline: t.field({ type: 'DateTime', resolve: (e) => new Date(e.payload.deadline) }),
      actor: t.string({ resolve: (e) => e.payload.actor }),
      at: t.field({ type: 'DateTime', resolve: (e) => new Date(e.payload.at) }),
    }),
  });

  builder.subscriptionFields((t) => ({
    taskAssigned: t.field({
      authScopes: { roles: [...STAFF] },
      type: EventRef,
      description: 'Tasks assigned to the viewer, as they are dispatched or handed over. With `since`, those after that event id first.',
      args: { since: t.arg.id({ required: false }) },
      subscribe: (_root, args, ctx) => watchTasks(ctx, { topics: [taskAssigned], since: args.since, own: true }),
      resolve: (event) => event,
    }),
    gridTaskEvents: t.field({
      authScopes: { roles: [...STAFF] },
      type: EventRef,
      description: 'Every task change in the viewer’s grid (dispatch, each transition, overdue).',
      args: { since: t.arg.id({ required: false }), cellCode: t.arg.string({ required: false, description: 'a cell and every cell under it' }) },
      subscribe: (_root, args, ctx) => watchTasks(ctx, { topics: TASK_TOPICS, since: args.since, own: false, cellCode: args.cellCode ?? undefined }),
      resolve: (event) => event,
    }),
  }));
}
