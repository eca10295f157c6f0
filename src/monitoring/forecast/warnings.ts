import { and, eq } from 'drizzle-orm';
import { rowsOf } from '../../db';
import { sql } from 'drizzle-orm';
import type { Scheduler } from '../../scheduler';
import type { MonitoringDeps } from '../deps';
import { pickLimit } from '../evaluate';
import { forecastWarningClosed, forecastWarningOpened, type ForecastWarningPayload } from '../events';
import { limitsFor } from '../limits';
import type { MonitorKind } from '../types';
import { outside } from './backtest';
import { boundsOf, forecastMonitor, type MonitorForecast } from './service';
import { forecastWarnings } from './tables';

interface SeriesRow {
  monitor_id: number;
  factor: string;
  last_time: Date | string;
  mn: string;
  name: string;
  kind: string;
  owner_module: string | null;
  owner_id: string | null;
  enterprise_uscc: string | null;
  cell_code: string | null;
}

type OpenWarning = typeof forecastWarnings.$inferSelect;

/**
 * Works out every hourly series with a limit once: opens a forecast warning where the forecast
 * gives at least FORECAST_WARNING_PROBABILITY of being outside within the horizon, closes one
 * where it no longer does, or where the newest value is already outside (the exceedance itself has
 * come, and its own episode says so). `seen` remembers each series' newest hour, so a series
 * without a new hourly value since the last run is not forecast again: its forecast could not
 * have changed. Returns how many warnings opened and closed.
 */
export async function evaluateForecastWarnings(deps: MonitoringDeps, seen: Map<string, number>): Promise<{ opened: number; closed: number }> {
  const now = deps.now();
  const settings = deps.settings.forecast;
  const series = await rowsOf<SeriesRow>(
    deps.db.orm,
    sql`SELECT s.monitor_id, s.factor, s.last_time, m.mn, m.name, m.kind, m.owner_module, m.owner_id, m.enterprise_uscc, m.cell_code
          FROM monitoring_series s JOIN monitoring_monitors m ON m.id = s.monitor_id
         WHERE s.interval = 'HOUR'`,
  );
  if (series.length === 0) return { opened: 0, closed: 0 };
  const limits = await limitsFor(deps.db.orm, [...new Set(series.map((s) => s.monitor_id))], [...new Set(series.map((s) => s.kind))]);
  const open = new Map<string, OpenWarning>();
  for (const row of await deps.db.orm.select().from(forecastWarnings).where(eq(forecastWarnings.status, 'OPEN')))
    open.set(`${row.monitorId}/${row.factor}`, row);
  let opened = 0;
  let closed = 0;
  for (const row of series) {
    const key = `${row.monitor_id}/${row.factor}`;
    const lastTime = new Date(row.last_time).getTime();
    if (seen.get(key) === lastTime) continue;
    const monitor = { id: row.monitor_id, kind: row.kind as MonitorKind };
    const limit = pickLimit(limits, monitor, row.factor, 'HOUR', now);
    const bounds = boundsOf(limit);
    if (!bounds) continue;
    const forecast = await forecastMonitor(deps, monitor, row.factor, settings.horizonHours);
    seen.set(key, lastTime);
    if (!forecast) continue;
    const current = open.get(key);
    const exceeded = forecast.lastValue !== null && outside(forecast.lastValue, bounds);
    const likely = forecast.points.find((p) => (p.outsideProbability ?? 0) >= settings.warningProbability);
    if (current && (exceeded || !likely)) {
      await closeWarning(deps, row, current, forecast, exceeded ? 'EXCEEDED' : 'FORECAST_FELL');
      closed += 1;
    } else if (!current && !exceeded && likely) {
      await openWarning(deps, row, forecast, likely);
      opened += 1;
    }
  }
  if (opened + closed > 0) deps.logger.info({ opened, closed }, 'forecast warnings');
  return { opened, closed };
}

function payloadOf(row: SeriesRow, warning: OpenWarning, closeReason: string | null, at: Date, value: number): ForecastWarningPayload {
  return {
    exceedanceId: warning.id,
    monitorId: row.monitor_id,
    mn: row.mn,
    monitorName: row.name,
    monitorKind: row.kind as MonitorKind,
    ownerModule: row.owner_module,
    ownerId: row.owner_id,
    enterpriseUscc: row.enterprise_uscc,
    cellCode: row.cell_code,
    factor: row.factor,
    interval: 'HOUR',
    severity: 'FORECAST',
    value,
    peakValue: warning.expectedValue,
    limitUpper: warning.limitUpper,
    limitLower: warning.limitLower,
    at: at.toISOString(),
    probability: warning.probability,
    method: warning.method,
    closeReason,
  };
}

async function openWarning(deps: MonitoringDeps, row: SeriesRow, forecast: MonitorForecast, likely: MonitorForecast['points'][number]): Promise<void> {
  await deps.bus.transaction(async (tx, emit) => {
    const [warning] = await tx
      .insert(forecastWarnings)
      .values({
        monitorId: row.monitor_id,
        factor: row.factor,
        interval: 'HOUR',
        status: 'OPEN',
        openedAt: deps.now(),
        expectedAt: likely.time,
        probability: likely.outsideProbability ?? 0,
        expectedValue: likely.mean,
        method: forecast.method,
        limitUpper: forecast.limit?.upper ?? null,
        limitLower: forecast.limit?.lower ?? null,
      })
      .onConflictDoNothing()
      .returning();
    if (warning) emit(forecastWarningOpened, payloadOf(row, warning, null, likely.time, likely.mean));
  });
}

async function closeWarning(
  deps: MonitoringDeps,
  row: SeriesRow,
  warning: OpenWarning,
  forecast: MonitorForecast,
  reason: 'EXCEEDED' | 'FORECAST_FELL',
): Promise<void> {
  await deps.bus.transaction(async (tx, emit) => {
    const [updated] = await tx
      .update(forecastWarnings)
      .set({ status: 'CLOSED', closedAt: deps.now(), closeReason: reason })
      .where(and(eq(forecastWarnings.id, warning.id), eq(forecastWarnings.status, 'OPEN')))
      .returning();
    if (updated) emit(forecastWarningClosed, payloadOf(row, updated, reason, forecast.issuedFor, forecast.lastValue ?? updated.expectedValue));
  });
}

/**
 * Forecasts every FORECAST_INTERVAL_SECONDS, once per period across instances. Hourly values
 * arrive once an hour, so most runs find nothing new and cost a query or two.
 */
export function startForecastWarnings(scheduler: Scheduler, deps: MonitoringDeps): void {
  const seen = new Map<string, number>();
  scheduler.every({ name: 'monitoring.forecast', everyMs: deps.settings.forecast.intervalSeconds * 1000, run: () => evaluateForecastWarnings(deps, seen) });
}
