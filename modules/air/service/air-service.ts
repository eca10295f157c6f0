import type { Viewer } from '../../../src/auth/viewer';
import type { AirDeps } from './deps';
import { episodesByIds, evaluateAirEpisodes, listEpisodes, countEpisodes, type AirEpisode, type AirEpisodeFilter, type EpisodeEvaluation } from './episodes';
import {
  airQuality,
  computeAqi,
  latestAirQuality,
  stationRanking,
  recentHourlyAqi,
  type AirQuality,
  type AirQualityQuery,
  type ComputeAqiInput,
  type StationQuality,
  type StationRank,
} from './quality';
import {
  createStation,
  listStations,
  countStations,
  stationsByCodes,
  type AirStation,
  type AirStationFilter,
  type AirStationInput,
  type AirStationLevel,
} from './stations';

/** The air module's service: what its resolvers, its worker and other modules call. */
import { forecastStations, type AirStationForecast } from './forecast';
import { airStationPoints, type AirStationPoint } from './duty';

export interface AirService {
  /** registers a station and its HJ 212 logger as a monitor; callers check the viewer is an administrator */
  createStation(input: AirStationInput): Promise<AirStation>;
  listStations(viewer: Viewer, filter: AirStationFilter, page: { limit: number; afterId: number | undefined }): Promise<AirStation[]>;
  countStations(viewer: Viewer, filter: AirStationFilter): Promise<number>;
  stationsByCodes(viewer: Viewer, codes: readonly string[]): Promise<(AirStation | undefined)[]>;
  airQuality(viewer: Viewer, query: AirQualityQuery): Promise<AirQuality[]>;
  latestAirQuality(viewer: Viewer): Promise<StationQuality[]>;
  stationRanking(viewer: Viewer, day: string, level?: AirStationLevel): Promise<StationRank[]>;
  /** each station's hourly AQI over the last `hours` complete hours (undefined: not visible) */
  recentHourlyAqi(viewer: Viewer, codes: readonly string[], hours: number): Promise<(AirQuality[] | undefined)[]>;
  /** pure: no data read, open to anyone */
  computeAqi(input: ComputeAqiInput): AirQuality;
  /**
   * Evaluates the newest complete hours at `now` (the hub clock when absent) for episodes; with
   * `since`, every complete hour from then on, in order.
   */
  evaluateAirEpisodes(now?: Date, options?: { since?: Date }): Promise<EpisodeEvaluation>;
  listEpisodes(viewer: Viewer, filter: AirEpisodeFilter, page: { limit: number; beforeId: number | undefined }): Promise<AirEpisode[]>;
  countEpisodes(viewer: Viewer, filter: AirEpisodeFilter): Promise<number>;
  episodesByIds(viewer: Viewer, ids: readonly number[]): Promise<(AirEpisode | undefined)[]>;
  /** each station's AQI for the next 24 hours, from forecast concentrations (undefined: not visible) */
  forecastStations(viewer: Viewer, stations: readonly AirStation[]): Promise<(AirStationForecast | undefined)[]>;
  /** the stations on the duty map, coloured by episode and monitor state */
  dutyPoints(viewer: Viewer): Promise<AirStationPoint[]>;
}

export function createAirService(deps: AirDeps): AirService {
  return {
    createStation: (input) => createStation(deps, input),
    listStations: (viewer, filter, page) => listStations(deps, viewer, filter, page),
    countStations: (viewer, filter) => countStations(deps, viewer, filter),
    stationsByCodes: (viewer, codes) => stationsByCodes(deps, viewer, codes),
    airQuality: (viewer, query) => airQuality(deps, viewer, query),
    latestAirQuality: (viewer) => latestAirQuality(deps, viewer),
    stationRanking: (viewer, day, level) => stationRanking(deps, viewer, day, level),
    recentHourlyAqi: (viewer, codes, hours) => recentHourlyAqi(deps, viewer, codes, hours),
    computeAqi: (input) => computeAqi(input),
    evaluateAirEpisodes: (now, options) => evaluateAirEpisodes(deps, now ?? deps.now(), options),
    listEpisodes: (viewer, filter, page) => listEpisodes(deps, viewer, filter, page),
    countEpisodes: (viewer, filter) => countEpisodes(deps, viewer, filter),
    episodesByIds: (viewer, ids) => episodesByIds(deps, viewer, ids),
    forecastStations: (viewer, stations) => forecastStations(deps, viewer, stations),
    dutyPoints: (viewer) => airStationPoints(deps, viewer),
  };
}
