import { defineEvent } from '../../src/events/topics';
import type { AqiEdition, AqiLevel, Pollutant } from './service/aqi';

/** Which AQI marks an air episode crosses: above 100 opens one, above 200 and 300 escalate it. */
export type EpisodeThreshold = 100 | 200 | 300;

/** What every air episode event carries: enough to filter, scope and display without a query. */
export interface AirEpisodeEventPayload {
  episodeId: number;
  stationCode: string;
  stationName: string;
  cellCode: string | null;
  /** the hourly AQI of `hour` */
  aqi: number;
  level: AqiLevel;
  primaryPollutants: Pollutant[];
  /** start of the hour the AQI describes (ISO 8601) */
  hour: string;
  /** the highest mark passed so far; for `closed`, the highest the episode reached */
  threshold: EpisodeThreshold;
  edition: AqiEdition;
}

export const airEpisodeOpened = defineEvent<AirEpisodeEventPayload>('air.episode.opened');
export const airEpisodeEscalated = defineEvent<AirEpisodeEventPayload>('air.episode.escalated');
export const airEpisodeClosed = defineEvent<AirEpisodeEventPayload>('air.episode.closed');
export const AIR_EPISODE_TOPICS = [airEpisodeOpened, airEpisodeEscalated, airEpisodeClosed] as const;
