import { sql } from 'drizzle-orm';
import { doublePrecision, index, integer, jsonb, pgTable, serial, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

/**
 * Air automatic monitoring stations. The station code is the national key (federation, upstream
 * platforms); the serial id only orders pages. The HJ 212 feed is a monitoring-core monitor whose
 * owner is this station: `monitorId` and `mn` point at it, readings live in the core.
 */
export const airStations = pgTable(
  'air_stations',
  {
    id: serial('id').primaryKey(),
    code: text('code').notNull(),
    name: text('name').notNull(),
    level: text('level').notNull(),
    longitude: doublePrecision('longitude'),
    latitude: doublePrecision('latitude'),
    cellCode: text('cell_code'),
    monitorId: integer('monitor_id').notNull(),
    mn: text('mn').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('air_stations_code_key').on(t.code),
    uniqueIndex('air_stations_monitor_key').on(t.monitorId),
    index('air_stations_cell_idx').on(t.cellCode),
  ],
);

/**
 * Air episodes: one spell of a station's hourly AQI above 100, from the first hour above to the
 * first hour back at or below 100. `threshold` is the highest of 100, 200, 300 the spell has
 * passed; `lastHour` is the newest hour evaluated, which makes evaluation idempotent per hour.
 */
export const airEpisodes = pgTable(
  'air_episodes',
  {
    id: serial('id').primaryKey(),
    stationCode: text('station_code').notNull(),
    cellCode: text('cell_code'),
    status: text('status').notNull(),
    threshold: integer('threshold').notNull(),
    openedHour: timestamp('opened_hour', { withTimezone: true }).notNull(),
    lastHour: timestamp('last_hour', { withTimezone: true }).notNull(),
    closedHour: timestamp('closed_hour', { withTimezone: true }),
    lastAqi: integer('last_aqi').notNull(),
    peakAqi: integer('peak_aqi').notNull(),
    peakHour: timestamp('peak_hour', { withTimezone: true }).notNull(),
    peakPrimaryPollutants: jsonb('peak_primary_pollutants').$type<string[]>().notNull(),
    edition: text('edition').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('air_episodes_one_open_key')
      .on(t.stationCode)
      .where(sql`status = 'OPEN'`),
    index('air_episodes_station_idx').on(t.stationCode, t.id),
    index('air_episodes_opened_idx').on(t.openedHour),
  ],
);
