import type { Viewer } from '../../../src/auth/viewer';
import { NotFoundError, ValidationError } from '../../../src/errors';
import { gridServiceRef, type GridCell, type GridStaff } from '../../grid/public';
import type { EmergencyDeps } from './deps';
import { incidentsByIds } from './incidents';
import { nearbyCameras, nearbySources, type NearbyCamera, type NearbySource } from './nearby';
import { nearestResources } from './resources';
import type { Incident, Resource } from './types';

export const MAX_VIEW_RADIUS_KM = 30;
export const MAX_VIEW_ITEMS = 50;

export interface CommandViewOptions {
  radiusKm: number;
  /** how many sources, cameras and resources at most, each */
  limit: number;
}

/**
 * What the duty officer sees of one incident. Each part is fetched once for the whole view, so
 * the statements a view costs do not grow with what it holds.
 */
export interface CommandView {
  incident: Incident;
  cell: GridCell | undefined;
  /** where "nearby" is measured from: the incident's position, else its cell's centre */
  centre: { longitude: number; latitude: number } | null;
  options: CommandViewOptions;
}

export function checkViewOptions(options: CommandViewOptions): void {
  const problems = [];
  if (!(options.radiusKm > 0 && options.radiusKm <= MAX_VIEW_RADIUS_KM)) problems.push({ path: 'radiusKm', message: `must be in (0, ${MAX_VIEW_RADIUS_KM}]` });
  if (!Number.isInteger(options.limit) || options.limit < 1 || options.limit > MAX_VIEW_ITEMS)
    problems.push({ path: 'limit', message: `must be 1-${MAX_VIEW_ITEMS}` });
  if (problems.length > 0) throw new ValidationError(problems);
}

export async function commandView(deps: EmergencyDeps, viewer: Viewer, id: number, options: CommandViewOptions): Promise<CommandView> {
  checkViewOptions(options);
  const [incident] = await incidentsByIds(deps, viewer, [id]);
  if (!incident) throw new NotFoundError('EmergencyIncident', String(id));
  const cell = incident.cellCode ? await deps.services.get(gridServiceRef).cellByCode(incident.cellCode) : undefined;
  let centre: CommandView['centre'] = null;
  if (incident.longitude !== null && incident.latitude !== null) centre = { longitude: incident.longitude, latitude: incident.latitude };
  else if (cell?.longitude != null && cell.latitude != null) centre = { longitude: cell.longitude, latitude: cell.latitude };
  return { incident, cell, centre, options };
}

export function viewSources(deps: EmergencyDeps, view: CommandView): Promise<NearbySource[]> {
  if (!view.centre) return Promise.resolve([]);
  return nearbySources(deps.services, { ...view.centre, ...view.options });
}

export function viewCameras(deps: EmergencyDeps, view: CommandView): Promise<NearbyCamera[]> {
  if (!view.centre) return Promise.resolve([]);
  return nearbyCameras(deps.services, { ...view.centre, ...view.options });
}

/** Available resources, nearest first (whatever the radius: help may come from across the district). */
export function viewResources(deps: EmergencyDeps, view: CommandView): Promise<{ resource: Resource; distanceKm: number }[]> {
  if (!view.centre) return Promise.resolve([]);
  return nearestResources(deps, view.centre, view.options.limit);
}

export async function viewAssistants(deps: EmergencyDeps, view: CommandView): Promise<GridStaff[]> {
  if (!view.incident.cellCode) return [];
  return deps.services.get(gridServiceRef).activeAssistantsOf(view.incident.cellCode);
}
