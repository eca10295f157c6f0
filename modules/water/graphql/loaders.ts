import { defineLoader } from '../../../src/graphql/loaders';
import { monitoringServiceRef, type Monitor } from '../../../src/monitoring/public';
import { waterServiceRef } from '../public';
import type { WaterEpisode, WaterQualityPoint, WaterSource, WaterStation } from '../service/types';

/** Every loader answers in the viewer's scope: what a viewer may not see comes back undefined. */
export const waterSourceLoader = defineLoader<number, WaterSource>((ctx, ids) => ctx.services.get(waterServiceRef).sourcesByIds(ctx.viewer, ids));

export const waterStationLoader = defineLoader<number, WaterStation>((ctx, ids) => ctx.services.get(waterServiceRef).stationsByIds(ctx.viewer, ids));

export const waterStationByCodeLoader = defineLoader<string, WaterStation>((ctx, codes) =>
  ctx.services.get(waterServiceRef).stationsByCodes(ctx.viewer, codes),
);

export const stationsOfSourceLoader = defineLoader<number, WaterStation[]>((ctx, ids) =>
  ctx.services.get(waterServiceRef).stationsBySourceIds(ctx.viewer, ids),
);

export const waterEpisodeLoader = defineLoader<number, WaterEpisode>((ctx, ids) => ctx.services.get(waterServiceRef).episodesByIds(ctx.viewer, ids));

export const openEpisodeLoader = defineLoader<number, WaterEpisode>((ctx, ids) => ctx.services.get(waterServiceRef).openEpisodesByStationIds(ctx.viewer, ids));

/** The station's analyser in the monitoring core, in the monitoring core's own scope. */
export const stationMonitorLoader = defineLoader<number, Monitor>((ctx, ids) => ctx.services.get(monitoringServiceRef).monitorsByIds(ctx.viewer, ids));

/** Newest classed hour per station code: every station of a request (a province's list) in one read. */
export const latestClassLoader = defineLoader<string, WaterQualityPoint>((ctx, codes) => ctx.services.get(waterServiceRef).latestClasses(ctx.viewer, codes));
