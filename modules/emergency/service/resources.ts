import { and, asc, eq, gt, inArray, sql, type SQL } from 'drizzle-orm';
import { hasRole, type Viewer } from '../../../src/auth/viewer';
import { ForbiddenError, NotFoundError, ValidationError } from '../../../src/errors';
import { emergencyResources } from '../tables';
import type { EmergencyDeps } from './deps';
import { toResource } from './rows';
import { RESOURCE_KINDS, type Resource, type ResourceKind } from './types';
import { CELL_CODE, PHONE, Problems, optionalText } from './validate';

export interface ResourceInput {
  kind: ResourceKind;
  name: string;
  description?: string | null;
  quantity: number;
  unit?: string | null;
  longitude: number;
  latitude: number;
  cellCode?: string | null;
  contactName?: string | null;
  contactPhone?: string | null;
  available?: boolean | null;
}

export type ResourcePatch = Partial<{ [K in keyof ResourceInput]: ResourceInput[K] | null }>;

export interface ResourceFilter {
  kind?: ResourceKind[] | undefined;
  available?: boolean | undefined;
}

/** Kilometres between two WGS 84 points (haversine): plenty for a district's few tens of km. */
export function distanceKm(a: { longitude: number; latitude: number }, b: { longitude: number; latitude: number }): number {
  const rad = Math.PI / 180;
  const dLat = (b.latitude - a.latitude) * rad;
  const dLon = (b.longitude - a.longitude) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.latitude * rad) * Math.cos(b.latitude * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * 6371.0088 * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** What `listResources` filters on, without its page: undefined when the viewer sees nothing. */
async function listResourcesConditions(deps: EmergencyDeps, filter: ResourceFilter): Promise<(SQL | undefined)[] | undefined> {
  if ((filter.kind?.length ?? 0) > RESOURCE_KINDS.length) throw new ValidationError([{ path: 'filter.kind', message: 'too many values' }]);
  const conditions: (SQL | undefined)[] = [];
  if (filter.kind?.length) conditions.push(inArray(emergencyResources.kind, filter.kind));
  if (filter.available !== undefined) conditions.push(eq(emergencyResources.available, filter.available));
  return conditions;
}

export async function listResources(deps: EmergencyDeps, filter: ResourceFilter, page: { limit: number; afterId: number | undefined }): Promise<Resource[]> {
  const conditions = await listResourcesConditions(deps, filter);
  if (!conditions) return [];
  if (page.afterId !== undefined) conditions.push(gt(emergencyResources.id, page.afterId));
  const rows = await deps.db.orm
    .select()
    .from(emergencyResources)
    .where(and(...conditions))
    .orderBy(asc(emergencyResources.id))
    .limit(page.limit);
  return rows.map(toResource);
}

/** How many rows `listResources` would page through, every page together (one statement). */
export async function countResources(deps: EmergencyDeps, filter: ResourceFilter): Promise<number> {
  const conditions = await listResourcesConditions(deps, filter);
  return conditions ? deps.db.orm.$count(emergencyResources, and(...conditions)) : 0;
}

export async function resourcesByIds(deps: EmergencyDeps, ids: readonly number[]): Promise<(Resource | undefined)[]> {
  if (ids.length === 0) return [];
  const rows = await deps.db.orm
    .select()
    .from(emergencyResources)
    .where(inArray(emergencyResources.id, [...new Set(ids)]));
  const byId = new Map(rows.map((row) => [row.id, toResource(row)]));
  return ids.map((id) => byId.get(id));
}

/** Available resources nearest a point first, in one statement; the distance is worked out in SQL. */
export async function nearestResources(
  deps: EmergencyDeps,
  point: { longitude: number; latitude: number },
  limit: number,
): Promise<{ resource: Resource; distanceKm: number }[]> {
  const lat = sql`${emergencyResources.latitude}`;
  const lon = sql`${emergencyResources.longitude}`;
  const distance = sql`2 * 6371.0088 * asin(least(1, sqrt(
      power(sin(radians(${lat} - ${point.latitude}::float8) / 2), 2)
      + cos(radians(${point.latitude}::float8)) * cos(radians(${lat})) * power(sin(radians(${lon} - ${point.longitude}::float8) / 2), 2))))`;
  const rows = await deps.db.orm
    .select()
    .from(emergencyResources)
    .where(eq(emergencyResources.available, true))
    .orderBy(distance, asc(emergencyResources.id))
    .limit(Math.max(1, Math.min(limit, 100)));
  return rows.map((row) => {
    const resource = toResource(row);
    return { resource, distanceKm: distanceKm(point, resource) };
  });
}

function checkResource(problems: Problems, input: ResourcePatch): void {
  if (input.kind != null && !RESOURCE_KINDS.includes(input.kind)) problems.add('input.kind', 'unknown kind');
  if (input.name !== undefined) problems.text('input.name', input.name, 1, 200);
  problems.text('input.description', input.description, 0, 2000).text('input.unit', input.unit, 0, 20).text('input.contactName', input.contactName, 0, 100);
  if (input.quantity != null && !(Number.isInteger(input.quantity) && input.quantity >= 0 && input.quantity <= 1_000_000))
    problems.add('input.quantity', 'a whole number, 0-1,000,000');
  if (input.longitude !== undefined || input.latitude !== undefined) {
    if (input.longitude == null || input.latitude == null) problems.add('input.longitude', 'give both longitude and latitude');
    else problems.point('input.longitude', input.longitude, input.latitude);
  }
  if (input.cellCode != null && !CELL_CODE.test(input.cellCode)) problems.add('input.cellCode', 'not a cell code');
  if (input.contactPhone != null && !PHONE.test(input.contactPhone)) problems.add('input.contactPhone', 'not a phone number');
}

/** Administrators and district officers keep the resource register. */
export async function createResource(deps: EmergencyDeps, viewer: Viewer, input: ResourceInput): Promise<Resource> {
  if (!hasRole(viewer, 'admin', 'district')) throw new ForbiddenError('only the district keeps the resource register');
  const problems = new Problems();
  checkResource(problems, input);
  problems.done();
  const [row] = await deps.db.orm
    .insert(emergencyResources)
    .values({
      kind: input.kind,
      name: input.name.trim(),
      description: optionalText(input.description),
      quantity: input.quantity,
      unit: optionalText(input.unit),
      longitude: input.longitude,
      latitude: input.latitude,
      cellCode: optionalText(input.cellCode),
      contactName: optionalText(input.contactName),
      contactPhone: optionalText(input.contactPhone),
      available: input.available ?? true,
      updatedAt: deps.now(),
    })
    .returning();
  return toResource(row as typeof emergencyResources.$inferSelect);
}

export async function updateResource(deps: EmergencyDeps, viewer: Viewer, id: number, patch: ResourcePatch): Promise<Resource> {
  if (!hasRole(viewer, 'admin', 'district')) throw new ForbiddenError('only the district keeps the resource register');
  const problems = new Problems();
  checkResource(problems, patch);
  if (patch.kind === null || patch.name === null || patch.quantity === null || patch.available === null)
    problems.add('input', 'kind, name, quantity and availability cannot be cleared');
  problems.done();
  const values: Partial<typeof emergencyResources.$inferInsert> = { updatedAt: deps.now() };
  if (patch.kind) values.kind = patch.kind;
  if (patch.name) values.name = patch.name.trim();
  if (patch.description !== undefined) values.description = optionalText(patch.description);
  if (patch.quantity != null) values.quantity = patch.quantity;
  if (patch.unit !== undefined) values.unit = optionalText(patch.unit);
  if (patch.longitude != null && patch.latitude != null) Object.assign(values, { longitude: patch.longitude, latitude: patch.latitude });
  if (patch.cellCode !== undefined) values.cellCode = optionalText(patch.cellCode);
  if (patch.contactName !== undefined) values.contactName = optionalText(patch.contactName);
  if (patch.contactPhone !== undefined) values.contactPhone = optionalText(patch.contactPhone);
  if (patch.available != null) values.available = patch.available;
  const [row] = await deps.db.orm.update(emergencyResources).set(values).where(eq(emergencyResources.id, id)).returning();
  if (!row) throw new NotFoundError('EmergencyResource', String(id));
  return toResource(row);
}
