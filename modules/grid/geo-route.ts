import type { RouteHandler } from '../../src/http';
import type { GridService } from './service/grid-service';
import { GRID_LEVELS } from './service/geojson';

export const GEO_GRID_PATH = '/geo/grid.geojson';

/**
 * `GET /geo/grid.geojson?level=1|2|3`: one level of the grid as a GeoJSON FeatureCollection. Public,
 * like the cells themselves; any map library (or GIS desktop) can read it without a GraphQL client.
 */
export function createGeoRoute(service: GridService): RouteHandler {
  return async (request, response, url) => {
    if (url.pathname !== GEO_GRID_PATH) return false;
    const send = (status: number, type: string, body: string, headers: Record<string, string> = {}): void => {
      response.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body), ...headers });
      response.end(body);
    };
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      send(405, 'application/json; charset=utf-8', JSON.stringify({ error: 'GET only' }), { allow: 'GET, HEAD' });
      return true;
    }
    const level = Number(url.searchParams.get('level'));
    if (!(GRID_LEVELS as readonly number[]).includes(level)) {
      send(400, 'application/json; charset=utf-8', JSON.stringify({ error: 'give level=1, 2 or 3' }));
      return true;
    }
    const collection = await service.geoJson(level);
    send(200, 'application/geo+json; charset=utf-8', JSON.stringify(collection), { 'cache-control': 'public, max-age=60' });
    return true;
  };
}
