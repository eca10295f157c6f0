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
const monitorsById = defineLoader<number, Monitor>((ctx, ids) => ctx.services.get(monitoringServiceRef).monitorsByIds(ctx.viewer, ids));
export const sourceMonitorLoader = (ctx: HubContext) => primed(ctx, monitorsById);
export const sourceCellLoader = defineLoader<string, GridCell>((ctx, codes) => ctx.services.get(gridServiceRef).cellsByCodes(codes));

/*
 * Relations of an entity the viewer has already been shown (an enterprise in scope): the parent's
 * scope check covers them, so these read by parent key only, one statement per batch.
 */
export const permitsLoader = defineLoader((ctx, ids: readonly number[]) => source(ctx).files.permits(ids));
export const permitLimitsLoader = defineLoader((ctx, ids: readonly number[]) => source(ctx).files.permitLimits(ids));
const linksOfOutlets = defineLoader((ctx, ids: readonly number[]) => source(ctx).files.outletMonitors(ids));
export const outletMonitorsLoader = (ctx: HubContext) => primed(ctx, linksOfOutlets);
/**
 * An enterprise's outlets come with their monitor links and their monitors in the viewer's scope,
 * read in the same statement: the links' and monitors' loaders are primed with them, so a
 * selection down to the monitors costs no further statement.
 */
const outletsOfEnterprise = defineLoader(async (ctx, ids: readonly number[]) => {
  const files = await source(ctx).files.outletFiles(ctx.viewer, ids);
  return files.map((filesOfOne) => {
    primeOutletFiles(ctx, filesOfOne);
    return keepOutletFiles(filesOfOne);
  });
});
export const outletsLoader = (ctx: HubContext) => primed(ctx, outletsOfEnterprise);

/**
 * What a statement read along with an object, kept on the object under a symbol (no field reads
 * it, and JSON and GraphQL never show it): its fields resolve from it at once, without a loader's
 * promise per field (a page of twenty enterprises down to their monitors is some eighty of them).
 * The objects are the request's own, so this ends with the request.
 */
const FILE = Symbol('outlet file');
const OUTLETS = Symbol('outlets read with');

/** The outlet's links and visible monitors, when they were read with it. */
export const outletFileOf = (outlet: Outlet): OutletFile | undefined => (outlet as { [FILE]?: OutletFile })[FILE];
/** The enterprise's outlets, when they were read with it. */
export const outletsReadWith = (enterprise: object): Outlet[] | undefined => (enterprise as { [OUTLETS]?: Outlet[] })[OUTLETS];

/** Keeps each outlet's file on it; returns the outlets. */
function keepOutletFiles(files: readonly OutletFile[]): Outlet[] {
  return files.map((file) => {
    (file.outlet as { [FILE]?: OutletFile })[FILE] = file;
    return file.outlet;
  });
}

/**
 * Outlet files a page read, by request, not yet in the loaders: nested fields resolve from the
 * files themselves, so the loaders are primed only when a field in the same request asks one of
 * them (an enterprise's facilities asking for a monitor, say), not for every page.
 */
const unprimed = new WeakMap<HubContext, { enterpriseId: number; outlets: Outlet[]; files: readonly OutletFile[] }[]>();

function primed<L>(ctx: HubContext, loaderOf: (ctx: HubContext) => L): L {
  const pending = unprimed.get(ctx);
  if (pending) {
    unprimed.delete(ctx);
    const outlets = outletsOfEnterprise(ctx);
    for (const { enterpriseId, outlets: ofEnterprise, files } of pending) {
      outlets.prime(enterpriseId, ofEnterprise);
      primeOutletFiles(ctx, files);
    }
  }
  return loaderOf(ctx);
}

/** Keeps an enterprise's outlet files with it for its fields, and for the loaders should one be asked; returns the outlets. */
export function primeEnterpriseOutlets(ctx: HubContext, enterprise: { id: number }, files: readonly OutletFile[]): Outlet[] {
  const outlets = keepOutletFiles(files);
  (enterprise as { [OUTLETS]?: Outlet[] })[OUTLETS] = outlets;
  let pending = unprimed.get(ctx);
  if (!pending) unprimed.set(ctx, (pending = []));
  pending.push({ enterpriseId: enterprise.id, outlets, files });
  return outlets;
}

/**
 * Primes the links' and monitors' loaders with outlet files. Monitors read with some columns
 * only (`partial`) stay out of the monitors' loader: another field asking for one gets it whole.
 */
function primeOutletFiles(ctx: HubContext, files: readonly OutletFile[]): void {
  const links = linksOfOutlets(ctx);
  const monitors = monitorsById(ctx);
  for (const file of files) {
    links.prime(file.outlet.id, file.links);
    for (const [index, link] of file.links.entries()) {
      const monitor = file.linked[index];
      // a linked monitor outside the viewer's scope is known to be invisible: nothing to read again
      if (monitor === undefined) monitors.prime(link.monitorId, undefined);
      else if (!file.partial) monitors.prime(monitor.id, monitor);
    }
  }
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
