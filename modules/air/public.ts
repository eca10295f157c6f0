/** What other modules may use of the air module. */
import { createServiceRef } from '../../src/services';
import type { AirService } from './service/air-service';

export const airServiceRef = createServiceRef<AirService>('air');
export type { AirService } from './service/air-service';
export type { AirStation, AirStationLevel, AirStationInput, AirStationFilter } from './service/stations';
export type { AirStationForecast, AirForecastHour, PollutantForecast } from './service/forecast';
export type { AirQuality, Granularity, StationQuality, StationRank, ComputeAqiInput } from './service/quality';
export type { AirEpisode, AirEpisodeStatus, AirEpisodeFilter, EpisodeEvaluation } from './service/episodes';
export type { AirEpisodeEventPayload, EpisodeThreshold } from './events';
export type { AqiEdition, AqiLevel, Pollutant } from './service/aqi';
export { AIR_EPISODE_TOPICS, airEpisodeOpened, airEpisodeEscalated, airEpisodeClosed } from './events';
export { AirStationRef, AirEpisodeRef } from './graphql/refs';
export { MAX_HOURS, MAX_DAYS } from './service/quality';
