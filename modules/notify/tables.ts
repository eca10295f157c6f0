import { bigint, index, integer, jsonb, pgTable, serial, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

/**
 * The per-person notification outbox: one row per person and event. The unique source key makes
 * an event delivered twice by the bus (at least once) one notification.
 */
export const notifyNotifications = pgTable(
  'notify_notifications',
  {
    id: serial('id').primaryKey(),
    /** the token subject of the person it is for */
    recipient: text('recipient').notNull(),
    kind: text('kind').notNull(),
    title: text('title').notNull(),
    body: text('body').notNull(),
    /** what it is about, e.g. { "type": "GridTask", "id": 12 } */
    subject: jsonb('subject').notNull(),
    sourceEventId: bigint('source_event_id', { mode: 'number' }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    readAt: timestamp('read_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('notify_notifications_source_idx').on(t.sourceEventId, t.recipient, t.kind),
    index('notify_notifications_recipient_idx').on(t.recipient, t.id),
  ],
);

/**
 * Webhook delivery of each notification to the bureau's SMS/push gateway: PENDING until the
 * gateway answers 2xx (DELIVERED) or the attempts run out (DEAD, the dead-letter list).
 */
export const notifyDeliveries = pgTable(
  'notify_deliveries',
  {
    notificationId: integer('notification_id')
      .primaryKey()
      .references(() => notifyNotifications.id),
    status: text('status').notNull(),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull(),
    lastError: text('last_error'),
    deliveredAt: timestamp('delivered_at', { withTimezone: true }),
  },
  (t) => [index('notify_deliveries_due_idx').on(t.status, t.nextAttemptAt)],
);
