import { and, asc, desc, eq, ne, sql } from 'drizzle-orm';
import type { Viewer } from '../../../src/auth/viewer';
import { json } from '../../../src/db';
import { ValidationError } from '../../../src/errors';
import type { InboxAudience } from '../events';
import { oaNotices, oaSupervisedTasks, oaWorkflowInstances } from '../tables';
import { actorOf, type Actor } from './access';
import type { OaDeps } from './deps';
import { addressedTo, unreadBy } from './notices';
import { toInstance, toNotice, toSupervisedTask } from './rows';
import type { OaNotice, OaSupervisedTask, OaWorkflowInstance } from './types';

export const MAX_INBOX_ITEMS = 100;

/** What waits for the viewer: each list bounded, each with its full count. */
export interface Inbox {
  approvals: OaWorkflowInstance[];
  approvalCount: number;
  notices: OaNotice[];
  noticeCount: number;
  tasks: OaSupervisedTask[];
  taskCount: number;
}

/**
 * The viewer's inbox in three statements whatever it holds: approval steps waiting for them,
 * notices addressed to them they have not read, open supervised tasks of their organisation.
 */
export async function myInbox(deps: OaDeps, viewer: Viewer, limit: number): Promise<Inbox> {
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_INBOX_ITEMS)
    throw new ValidationError([{ path: 'first', message: `must be between 1 and ${MAX_INBOX_ITEMS}` }]);
  const actor = await actorOf(deps, viewer);
  const total = sql<number>`count(*) OVER ()`;
  const [approvals, notices, tasks] = await Promise.all([
    deps.db.orm
      .select({ row: oaWorkflowInstances, total })
      .from(oaWorkflowInstances)
      .where(and(eq(oaWorkflowInstances.status, 'RUNNING'), sql`${oaWorkflowInstances.pendingSubjects} @> ${json([actor.subject])}`))
      .orderBy(asc(oaWorkflowInstances.stepDeadline), asc(oaWorkflowInstances.id))
      .limit(limit),
    deps.db.orm
      .select({ row: oaNotices, total })
      .from(oaNotices)
      .where(and(ne(oaNotices.publisher, actor.subject), addressedTo(actor), unreadBy(actor)))
      .orderBy(desc(oaNotices.id))
      .limit(limit),
    actor.organisation
      ? deps.db.orm
          .select({ row: oaSupervisedTasks, total })
          .from(oaSupervisedTasks)
          .where(and(eq(oaSupervisedTasks.ownerOrganisation, actor.organisation), ne(oaSupervisedTasks.status, 'COMPLETED')))
          .orderBy(asc(oaSupervisedTasks.deadline), asc(oaSupervisedTasks.id))
          .limit(limit)
      : Promise.resolve([]),
  ]);
  return {
    approvals: approvals.map((r) => toInstance(r.row)),
    approvalCount: Number(approvals[0]?.total ?? 0),
    notices: notices.map((r) => toNotice(r.row)),
    noticeCount: Number(notices[0]?.total ?? 0),
    tasks: tasks.map((r) => toSupervisedTask(r.row)),
    taskCount: Number(tasks[0]?.total ?? 0),
  };
}

/** Whether an OA event changes this actor's inbox. */
export function concerns(actor: Actor, audience: InboxAudience): boolean {
  return (
    audience.subjects.includes(actor.subject) ||
    (actor.organisation !== null && audience.organisations.includes(actor.organisation)) ||
    audience.roles.some((role) => (actor.roles as readonly string[]).includes(role))
  );
}
