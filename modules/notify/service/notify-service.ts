import { createHmac } from 'node:crypto';
import type { Logger } from 'pino';
import type { Viewer } from '../../../src/auth/viewer';
import { sql } from 'drizzle-orm';
import { rowsOf, type Database } from '../../../src/db';
import type { EventBus } from '../../../src/events/bus';
import type { HubEvent } from '../../../src/events/topics';
import { ForbiddenError, NotFoundError, ValidationError } from '../../../src/errors';
import { notificationAdded } from '../events';

export const NOTIFICATION_KINDS = ['TASK_ASSIGNED', 'TASK_RETURNED', 'TASK_OVERDUE', 'OA_APPROVAL_PENDING', 'INCIDENT_DISPATCHED'] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

export interface Notification {
  id: number;
  recipient: string;
  kind: NotificationKind;
  title: string;
  body: string;
  subject: { type: string; id: number };
  createdAt: Date;
  readAt: Date | null;
}

export interface DeadLetter {
  notification: Notification;
  attempts: number;
  lastError: string | null;
}

export interface WebhookSettings {
  url: string | undefined;
  secret: string | undefined;
  maxAttempts: number;
  backoffSeconds: number;
}

export interface NotifyDeps {
  db: Database;
  bus: EventBus;
  logger: Logger;
  now: () => Date;
  webhook: WebhookSettings;
}

/** What an event asks to tell whom; the bus's event id keeps a repeat from telling twice. */
export interface NotificationDraft {
  recipient: string;
  kind: NotificationKind;
  title: string;
  body: string;
  subject: { type: string; id: number };
}

/** The gateway answers within this or the attempt counts as failed. */
const WEBHOOK_TIMEOUT_MS = 10_000;
/** Deliveries one run of the webhook job sends. */
const WEBHOOK_BATCH = 20;
/** The longest wait between two attempts, however many failed. */
const MAX_BACKOFF_SECONDS = 6 * 3600;

interface NotificationRow {
  id: number;
  recipient: string;
  kind: NotificationKind;
  title: string;
  body: string;
  subject: { type: string; id: number } | string;
  created_at: Date | string;
  read_at: Date | string | null;
}

const toNotification = (row: NotificationRow): Notification => ({
  id: Number(row.id),
  recipient: row.recipient,
  kind: row.kind,
  title: row.title,
  body: row.body,
  subject: typeof row.subject === 'string' ? (JSON.parse(row.subject) as Notification['subject']) : row.subject,
  createdAt: new Date(row.created_at),
  readAt: row.read_at === null ? null : new Date(row.read_at),
});

const COLUMNS = 'n.id, n.recipient, n.kind, n.title, n.body, n.subject, n.created_at, n.read_at';

/** `sha256=<hex>` over `<timestamp>.<body>`: the gateway recomputes it with the shared secret and checks the time. */
export function signWebhook(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

export function backoffSeconds(attempts: number, baseSeconds: number): number {
  return Math.min(MAX_BACKOFF_SECONDS, baseSeconds * 2 ** Math.max(0, attempts - 1));
}

function ownSubject(viewer: Viewer): string {
  if (!viewer.subject) throw new ForbiddenError('notifications are for signed-in people');
  return viewer.subject;
}

export function createNotifyService(deps: NotifyDeps) {
  const { db } = deps;

  /** Adds the drafts of one event to the outbox (and the webhook queue); a repeated event adds nothing. */
  async function add(event: HubEvent, drafts: readonly NotificationDraft[]): Promise<number> {
    let added = 0;
    for (const draft of drafts) {
      const now = deps.now();
      const ids = await deps.bus.transaction(async (tx, emit) => {
        const rows = await rowsOf<{ id: number }>(
          tx,
          sql`INSERT INTO notify_notifications (recipient, kind, title, body, subject, source_event_id, created_at)
              VALUES (${draft.recipient}, ${draft.kind}, ${draft.title}, ${draft.body}, ${JSON.stringify(draft.subject)}::jsonb, ${event.id}, ${now.toISOString()}::timestamptz)
              ON CONFLICT (source_event_id, recipient, kind) DO NOTHING RETURNING id`,
        );
        const id = rows[0]?.id;
        if (id === undefined) return [];
        if (deps.webhook.url) {
          await tx.execute(
            sql`INSERT INTO notify_deliveries (notification_id, status, attempts, next_attempt_at) VALUES (${id}, 'PENDING', 0, ${now.toISOString()}::timestamptz) ON CONFLICT DO NOTHING`,
          );
        }
        emit(notificationAdded, { id: Number(id), recipient: draft.recipient });
        return [Number(id)];
      });
      added += ids.length;
    }
    return added;
  }

  async function mine(viewer: Viewer, filter: { unreadOnly: boolean }, page: { limit: number; beforeId: number | undefined }): Promise<Notification[]> {
    const rows = await db.query<NotificationRow>(
      `SELECT ${COLUMNS} FROM notify_notifications n
        WHERE n.recipient = $1 AND ($2::boolean IS NOT TRUE OR n.read_at IS NULL) AND ($3::int IS NULL OR n.id < $3)
        ORDER BY n.id DESC LIMIT $4`,
      [ownSubject(viewer), filter.unreadOnly, page.beforeId ?? null, page.limit],
    );
    return rows.map(toNotification);
  }

  async function countMine(viewer: Viewer, filter: { unreadOnly: boolean }): Promise<number> {
    const rows = await db.query<{ n: number | string }>(
      `SELECT count(*) AS n FROM notify_notifications n WHERE n.recipient = $1 AND ($2::boolean IS NOT TRUE OR n.read_at IS NULL)`,
      [ownSubject(viewer), filter.unreadOnly],
    );
    return Number(rows[0]?.n ?? 0);
  }

  async function byIds(viewer: Viewer, ids: readonly number[]): Promise<(Notification | undefined)[]> {
    if (ids.length === 0) return [];
    const rows = await db.query<NotificationRow>(`SELECT ${COLUMNS} FROM notify_notifications n WHERE n.id = ANY($1::int[]) AND n.recipient = $2`, [
      `{${ids.map(Number).join(',')}}`,
      ownSubject(viewer),
    ]);
    const found = new Map(rows.map((row) => [Number(row.id), toNotification(row)]));
    return ids.map((id) => found.get(id));
  }

  /** Marks the viewer's own notifications read: the ones named, or all of them. */
  async function markRead(viewer: Viewer, ids: readonly number[] | null): Promise<number> {
    const recipient = ownSubject(viewer);
    if (ids !== null && ids.length > 100) throw new ValidationError([{ path: 'ids', message: 'at most 100' }]);
    const rows = await db.query<{ id: number }>(
      `UPDATE notify_notifications SET read_at = $1 WHERE recipient = $2 AND read_at IS NULL AND ($3::int[] IS NULL OR id = ANY($3::int[])) RETURNING id`,
      [deps.now().toISOString(), recipient, ids === null ? null : `{${ids.map(Number).join(',')}}`],
    );
    return rows.length;
  }

  async function deadLetters(page: { limit: number; beforeId: number | undefined }): Promise<DeadLetter[]> {
    const rows = await db.query<NotificationRow & { attempts: number; last_error: string | null }>(
      `SELECT ${COLUMNS}, d.attempts, d.last_error FROM notify_deliveries d JOIN notify_notifications n ON n.id = d.notification_id
        WHERE d.status = 'DEAD' AND ($1::int IS NULL OR n.id < $1) ORDER BY n.id DESC LIMIT $2`,
      [page.beforeId ?? null, page.limit],
    );
    return rows.map((row) => ({ notification: toNotification(row), attempts: Number(row.attempts), lastError: row.last_error }));
  }

  async function countDeadLetters(): Promise<number> {
    const rows = await db.query<{ n: number | string }>(`SELECT count(*) AS n FROM notify_deliveries WHERE status = 'DEAD'`);
    return Number(rows[0]?.n ?? 0);
  }

  /** Puts a dead letter back in the queue with a fresh set of attempts. */
  async function retryDeadLetter(id: number): Promise<DeadLetter> {
    const rows = await db.query<{ notification_id: number }>(
      `UPDATE notify_deliveries SET status = 'PENDING', attempts = 0, next_attempt_at = $2 WHERE notification_id = $1 AND status = 'DEAD' RETURNING notification_id`,
      [id, deps.now().toISOString()],
    );
    if (rows.length === 0) throw new NotFoundError('NotificationDeadLetter', String(id));
    const [row] = await db.query<NotificationRow & { attempts: number; last_error: string | null }>(
      `SELECT ${COLUMNS}, d.attempts, d.last_error FROM notify_deliveries d JOIN notify_notifications n ON n.id = d.notification_id WHERE n.id = $1`,
      [id],
    );
    if (!row) throw new NotFoundError('NotificationDeadLetter', String(id));
    return { notification: toNotification(row), attempts: Number(row.attempts), lastError: row.last_error };
  }

  /** One attempt at each due delivery; a failure waits longer each time, the last one makes a dead letter. */
  async function deliverDue(): Promise<number> {
    const { url, secret, maxAttempts, backoffSeconds: base } = deps.webhook;
    if (!url) return 0;
    const due = await db.query<NotificationRow & { attempts: number }>(
      `SELECT ${COLUMNS}, d.attempts FROM notify_deliveries d JOIN notify_notifications n ON n.id = d.notification_id
        WHERE d.status = 'PENDING' AND d.next_attempt_at <= $1 ORDER BY d.next_attempt_at, n.id LIMIT ${WEBHOOK_BATCH}`,
      [deps.now().toISOString()],
    );
    let delivered = 0;
    for (const row of due) {
      const notification = toNotification(row);
      const body = JSON.stringify({
        id: notification.id,
        recipient: notification.recipient,
        kind: notification.kind,
        title: notification.title,
        body: notification.body,
        subject: notification.subject,
        createdAt: notification.createdAt.toISOString(),
      });
      // the attempt's time is when it was sent: the backoff counts from there, however long the gateway took
      const sentAt = deps.now();
      const timestamp = String(Math.floor(sentAt.getTime() / 1000));
      let failure: string | undefined;
      try {
        const response = await fetch(url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'x-envhub-delivery': String(notification.id),
            'x-envhub-timestamp': timestamp,
            ...(secret ? { 'x-envhub-signature': signWebhook(secret, timestamp, body) } : {}),
          },
          body,
          signal: AbortSignal.timeout(WEBHOOK_TIMEOUT_MS),
          redirect: 'error',
        });
        await response.arrayBuffer().catch(() => undefined);
        if (!response.ok) failure = `HTTP ${response.status}`;
      } catch (error) {
        failure = (error as Error).name === 'TimeoutError' ? 'timed out' : 'connection failed';
      }
      const attempts = Number(row.attempts) + 1;
      if (failure === undefined) {
        await db.query(`UPDATE notify_deliveries SET status = 'DELIVERED', attempts = $2, delivered_at = $3, last_error = NULL WHERE notification_id = $1`, [
          notification.id,
          attempts,
          sentAt.toISOString(),
        ]);
        delivered += 1;
      } else if (attempts >= maxAttempts) {
        await db.query(`UPDATE notify_deliveries SET status = 'DEAD', attempts = $2, last_error = $3 WHERE notification_id = $1`, [
          notification.id,
          attempts,
          failure,
        ]);
        deps.logger.warn({ notification: notification.id, attempts, failure }, 'notification webhook gave up: dead letter');
      } else {
        const next = new Date(sentAt.getTime() + backoffSeconds(attempts, base) * 1000);
        await db.query(`UPDATE notify_deliveries SET attempts = $2, last_error = $3, next_attempt_at = $4 WHERE notification_id = $1`, [
          notification.id,
          attempts,
          failure,
          next.toISOString(),
        ]);
      }
    }
    return delivered;
  }

  return { add, mine, countMine, byIds, markRead, deadLetters, countDeadLetters, retryDeadLetter, deliverDue };
}

export type NotifyService = ReturnType<typeof createNotifyService>;
