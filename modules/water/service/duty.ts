/** Water stations on the duty map: an open episode (a breach of the target class) is an exceedance. */
import { sql } from 'drizzle-orm';
import type { Viewer } from '../../../src/auth/viewer';
import { rowsOf } from '../../../src/db';
import { stationPoints, type StationPoint, type StationRow } from '../../../src/monitoring/public';
import { stationScope } from './scope';
import type { WaterDeps } from './types';

/** The most water stations the duty map shows. */
export const MAX_DUTY_STATIONS = 1000;

export type WaterStationPoint = StationPoint;

/** Two statements: the stations with their open episode, and their analysers' states. */
export async function waterStationPoints(deps: WaterDeps, viewer: Viewer): Promise<WaterStationPoint[]> {
  const [rows, states] = await Promise.all([
    rowsOf<StationRow>(
      deps.db.orm,
      sql`SELECT s.id, s.code, s.name, s.longitude, s.latitude, s.cell_code AS "cellCode",
                 EXISTS (SELECT 1 FROM water_episodes e WHERE e.station_id = s.id AND e.status = 'OPEN') AS episode
            FROM water_stations s
           WHERE s.longitude IS NOT NULL AND s.latitude IS NOT NULL AND ${stationScope(viewer, sql.raw('s.cell_code')) ?? sql`true`}
           ORDER BY s.id LIMIT ${MAX_DUTY_STATIONS}`,
    ),
    deps.monitoring().summary.ownerStates(viewer, { ownerModule: 'water', keyBy: 'owner' }),
  ]);
  return stationPoints(rows, states);
}
