import { ObjectRef } from '@pothos/core';
import type { HubTypes } from '../../../src/graphql/builder';
import type { WaterEpisode, WaterSource, WaterStation } from '../service/types';

/** Refs other modules may use in their own fields (`GridCell.waterStations`, disclosure reports). */
export const WaterSourceRef = new ObjectRef<HubTypes, WaterSource>('WaterSource');
export const WaterStationRef = new ObjectRef<HubTypes, WaterStation>('WaterStation');
export const WaterEpisodeRef = new ObjectRef<HubTypes, WaterEpisode>('WaterEpisode');
