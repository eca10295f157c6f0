/**
 * The grid as GeoJSON, one level at a time, for maps drawn without tiles. A cell's own boundary is
 * used when it has one; otherwise its outline is the union of its villages' boundaries.
 */
import { and, asc, eq, isNotNull } from 'drizzle-orm';
import { gridCells } from '../tables';
import type { GridDeps } from './deps';
import type { Polygon } from './geometry';
import { dissolve, type MultiPolygon } from './outline';
import { toCell } from './rows';

export interface GridFeature {
  type: 'Feature';
  id: string;
  geometry: Polygon | MultiPolygon | null;
  properties: { code: string; name: string; level: number; parent: string | null };
}

export interface GridFeatureCollection {
  type: 'FeatureCollection';
  features: GridFeature[];
}

export const GRID_LEVELS = [1, 2, 3] as const;
/** The grid is bounded by the district itself; this keeps a runaway import from building a huge answer. */
const MAX_CELLS = 5000;

/** Two statements whatever the level: the level's cells, and the village boundaries under them. */
export async function gridGeoJson(deps: GridDeps, level: number): Promise<GridFeatureCollection> {
  const cells = (await deps.db.orm.select().from(gridCells).where(eq(gridCells.level, level)).orderBy(asc(gridCells.code)).limit(MAX_CELLS)).map(toCell);
  const needOutline = cells.some((cell) => !cell.boundary);
  const villages =
    needOutline && level < 3
      ? (
          await deps.db.orm
            .select()
            .from(gridCells)
            .where(and(eq(gridCells.level, 3), isNotNull(gridCells.boundary)))
            .orderBy(asc(gridCells.code))
            .limit(MAX_CELLS)
        ).map(toCell)
      : [];
  return {
    type: 'FeatureCollection',
    features: cells.map((cell) => ({
      type: 'Feature',
      id: cell.code,
      geometry:
        cell.boundary ??
        dissolve(villages.filter((village) => village.code.startsWith(cell.code) && village.boundary).map((village) => village.boundary as Polygon)),
      properties: { code: cell.code, name: cell.name, level: cell.level, parent: cell.parentCode },
    })),
  };
}
