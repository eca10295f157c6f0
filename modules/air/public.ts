/** What other modules may use of the air module. */
import { createServiceRef } from '../../src/services';
import type { AirService } from './service';

export const airServiceRef = createServiceRef<AirService>('air');
export type { AirService } from './service';
export type { AirStation, AirStationLevel, AirStationInput, AirStationFilter } from './stations';
export type { AirStationForecast, AirForecastHour, PollutantForecast } from './forecast';
export type { AirQuality, Granularity, StationQuality, StationRank, ComputeAqiInput } from './quality';
export type { AirEpisode, AirEpisodeStatus, AirEpisodeFilter, EpisodeEvaluation } from './episodes';
export type { AirEpisodeEventPayload, EpisodeThreshold } from './events';
export type { AqiEdition, AqiLevel, Pollutant } from './aqi';
export { AIR_EPISODE_TOPICS, airEpisodeOpened, airEpisodeEscalated, airEpisodeClosed } from './events';
export { AirStationRef, AirEpisodeRef } from './graphql/refs';
export { MAX_HOURS, MAX_DAYS } from './quality';
