import type { Polygon, Position } from './service/geometry';

/**
 * Boundaries for the demo district's village cells: the Voronoi cell of each village centre within
 * a box around them all, so that the cells tile the district without overlapping and each holds
 * its own centre. Built by clipping the box with the perpendicular bisector towards every other
 * centre: quadratic, and instant for the 141 demo villages.
 */
export function voronoiBoundaries(sites: readonly { longitude: number; latitude: number }[], margin = 0.02): Polygon[] {
  const longitudes = sites.map((s) => s.longitude);
  const latitudes = sites.map((s) => s.latitude);
  const box: Position[] = [
    [Math.min(...longitudes) - margin, Math.min(...latitudes) - margin],
    [Math.max(...longitudes) + margin, Math.min(...latitudes) - margin],
    [Math.max(...longitudes) + margin, Math.max(...latitudes) + margin],
    [Math.min(...longitudes) - margin, Math.max(...latitudes) + margin],
  ];
  return sites.map((site, i) => {
    let polygon = box;
    sites.forEach((other, j) => {
      if (j === i || (other.longitude === site.longitude && other.latitude === site.latitude)) return;
      polygon = clipCloser(polygon, [site.longitude, site.latitude], [other.longitude, other.latitude]);
    });
    const ring = polygon.map(([x, y]) => [round6(x), round6(y)] as Position);
    return { type: 'Polygon', coordinates: [[...ring, ring[0] as Position]] };
  });
}

/** Keeps the part of a convex polygon (open ring) nearer to `a` than to `b`. */
function clipCloser(polygon: readonly Position[], a: Position, b: Position): Position[] {
  const mid: Position = [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2];
  const normal: Position = [b[0] - a[0], b[1] - a[1]];
  const side = (p: Position): number => (p[0] - mid[0]) * normal[0] + (p[1] - mid[1]) * normal[1];
  const out: Position[] = [];
  polygon.forEach((current, index) => {
    const next = polygon[(index + 1) % polygon.length] as Position;
    const sc = side(current);
    const sn = side(next);
    if (sc <= 0) out.push(current);
    if ((sc < 0 && sn > 0) || (sc > 0 && sn < 0)) {
      const t = sc / (sc - sn);
      out.push([current[0] + t * (next[0] - current[0]), current[1] + t * (next[1] - current[1])]);
    }
  });
  return out;
}

function round6(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}
