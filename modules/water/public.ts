/** What other modules may use of the water module. */
import { createServiceRef } from '../../src/services';
import type { WaterService } from './service/water-service';

export const waterServiceRef = createServiceRef<WaterService>('water');
export type { WaterService, WaterCalculation } from './service/water-service';
export type { WaterSource, WaterStation, WaterEpisode, WaterQualityPoint, QualityItem, Granularity, EvaluationSummary } from './service/types';
export type { WaterSourceInput, WaterStationInput } from './service/registry';
export type { WaterClass, LimitedClass, Waterbody, ProtectionZone } from './service/classify';
export type { WaterEpisodePayload, WaterFailingItem } from './events';
export { WATER_EPISODE_TOPICS, waterEpisodeOpened, waterEpisodeUpdated, waterEpisodeClosed } from './events';
export { WaterSourceRef, WaterStationRef, WaterEpisodeRef } from './graphql/refs';
export { stationVisible } from './service/scope';
