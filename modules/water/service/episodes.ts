import { and, desc, eq, inArray, lt, sql, type SQL } from 'drizzle-orm';
import type { Viewer } from '../../../src/auth/viewer';
import type { LimitedClass, WaterClass } from './classify';
import type { WaterFailingItem } from '../events';
import { waterEpisodes } from '../tables';
import { stationScope } from './scope';
import type { EpisodeStatus, WaterDeps, WaterEpisode } from './types';

export function toEpisode(row: typeof waterEpisodes.$inferSelect): WaterEpisode {
  return {
    id: row.id,
    stationId: row.stationId,
    stationCode: row.stationCode,
    sourceCode: row.sourceCode,
    cellCode: row.cellCode,
    status: row.status as EpisodeStatus,
    openedAt: row.openedAt,
    lastBreachAt: row.lastBreachAt,
    closedAt: row.closedAt,
    breachHours: row.breachHours,
    targetClass: row.targetClass as LimitedClass,
    currentClass: row.currentClass as WaterClass,
    worstClass: row.worstClass as WaterClass,
    failingItems: row.failingItems as WaterFailingItem[],
  };
}

export interface WaterEpisodeFilter {
  status?: EpisodeStatus | undefined;
  stationCode?: string | undefined;
  sourceCode?: string | undefined;
}

/** What `listWaterEpisodes` filters on, without its page: undefined when the viewer sees nothing. */
async function listWaterEpisodesConditions(deps: WaterDeps, viewer: Viewer, filter: WaterEpisodeFilter): Promise<(SQL | undefined)[] | undefined> {
  const conditions: (SQL | undefined)[] = [stationScope(viewer, sql`${waterEpisodes.cellCode}`)];
  if (filter.status) conditions.push(eq(waterEpisodes.status, filter.status));
  if (filter.stationCode) conditions.push(eq(waterEpisodes.stationCode, filter.stationCode));
  if (filter.sourceCode) conditions.push(eq(waterEpisodes.sourceCode, filter.sourceCode));
  return conditions;
}

/** Newest first; `beforeId` pages back through history. */
export async function listWaterEpisodes(
  deps: WaterDeps,
  viewer: Viewer,
  filter: WaterEpisodeFilter,
  page: { limit: number; beforeId: number | undefined },
): Promise<WaterEpisode[]> {
  const conditions = await listWaterEpisodesConditions(deps, viewer, filter);
  if (!conditions) return [];
  if (page.beforeId !== undefined) conditions.push(lt(waterEpisodes.id, page.beforeId));
  const rows = await deps.db.orm
    .select()
    .from(waterEpisodes)
    .where(and(...conditions))
    .orderBy(desc(waterEpisodes.id))
    .limit(page.limit);
  return rows.map(toEpisode);
}

/** How many rows `listWaterEpisodes` would page through, every page together (one statement). */
export async function countWaterEpisodes(deps: WaterDeps, viewer: Viewer, filter: WaterEpisodeFilter): Promise<number> {
  const conditions = await listWaterEpisodesConditions(deps, viewer, filter);
  return conditions ? deps.db.orm.$count(waterEpisodes, and(...conditions)) : 0;
}

export async function episodesByIds(deps: WaterDeps, viewer: Viewer, ids: readonly number[]): Promise<(WaterEpisode | undefined)[]> {
  if (ids.length === 0) return [];
  const rows = await deps.db.orm
    .select()
    .from(waterEpisodes)
    .where(and(inArray(waterEpisodes.id, [...ids]), stationScope(viewer, sql`${waterEpisodes.cellCode}`)));
  const byId = new Map(rows.map((row) => [row.id, toEpisode(row)]));
  return ids.map((id) => byId.get(id));
}

/** The open episode of each station, if any: one statement for any number of stations. */
export async function openEpisodesByStationIds(deps: WaterDeps, viewer: Viewer, stationIds: readonly number[]): Promise<(WaterEpisode | undefined)[]> {
  if (stationIds.length === 0) return [];
  const rows = await deps.db.orm
    .select()
    .from(waterEpisodes)
    .where(and(inArray(waterEpisodes.stationId, [...stationIds]), eq(waterEpisodes.status, 'OPEN'), stationScope(viewer, sql`${waterEpisodes.cellCode}`)));
  const byStation = new Map(rows.map((row) => [row.stationId, toEpisode(row)]));
  return stationIds.map((id) => byStation.get(id));
}
