/** Air stations on the duty map: an open air episode (AQI above 100) is an exceedance. */
import { sql } from 'drizzle-orm';
import type { Viewer } from '../../../src/auth/viewer';
import { rowsOf } from '../../../src/db';
import type { PointState } from '../../../src/monitoring/public';
import type { AirDeps } from './deps';
import { canReadAir } from './stations';

/** The most air stations the duty map shows. */
export const MAX_DUTY_STATIONS = 1000;

export interface AirStationPoint {
  id: number;
  code: string;
  name: string;
  longitude: number;
  latitude: number;
  cellCode: string | null;
  state: PointState;
  openExceedances: number;
}

/** Two statements: the stations with their open episode, and their monitors' states. */
export async function airStationPoints(deps: AirDeps, viewer: Viewer): Promise<AirStationPoint[]> {
  if (!canReadAir(viewer)) return [];
  const [rows, states] = await Promise.all([
    rowsOf<{ id: number; code: string; name: string; longitude: number; latitude: number; cellCode: string | null; episode: boolean }>(
      deps.db.orm,
      sql`SELECT s.id, s.code, s.name, s.longitude, s.latitude, s.cell_code AS "cellCode",
                 EXISTS (SELECT 1 FROM air_episodes e WHERE e.station_code = s.code AND e.status = 'OPEN') AS episode
            FROM air_stations s WHERE s.longitude IS NOT NULL AND s.latitude IS NOT NULL ORDER BY s.id LIMIT ${MAX_DUTY_STATIONS}`,
    ),
    deps.monitoring().summary.ownerStates(viewer, { ownerModule: 'air', keyBy: 'owner' }),
  ]);
  const byCode = new Map(states.map((state) => [state.key, state]));
  return rows.map((row) => {
    const monitor = byCode.get(row.code);
    return {
      id: row.id,
      code: row.code,
      name: row.name,
      longitude: Number(row.longitude),
      latitude: Number(row.latitude),
      cellCode: row.cellCode,
      state: row.episode ? 'EXCEEDANCE' : (monitor?.state ?? 'NORMAL'),
      openExceedances: (monitor?.openExceedances ?? 0) + (row.episode ? 1 : 0),
    };
  });
}
