import type { HubBuilder } from '../../../src/graphql/builder';
import type { HubContext } from '../../../src/graphql/context';
import { parseSince, subscribeEvents } from '../../../src/events/graphql';
import type { HubEvent } from '../../../src/events/topics';
import { OA_TOPICS, type InboxAudience } from '../events';
import { oaServiceRef } from '../public';
import { concerns, type Inbox } from '../service/inbox';
import { STAFF_ONLY } from './ids';
import { OaNoticeRef, OaSupervisedTaskRef, OaWorkflowInstanceRef } from './refs';
import { boundedList } from '../../../src/graphql/cost/declare';
import { MAX_INBOX_ITEMS } from '../service/inbox';

const DEFAULT_INBOX = 50;

/** The events that changed the viewer's inbox, after `since`, then live. */
async function* inboxChanges(ctx: HubContext, since: string | number | null | undefined): AsyncGenerator<HubEvent<{ audience: InboxAudience }>> {
  const after = parseSince(since);
  const actor = await ctx.services.get(oaServiceRef).actor(ctx.viewer);
  yield* subscribeEvents<{ audience: InboxAudience }>(ctx, {
    topics: OA_TOPICS,
    since: after,
    filter: (event) => concerns(actor, event.payload.audience),
  });
}

/** `myInbox` and its subscription. */
export function registerInboxSchema(builder: HubBuilder): void {
  const InboxRef = builder.objectRef<Inbox>('OaInbox').implement({
    description: 'What waits for the viewer’s action: approval steps, unread notices, open supervised tasks of their organisation.',
    fields: (t) => ({
      approvals: t.field({
        extensions: boundedList(MAX_INBOX_ITEMS),
        type: [OaWorkflowInstanceRef],
        description: 'steps waiting for the viewer, the nearest deadline first',
        resolve: (i) => i.approvals,
      }),
      approvalCount: t.exposeInt('approvalCount'),
      notices: t.field({
        extensions: boundedList(MAX_INBOX_ITEMS),
        type: [OaNoticeRef],
        description: 'unread notices addressed to the viewer, newest first',
        resolve: (i) => i.notices,
      }),
      noticeCount: t.exposeInt('noticeCount'),
      supervisedTasks: t.field({
        extensions: boundedList(MAX_INBOX_ITEMS),
        type: [OaSupervisedTaskRef],
        description: 'open tasks of the viewer’s organisation, the nearest deadline first',
        resolve: (i) => i.tasks,
      }),
      supervisedTaskCount: t.exposeInt('taskCount'),
      total: t.int({ resolve: (i) => i.approvalCount + i.noticeCount + i.taskCount }),
    }),
  });

  const ChangeRef = builder.objectRef<HubEvent<{ audience: InboxAudience }>>('OaInboxChange').implement({
    fields: (t) => ({
      eventId: t.id({ description: 'outbox id: pass it as `since` after a reconnect', resolve: (e) => String(e.id) }),
      topic: t.string({ description: 'e.g. oa.workflow.acted, oa.notice.published, oa.supervision.escalated', resolve: (e) => e.topic }),
      occurredAt: t.field({ type: 'DateTime', resolve: (e) => e.occurredAt }),
      inbox: t.field({
        type: InboxRef,
        description: 'the viewer’s inbox as it is now',
        args: { first: t.arg.int({ required: false }) },
        resolve: (_e, args, ctx) => ctx.services.get(oaServiceRef).inbox(ctx.viewer, args.first ?? DEFAULT_INBOX),
      }),
    }),
  });

  builder.queryFields((t) => ({
    myInbox: t.field({
      authScopes: STAFF_ONLY,
      type: InboxRef,
      description: 'Everything waiting for the viewer, each list at most `first` (default 50, at most 100) with its full count.',
      args: { first: t.arg.int({ required: false }) },
      resolve: (_root, args, ctx) => ctx.services.get(oaServiceRef).inbox(ctx.viewer, args.first ?? DEFAULT_INBOX),
    }),
  }));

  builder.subscriptionFields((t) => ({
    myInboxChanged: t.field({
      authScopes: STAFF_ONLY,
      type: ChangeRef,
      description: 'Each OA event that changes the viewer’s inbox. With `since`, those after that event id first.',
      args: { since: t.arg.id({ required: false }) },
      subscribe: (_root, args, ctx) => inboxChanges(ctx, args.since),
      resolve: (event) => event,
    }),
  }));
}
