import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  BOUNDARY_LIMITS,
  boundingBox,
  checkPolygon,
  locateInCells,
  polygonContains,
  type Polygon,
  type Position,
} from '../../../modules/grid/service/geometry';
import { voronoiBoundaries } from '../../../modules/grid/demo-boundaries';

const rectangle = (x1: number, y1: number, x2: number, y2: number, holes: Position[][] = []): Polygon => ({
  type: 'Polygon',
  coordinates: [
    [
      [x1, y1],
      [x2, y1],
      [x2, y2],
      [x1, y2],
      [x1, y1],
    ],
    ...holes,
  ],
});

describe('checkPolygon', () => {
  it('accepts a closed ring and normalises positions to [longitude, latitude]', () => {
    const checked = checkPolygon({
      type: 'Polygon',
      coordinates: [
        [
          [104, 30, 500],
          [104.1, 30, 500],
          [104.1, 30.1, 500],
          [104, 30, 500],
        ],
      ],
    });
    expect(checked).toEqual({
      ok: true,
      polygon: {
        type: 'Polygon',
        coordinates: [
          [
            [104, 30],
            [104.1, 30],
            [104.1, 30.1],
            [104, 30],
          ],
        ],
      },
    });
  });

  it.each([
    ['not an object', 'Polygon', /GeoJSON Polygon/],
    ['another type', { type: 'Point', coordinates: [104, 30] }, /type/],
    ['no rings', { type: 'Polygon', coordinates: [] }, /outer ring/],
    [
      'too few positions',
      {
        type: 'Polygon',
        coordinates: [
          [
            [104, 30],
            [104.1, 30],
            [104, 30],
          ],
        ],
      },
      /at least 4/,
    ],
    [
      'an open ring',
      {
        type: 'Polygon',
        coordinates: [
          [
            [104, 30],
            [104.1, 30],
            [104.1, 30.1],
            [104, 30.1],
          ],
        ],
      },
      /not closed/,
    ],
    [
      'a latitude out of range',
      {
        type: 'Polygon',
        coordinates: [
          [
            [104, 30],
            [104.1, 95],
            [104.1, 30.1],
            [104, 30],
          ],
        ],
      },
      /out of range/,
    ],
    [
      'a string for a number',
      {
        type: 'Polygon',
        coordinates: [
          [
            [104, 30],
            ['104.1', 30],
            [104.1, 30.1],
            [104, 30],
          ],
        ],
      },
      /not \[longitude, latitude\]/,
    ],
    [
      'no area',
      {
        type: 'Polygon',
        coordinates: [
          [
            [104, 30],
            [104.1, 30],
            [104.2, 30],
            [104, 30],
          ],
        ],
      },
      /no area/,
    ],
    [
      'too many rings',
      { type: 'Polygon', coordinates: Array.from({ length: BOUNDARY_LIMITS.maxRings + 1 }, () => rectangle(0, 0, 1, 1).coordinates[0]) },
      /rings/,
    ],
  ])('refuses %s', (_name, value, problem) => {
    const checked = checkPolygon(value);
    expect(checked.ok).toBe(false);
    if (!checked.ok) expect(checked.problem).toMatch(problem);
  });

  it('bounds the size of a boundary', () => {
    const ring: number[][] = Array.from({ length: BOUNDARY_LIMITS.maxPositions }, (_v, i) => [
      Math.cos((2 * Math.PI * i) / BOUNDARY_LIMITS.maxPositions),
      Math.sin((2 * Math.PI * i) / BOUNDARY_LIMITS.maxPositions),
    ]);
    expect(checkPolygon({ type: 'Polygon', coordinates: [[...ring.slice(0, -1), ring[0]]] }).ok).toBe(true);
    expect(checkPolygon({ type: 'Polygon', coordinates: [[...ring, ring[0]]] })).toEqual({
      ok: false,
      problem: `at most ${BOUNDARY_LIMITS.maxPositions} positions in all`,
    });
  });
});

describe('polygonContains', () => {
  it('counts the boundary as inside and a hole as outside', () => {
    const withHole = rectangle(0, 0, 10, 10, [
      [
        [4, 4],
        [6, 4],
        [6, 6],
        [4, 6],
        [4, 4],
      ],
    ]);
    expect(polygonContains(withHole, 1, 1)).toBe(true);
    expect(polygonContains(withHole, 5, 5)).toBe(false);
    expect(polygonContains(withHole, 4, 5)).toBe(true);
    expect(polygonContains(withHole, 0, 3)).toBe(true);
    expect(polygonContains(withHole, 10, 10)).toBe(true);
    expect(polygonContains(withHole, 10.0001, 5)).toBe(false);
  });

  it('agrees with the plain comparison on rectangles', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -1000, max: 1000 }),
        fc.integer({ min: -1000, max: 1000 }),
        fc.integer({ min: 1, max: 500 }),
        fc.integer({ min: 1, max: 500 }),
        fc.integer({ min: -1600, max: 1600 }),
        fc.integer({ min: -1600, max: 1600 }),
        (x, y, w, h, px, py) => {
          const inside = px >= x && px <= x + w && py >= y && py <= y + h;
          expect(polygonContains(rectangle(x, y, x + w, y + h), px, py)).toBe(inside);
        },
      ),
    );
  });

  it('holds the centre of any star-shaped polygon around it, and nothing outside its box', () => {
    const star = fc
      .record({
        cx: fc.double({ min: 100, max: 110, noNaN: true }),
        cy: fc.double({ min: 25, max: 35, noNaN: true }),
        radii: fc.array(fc.double({ min: 0.001, max: 0.1, noNaN: true }), { minLength: 3, maxLength: 40 }),
      })
      .map(({ cx, cy, radii }) => {
        const ring = radii.map(
          (r, i) => [cx + r * Math.cos((2 * Math.PI * i) / radii.length), cy + r * Math.sin((2 * Math.PI * i) / radii.length)] as Position,
        );
        return { cx, cy, polygon: { type: 'Polygon', coordinates: [[...ring, ring[0] as Position]] } as Polygon };
      });
    fc.assert(
      fc.property(star, fc.double({ min: 0, max: 2 * Math.PI, noNaN: true }), ({ cx, cy, polygon }, angle) => {
        expect(polygonContains(polygon, cx, cy)).toBe(true);
        const box = boundingBox(polygon);
        const far = Math.max(box.maxLongitude - box.minLongitude, box.maxLatitude - box.minLatitude) + 0.01;
        expect(polygonContains(polygon, cx + far * Math.cos(angle), cy + far * Math.sin(angle))).toBe(false);
      }),
    );
  });

  it('does not depend on where the ring starts or which way it turns', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 3 }),
        fc.boolean(),
        fc.integer({ min: -5, max: 15 }),
        fc.integer({ min: -5, max: 15 }),
        (shift, reverse, px, py) => {
          const base = (rectangle(0, 0, 10, 8).coordinates[0] as Position[]).slice(0, 4);
          let ring = [...base.slice(shift), ...base.slice(0, shift)];
          if (reverse) ring = ring.reverse();
          const polygon: Polygon = { type: 'Polygon', coordinates: [[...ring, ring[0] as Position]] };
          expect(polygonContains(polygon, px, py)).toBe(polygonContains(rectangle(0, 0, 10, 8), px, py));
        },
      ),
    );
  });
});

describe('locateInCells', () => {
  const cells = [
    { code: 'B', boundary: rectangle(1, 0, 2, 1) },
    { code: 'A', boundary: rectangle(0, 0, 1, 1) },
    { code: 'C', boundary: null },
  ];

  it('finds the holding cell, the lowest code on a shared edge, and none outside', () => {
    expect(locateInCells(cells, 0.5, 0.5)?.code).toBe('A');
    expect(locateInCells(cells, 1.5, 0.5)?.code).toBe('B');
    expect(locateInCells(cells, 1, 0.5)?.code).toBe('A');
    expect(locateInCells([...cells].reverse(), 1, 0.5)?.code).toBe('A');
    expect(locateInCells(cells, 3, 0.5)).toBeUndefined();
  });
});

describe('voronoiBoundaries', () => {
  it('gives every site a valid cell that holds it and no other site', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.record({ longitude: fc.integer({ min: 0, max: 2000 }), latitude: fc.integer({ min: 0, max: 2000 }) }), {
          minLength: 2,
          maxLength: 25,
          selector: (s) => `${s.longitude},${s.latitude}`,
        }),
        (grid) => {
          const sites = grid.map((s) => ({ longitude: 104 + s.longitude / 10000, latitude: 30 + s.latitude / 10000 }));
          const polygons = voronoiBoundaries(sites);
          const cells = polygons.map((boundary, i) => ({ code: String(i).padStart(3, '0'), boundary }));
          sites.forEach((site, i) => {
            expect(checkPolygon(polygons[i]).ok).toBe(true);
            expect(locateInCells(cells, site.longitude, site.latitude)?.code).toBe(String(i).padStart(3, '0'));
          });
        },
      ),
      { numRuns: 60 },
    );
  });
});
