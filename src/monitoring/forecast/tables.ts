import { sql } from 'drizzle-orm';
import { doublePrecision, index, integer, pgTable, serial, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { monitors } from '../tables';

/**
 * Forecast warnings (预报预警): one row per spell during which a series' forecast gave at least
 * FORECAST_WARNING_PROBABILITY of crossing its limit. Kept apart from exceedance episodes, which
 * record what was measured; a forecast warning records what was expected, and an exceedance
 * episode (or its 80 % warning band) may be open at the same time.
 */
export const forecastWarnings = pgTable(
  'monitoring_forecast_warnings',
  {
    id: serial('id').primaryKey(),
    monitorId: integer('monitor_id')
      .notNull()
      .references(() => monitors.id, { onDelete: 'cascade' }),
    factor: text('factor').notNull(),
    interval: text('interval').notNull(),
    status: text('status').notNull(),
    openedAt: timestamp('opened_at', { withTimezone: true }).notNull(),
    /** the first hour the forecast expected outside the limit when it opened */
    expectedAt: timestamp('expected_at', { withTimezone: true }).notNull(),
    probability: doublePrecision('probability').notNull(),
    expectedValue: doublePrecision('expected_value').notNull(),
    method: text('method').notNull(),
    closedAt: timestamp('closed_at', { withTimezone: true }),
    /** FORECAST_FELL (the forecast went back below) or EXCEEDED (the real exceedance came) */
    closeReason: text('close_reason'),
    limitUpper: doublePrecision('limit_upper'),
    limitLower: doublePrecision('limit_lower'),
  },
  (t) => [
    uniqueIndex('monitoring_forecast_warnings_one_open_key')
      .on(t.monitorId, t.factor, t.interval)
      .where(sql`status = 'OPEN'`),
    index('monitoring_forecast_warnings_opened_idx').on(t.openedAt),
  ],
);
