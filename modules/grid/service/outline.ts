/**
 * The outline of a cell drawn from its children's boundaries. The bureau records boundaries for
 * villages; a town's or an area's shape is the union of its villages, which a map needs without
 * the inner village lines. Pure functions: no database.
 */
import type { Polygon, Position } from './geometry';

export interface MultiPolygon {
  type: 'MultiPolygon';
  coordinates: Position[][][];
}

/**
 * Positions closer than this (degrees, about 0.2 m) are one vertex: neighbouring boundaries are
 * digitised or computed separately and their shared corners differ in the last decimal.
 */
const SNAP = 2e-6;

/** Twice the signed area of a closed ring; positive when counter-clockwise. */
export function ringArea2(ring: readonly Position[]): number {
  let sum = 0;
  for (let i = 0; i < ring.length - 1; i += 1) {
    const [x1, y1] = ring[i] as Position;
    const [x2, y2] = ring[i + 1] as Position;
    sum += x1 * y2 - x2 * y1;
  }
  return sum;
}

/** Area of a polygon or multipolygon in square degrees (holes subtracted). */
export function shapeArea(shape: Polygon | MultiPolygon): number {
  const polygons = shape.type === 'Polygon' ? [shape.coordinates] : shape.coordinates;
  let area = 0;
  for (const [outer, ...holes] of polygons) {
    area += Math.abs(ringArea2(outer ?? [])) / 2;
    for (const hole of holes) area -= Math.abs(ringArea2(hole)) / 2;
  }
  return area;
}

class Snapper {
  private readonly buckets = new Map<string, Position[]>();

  /** the first position seen within SNAP of this one, or this one */
  snap([x, y]: Position): Position {
    const bx = Math.floor(x / SNAP);
    const by = Math.floor(y / SNAP);
    for (let dx = -1; dx <= 1; dx += 1) {
      for (let dy = -1; dy <= 1; dy += 1) {
        for (const seen of this.buckets.get(`${bx + dx}:${by + dy}`) ?? []) {
          if (Math.abs(seen[0] - x) <= SNAP && Math.abs(seen[1] - y) <= SNAP) return seen;
        }
      }
    }
    const position: Position = [x, y];
    const key = `${bx}:${by}`;
    const bucket = this.buckets.get(key);
    if (bucket) bucket.push(position);
    else this.buckets.set(key, [position]);
    return position;
  }
}

const keyOf = (p: Position): string => `${p[0]},${p[1]}`;

/** Whether p lies on the open segment a-b (within SNAP of the line). */
function strictlyBetween(a: Position, b: Position, p: Position): boolean {
  if (p === a || p === b) return false;
  const length = Math.hypot(b[0] - a[0], b[1] - a[1]);
  if (length === 0) return false;
  const cross = (b[0] - a[0]) * (p[1] - a[1]) - (b[1] - a[1]) * (p[0] - a[0]);
  if (Math.abs(cross) / length > SNAP) return false;
  const t = ((p[0] - a[0]) * (b[0] - a[0]) + (p[1] - a[1]) * (b[1] - a[1])) / (length * length);
  return t > 0 && t < 1;
}

function ringContains(ring: readonly Position[], [x, y]: Position): boolean {
  let inside = false;
  for (let i = 0; i < ring.length - 1; i += 1) {
    const a = ring[i] as Position;
    const b = ring[i + 1] as Position;
    if (a[1] > y !== b[1] > y && x < a[0] + ((y - a[1]) * (b[0] - a[0])) / (b[1] - a[1])) inside = !inside;
  }
  return inside;
}

/**
 * The union of polygons that tile without overlapping (as village boundaries do): edges two
 * polygons share cancel out, and what remains is chained into rings. A vertex of one polygon
 * lying on another's edge splits that edge first, so neighbours need not share every corner.
 * One outer ring gives a Polygon; parts that do not touch give a MultiPolygon.
 */
export function dissolve(polygons: readonly Polygon[]): Polygon | MultiPolygon | null {
  const snapper = new Snapper();
  const rings: Position[][] = [];
  for (const polygon of polygons) {
    polygon.coordinates.forEach((ring, index) => {
      const snapped = ring.map((p) => snapper.snap(p));
      // outer rings counter-clockwise, holes clockwise: shared edges then run opposite ways
      const counterClockwise = ringArea2(snapped) > 0;
      rings.push((index === 0) === counterClockwise ? snapped : [...snapped].reverse());
    });
  }
  const vertices = [...new Set(rings.flat())];
  const edges = new Map<string, [Position, Position]>();
  const addEdge = (a: Position, b: Position): void => {
    if (a === b) return;
    const reverse = `${keyOf(b)}>${keyOf(a)}`;
    if (edges.has(reverse)) edges.delete(reverse);
    else edges.set(`${keyOf(a)}>${keyOf(b)}`, [a, b]);
  };
  for (const ring of rings) {
    for (let i = 0; i < ring.length - 1; i += 1) {
      const a = ring[i] as Position;
      const b = ring[i + 1] as Position;
      const inner = vertices
        .filter((p) => strictlyBetween(a, b, p))
        .sort((p, q) => Math.hypot(p[0] - a[0], p[1] - a[1]) - Math.hypot(q[0] - a[0], q[1] - a[1]));
      let from = a;
      for (const p of [...inner, b]) {
        addEdge(from, p);
        from = p;
      }
    }
  }
  const outgoing = new Map<string, Position[]>();
  for (const [a, b] of edges.values()) {
    const list = outgoing.get(keyOf(a));
    if (list) list.push(b);
    else outgoing.set(keyOf(a), [b]);
  }
  const chained: Position[][] = [];
  for (const [a] of edges.values()) {
    if (!outgoing.get(keyOf(a))?.length) continue;
    const ring: Position[] = [a];
    let at = a;
    for (;;) {
      const next = outgoing.get(keyOf(at))?.pop();
      if (!next) break;
      ring.push(next);
      at = next;
      if (next === a) break;
    }
    if (ring.length >= 4 && ring[0] === ring[ring.length - 1]) chained.push(simplify(ring));
  }
  const outers = chained.filter((ring) => ringArea2(ring) > 0).sort((p, q) => ringArea2(q) - ringArea2(p));
  const holes = chained.filter((ring) => ringArea2(ring) < 0);
  if (outers.length === 0) return null;
  const parts: Position[][][] = outers.map((outer) => [outer]);
  for (const hole of holes) {
    const owner = parts.find(([outer]) => ringContains(outer as Position[], hole[0] as Position));
    owner?.push(hole);
  }
  return parts.length === 1 ? { type: 'Polygon', coordinates: parts[0] as Position[][] } : { type: 'MultiPolygon', coordinates: parts };
}

/** Drops vertices that only continue a straight line (left by the edge splitting above). */
function simplify(ring: Position[]): Position[] {
  const open = ring.slice(0, -1);
  const kept = open.filter((p, i) => {
    const before = open[(i - 1 + open.length) % open.length] as Position;
    const after = open[(i + 1) % open.length] as Position;
    return !strictlyBetween(before, after, p);
  });
  return kept.length >= 3 ? [...kept, kept[0] as Position] : ring;
}
