import { bigint, bigserial, index, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/** The durable outbox: every event the hub publishes, in commit order (see bus.ts). */
export const hubEvents = pgTable(
  'hub_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    topic: text('topic').notNull(),
    payload: jsonb('payload').notNull(),
    occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index('hub_events_topic_id_idx').on(table.topic, table.id)],
);

/**
 * Where each module worker has got to: it resumes from here after a restart. One instance at a
 * time works through a consumer's events: it holds the lease while it does, renewing it as it goes.
 */
export const hubConsumers = pgTable('hub_consumers', {
  name: text('name').primaryKey(),
  lastEventId: bigint('last_event_id', { mode: 'number' }).notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  ownerInstance: text('owner_instance'),
  leaseUntil: timestamp('lease_until', { withTimezone: true }),
});
