import { index, integer, jsonb, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * Where forwarding to an upper platform stands, per target and monitor: the last upload the
 * target acknowledged, as its readings' position in the monitor's arrival order (received_at,
 * then interval and data time). Everything after it is still to send.
 */
export const forwardCursors = pgTable(
  'hj212_forward_cursors',
  {
    target: text('target').notNull(),
    monitorId: integer('monitor_id').notNull(),
    receivedAt: timestamp('received_at', { withTimezone: true, precision: 6 }).notNull(),
    interval: text('interval').notNull(),
    time: timestamp('time', { withTimezone: true }).notNull(),
    acknowledgedAt: timestamp('acknowledged_at', { withTimezone: true }),
    /** the monitor's 2021 facility status the target last acknowledged (state: sent when it changes) */
    statusForwarded: jsonb('status_forwarded'),
    /** the monitor's 2081 restart time the target last acknowledged */
    restartForwarded: timestamp('restart_forwarded', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.target, t.monitorId] }), index('hj212_forward_cursors_monitor_idx').on(t.monitorId)],
);

/** One instance forwards to a target at a time: the one holding its lease. */
export const forwardLeases = pgTable('hj212_forward_leases', {
  target: text('target').primaryKey(),
  ownerInstance: text('owner_instance').notNull(),
  leaseUntil: timestamp('lease_until', { withTimezone: true }).notNull(),
});

/**
 * When the hub first ran with each target: a monitor the target's `since` does not place starts
 * with what was stored from then on, whenever it was added to the target.
 */
export const forwardTargets = pgTable('hj212_forward_targets', {
  target: text('target').primaryKey(),
  configuredAt: timestamp('configured_at', { withTimezone: true }).notNull().defaultNow(),
});
