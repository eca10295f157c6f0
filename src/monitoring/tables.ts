import { sql } from 'drizzle-orm';
import { doublePrecision, index, integer, jsonb, pgTable, serial, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

/**
 * A monitor is anything that reports readings: an outlet's analyser, an air or water station.
 * The owning module and entity say whose it is; `enterpriseUscc` and `cellCode` carry the row
 * scope so that every query can filter without joining another module's tables.
 */
export const monitors = pgTable(
  'monitoring_monitors',
  {
    id: serial('id').primaryKey(),
    mn: text('mn').notNull(),
    passwordHash: text('password_hash').notNull(),
    name: text('name').notNull(),
    kind: text('kind').notNull(),
    ownerModule: text('owner_module'),
    ownerId: text('owner_id'),
    enterpriseUscc: text('enterprise_uscc'),
    cellCode: text('cell_code'),
    longitude: doublePrecision('longitude'),
    latitude: doublePrecision('latitude'),
    intervalSeconds: integer('interval_seconds').notNull(),
    status: text('status').notNull().default('UNKNOWN'),
    lastDataAt: timestamp('last_data_at', { withTimezone: true }),
    statusChangedAt: timestamp('status_changed_at', { withTimezone: true }),
    facilityStatus: jsonb('facility_status'),
    restartedAt: timestamp('restarted_at', { withTimezone: true }),
    /** factor code -> unit, where a device reports in a unit other than the catalog's */
    units: jsonb('units').$type<Record<string, string>>(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('monitoring_monitors_mn_key').on(t.mn),
    index('monitoring_monitors_enterprise_idx').on(t.enterpriseUscc),
    index('monitoring_monitors_cell_idx').on(t.cellCode),
    index('monitoring_monitors_owner_idx').on(t.ownerModule, t.ownerId),
  ],
);

/**
 * Limits keep their history: a change closes the old row (`validTo`) and adds a new one, and a
 * reading is judged by the limit valid at its own time. A row without monitor is the default for
 * every monitor of its kind.
 */
export const limits = pgTable(
  'monitoring_limits',
  {
    id: serial('id').primaryKey(),
    monitorId: integer('monitor_id').references(() => monitors.id, { onDelete: 'cascade' }),
    monitorKind: text('monitor_kind'),
    factor: text('factor').notNull(),
    period: text('period').notNull(),
    basis: text('basis').notNull().default('RAW'),
    upper: doublePrecision('upper'),
    lower: doublePrecision('lower'),
    warningRatio: doublePrecision('warning_ratio').notNull().default(0.8),
    standard: text('standard'),
    validFrom: timestamp('valid_from', { withTimezone: true }).notNull(),
    validTo: timestamp('valid_to', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('monitoring_limits_monitor_idx').on(t.monitorId, t.factor, t.period),
    index('monitoring_limits_kind_idx').on(t.monitorKind, t.factor, t.period),
  ],
);

/**
 * The readings hypertable (on TimescaleDB; a plain table elsewhere). Narrow rows, unique on the
 * series and time, so a retransmitted packet changes nothing. No surrogate key: a hypertable's
 * unique keys must include its time column.
 */
export const readings = pgTable(
  'monitoring_readings',
  {
    time: timestamp('time', { withTimezone: true }).notNull(),
    monitorId: integer('monitor_id').notNull(),
    factor: text('factor').notNull(),
    interval: text('interval').notNull(),
    value: doublePrecision('value'),
    converted: doublePrecision('converted'),
    flag: text('flag'),
    /** minute, hour and day uploads: the period's minimum, maximum and cumulative amount (HJ 212 -Min, -Max, -Cou) */
    min: doublePrecision('min'),
    max: doublePrecision('max'),
    cou: doublePrecision('cou'),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('monitoring_readings_series_time_key').on(t.monitorId, t.factor, t.interval, t.time),
    // HJ 212 forwarding reads each monitor's readings in the order they were stored
    index('monitoring_readings_arrival_idx').on(t.monitorId, t.receivedAt),
  ],
);

/** The newest reading of each series: what `latestReadings` reads and where evaluation resumes. */
export const series = pgTable(
  'monitoring_series',
  {
    monitorId: integer('monitor_id')
      .notNull()
      .references(() => monitors.id, { onDelete: 'cascade' }),
    factor: text('factor').notNull(),
    interval: text('interval').notNull(),
    lastTime: timestamp('last_time', { withTimezone: true }).notNull(),
    lastValue: doublePrecision('last_value'),
    lastConverted: doublePrecision('last_converted'),
    lastFlag: text('last_flag'),
  },
  (t) => [uniqueIndex('monitoring_series_key').on(t.monitorId, t.factor, t.interval)],
);

/**
 * Exceedance episodes: one row per spell out of bounds, kept open while values stay out. The
 * monitor's kind, owner, enterprise and cell are copied in when it opens, so dashboards filter
 * and scope episodes without a join.
 */
export const exceedances = pgTable(
  'monitoring_exceedances',
  {
    id: serial('id').primaryKey(),
    monitorId: integer('monitor_id')
      .notNull()
      .references(() => monitors.id, { onDelete: 'cascade' }),
    factor: text('factor').notNull(),
    interval: text('interval').notNull(),
    severity: text('severity').notNull(),
    status: text('status').notNull(),
    openedAt: timestamp('opened_at', { withTimezone: true }).notNull(),
    lastOutAt: timestamp('last_out_at', { withTimezone: true }).notNull(),
    closedAt: timestamp('closed_at', { withTimezone: true }),
    peakValue: doublePrecision('peak_value').notNull(),
    peakAt: timestamp('peak_at', { withTimezone: true }).notNull(),
    limitId: integer('limit_id'),
    limitUpper: doublePrecision('limit_upper'),
    limitLower: doublePrecision('limit_lower'),
    basis: text('basis').notNull(),
    monitorKind: text('monitor_kind').notNull(),
    ownerModule: text('owner_module'),
    enterpriseUscc: text('enterprise_uscc'),
    cellCode: text('cell_code'),
    acknowledgedAt: timestamp('acknowledged_at', { withTimezone: true }),
    acknowledgedBy: text('acknowledged_by'),
    acknowledgeNote: text('acknowledge_note'),
  },
  (t) => [
    uniqueIndex('monitoring_exceedances_one_open_key')
      .on(t.monitorId, t.factor, t.interval)
      .where(sql`status = 'OPEN'`),
    index('monitoring_exceedances_series_idx').on(t.monitorId, t.factor, t.interval, t.openedAt),
    index('monitoring_exceedances_opened_idx').on(t.openedAt),
    index('monitoring_exceedances_cell_idx').on(t.cellCode),
  ],
);

/**
 * Daily run time of a treatment facility (HJ 212 2041, `SB<n>-RT`), per monitor and facility id.
 * Unique on the day, so a resent report changes nothing.
 */
export const facilityRunTimes = pgTable(
  'monitoring_facility_run_times',
  {
    monitorId: integer('monitor_id')
      .notNull()
      .references(() => monitors.id, { onDelete: 'cascade' }),
    facility: text('facility').notNull(),
    time: timestamp('time', { withTimezone: true }).notNull(),
    runHours: doublePrecision('run_hours').notNull(),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
  },
  // the arrival index: HJ 212 forwarding reads a monitor's reports in the order they were stored
  (t) => [
    uniqueIndex('monitoring_facility_run_times_key').on(t.monitorId, t.facility, t.time),
    index('monitoring_facility_run_times_arrival_idx').on(t.monitorId, t.receivedAt),
  ],
);
