import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ENGINES, startTestHub, type EngineName, type TestHub } from '../../support/hub';
import { demoCells } from '../../../src/demo/district';
import { voronoiBoundaries } from '../../../modules/grid/demo-boundaries';
import { dissolve, shapeArea } from '../../../modules/grid/service/outline';
import type { Polygon } from '../../../modules/grid/service/geometry';
import { result, square } from './support';

interface Feature {
  type: string;
  id: string;
  geometry: { type: 'Polygon' | 'MultiPolygon'; coordinates: unknown[] } | null;
  properties: { code: string; name: string; level: number; parent: string | null };
}
interface Collection {
  type: string;
  features: Feature[];
}

describe('dissolving village boundaries into an outline', () => {
  const villages = demoCells().filter((cell) => cell.level === 3);
  const boundaries = voronoiBoundaries(villages);

  it('outlines each demo town with its villages’ area and no inner lines', () => {
    for (const town of demoCells().filter((cell) => cell.level === 2)) {
      const own = boundaries.filter((_b, i) => (villages[i] as { parentCode: string }).parentCode === town.code);
      const outline = dissolve(own);
      expect(outline).not.toBeNull();
      const sum = own.reduce((total, polygon) => total + shapeArea(polygon), 0);
      expect(shapeArea(outline as Polygon)).toBeCloseTo(sum, 9);
      const positions = JSON.stringify(outline).match(/\[-?\d/g)?.length ?? 0;
      const ownPositions = own.reduce((total, polygon) => total + (polygon.coordinates[0]?.length ?? 0), 0);
      expect(positions).toBeLessThan(ownPositions);
    }
  });

  it('gives the whole district one ring whose area is the box the villages tile', () => {
    const outline = dissolve(boundaries) as Polygon;
    expect(outline.type).toBe('Polygon');
    expect(outline.coordinates).toHaveLength(1);
    expect(outline.coordinates[0]).toHaveLength(5);
    expect(shapeArea(outline)).toBeCloseTo(
      boundaries.reduce((total, polygon) => total + shapeArea(polygon), 0),
      9,
    );
  });

  it('keeps parts that do not touch apart, and splits an edge another square’s corner lies on', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 6 }), (columns, rows) => {
        // a grid of unit squares, plus a half-width square sitting on the top row's edge
        const squares: Polygon[] = [];
        for (let x = 0; x < columns; x += 1) for (let y = 0; y < rows; y += 1) squares.push(square(x + 0.5, y + 0.5, 0.5) as Polygon);
        squares.push(square(0.25, rows + 0.25, 0.25) as Polygon);
        const outline = dissolve(squares) as Polygon;
        expect(outline.type).toBe('Polygon');
        expect(shapeArea(outline)).toBeCloseTo(columns * rows + 0.25, 9);
        const apart = dissolve([square(0, 0, 1) as Polygon, square(10, 10, 1) as Polygon]);
        expect(apart?.type).toBe('MultiPolygon');
        expect(shapeArea(apart as Polygon)).toBeCloseTo(8, 9);
      }),
      { numRuns: 20 },
    );
  });
});

describe.each(ENGINES)('the grid as GeoJSON (%s)', (engine) => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startTestHub({ engine, env: { HUB_SEED: 'true', HUB_MODULES: 'grid' } });
  });
  afterAll(async () => hub?.stop());

  it('serves each level at /geo/grid.geojson without a token: 10 areas, 12 towns, 141 villages, each outlined', async () => {
    const counts: number[] = [];
    for (const level of [1, 2, 3]) {
      const response = await fetch(`http://127.0.0.1:${hub.hub.port}/geo/grid.geojson?level=${level}`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^application\/geo\+json/);
      const collection = (await response.json()) as Collection;
      expect(collection.type).toBe('FeatureCollection');
      for (const feature of collection.features) {
        expect(feature.properties.level).toBe(level);
        expect(feature.geometry?.type).toMatch(/^(Multi)?Polygon$/);
        expect(feature.properties.code.startsWith(feature.properties.parent ?? '')).toBe(true);
      }
      counts.push(collection.features.length);
    }
    expect(counts).toEqual([10, 12, 141]);
  });

  it('answers the same collection to the public query field, and refuses a level the grid has not', async () => {
    const response = await hub.graphql(`{ gridGeoJson(level: 2) }`);
    const collection = result<Collection>(response, 'gridGeoJson');
    const town = demoCells().find((cell) => cell.level === 2) as { code: string; name: string; parentCode: string };
    expect(collection.features.find((f) => f.properties.code === town.code)?.properties).toEqual({
      code: town.code,
      name: town.name,
      level: 2,
      parent: town.parentCode,
    });
    const bad = await hub.graphql(`{ gridGeoJson(level: 4) }`);
    expect(bad.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect((await fetch(`http://127.0.0.1:${hub.hub.port}/geo/grid.geojson?level=0`)).status).toBe(400);
  });
});
