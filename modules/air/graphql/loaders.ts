import { defineLoader } from '../../../src/graphql/loaders';
import { monitoringServiceRef, type Monitor } from '../../../src/monitoring/public';
import type { AirEpisode } from '../episodes';
import { airServiceRef } from '../public';
import type { AirStation } from '../stations';

/** Stations by code, for everything that points at one (episodes, events, rankings). */
export const airStationLoader = defineLoader<string, AirStation>((ctx, codes) => ctx.services.get(airServiceRef).stationsByCodes(ctx.viewer, codes));

export const airEpisodeLoader = defineLoader<number, AirEpisode>((ctx, ids) => ctx.services.get(airServiceRef).episodesByIds(ctx.viewer, ids));

/** The stations' loggers, through the monitoring core and its row scope. */
export const stationMonitorLoader = defineLoader<number, Monitor>((ctx, ids) => ctx.services.get(monitoringServiceRef).monitorsByIds(ctx.viewer, ids));
