import { defineLoader } from '../../graphql/loaders';
import { monitoringServiceRef } from '../public';
import type { Exceedance, Monitor } from '../types';
import type { LatestReading } from '../queries';
import type { FacilityRunTime } from '../amounts';

/** Monitors by id, in the viewer's scope. */
export const monitorLoader = defineLoader<number, Monitor>((ctx, ids) => ctx.services.get(monitoringServiceRef).monitorsByIds(ctx.viewer, ids));

/** Monitors by HJ 212 MN, in the viewer's scope: federation references arrive by MN. */
export const monitorByMnLoader = defineLoader<string, Monitor>((ctx, mns) => ctx.services.get(monitoringServiceRef).monitorsByMns(ctx.viewer, mns));

export const exceedanceLoader = defineLoader<number, Exceedance>((ctx, ids) => ctx.services.get(monitoringServiceRef).exceedancesByIds(ctx.viewer, ids));

/** Latest values per monitor: one statement however many monitors a query touches. */
export const latestLoader = defineLoader<number, LatestReading[]>(async (ctx, ids) => {
  const rows = await ctx.services.get(monitoringServiceRef).latest(ids);
  const byMonitor = new Map<number, LatestReading[]>();
  for (const row of rows) {
    const list = byMonitor.get(row.monitorId);
    if (list) list.push(row);
    else byMonitor.set(row.monitorId, [row]);
  }
  return ids.map((id) => byMonitor.get(id) ?? []);
});

/**
 * 2041 run times per monitor for one range and limit: monitors asked with the same arguments share
 * one statement. Keys are `monitorId|from|to|limit`.
 */
export const runTimesLoader = defineLoader<string, FacilityRunTime[]>(async (ctx, keys) => {
  const groups = new Map<string, number[]>();
  for (const key of keys) {
    const [id, ...rest] = key.split('|');
    const args = rest.join('|');
    const list = groups.get(args);
    if (list) list.push(Number(id));
    else groups.set(args, [Number(id)]);
  }
  const found = new Map<string, FacilityRunTime[]>();
  await Promise.all(
    [...groups].map(async ([args, monitorIds]) => {
      const [from = '', to = '', limit = ''] = args.split('|');
      const rows = await ctx.services.get(monitoringServiceRef).facilityRunTimes({ monitorIds, from: new Date(from), to: new Date(to), limit: Number(limit) });
      for (const row of rows) {
        const key = `${row.monitorId}|${args}`;
        const list = found.get(key);
        if (list) list.push(row);
        else found.set(key, [row]);
      }
    }),
  );
  return keys.map((key) => found.get(key) ?? []);
});
