/**
 * Counts and states for the duty room: each function is one statement whatever the number of
 * monitors or episodes, so a dashboard polling them costs the same in a district of any size.
 */
import { sql } from 'drizzle-orm';
import type { Viewer } from '../auth/viewer';
import { rowsOf } from '../db';
import type { MonitoringDeps } from './deps';
import { canReadMonitoring, rowScope } from './scope';
import type { MonitorStatus, Severity } from './types';

/** What a point on the duty map shows: the worst of its monitors. */
export const POINT_STATES = ['NORMAL', 'WARNING', 'EXCEEDANCE', 'OFFLINE'] as const;
export type PointState = (typeof POINT_STATES)[number];

export interface MonitorStatusCount {
  status: MonitorStatus;
  count: number;
}

export interface OpenExceedanceCount {
  cellCode: string | null;
  severity: Severity;
  count: number;
}

export interface OwnerState {
  /** the owner's id (a station code) or the enterprise's USCC */
  key: string;
  state: PointState;
  openExceedances: number;
}

/** A station row of a module that keeps its own episodes (air, water), with whether one is open. */
export interface StationRow {
  id: number;
  code: string;
  name: string;
  longitude: number;
  latitude: number;
  cellCode: string | null;
  episode: boolean;
}

/** A station on the duty map. */
export type StationPoint = Omit<StationRow, 'episode'> & { state: PointState; openExceedances: number };

/**
 * Stations joined to their monitors' states (`ownerStates` keyed by owner): the station's own open
 * episode makes it an exceedance and counts as one more open exceedance.
 */
export function stationPoints(rows: readonly StationRow[], states: readonly OwnerState[]): StationPoint[] {
  const byCode = new Map(states.map((state) => [state.key, state]));
  return rows.map(({ episode, ...row }) => {
    const monitor = byCode.get(row.code);
    return {
      ...row,
      longitude: Number(row.longitude),
      latitude: Number(row.latitude),
      state: episode ? 'EXCEEDANCE' : (monitor?.state ?? 'NORMAL'),
      openExceedances: (monitor?.openExceedances ?? 0) + (episode ? 1 : 0),
    };
  });
}

function monitorScope(viewer: Viewer, alias: string) {
  if (!canReadMonitoring(viewer)) return sql`false`;
  return rowScope(viewer, { enterprise: sql.raw(`${alias}.enterprise_uscc`), cell: sql.raw(`${alias}.cell_code`) }) ?? sql`true`;
}

export async function monitorStatusCounts(deps: MonitoringDeps, viewer: Viewer): Promise<MonitorStatusCount[]> {
  const rows = await rowsOf<{ status: MonitorStatus; count: number }>(
    deps.db.orm,
    sql`SELECT m.status, count(*)::int AS count FROM monitoring_monitors m WHERE ${monitorScope(viewer, 'm')} GROUP BY m.status ORDER BY m.status`,
  );
  return rows.map((row) => ({ status: row.status, count: Number(row.count) }));
}

/** Open episodes counted by cell and severity: callers roll cells up to towns or areas. */
export async function openExceedanceCounts(deps: MonitoringDeps, viewer: Viewer): Promise<OpenExceedanceCount[]> {
  const rows = await rowsOf<{ cellCode: string | null; severity: Severity; count: number }>(
    deps.db.orm,
    sql`SELECT e.cell_code AS "cellCode", e.severity, count(*)::int AS count
          FROM monitoring_exceedances e
         WHERE e.status = 'OPEN' AND ${monitorScope(viewer, 'e')}
         GROUP BY e.cell_code, e.severity ORDER BY e.cell_code, e.severity`,
  );
  return rows.map((row) => ({ cellCode: row.cellCode, severity: row.severity, count: Number(row.count) }));
}

/**
 * The state of each owner's monitors (a station's analyser, an enterprise's outlets): an open
 * exceedance beats an open warning, which beats every monitor being offline.
 */
export async function ownerStates(deps: MonitoringDeps, viewer: Viewer, query: { ownerModule: string; keyBy: 'owner' | 'enterprise' }): Promise<OwnerState[]> {
  const key = query.keyBy === 'owner' ? sql.raw('m.owner_id') : sql.raw('m.enterprise_uscc');
  const rows = await rowsOf<{ key: string; exceedance: boolean; warning: boolean; offline: boolean; open: number }>(
    deps.db.orm,
    sql`SELECT ${key} AS key,
               coalesce(bool_or(e.severity = 'EXCEEDANCE'), false) AS exceedance,
               coalesce(bool_or(e.severity = 'WARNING'), false) AS warning,
               bool_and(m.status = 'OFFLINE') AS offline,
               count(e.id)::int AS open
          FROM monitoring_monitors m
          LEFT JOIN monitoring_exceedances e ON e.monitor_id = m.id AND e.status = 'OPEN'
         WHERE m.owner_module = ${query.ownerModule} AND ${key} IS NOT NULL AND ${monitorScope(viewer, 'm')}
         GROUP BY ${key}`,
  );
  return rows.map((row) => ({
    key: row.key,
    state: row.exceedance ? 'EXCEEDANCE' : row.warning ? 'WARNING' : row.offline ? 'OFFLINE' : 'NORMAL',
    openExceedances: Number(row.open),
  }));
}
