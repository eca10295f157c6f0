import { bigint, bigserial, boolean, index, integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * The hub instances running on this database, each refreshing its heartbeat; one that stops
 * refreshing (a crash, a lost machine) counts as gone after a while, and what it held with it.
 */
export const hubInstances = pgTable('hub_instances', {
  id: text('id').primaryKey(),
  hostname: text('hostname').notNull(),
  pid: integer('pid').notNull(),
  version: text('version').notNull(),
  startedAt: timestamp('started_at', { withTimezone: true }).notNull().defaultNow(),
  heartbeatAt: timestamp('heartbeat_at', { withTimezone: true }).notNull().defaultNow(),
});

/** Periodic jobs that run once across instances: the newest period claimed, by whom, and whether it ended (see scheduler.ts). */
export const hubJobs = pgTable('hub_jobs', {
  name: text('name').primaryKey(),
  period: bigint('period', { mode: 'number' }).notNull(),
  instanceId: text('instance_id').notNull(),
  startedAt: timestamp('started_at', { withTimezone: true }).notNull(),
  leaseUntil: timestamp('lease_until', { withTimezone: true }).notNull(),
  finishedAt: timestamp('finished_at', { withTimezone: true }),
  failed: boolean('failed'),
});

/** Which instance holds each connected device's TCP connection: commands are routed there. */
export const hubDeviceSessions = pgTable('hub_device_sessions', {
  mn: text('mn').primaryKey(),
  instanceId: text('instance_id').notNull(),
  connectedAt: timestamp('connected_at', { withTimezone: true }).notNull().defaultNow(),
});

/**
 * A command for a device connected to another instance: the instance holding the device sends it
 * and writes the device's answer (or why there was none) back into the row.
 */
export const hubDeviceCommands = pgTable(
  'hub_device_commands',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    mn: text('mn').notNull(),
    targetInstance: text('target_instance').notNull(),
    originInstance: text('origin_instance').notNull(),
    request: jsonb('request').notNull(),
    /** PENDING -> SENDING -> DONE | FAILED; EXPIRED when the origin gave up waiting */
    status: text('status').notNull().default('PENDING'),
    result: jsonb('result'),
    errorCode: text('error_code'),
    errorMessage: text('error_message'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
  },
  (table) => [index('hub_device_commands_target_status_idx').on(table.targetInstance, table.status)],
);
