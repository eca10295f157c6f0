import type { ServiceRegistry } from '../../../src/services';
import { sourceServiceRef, type NearbyQuery } from '../../source/public';

/** A pollution source near an incident, with the monitors on its outlets. */
export interface NearbySource {
  uscc: string;
  name: string;
  industry: string;
  controlLevel: string;
  cellCode: string | null;
  distanceKm: number;
  monitorIds: number[];
}

/** A camera near an incident, with the address its stream is pulled from. */
export interface NearbyCamera {
  id: string;
  code: string;
  name: string;
  siteName: string;
  status: string;
  streamUrl: string;
  distanceKm: number;
}

export type { NearbyQuery };

/*
 * The source module is optional here: emergency does not depend on it, and asks its service only
 * when it is on.
 */

/** Sources near a point, nearest first; none when the source module is off. */
export async function nearbySources(services: ServiceRegistry, query: NearbyQuery): Promise<NearbySource[]> {
  if (!services.has(sourceServiceRef)) return [];
  const found = await services.get(sourceServiceRef).nearbyEnterprises(query);
  return found.map((e) => ({
    uscc: e.uscc,
    name: e.name,
    industry: e.industry,
    controlLevel: e.controlLevel,
    cellCode: e.cellCode,
    distanceKm: e.distanceKm,
    monitorIds: [...e.monitorIds],
  }));
}

/** Cameras near a point, nearest first; none when the source module is off. */
export async function nearbyCameras(services: ServiceRegistry, query: NearbyQuery): Promise<NearbyCamera[]> {
  if (!services.has(sourceServiceRef)) return [];
  const found = await services.get(sourceServiceRef).nearbyCameras(query);
  return found.map((c) => ({
    id: String(c.id),
    code: c.code,
    name: c.name,
    siteName: c.site.name,
    status: c.status,
    streamUrl: c.streamUrl,
    distanceKm: c.distanceKm,
  }));
}
