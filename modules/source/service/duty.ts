/** The source module's part of the duty room: counts and map points at fixed statement counts. */
import { sql } from 'drizzle-orm';
import type { Viewer } from '../../../src/auth/viewer';
import { rowsOf } from '../../../src/db';
import { monitoringServiceRef, type PointState } from '../../../src/monitoring/public';
import { enterpriseScope } from './scope';
import type { SourceDeps } from './types';

/** A district holds hundreds of enterprises and sites; this bounds a map answer all the same. */
/** The most enterprises or video sites the duty map shows. */
export const MAX_DUTY_POINTS = 5000;
const MAX_POINTS = MAX_DUTY_POINTS;

export interface CameraCounts {
  online: number;
  offline: number;
  unknown: number;
}

export interface SourcePoint {
  id: number;
  code: string;
  name: string;
  longitude: number;
  latitude: number;
  cellCode: string | null;
  state: PointState;
  openExceedances: number;
}

const siteScope = (viewer: Viewer) =>
  enterpriseScope(viewer, { uscc: sql`(SELECT e.uscc FROM source_enterprises e WHERE e.id = s.enterprise_id)`, cell: sql.raw('s.cell_code') }) ?? sql`true`;

/** Cameras at the sites the viewer sees, by status (one statement). */
export async function cameraCounts(deps: SourceDeps, viewer: Viewer): Promise<CameraCounts> {
  const rows = await rowsOf<{ status: string; count: number }>(
    deps.db.orm,
    sql`SELECT c.status, count(*)::int AS count FROM source_cameras c JOIN source_video_sites s ON s.id = c.site_id WHERE ${siteScope(viewer)} GROUP BY c.status`,
  );
  const of = (status: string): number => Number(rows.find((row) => row.status === status)?.count ?? 0);
  return { online: of('ONLINE'), offline: of('OFFLINE'), unknown: of('UNKNOWN') };
}

/** Located enterprises with the state of their outlets' monitors (two statements). */
export async function enterprisePoints(deps: SourceDeps, viewer: Viewer): Promise<SourcePoint[]> {
  const [rows, states] = await Promise.all([
    rowsOf<{ id: number; uscc: string; name: string; longitude: number; latitude: number; cellCode: string | null }>(
      deps.db.orm,
      sql`SELECT e.id, e.uscc, e.name, e.longitude, e.latitude, e.cell_code AS "cellCode" FROM source_enterprises e
           WHERE e.longitude IS NOT NULL AND e.latitude IS NOT NULL
             AND ${enterpriseScope(viewer, { uscc: sql.raw('e.uscc'), cell: sql.raw('e.cell_code') }) ?? sql`true`}
           ORDER BY e.id LIMIT ${MAX_POINTS}`,
    ),
    deps.services.get(monitoringServiceRef).summary.ownerStates(viewer, { ownerModule: 'source', keyBy: 'enterprise' }),
  ]);
  const byUscc = new Map(states.map((state) => [state.key, state]));
  return rows.map((row) => ({
    id: row.id,
    code: row.uscc,
    name: row.name,
    longitude: Number(row.longitude),
    latitude: Number(row.latitude),
    cellCode: row.cellCode,
    state: byUscc.get(row.uscc)?.state ?? 'NORMAL',
    openExceedances: byUscc.get(row.uscc)?.openExceedances ?? 0,
  }));
}

/** Video sites; one whose cameras are all offline is OFFLINE (one statement). */
export async function videoSitePoints(deps: SourceDeps, viewer: Viewer): Promise<SourcePoint[]> {
  const rows = await rowsOf<{
    id: number;
    code: string;
    name: string;
    longitude: number;
    latitude: number;
    cellCode: string | null;
    cameras: number;
    offline: number;
  }>(
    deps.db.orm,
    sql`SELECT s.id, s.code, s.name, s.longitude, s.latitude, s.cell_code AS "cellCode",
               count(c.id)::int AS cameras, (count(c.id) FILTER (WHERE c.status = 'OFFLINE'))::int AS offline
          FROM source_video_sites s LEFT JOIN source_cameras c ON c.site_id = s.id
         WHERE ${siteScope(viewer)}
         GROUP BY s.id ORDER BY s.id LIMIT ${MAX_POINTS}`,
  );
  return rows.map((row) => ({
    id: row.id,
    code: row.code,
    name: row.name,
    longitude: Number(row.longitude),
    latitude: Number(row.latitude),
    cellCode: row.cellCode,
    state: Number(row.cameras) > 0 && Number(row.offline) === Number(row.cameras) ? 'OFFLINE' : 'NORMAL',
    openExceedances: 0,
  }));
}
