import { defineLoader } from '../../../src/graphql/loaders';
import type { HubContext } from '../../../src/graphql/context';
import { monitoringServiceRef, type Monitor } from '../../../src/monitoring/public';
import { gridServiceRef, type GridCell } from '../../grid/public';
import { sourceServiceRef, type SourceService } from '../public';
import type { Outlet, SnapshotTarget } from '../service/types';
import type { OutletFile } from '../service/outlets';

const source = (ctx: HubContext): SourceService => ctx.services.get(sourceServiceRef);

/** Entities fetched by key answer in the viewer's scope: what a viewer may not see comes back undefined. */
export const enterpriseLoader = defineLoader((ctx, ids: readonly number[]) => source(ctx).enterprises.byIds(ctx.viewer, ids));
export const enterpriseByUsccLoader = defineLoader((ctx, codes: readonly string[]) => source(ctx).enterprises.byUscc(ctx.viewer, codes));
export const inspectionLoader = defineLoader((ctx, ids: readonly number[]) => source(ctx).enforcement.inspectionsByIds(ctx.viewer, ids));
export const caseLoader = defineLoader((ctx, ids: readonly number[]) => source(ctx).enforcement.casesByIds(ctx.viewer, ids));
export const siteLoader = defineLoader((ctx, ids: readonly number[]) => source(ctx).video.sitesByIds(ctx.viewer, ids));
export const cameraLoader = defineLoader((ctx, ids: readonly number[]) => source(ctx).video.camerasByIds(ctx.viewer, ids));
export const sampleRetentionLoader = defineLoader((ctx, ids: readonly number[]) => source(ctx).samples.byIds(ctx.viewer, ids));
/** Monitors in the monitoring core's own row scope. */
export const sourceMonitorLoader = defineLoader<number, Monitor>((ctx, ids) => ctx.services.get(monitoringServiceRef).monitorsByIds(ctx.viewer, ids));
export const sourceCellLoader = defineLoader<string, GridCell>((ctx, codes) => ctx.services.get(gridServiceRef).cellsByCodes(codes));

/*
 * Relations of an entity the viewer has already been shown (an enterprise in scope): the parent's
 * scope check covers them, so these read by parent key only, one statement per batch.
 */
export const permitsLoader = defineLoader((ctx, ids: readonly number[]) => source(ctx).files.permits(ids));
export const permitLimitsLoader = defineLoader((ctx, ids: readonly number[]) => source(ctx).files.permitLimits(ids));
export const outletMonitorsLoader = defineLoader((ctx, ids: readonly number[]) => source(ctx).files.outletMonitors(ids));
/**
 * An enterprise's outlets come with their monitor links and their monitors in the viewer's scope,
 * read in the same statement: the links' and monitors' loaders are primed with them, so a
 * selection down to the monitors costs no further statement.
 */
export const outletsLoader = defineLoader(async (ctx, ids: readonly number[]) =>
  (await source(ctx).files.outletFiles(ctx.viewer, ids)).map((files) => primeOutletFiles(ctx, files)),
);

/**
 * What a statement read along with an object, by the object: its fields resolve from it at once,
 * without a loader's promise per field (a page of twenty enterprises down to their monitors is
 * some eighty of them). The objects are the request's own, so this ends with the request.
 */
const filesOfOutlets = new WeakMap<Outlet, OutletFile>();
const outletsOfEnterprises = new WeakMap<object, Outlet[]>();

/** The outlet's links and visible monitors, when they were read with it. */
export const outletFileOf = (outlet: Outlet): OutletFile | undefined => filesOfOutlets.get(outlet);
/** The enterprise's outlets, when they were read with it. */
export const outletsReadWith = (enterprise: object): Outlet[] | undefined => outletsOfEnterprises.get(enterprise);

/** Primes the loaders with an enterprise's outlet files and keeps them with the enterprise; returns the outlets. */
export function primeEnterpriseOutlets(ctx: HubContext, enterprise: { id: number }, files: readonly OutletFile[]): Outlet[] {
  const outlets = primeOutletFiles(ctx, files);
  outletsLoader(ctx).prime(enterprise.id, outlets);
  outletsOfEnterprises.set(enterprise, outlets);
  return outlets;
}

/** Primes the links' and monitors' loaders with outlet files; returns the outlets. */
export function primeOutletFiles(ctx: HubContext, files: readonly OutletFile[]): Outlet[] {
  const links = outletMonitorsLoader(ctx);
  const monitors = sourceMonitorLoader(ctx);
  for (const file of files) {
    filesOfOutlets.set(file.outlet, file);
    links.prime(file.outlet.id, file.links);
    const visible = new Set(file.monitors.map((monitor) => monitor.id));
    for (const monitor of file.monitors) monitors.prime(monitor.id, monitor);
    // a linked monitor outside the viewer's scope is known to be invisible: nothing to read again
    for (const link of file.links) if (!visible.has(link.monitorId)) monitors.prime(link.monitorId, undefined);
  }
  return files.map((file) => file.outlet);
}
export const outletLimitsLoader = defineLoader((ctx, ids: readonly number[]) => source(ctx).files.outletLimits(ids));
export const facilitiesLoader = defineLoader((ctx, ids: readonly number[]) => source(ctx).files.facilities(ids));
export const hazardousWasteLoader = defineLoader((ctx, ids: readonly number[]) => source(ctx).files.hazardousWaste(ids));
export const riskSourcesLoader = defineLoader((ctx, ids: readonly number[]) => source(ctx).files.riskSources(ids));
export const documentsLoader = defineLoader((ctx, ids: readonly number[]) => source(ctx).files.documents(ids));
export const inspectionsLoader = defineLoader((ctx, ids: readonly number[]) => source(ctx).files.inspections(ids));
export const casesLoader = defineLoader((ctx, ids: readonly number[]) => source(ctx).files.cases(ids));
export const samplersLoader = defineLoader((ctx, ids: readonly number[]) => source(ctx).files.samplers(ids));
export const retentionsLoader = defineLoader((ctx, ids: readonly number[]) => source(ctx).files.retentions(ids));
export const videoSitesLoader = defineLoader((ctx, ids: readonly number[]) => source(ctx).files.videoSites(ids));
export const camerasLoader = defineLoader((ctx, ids: readonly number[]) => source(ctx).files.cameras(ids));
export const retentionOfExceedanceLoader = defineLoader((ctx, ids: readonly number[]) => source(ctx).files.retentionsOfExceedances(ids));

const snapshotLoaders = {
  EXCEEDANCE: defineLoader((ctx, ids: readonly number[]) => source(ctx).files.snapshots('EXCEEDANCE', ids)),
  PATROL: defineLoader((ctx, ids: readonly number[]) => source(ctx).files.snapshots('PATROL', ids)),
  CASE: defineLoader((ctx, ids: readonly number[]) => source(ctx).files.snapshots('CASE', ids)),
};

export function snapshotLoader(kind: SnapshotTarget) {
  return snapshotLoaders[kind];
}
