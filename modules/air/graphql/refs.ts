import { ObjectRef } from '@pothos/core';
import type { HubTypes } from '../../../src/graphql/builder';
import type { AirEpisode } from '../service/episodes';
import type { AirStation } from '../service/stations';

/** Refs other modules may extend with fields of their own (`AirStation` is keyed by `code`). */
export const AirStationRef = new ObjectRef<HubTypes, AirStation>('AirStation');
export const AirEpisodeRef = new ObjectRef<HubTypes, AirEpisode>('AirEpisode');
