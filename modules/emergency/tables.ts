import { boolean, doublePrecision, index, integer, jsonb, pgTable, serial, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import type { IncidentCriteria } from './levels';

/**
 * Environmental emergencies (突发环境事件). Linked episodes, sources and cameras belong to other
 * modules and are kept as short id lists; `origin_exceedance_id` is the episode that opened a
 * proposed incident on its own, unique so that a redelivered event opens nothing more.
 */
export const emergencyIncidents = pgTable(
  'emergency_incidents',
  {
    id: serial('id').primaryKey(),
    title: text('title').notNull(),
    type: text('type').notNull(),
    description: text('description'),
    level: text('level').notNull(),
    criteria: jsonb('criteria').$type<IncidentCriteria>().notNull(),
    warningColour: text('warning_colour').notNull(),
    status: text('status').notNull(),
    proposed: boolean('proposed').notNull().default(false),
    longitude: doublePrecision('longitude'),
    latitude: doublePrecision('latitude'),
    address: text('address'),
    cellCode: text('cell_code'),
    reporterSubject: text('reporter_subject').notNull(),
    reporterName: text('reporter_name'),
    occurredAt: timestamp('occurred_at', { withTimezone: true }),
    reportedAt: timestamp('reported_at', { withTimezone: true }).notNull(),
    reportedUpwardAt: timestamp('reported_upward_at', { withTimezone: true }),
    reportedUpwardBy: text('reported_upward_by'),
    closedAt: timestamp('closed_at', { withTimezone: true }),
    exceedanceIds: jsonb('exceedance_ids').$type<number[]>().notNull(),
    sourceUsccs: jsonb('source_usccs').$type<string[]>().notNull(),
    cameraIds: jsonb('camera_ids').$type<string[]>().notNull(),
    originExceedanceId: integer('origin_exceedance_id'),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('emergency_incidents_origin_exceedance_key').on(t.originExceedanceId),
    index('emergency_incidents_cell_idx').on(t.cellCode),
    index('emergency_incidents_status_idx').on(t.status, t.id),
  ],
);

/** Response plans (应急预案): one per incident type and level, with ordered steps. */
export const emergencyPlans = pgTable(
  'emergency_plans',
  {
    id: serial('id').primaryKey(),
    name: text('name').notNull(),
    incidentType: text('incident_type').notNull(),
    level: text('level').notNull(),
    summary: text('summary'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('emergency_plans_type_idx').on(t.incidentType, t.level)],
);

export const emergencyPlanSteps = pgTable(
  'emergency_plan_steps',
  {
    id: serial('id').primaryKey(),
    planId: integer('plan_id')
      .notNull()
      .references(() => emergencyPlans.id, { onDelete: 'cascade' }),
    position: integer('position').notNull(),
    title: text('title').notNull(),
    ownerRole: text('owner_role').notNull(),
    description: text('description'),
  },
  (t) => [uniqueIndex('emergency_plan_steps_position_key').on(t.planId, t.position)],
);

/** A plan's steps once activated on an incident: trackable, done by someone at some time. */
export const emergencyActions = pgTable(
  'emergency_actions',
  {
    id: serial('id').primaryKey(),
    incidentId: integer('incident_id')
      .notNull()
      .references(() => emergencyIncidents.id, { onDelete: 'cascade' }),
    planId: integer('plan_id')
      .notNull()
      .references(() => emergencyPlans.id),
    position: integer('position').notNull(),
    title: text('title').notNull(),
    ownerRole: text('owner_role').notNull(),
    status: text('status').notNull(),
    doneBy: text('done_by'),
    doneByName: text('done_by_name'),
    doneAt: timestamp('done_at', { withTimezone: true }),
    note: text('note'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [uniqueIndex('emergency_actions_step_key').on(t.incidentId, t.planId, t.position)],
);

/** Teams, experts, equipment and supplies the district can send. */
export const emergencyResources = pgTable(
  'emergency_resources',
  {
    id: serial('id').primaryKey(),
    kind: text('kind').notNull(),
    name: text('name').notNull(),
    description: text('description'),
    quantity: integer('quantity').notNull(),
    unit: text('unit'),
    longitude: doublePrecision('longitude').notNull(),
    latitude: doublePrecision('latitude').notNull(),
    cellCode: text('cell_code'),
    contactName: text('contact_name'),
    contactPhone: text('contact_phone'),
    available: boolean('available').notNull().default(true),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('emergency_resources_available_idx').on(t.available, t.kind)],
);

/** A resource sent to an incident: issued, acknowledged by the resource, arrived on site. */
export const emergencyOrders = pgTable(
  'emergency_orders',
  {
    id: serial('id').primaryKey(),
    incidentId: integer('incident_id')
      .notNull()
      .references(() => emergencyIncidents.id, { onDelete: 'cascade' }),
    resourceId: integer('resource_id')
      .notNull()
      .references(() => emergencyResources.id),
    quantity: integer('quantity').notNull(),
    instructions: text('instructions'),
    issuedBy: text('issued_by').notNull(),
    issuedAt: timestamp('issued_at', { withTimezone: true }).notNull(),
    acknowledgedAt: timestamp('acknowledged_at', { withTimezone: true }),
    arrivedAt: timestamp('arrived_at', { withTimezone: true }),
  },
  (t) => [index('emergency_orders_incident_idx').on(t.incidentId)],
);

/** Everything that happened to an incident, in order, with who and when. */
export const emergencyTimeline = pgTable(
  'emergency_timeline',
  {
    id: serial('id').primaryKey(),
    incidentId: integer('incident_id')
      .notNull()
      .references(() => emergencyIncidents.id, { onDelete: 'cascade' }),
    kind: text('kind').notNull(),
    summary: text('summary').notNull(),
    detail: jsonb('detail').$type<Record<string, unknown>>(),
    actor: text('actor').notNull(),
    actorName: text('actor_name'),
    at: timestamp('at', { withTimezone: true }).notNull(),
  },
  (t) => [index('emergency_timeline_incident_idx').on(t.incidentId, t.id)],
);
