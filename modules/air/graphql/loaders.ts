import { defineLoader } from '../../../src/graphql/loaders';
import { monitoringServiceRef, type Monitor } from '../../../src/monitoring/public';
import type { AirEpisode } from '../service/episodes';
import type { AirQuality } from '../service/quality';
import { airServiceRef } from '../public';
import type { AirStation } from '../service/stations';

/** Stations by code, for everything that points at one (episodes, events, rankings). */
export const airStationLoader = defineLoader<string, AirStation>((ctx, codes) => ctx.services.get(airServiceRef).stationsByCodes(ctx.viewer, codes));

export const airEpisodeLoader = defineLoader<number, AirEpisode>((ctx, ids) => ctx.services.get(airServiceRef).episodesByIds(ctx.viewer, ids));

/** The stations' loggers, through the monitoring core and its row scope. */
export const stationMonitorLoader = defineLoader<number, Monitor>((ctx, ids) => ctx.services.get(monitoringServiceRef).monitorsByIds(ctx.viewer, ids));

/**
 * Stations' hourly AQI over their last hours, keyed `hours|code`: one read per distinct `hours`
 * for every station of the request (a ranking asks the same hours for all).
 */
export const recentAqiLoader = defineLoader<string, AirQuality[]>(async (ctx, keys) => {
  const byHours = new Map<number, string[]>();
  for (const key of keys) {
    const [hours, code] = [Number(key.slice(0, key.indexOf('|'))), key.slice(key.indexOf('|') + 1)];
    byHours.set(hours, [...(byHours.get(hours) ?? []), code]);
  }
  const found = new Map<string, AirQuality[] | undefined>();
  for (const [hours, codes] of byHours) {
    const lists = await ctx.services.get(airServiceRef).recentHourlyAqi(ctx.viewer, codes, hours);
    codes.forEach((code, index) => found.set(`${hours}|${code}`, lists[index]));
  }
  return keys.map((key) => found.get(key));
});
