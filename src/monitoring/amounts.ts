/**
 * What a device reports beyond concentrations: the cumulative amounts of its hourly and daily
 * uploads (HJ 212 -Cou) summed into emission totals, and the daily run time of treatment
 * facilities (2041).
 */
import { sql } from 'drizzle-orm';
import { json, rowsOf } from '../db';
import { ValidationError } from '../errors';
import type { MonitoringDeps } from './deps';
import { MONITOR_LOCK_SPACE } from './ingest/store';
import { lookupFactor } from './factors';

export type AmountPeriod = 'DAY' | 'MONTH';

export interface EmissionTotalsQuery {
  /** what to total separately (an outlet, an enterprise): each by its own monitors */
  groups: readonly { key: string; monitorIds: readonly number[] }[];
  factor: string;
  period: AmountPeriod;
  from: Date;
  to: Date;
  /** periods per group at most, the earliest first */
  limit: number;
}

export interface EmissionTotal {
  /** the period's start: Asia/Shanghai midnight of the day or of the month's first day */
  start: Date;
  factor: string;
  amount: number;
  /** the unit of the amount, from the factor catalogue; null for a factor it does not know */
  unit: string | null;
  /** monitor-days that contributed (a day counts once per monitor, from its daily or its hourly values) */
  days: number;
}

/**
 * The unit HJ 212-2017 gives a factor's cumulative amount: flows in m3, pollutants measured in
 * mg/L or mg/m3 in kg, those in ug/L in g. Temperatures, pH and the like have no amount.
 */
export function amountUnitOf(factor: string): string | null {
  const info = lookupFactor(factor);
  if (!info) return null;
  if (info.code === 'w00000' || info.code === 'a00000') return 'm3';
  if (info.unit === 'mg/L' || info.unit === 'mg/m3') return 'kg';
  if (info.unit === 'ug/L') return 'g';
  return null;
}

/**
 * Sums -Cou per period over each group's monitors, in one statement for every group. A day's
 * amount of one monitor is its daily (2031) -Cou when it sent one, else the sum of that day's
 * hourly (2061) -Cou: loggers that send both report the same discharge twice, and ones that miss
 * the daily upload still have their hours.
 */
export async function emissionTotals(deps: MonitoringDeps, query: EmissionTotalsQuery): Promise<Map<string, EmissionTotal[]>> {
  if (!(query.to > query.from)) throw new ValidationError([{ path: 'to', message: 'to must be after from' }]);
  const members = query.groups.flatMap((group) => group.monitorIds.map((monitorId) => ({ grp: group.key, monitor_id: monitorId })));
  const totals = new Map<string, EmissionTotal[]>(query.groups.map((group) => [group.key, []]));
  if (members.length === 0) return totals;
  const unit = amountUnitOf(query.factor);
  const rows = await rowsOf<{ grp: string; start: Date | string; amount: number; days: number | string }>(
    deps.db.orm,
    sql`WITH member AS (
          SELECT grp, monitor_id FROM jsonb_to_recordset(${json(members)}) AS x(grp text, monitor_id int)),
        per_day AS (
          SELECT r.monitor_id, date_trunc('day', r.time AT TIME ZONE 'Asia/Shanghai') AS day,
                 max(r.cou) FILTER (WHERE r.interval = 'DAY') AS day_cou,
                 sum(r.cou) FILTER (WHERE r.interval = 'HOUR') AS hour_cou
            FROM monitoring_readings r
           WHERE r.monitor_id IN (SELECT monitor_id FROM member)
             AND r.factor = ${query.factor} AND r.interval IN ('DAY', 'HOUR') AND r.cou IS NOT NULL
             AND r.time >= ${query.from.toISOString()}::timestamptz AND r.time < ${query.to.toISOString()}::timestamptz
           GROUP BY 1, 2),
        per_period AS (
          SELECT m.grp, date_trunc(${query.period === 'DAY' ? 'day' : 'month'}::text, d.day) AS local_start,
                 sum(coalesce(d.day_cou, d.hour_cou))::float8 AS amount, count(*) AS days
            FROM per_day d JOIN member m ON m.monitor_id = d.monitor_id
           GROUP BY 1, 2)
        SELECT grp, local_start AT TIME ZONE 'Asia/Shanghai' AS start, amount, days
          FROM (SELECT *, row_number() OVER (PARTITION BY grp ORDER BY local_start) AS n FROM per_period) p
         WHERE n <= ${query.limit}
         ORDER BY grp, local_start`,
  );
  for (const row of rows) {
    totals.get(row.grp)?.push({ start: new Date(row.start), factor: query.factor, amount: row.amount, unit, days: Number(row.days) });
  }
  return totals;
}

export interface FacilityRunTime {
  monitorId: number;
  facility: string;
  /** the day reported (DataTime of the 2041 upload) */
  time: Date;
  runHours: number;
}

/**
 * Stores a 2041 report; a resent report changes nothing. Like readings, it is stamped
 * (`received_at`, the insert's statement time) under the monitor's lock, held to the commit: a
 * monitor's reports and readings are stamped in the order they commit, the order HJ 212
 * forwarding sends them up in, so none lands behind a forwarding cursor that has moved on.
 */
export async function recordFacilityRunTimes(
  deps: MonitoringDeps,
  monitorId: number,
  time: Date,
  runTimes: readonly { facility: string; runHours: number }[],
): Promise<void> {
  if (runTimes.length === 0) return;
  await deps.db.orm.transaction(async (tx) => {
    await tx.execute(sql`SELECT pg_advisory_xact_lock(${MONITOR_LOCK_SPACE}, ${monitorId}::int)`);
    await tx.execute(
      sql`INSERT INTO monitoring_facility_run_times (monitor_id, facility, time, run_hours, received_at)
          SELECT ${monitorId}, x.facility, ${time.toISOString()}::timestamptz, x.run_hours, statement_timestamp()
            FROM jsonb_to_recordset(${json(runTimes.map((r) => ({ facility: r.facility, run_hours: r.runHours })))}) AS x(facility text, run_hours float8)
          ON CONFLICT (monitor_id, facility, time) DO NOTHING`,
    );
  });
}

/** Run times of several monitors' facilities in [from, to), newest first, at most `limit` per monitor. */
export async function facilityRunTimes(
  deps: MonitoringDeps,
  query: { monitorIds: readonly number[]; from: Date; to: Date; limit: number },
): Promise<FacilityRunTime[]> {
  if (query.monitorIds.length === 0) return [];
  const rows = await rowsOf<{ monitor_id: number; facility: string; time: Date | string; run_hours: number }>(
    deps.db.orm,
    sql`SELECT monitor_id, facility, time, run_hours FROM (
          SELECT monitor_id, facility, time, run_hours,
                 row_number() OVER (PARTITION BY monitor_id ORDER BY time DESC, facility) AS n
            FROM monitoring_facility_run_times
           WHERE monitor_id IN (SELECT (jsonb_array_elements_text(${json(query.monitorIds)}))::int)
             AND time >= ${query.from.toISOString()}::timestamptz AND time < ${query.to.toISOString()}::timestamptz) r
         WHERE n <= ${query.limit}
         ORDER BY monitor_id, time DESC, facility`,
  );
  return rows.map((row) => ({ monitorId: Number(row.monitor_id), facility: row.facility, time: new Date(row.time), runHours: row.run_hours }));
}
