/** Air stations on the duty map: an open air episode (AQI above 100) is an exceedance. */
import { sql } from 'drizzle-orm';
import type { Viewer } from '../../../src/auth/viewer';
import { rowsOf } from '../../../src/db';
import { stationPoints, type StationPoint, type StationRow } from '../../../src/monitoring/public';
import type { AirDeps } from './deps';
import { canReadAir } from './stations';

/** The most air stations the duty map shows. */
export const MAX_DUTY_STATIONS = 1000;

export type AirStationPoint = StationPoint;

/** Two statements: the stations with their open episode, and their monitors' states. */
export async function airStationPoints(deps: AirDeps, viewer: Viewer): Promise<AirStationPoint[]> {
  if (!canReadAir(viewer)) return [];
  const [rows, states] = await Promise.all([
    rowsOf<StationRow>(
      deps.db.orm,
      sql`SELECT s.id, s.code, s.name, s.longitude, s.latitude, s.cell_code AS "cellCode",
                 EXISTS (SELECT 1 FROM air_episodes e WHERE e.station_code = s.code AND e.status = 'OPEN') AS episode
            FROM air_stations s WHERE s.longitude IS NOT NULL AND s.latitude IS NOT NULL ORDER BY s.id LIMIT ${MAX_DUTY_STATIONS}`,
    ),
    deps.monitoring().summary.ownerStates(viewer, { ownerModule: 'air', keyBy: 'owner' }),
  ]);
  return stationPoints(rows, states);
}
