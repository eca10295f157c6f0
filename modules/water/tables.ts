import { sql } from 'drizzle-orm';
import { boolean, doublePrecision, index, integer, jsonb, pgTable, serial, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

/**
 * A centralised drinking-water source. The target class is stored resolved: from the protection
 * zone (first-level II, second-level III) unless one was set explicitly, so evaluation never has
 * to re-derive it.
 */
export const waterSources = pgTable(
  'water_sources',
  {
    id: serial('id').primaryKey(),
    code: text('code').notNull(),
    name: text('name').notNull(),
    /** RIVER or LAKE (lakes and reservoirs): TP limits differ and TN is classed for lakes only */
    waterbody: text('waterbody').notNull(),
    protectionZone: text('protection_zone'),
    targetClass: text('target_class').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('water_sources_code_key').on(t.code)],
);

/**
 * An automatic water-quality station at a source. Its readings live in the monitoring core under
 * `monitorId`; the MN is kept too so the station can be named to devices and upstream platforms
 * without a lookup.
 */
export const waterStations = pgTable(
  'water_stations',
  {
    id: serial('id').primaryKey(),
    code: text('code').notNull(),
    name: text('name').notNull(),
    sourceId: integer('source_id')
      .notNull()
      .references(() => waterSources.id, { onDelete: 'cascade' }),
    cellCode: text('cell_code').notNull(),
    longitude: doublePrecision('longitude'),
    latitude: doublePrecision('latitude'),
    monitorId: integer('monitor_id').notNull(),
    mn: text('mn').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('water_stations_code_key').on(t.code),
    uniqueIndex('water_stations_monitor_key').on(t.monitorId),
    index('water_stations_source_idx').on(t.sourceId),
    index('water_stations_cell_idx').on(t.cellCode),
  ],
);

/**
 * The episode evaluator's cursor: the newest hour evaluated per station. Advancing it is the
 * idempotency key — an hour is applied to a station's episodes once, and never after a later one.
 */
export const waterStationChecks = pgTable('water_station_checks', {
  stationId: integer('station_id')
    .primaryKey()
    .references(() => waterStations.id, { onDelete: 'cascade' }),
  lastHour: timestamp('last_hour', { withTimezone: true }).notNull(),
  lastClass: text('last_class'),
  lastMeetsTarget: boolean('last_meets_target'),
  checkedAt: timestamp('checked_at', { withTimezone: true }).notNull(),
});

/**
 * A spell of hours in which a station's water was worse than its target class. Station, source
 * and cell are copied in so that lists and live events filter and scope without a join.
 */
export const waterEpisodes = pgTable(
  'water_episodes',
  {
    id: serial('id').primaryKey(),
    stationId: integer('station_id')
      .notNull()
      .references(() => waterStations.id, { onDelete: 'cascade' }),
    stationCode: text('station_code').notNull(),
    sourceCode: text('source_code').notNull(),
    cellCode: text('cell_code').notNull(),
    status: text('status').notNull(),
    /** start of the first hour in breach */
    openedAt: timestamp('opened_at', { withTimezone: true }).notNull(),
    /** start of the latest hour in breach */
    lastBreachAt: timestamp('last_breach_at', { withTimezone: true }).notNull(),
    /** start of the first hour back within the target */
    closedAt: timestamp('closed_at', { withTimezone: true }),
    breachHours: integer('breach_hours').notNull(),
    targetClass: text('target_class').notNull(),
    /** the class of the latest hour in breach */
    currentClass: text('current_class').notNull(),
    worstClass: text('worst_class').notNull(),
    /** the failing items of the latest hour in breach */
    failingItems: jsonb('failing_items').notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('water_episodes_one_open_key')
      .on(t.stationId)
      .where(sql`status = 'OPEN'`),
    index('water_episodes_station_idx').on(t.stationId, t.openedAt),
    index('water_episodes_cell_idx').on(t.cellCode),
  ],
);
