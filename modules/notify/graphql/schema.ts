import type { HubBuilder } from '../../../src/graphql/builder';
import type { HubContext } from '../../../src/graphql/context';
import { parseSince, subscribeEvents } from '../../../src/events/graphql';
import type { HubEvent } from '../../../src/events/topics';
import { pageOf } from '../../../src/graphql/pagination';
import { ValidationError } from '../../../src/errors';
import { zhValues } from '../../../src/graphql/zh';
import { notificationAdded, type NotificationEventPayload } from '../events';
import { notifyServiceRef } from '../public';
import { NOTIFICATION_KINDS, type DeadLetter, type Notification } from '../service/notify-service';

const SIGNED_IN = ['admin', 'district', 'town', 'assistant', 'enterprise'] as const;
const MAX_MARK = 100;

async function* watchOwn(ctx: HubContext, since: string | number | null | undefined): AsyncGenerator<HubEvent<NotificationEventPayload>> {
  const subject = ctx.viewer.subject;
  yield* subscribeEvents<NotificationEventPayload>(ctx, {
    topics: [notificationAdded],
    since: parseSince(since),
    filter: (event) => subject !== undefined && event.payload.recipient === subject,
  });
}

/** The in-app channel: the viewer's own notifications, live ones, marking read; dead letters for administrators. */
export function registerNotifySchema(builder: HubBuilder): void {
  const Kind = builder.enumType('NotificationKind', {
    values: zhValues(NOTIFICATION_KINDS, {
      TASK_ASSIGNED: '新任务派发',
      TASK_OVERDUE: '任务逾期',
      TASK_RETURNED: '任务退回',
      OA_APPROVAL_PENDING: '公文流程待审批',
      INCIDENT_DISPATCHED: '应急调派',
    }),
  });
  const NotificationRef = builder.objectRef<Notification>('Notification').implement({
    description: 'A message for one person (消息通知): in the app here, and through the SMS/push gateway when one is configured.',
    fields: (t) => ({
      id: t.id({ description: 'pass it to markNotificationsRead', resolve: (n) => String(n.id) }),
      kind: t.field({ type: Kind, resolve: (n) => n.kind }),
      title: t.exposeString('title'),
      body: t.exposeString('body'),
      subjectType: t.string({ description: 'what it is about, e.g. GridTask', resolve: (n) => n.subject.type }),
      subjectId: t.id({
        description: 'the global id of what it is about (node(id))',
        resolve: (n) => Buffer.from(`${n.subject.type}:${n.subject.id}`).toString('base64'),
      }),
      createdAt: t.field({ type: 'DateTime', resolve: (n) => n.createdAt }),
      readAt: t.field({ type: 'DateTime', nullable: true, resolve: (n) => n.readAt }),
    }),
  });
  const DeadLetterRef = builder.objectRef<DeadLetter>('NotificationDeadLetter').implement({
    description: 'A notification the gateway webhook did not take after every attempt.',
    fields: (t) => ({
      notification: t.field({ type: NotificationRef, resolve: (d) => d.notification }),
      recipient: t.string({ resolve: (d) => d.notification.recipient }),
      attempts: t.exposeInt('attempts'),
      lastError: t.exposeString('lastError', { nullable: true, description: 'e.g. HTTP 503, timed out, connection failed' }),
    }),
  });

  builder.queryFields((t) => ({
    myNotifications: t.connection({
      authScopes: { roles: [...SIGNED_IN] },
      type: NotificationRef,
      description: 'The viewer’s own notifications, newest first.',
      args: { unreadOnly: t.arg.boolean({ required: false }) },
      resolve: async (_root, args, ctx) => {
        const filter = { unreadOnly: args.unreadOnly ?? false };
        const service = ctx.services.get(notifyServiceRef);
        return pageOf(args, 'descending', (window) => service.mine(ctx.viewer, filter, window), {
          idOf: (n) => n.id,
          count: () => service.countMine(ctx.viewer, filter),
        });
      },
    }),
    notificationDeadLetters: t.connection({
      authScopes: { roles: ['admin'] },
      type: DeadLetterRef,
      description: 'Notifications the gateway webhook gave up on, newest first.',
      resolve: async (_root, args, ctx) => {
        const service = ctx.services.get(notifyServiceRef);
        return pageOf(args, 'descending', (window) => service.deadLetters(window), { idOf: (d) => d.notification.id, count: () => service.countDeadLetters() });
      },
    }),
  }));

  builder.mutationFields((t) => ({
    markNotificationsRead: t.int({
      authScopes: { roles: [...SIGNED_IN] },
      description: `Marks the viewer’s own notifications read: those named (at most ${MAX_MARK}), or all with \`all: true\`. Returns how many changed.`,
      args: { ids: t.arg.idList({ required: false }), all: t.arg.boolean({ required: false }) },
      resolve: (_root, args, ctx) => {
        if (!args.all && !args.ids) throw new ValidationError([{ path: 'ids', message: 'name the notifications, or pass all: true' }]);
        const ids = args.all
          ? null
          : (args.ids ?? []).map((id) => {
              const n = Number(id);
              if (!Number.isSafeInteger(n) || n <= 0)
                throw new ValidationError([{ path: 'ids', message: `"${String(id).slice(0, 40)}" is not a notification id` }]);
              return n;
            });
        return ctx.services.get(notifyServiceRef).markRead(ctx.viewer, ids);
      },
    }),
    retryNotificationDelivery: t.field({
      authScopes: { roles: ['admin'] },
      type: DeadLetterRef,
      description: 'Sends a dead letter to the gateway again, with a fresh set of attempts.',
      args: { id: t.arg.id({ required: true, description: 'the notification id' }) },
      resolve: (_root, args, ctx) => {
        const id = Number(args.id);
        if (!Number.isSafeInteger(id) || id <= 0) throw new ValidationError([{ path: 'id', message: 'not a notification id' }]);
        return ctx.services.get(notifyServiceRef).retryDeadLetter(id);
      },
    }),
  }));

  builder.subscriptionFields((t) => ({
    myNotificationAdded: t.field({
      authScopes: { roles: [...SIGNED_IN] },
      type: NotificationRef,
      nullable: true,
      description: 'The viewer’s notifications as they are added. With `since` (an event id), those after it first.',
      args: { since: t.arg.id({ required: false }) },
      subscribe: (_root, args, ctx) => watchOwn(ctx, args.since),
      resolve: async (event, _args, ctx) => (await ctx.services.get(notifyServiceRef).byIds(ctx.viewer, [event.payload.id]))[0] ?? null,
    }),
  }));
}
