import { defineLoader } from '../../graphql/loaders';
import { monitoringServiceRef } from '../public';
import type { Exceedance, Monitor } from '../types';
import type { LatestReading } from '../queries';

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
