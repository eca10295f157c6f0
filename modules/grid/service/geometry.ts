/**
 * Cell boundaries as GeoJSON polygons (WGS 84 longitude/latitude), and locating a point in them.
 * Pure functions: no database, no clock.
 */

export type Position = [number, number];

export interface Polygon {
  type: 'Polygon';
  /** the outer ring first, then holes; every ring closed (last position = first) */
  coordinates: Position[][];
}

export interface BoundingBox {
  minLongitude: number;
  maxLongitude: number;
  minLatitude: number;
  maxLatitude: number;
}

/** A boundary is stored with its cell and sent to clients: its size is bounded. */
export const BOUNDARY_LIMITS = { maxRings: 16, maxPositions: 5000 } as const;

export type PolygonCheck = { ok: true; polygon: Polygon } | { ok: false; problem: string };

function isPosition(value: unknown): value is number[] {
  return Array.isArray(value) && (value.length === 2 || value.length === 3) && value.every((n) => typeof n === 'number' && Number.isFinite(n));
}

/** Twice the signed area of a closed ring (shoelace); zero for a degenerate ring. */
function ringArea2(ring: readonly Position[]): number {
  let sum = 0;
  for (let i = 0; i < ring.length - 1; i += 1) {
    const [x1, y1] = ring[i] as Position;
    const [x2, y2] = ring[i + 1] as Position;
    sum += x1 * y2 - x2 * y1;
  }
  return sum;
}

/**
 * Validates a GeoJSON Polygon and returns it normalised to [longitude, latitude] positions
 * (a third, altitude, value is dropped). Rings must be closed, have at least four positions and
 * enclose an area; the whole polygon is held to BOUNDARY_LIMITS.
 */
export function checkPolygon(value: unknown): PolygonCheck {
  if (typeof value !== 'object' || value === null) return { ok: false, problem: 'must be a GeoJSON Polygon object' };
  const { type, coordinates } = value as { type?: unknown; coordinates?: unknown };
  if (type !== 'Polygon') return { ok: false, problem: 'type must be "Polygon"' };
  if (!Array.isArray(coordinates) || coordinates.length === 0) return { ok: false, problem: 'coordinates must hold at least the outer ring' };
  if (coordinates.length > BOUNDARY_LIMITS.maxRings) return { ok: false, problem: `at most ${BOUNDARY_LIMITS.maxRings} rings` };
  let total = 0;
  const rings: Position[][] = [];
  for (const [index, ring] of coordinates.entries()) {
    if (!Array.isArray(ring) || ring.length < 4) return { ok: false, problem: `ring ${index} needs at least 4 positions` };
    total += ring.length;
    if (total > BOUNDARY_LIMITS.maxPositions) return { ok: false, problem: `at most ${BOUNDARY_LIMITS.maxPositions} positions in all` };
    const positions: Position[] = [];
    for (const position of ring) {
      if (!isPosition(position)) return { ok: false, problem: `ring ${index} holds a position that is not [longitude, latitude]` };
      const [longitude, latitude] = position as [number, number];
      if (longitude < -180 || longitude > 180 || latitude < -90 || latitude > 90) return { ok: false, problem: `ring ${index} holds a position out of range` };
      positions.push([longitude, latitude]);
    }
    const first = positions[0] as Position;
    const last = positions[positions.length - 1] as Position;
    if (first[0] !== last[0] || first[1] !== last[1]) return { ok: false, problem: `ring ${index} is not closed (last position must equal the first)` };
    if (ringArea2(positions) === 0) return { ok: false, problem: `ring ${index} encloses no area` };
    rings.push(positions);
  }
  return { ok: true, polygon: { type: 'Polygon', coordinates: rings } };
}

export function boundingBox(polygon: Polygon): BoundingBox {
  const outer = polygon.coordinates[0] ?? [];
  let minLongitude = Infinity;
  let maxLongitude = -Infinity;
  let minLatitude = Infinity;
  let maxLatitude = -Infinity;
  for (const [longitude, latitude] of outer) {
    minLongitude = Math.min(minLongitude, longitude);
    maxLongitude = Math.max(maxLongitude, longitude);
    minLatitude = Math.min(minLatitude, latitude);
    maxLatitude = Math.max(maxLatitude, latitude);
  }
  return { minLongitude, maxLongitude, minLatitude, maxLatitude };
}

function onSegment(a: Position, b: Position, x: number, y: number): boolean {
  const cross = (b[0] - a[0]) * (y - a[1]) - (b[1] - a[1]) * (x - a[0]);
  if (cross !== 0) return false;
  return x >= Math.min(a[0], b[0]) && x <= Math.max(a[0], b[0]) && y >= Math.min(a[1], b[1]) && y <= Math.max(a[1], b[1]);
}

/** Even-odd ray casting; a point on the ring itself is reported as such. */
function ringStanding(ring: readonly Position[], x: number, y: number): 'inside' | 'outside' | 'edge' {
  let inside = false;
  for (let i = 0; i < ring.length - 1; i += 1) {
    const a = ring[i] as Position;
    const b = ring[i + 1] as Position;
    if (onSegment(a, b, x, y)) return 'edge';
    if (a[1] > y !== b[1] > y) {
      const crossing = a[0] + ((y - a[1]) * (b[0] - a[0])) / (b[1] - a[1]);
      if (x < crossing) inside = !inside;
    }
  }
  return inside ? 'inside' : 'outside';
}

/**
 * Whether the polygon holds the point. Its boundary counts as inside (a point on the line
 * between two villages belongs to both; `locateInCells` then picks one), a hole's interior does not.
 */
export function polygonContains(polygon: Polygon, longitude: number, latitude: number): boolean {
  const [outer, ...holes] = polygon.coordinates;
  if (!outer) return false;
  const standing = ringStanding(outer, longitude, latitude);
  if (standing === 'outside') return false;
  if (standing === 'edge') return true;
  return holes.every((hole) => ringStanding(hole, longitude, latitude) !== 'inside');
}

export interface LocatableCell {
  code: string;
  boundary: Polygon | null;
}

/**
 * The cell whose boundary holds the point. Where boundaries touch and the point lies on the shared
 * edge, the lowest code wins, so the answer never depends on the order the cells came in.
 */
export function locateInCells<T extends LocatableCell>(cells: readonly T[], longitude: number, latitude: number): T | undefined {
  let found: T | undefined;
  for (const cell of cells) {
    if (!cell.boundary || !polygonContains(cell.boundary, longitude, latitude)) continue;
    if (!found || cell.code < found.code) found = cell;
  }
  return found;
}

export function validPoint(longitude: number, latitude: number): boolean {
  return Number.isFinite(longitude) && Number.isFinite(latitude) && longitude >= -180 && longitude <= 180 && latitude >= -90 && latitude <= 90;
}
