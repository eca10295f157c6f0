import type { Viewer } from '../../../src/auth/viewer';
import { calculateWaterClass, type WaterCalculation, type WaterSampleInput } from './calculator';
import { episodesByIds, listWaterEpisodes, countWaterEpisodes, openEpisodesByStationIds, type WaterEpisodeFilter } from './episodes';
import { evaluateWaterEpisodes } from './evaluate';
import { latestClasses, waterQuality, type WaterQualityQuery } from './quality';
import {
  createWaterSource,
  createWaterStation,
  listWaterSources,
  countWaterSources,
  sourcesByIds,
  stationsByCodes,
  stationsByIds,
  stationsBySourceIds,
  type WaterSourceInput,
  type WaterStationInput,
} from './registry';
import type { EvaluationSummary, WaterDeps, WaterEpisode, WaterQualityPoint, WaterSource, WaterStation } from './types';

export type { WaterCalculation } from './calculator';

/** The water module's service: what its resolvers, its timer and other modules call. */
import { waterStationPoints, type WaterStationPoint } from './duty';

export interface WaterService {
  createWaterSource(input: WaterSourceInput): Promise<WaterSource>;
  createWaterStation(input: WaterStationInput): Promise<WaterStation>;
  listWaterSources(viewer: Viewer, page: { limit: number; afterId: number | undefined }): Promise<WaterSource[]>;
  countWaterSources(viewer: Viewer): Promise<number>;
  sourcesByIds(viewer: Viewer, ids: readonly number[]): Promise<(WaterSource | undefined)[]>;
  stationsByIds(viewer: Viewer, ids: readonly number[]): Promise<(WaterStation | undefined)[]>;
  stationsByCodes(viewer: Viewer, codes: readonly string[]): Promise<(WaterStation | undefined)[]>;
  stationsBySourceIds(viewer: Viewer, sourceIds: readonly number[]): Promise<WaterStation[][]>;
  waterQuality(viewer: Viewer, query: WaterQualityQuery): Promise<WaterQualityPoint[]>;
  /** each station's newest classed hour of the last two days, by code, in one read for all of them */
  latestClasses(viewer: Viewer, codes: readonly string[]): Promise<(WaterQualityPoint | undefined)[]>;
  /** the GB 3838 calculator: pure, open to everyone */
  classifyWater(input: WaterSampleInput): WaterCalculation;
  /**
   * Applies each station's latest complete hour before `now` to its episodes (and hours missed
   * since its last evaluation); with `from`, replays every hour from there.
   */
  evaluateWaterEpisodes(now: Date, options?: { from?: Date }): Promise<EvaluationSummary>;
  listWaterEpisodes(viewer: Viewer, filter: WaterEpisodeFilter, page: { limit: number; beforeId: number | undefined }): Promise<WaterEpisode[]>;
  countWaterEpisodes(viewer: Viewer, filter: WaterEpisodeFilter): Promise<number>;
  episodesByIds(viewer: Viewer, ids: readonly number[]): Promise<(WaterEpisode | undefined)[]>;
  openEpisodesByStationIds(viewer: Viewer, stationIds: readonly number[]): Promise<(WaterEpisode | undefined)[]>;
  /** the stations on the duty map, coloured by episode and analyser state */
  dutyPoints(viewer: Viewer): Promise<WaterStationPoint[]>;
}

export function createWaterService(deps: WaterDeps): WaterService {
  return {
    createWaterSource: (input) => createWaterSource(deps, input),
    createWaterStation: (input) => createWaterStation(deps, input),
    listWaterSources: (viewer, page) => listWaterSources(deps, viewer, page),
    countWaterSources: (viewer) => countWaterSources(deps, viewer),
    sourcesByIds: (viewer, ids) => sourcesByIds(deps, viewer, ids),
    stationsByIds: (viewer, ids) => stationsByIds(deps, viewer, ids),
    stationsByCodes: (viewer, codes) => stationsByCodes(deps, viewer, codes),
    stationsBySourceIds: (viewer, ids) => stationsBySourceIds(deps, viewer, ids),
    waterQuality: (viewer, query) => waterQuality(deps, viewer, query),
    latestClasses: (viewer, codes) => latestClasses(deps, viewer, codes, deps.now()),
    classifyWater: calculateWaterClass,
    evaluateWaterEpisodes: (now, options) => evaluateWaterEpisodes(deps, now, options),
    listWaterEpisodes: (viewer, filter, page) => listWaterEpisodes(deps, viewer, filter, page),
    countWaterEpisodes: (viewer, filter) => countWaterEpisodes(deps, viewer, filter),
    episodesByIds: (viewer, ids) => episodesByIds(deps, viewer, ids),
    openEpisodesByStationIds: (viewer, ids) => openEpisodesByStationIds(deps, viewer, ids),
    dutyPoints: (viewer) => waterStationPoints(deps, viewer),
  };
}
