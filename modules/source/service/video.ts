import { and, asc, eq, gt, inArray, sql, type SQL } from 'drizzle-orm';
import { hasRole, isStaff, type Viewer } from '../../../src/auth/viewer';
import { CAMERA_CODE } from '../../../src/validation';
import { NOT_THIS_PLATFORMS_CAMERA } from './video-status';
export {
  MAX_STATUS_REPORTS,
  NOT_THIS_PLATFORMS_CAMERA,
  reportCameraStatus,
  type CameraStatusOutcome,
  type CameraStatusReport,
  type CameraStatusResult,
} from './video-status';
import { rowsOf } from '../../../src/db';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError, type FieldProblem } from '../../../src/errors';
import { sourceCameras, sourceVideoSites } from '../tables';
import { checkNearby, checkPosition, checkText, distanceSql, enterprisesByUscc, type NearbyQuery } from './enterprises';
import { escapeLike } from '../../../src/db';
import { groupBy } from './outlets';
import { enterpriseScope } from './scope';
import { CAMERA_STATUSES, SITE_KINDS, type Camera, type CameraStatus, type SiteKind, type SourceDeps, type VideoSite } from './types';

const CODE = CAMERA_CODE;

export interface VideoSiteInput {
  code: string;
  name: string;
  kind: SiteKind;
  enterpriseUscc?: string | null;
  longitude: number;
  latitude: number;
  cellCode?: string | null;
}

export interface CameraInput {
  code: string;
  siteCode: string;
  name: string;
  streamUrl: string;
  playUrl?: string | null;
}

/** What a browser can play: HLS or HTTP-FLV over http(s), or a WebRTC (WHEP) endpoint. */
const PLAY_URL = /^(https?|webrtc):\/\/\S{3,500}$/;

type SiteRow = typeof sourceVideoSites.$inferSelect & { enterpriseUscc: string | null };

function toSite(row: SiteRow): VideoSite {
  return {
    id: row.id,
    code: row.code,
    name: row.name,
    kind: row.kind as SiteKind,
    enterpriseId: row.enterpriseId,
    enterpriseUscc: row.enterpriseUscc,
    longitude: row.longitude,
    latitude: row.latitude,
    cellCode: row.cellCode,
  };
}

export function toCamera(row: typeof sourceCameras.$inferSelect): Camera {
  return {
    id: row.id,
    code: row.code,
    siteId: row.siteId,
    name: row.name,
    streamUrl: row.streamUrl,
    playUrl: row.playUrl,
    status: row.status as CameraStatus,
    statusChangedAt: row.statusChangedAt,
  };
}

const usccOfSite = sql`(SELECT e.uscc FROM source_enterprises e WHERE e.id = ${sourceVideoSites.enterpriseId})`;

/** A site is seen by whoever sees its enterprise, or its cell. */
/**
 * Video is the bureau's and the enterprises' own: staff see the sites in their scope, an
 * enterprise its own; an upstream platform or a device reads none (camera streams stay local).
 */
function siteScope(viewer: Viewer): SQL | undefined {
  if (!isStaff(viewer) && !hasRole(viewer, 'enterprise')) return sql`false`;
  return enterpriseScope(viewer, { uscc: usccOfSite, cell: sql`${sourceVideoSites.cellCode}` });
}

function selectSites(deps: SourceDeps) {
  return deps.db.orm.select({ site: sourceVideoSites, enterpriseUscc: sql<string | null>`${usccOfSite}` }).from(sourceVideoSites);
}

export async function createVideoSite(deps: SourceDeps, input: VideoSiteInput): Promise<VideoSite> {
  const problems: FieldProblem[] = [];
  if (!CODE.test(input.code)) problems.push({ path: 'code', message: 'code must be 1-40 letters, digits, _ or -' });
  checkText(problems, 'name', input.name, 200, true);
  if (!SITE_KINDS.includes(input.kind)) problems.push({ path: 'kind', message: 'ENTERPRISE, KEY_AREA or DRINKING_WATER_SOURCE' });
  checkPosition(problems, input.longitude, input.latitude);
  if (input.kind === 'ENTERPRISE' && !input.enterpriseUscc) problems.push({ path: 'enterpriseUscc', message: 'an enterprise site names its enterprise' });
  if (problems.length > 0) throw new ValidationError(problems);
  let enterpriseId: number | null = null;
  let cellCode = input.cellCode ?? null;
  if (input.enterpriseUscc) {
    const [enterprise] = await enterprisesByUscc(deps, undefined, [input.enterpriseUscc]);
    if (!enterprise) throw new NotFoundError('Enterprise', input.enterpriseUscc);
    enterpriseId = enterprise.id;
    cellCode ??= enterprise.cellCode;
  }
  const [row] = await deps.db.orm
    .insert(sourceVideoSites)
    .values({ code: input.code, name: input.name.trim(), kind: input.kind, enterpriseId, longitude: input.longitude, latitude: input.latitude, cellCode })
    .onConflictDoNothing({ target: sourceVideoSites.code })
    .returning();
  if (!row) throw new ConflictError(`a video site with code ${input.code} already exists`);
  return toSite({ ...row, enterpriseUscc: input.enterpriseUscc ?? null });
}

export async function createCamera(deps: SourceDeps, input: CameraInput): Promise<Camera> {
  const problems: FieldProblem[] = [];
  if (!CODE.test(input.code)) problems.push({ path: 'code', message: 'code must be 1-40 letters, digits, _ or -' });
  checkText(problems, 'name', input.name, 200, true);
  if (!/^rtsps?:\/\/\S{3,500}$/.test(input.streamUrl)) problems.push({ path: 'streamUrl', message: 'an rtsp:// address' });
  if (input.playUrl && !PLAY_URL.test(input.playUrl)) problems.push({ path: 'playUrl', message: 'an http(s):// (HLS, HTTP-FLV) or webrtc:// address' });
  if (problems.length > 0) throw new ValidationError(problems);
  const [site] = await deps.db.orm.select({ id: sourceVideoSites.id }).from(sourceVideoSites).where(eq(sourceVideoSites.code, input.siteCode));
  if (!site) throw new NotFoundError('VideoSite', input.siteCode);
  const [row] = await deps.db.orm
    .insert(sourceCameras)
    .values({ code: input.code, siteId: site.id, name: input.name.trim(), streamUrl: input.streamUrl, playUrl: input.playUrl ?? null, status: 'UNKNOWN' })
    .onConflictDoNothing({ target: sourceCameras.code })
    .returning();
  if (!row) throw new ConflictError(`a camera with code ${input.code} already exists`);
  return toCamera(row);
}

/** The video platform names (or withdraws) the address a browser plays a camera from. */
export async function setCameraPlayUrl(deps: SourceDeps, code: string, playUrl: string | null, viewer?: Viewer): Promise<Camera> {
  // a video platform's token names addresses only for the cameras it is bound to, as it reports status
  if (viewer !== undefined && !hasRole(viewer, 'admin') && !viewer.cameras.includes(code)) throw new ForbiddenError(NOT_THIS_PLATFORMS_CAMERA);
  if (playUrl !== null && !PLAY_URL.test(playUrl))
    throw new ValidationError([{ path: 'playUrl', message: 'an http(s):// (HLS, HTTP-FLV) or webrtc:// address' }]);
  const [row] = await deps.db.orm.update(sourceCameras).set({ playUrl }).where(eq(sourceCameras.code, code)).returning();
  if (!row) throw new NotFoundError('Camera', code);
  return toCamera(row);
}

export async function sitesByIds(deps: SourceDeps, viewer: Viewer, ids: readonly number[]): Promise<(VideoSite | undefined)[]> {
  if (ids.length === 0) return [];
  const rows = await selectSites(deps).where(and(inArray(sourceVideoSites.id, [...ids]), siteScope(viewer)));
  const byId = new Map(rows.map(({ site, enterpriseUscc }) => [site.id, toSite({ ...site, enterpriseUscc })]));
  return ids.map((id) => byId.get(id));
}

export async function sitesOfEnterprises(deps: SourceDeps, enterpriseIds: readonly number[]): Promise<VideoSite[][]> {
  if (enterpriseIds.length === 0) return [];
  const rows = await selectSites(deps)
    .where(inArray(sourceVideoSites.enterpriseId, [...enterpriseIds]))
    .orderBy(asc(sourceVideoSites.code));
  return groupBy(
    enterpriseIds,
    rows.map(({ site, enterpriseUscc }) => toSite({ ...site, enterpriseUscc })),
    (site) => site.enterpriseId ?? 0,
  );
}

export async function camerasOfSites(deps: SourceDeps, siteIds: readonly number[]): Promise<Camera[][]> {
  if (siteIds.length === 0) return [];
  const rows = await deps.db.orm
    .select()
    .from(sourceCameras)
    .where(inArray(sourceCameras.siteId, [...siteIds]))
    .orderBy(asc(sourceCameras.code));
  return groupBy(siteIds, rows.map(toCamera), (camera) => camera.siteId);
}

const siteOfCamera = (condition: SQL | undefined): SQL | undefined =>
  condition === undefined ? undefined : sql`EXISTS (SELECT 1 FROM ${sourceVideoSites} WHERE ${sourceVideoSites.id} = ${sourceCameras.siteId} AND ${condition})`;

export async function camerasByIds(deps: SourceDeps, viewer: Viewer, ids: readonly number[]): Promise<(Camera | undefined)[]> {
  if (ids.length === 0) return [];
  const rows = await deps.db.orm
    .select()
    .from(sourceCameras)
    .where(and(inArray(sourceCameras.id, [...ids]), siteOfCamera(siteScope(viewer))));
  const byId = new Map(rows.map((row) => [row.id, toCamera(row)]));
  return ids.map((id) => byId.get(id));
}

export interface CameraFilter {
  status?: CameraStatus | undefined;
  siteKind?: SiteKind | undefined;
  cellCode?: string | undefined;
}

/** What `listCameras` filters on, without its page: undefined when the viewer sees nothing. */
async function listCamerasConditions(deps: SourceDeps, viewer: Viewer, filter: CameraFilter): Promise<(SQL | undefined)[] | undefined> {
  if (filter.status !== undefined && !CAMERA_STATUSES.includes(filter.status))
    throw new ValidationError([{ path: 'filter.status', message: 'unknown status' }]);
  const siteConditions: (SQL | undefined)[] = [siteScope(viewer)];
  if (filter.siteKind) siteConditions.push(eq(sourceVideoSites.kind, filter.siteKind));
  if (filter.cellCode) siteConditions.push(sql`${sourceVideoSites.cellCode} LIKE ${`${escapeLike(filter.cellCode.slice(0, 32))}%`}`);
  const site = siteConditions.filter((c) => c !== undefined);
  const conditions: (SQL | undefined)[] = [site.length > 0 ? siteOfCamera(and(...site)) : undefined];
  if (filter.status) conditions.push(eq(sourceCameras.status, filter.status));
  return conditions;
}

export async function listCameras(
  deps: SourceDeps,
  viewer: Viewer,
  filter: CameraFilter,
  page: { limit: number; afterId: number | undefined },
): Promise<Camera[]> {
  const conditions = await listCamerasConditions(deps, viewer, filter);
  if (!conditions) return [];
  if (page.afterId !== undefined) conditions.push(gt(sourceCameras.id, page.afterId));
  const rows = await deps.db.orm
    .select()
    .from(sourceCameras)
    .where(and(...conditions))
    .orderBy(asc(sourceCameras.id))
    .limit(page.limit);
  return rows.map(toCamera);
}

/** How many rows `listCameras` would page through, every page together (one statement). */
export async function countCameras(deps: SourceDeps, viewer: Viewer, filter: CameraFilter): Promise<number> {
  const conditions = await listCamerasConditions(deps, viewer, filter);
  return conditions ? deps.db.orm.$count(sourceCameras, and(...conditions)) : 0;
}

export interface NearbyCamera extends Camera {
  distanceKm: number;
  site: VideoSite;
}

/** Cameras within the radius, nearest first, with their sites and stream addresses; no row scope. */
export async function camerasNear(deps: SourceDeps, query: NearbyQuery): Promise<NearbyCamera[]> {
  checkNearby(query);
  const { distance, box } = distanceSql(query, sql`s.longitude`, sql`s.latitude`);
  const rows = await rowsOf<{
    id: number;
    code: string;
    site_id: number;
    name: string;
    stream_url: string;
    play_url: string | null;
    status: string;
    status_changed_at: string | Date | null;
    site_code: string;
    site_name: string;
    site_kind: string;
    enterprise_id: number | null;
    uscc: string | null;
    longitude: number;
    latitude: number;
    cell_code: string | null;
    distance_km: number;
  }>(
    deps.db.orm,
    sql`SELECT c.id, c.code, c.site_id, c.name, c.stream_url, c.play_url, c.status, c.status_changed_at,
               s.code AS site_code, s.name AS site_name, s.kind AS site_kind, s.enterprise_id, e.uscc, s.longitude, s.latitude, s.cell_code, ${distance} AS distance_km
          FROM source_cameras c JOIN source_video_sites s ON s.id = c.site_id LEFT JOIN source_enterprises e ON e.id = s.enterprise_id
         WHERE ${box} AND ${distance} <= ${query.radiusKm}::float8
         ORDER BY distance_km, c.id
         LIMIT ${query.limit}`,
  );
  return rows.map((row) => ({
    id: Number(row.id),
    code: row.code,
    siteId: Number(row.site_id),
    name: row.name,
    streamUrl: row.stream_url,
    playUrl: row.play_url,
    status: row.status as CameraStatus,
    statusChangedAt: row.status_changed_at === null ? null : new Date(row.status_changed_at),
    distanceKm: Number(row.distance_km),
    site: {
      id: Number(row.site_id),
      code: row.site_code,
      name: row.site_name,
      kind: row.site_kind as SiteKind,
      enterpriseId: row.enterprise_id === null ? null : Number(row.enterprise_id),
      enterpriseUscc: row.uscc,
      longitude: Number(row.longitude),
      latitude: Number(row.latitude),
      cellCode: row.cell_code,
    },
  }));
}
