import type { MonitoringDeps } from '../deps';
import { pickLimit } from '../evaluate';
import { limitsFor } from '../limits';
import { isValidFlag, type Limit, type Monitor } from '../types';

const HOUR_MS = 3_600_000;

/** An hourly series on a regular grid of hours, a missing or invalid hour null. */
export interface HourlyHistory {
  /** the hour of `values[0]` */
  start: Date;
  values: (number | null)[];
  /** the limit of HOUR values in force at the end, when there is one */
  limit: Limit | undefined;
}

/**
 * The hourly values (HJ 212 2061) of one series from `from` up to the last stored hour before
 * `to`, judged on the basis its limit uses (measured or converted), flagged values left out.
 */
export async function hourlyHistory(deps: MonitoringDeps, monitor: Pick<Monitor, 'id' | 'kind'>, factor: string, from: Date, to: Date): Promise<HourlyHistory> {
  const limit = pickLimit(await limitsFor(deps.db.orm, [monitor.id], [monitor.kind]), monitor, factor, 'HOUR', new Date(to.getTime() - 1));
  const rows = await deps.db.query<{ time: Date | string; value: number | null; converted: number | null; flag: string | null }>(
    `SELECT time, value, converted, flag FROM monitoring_readings
      WHERE monitor_id = $1 AND factor = $2 AND interval = 'HOUR' AND time >= $3 AND time < $4
      ORDER BY time`,
    [monitor.id, factor, from.toISOString(), to.toISOString()],
  );
  return { ...toGrid(rows, limit?.basis === 'CONVERTED'), limit };
}

function toGrid(
  rows: readonly { time: Date | string; value: number | null; converted: number | null; flag: string | null }[],
  converted: boolean,
): Omit<HourlyHistory, 'limit'> {
  if (rows.length === 0) return { start: new Date(0), values: [] };
  const first = Math.floor(new Date(rows[0]!.time).getTime() / HOUR_MS);
  const last = Math.floor(new Date(rows[rows.length - 1]!.time).getTime() / HOUR_MS);
  const values: (number | null)[] = Array.from({ length: last - first + 1 }, () => null);
  for (const row of rows) {
    const value = converted ? row.converted : row.value;
    if (value === null || !isValidFlag(row.flag)) continue;
    values[Math.floor(new Date(row.time).getTime() / HOUR_MS) - first] = value;
  }
  return { start: new Date(first * HOUR_MS), values };
}

/** The time of hour `index` of a history. */
export function hourOf(history: Pick<HourlyHistory, 'start'>, index: number): Date {
  return new Date(history.start.getTime() + index * HOUR_MS);
}
