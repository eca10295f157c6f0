import { isStaff } from '../../../src/auth/viewer';
import type { HubBuilder } from '../../../src/graphql/builder';
import { ExceedanceRef, exceedancePage, MonitorRef, type Monitor } from '../../../src/monitoring/public';
import { limitArgument, limitedList, takeLimit, type ListLimit } from '../../../src/graphql/cost/declare';
import { GridCellRef } from '../../grid/public';
import { facilityState, FILE_HISTORY_CAP, type FacilityState } from '../service/records';
import { MAX_MONITORS_PER_OUTLET } from '../service/outlets';
import type { EnterpriseDocument, Facility, HazardousWasteRecord, Outlet, Permit, PermitLimit, RiskSource } from '../service/types';
import {
  casesLoader,
  documentsLoader,
  enterpriseByUsccLoader,
  enterpriseLoader,
  facilitiesLoader,
  hazardousWasteLoader,
  inspectionsLoader,
  outletLimitsLoader,
  outletFileOf,
  outletMonitorsLoader,
  outletsLoader,
  outletsReadWith,
  permitLimitsLoader,
  permitsLoader,
  riskSourcesLoader,
  samplersLoader,
  sourceCellLoader,
  sourceMonitorLoader,
  videoSitesLoader,
} from './loaders';
import { EnforcementCaseRef, EnterpriseRef, InspectionRef, VideoSiteRef } from './refs';

/** Characters of a unified social credit code: the head of every national permit number. */
const USCC_LENGTH = 18;
import type { SamplerTypes } from './samplers';
import type { HubContext } from '../../../src/graphql/context';
import type { SourceEnums } from './enums';
import { loadNodes, loadPresent } from '../../../src/graphql/loaders';

/** The enterprise file's lists: what a client gets unless it asks (`limit`), and the most it may ask. */
export const FILE_LISTS = {
  permits: { default: 20, max: 100 },
  outlets: { default: 10, max: 100 },
  records: { default: 20, max: 100 },
  history: { default: 20, max: FILE_HISTORY_CAP },
  // an outlet holds at most MAX_MONITORS_PER_OUTLET analysers: all of them unless asked
  outletMonitors: { default: MAX_MONITORS_PER_OUTLET, max: MAX_MONITORS_PER_OUTLET },
  limits: { default: 50, max: 500 },
} as const satisfies Record<string, ListLimit>;

const listOf = async <T>(promise: Promise<T[] | undefined>): Promise<T[]> => (await promise) ?? [];

function monitorsOf(ids: readonly number[], ctx: HubContext): Promise<Monitor[]> {
  return loadPresent(sourceMonitorLoader(ctx), ids);
}

/** The enterprise file (一企一档) and everything in it; the file's records, for the mutations that add them. */
export function registerEnterpriseTypes(builder: HubBuilder, enums: SourceEnums, { WaterSamplerRef }: SamplerTypes) {
  const PointRef = builder.objectRef<{ longitude: number; latitude: number }>('EnterprisePoint').implement({
    fields: (t) => ({ longitude: t.exposeFloat('longitude'), latitude: t.exposeFloat('latitude') }),
  });
  const point = (longitude: number | null, latitude: number | null) => (longitude !== null && latitude !== null ? { longitude, latitude } : null);

  const PermitLimitRef = builder.objectRef<PermitLimit>('PermitLimit').implement({
    description: 'A permitted limit of one factor at one outlet; the monitoring core judges the outlet’s readings by it.',
    fields: (t) => ({
      factor: t.exposeString('factor', { description: 'HJ 212 factor code' }),
      upper: t.exposeFloat('upper', { nullable: true }),
      lower: t.exposeFloat('lower', { nullable: true }),
      unit: t.exposeString('unit', { description: 'mg/L, ug/L (heavy metals, as the analysers report), mg/m3' }),
      basis: t.field({ type: enums.LimitBasis, description: 'CONVERTED: flue gas at the outlet’s reference O2', resolve: (l) => l.basis }),
      standard: t.exposeString('standard', { nullable: true }),
      validFrom: t.field({ type: 'DateTime', resolve: (l) => l.validFrom }),
      outletId: t.exposeInt('outletId'),
    }),
  });

  const PermitRef = builder.objectRef<Permit>('Permit').implement({
    description: 'A pollutant discharge permit (排污许可证).',
    fields: (t) => ({
      number: t.exposeString('number'),
      validFrom: t.field({ type: 'DateTime', resolve: (p) => p.validFrom }),
      validTo: t.field({ type: 'DateTime', resolve: (p) => p.validTo }),
      issuedBy: t.exposeString('issuedBy', { nullable: true }),
      limits: t.field({
        type: [PermitLimitRef],
        description: 'every limit and its history, by outlet and factor',
        args: { limit: t.arg.int(limitArgument(FILE_LISTS.limits)) },
        extensions: limitedList(FILE_LISTS.limits),
        resolve: async (p, args, ctx) => takeLimit(await listOf(permitLimitsLoader(ctx).load(p.id)), args.limit, FILE_LISTS.limits),
      }),
      permittedFactors: t.stringList({
        description: 'the pollutants the permit limits',
        resolve: async (p, _a, ctx) => [...new Set((await listOf(permitLimitsLoader(ctx).load(p.id))).map((l) => l.factor))].sort(),
      }),
    }),
  });

  const OutletRef = builder.objectRef<Outlet>('Outlet').implement({
    description: 'A discharge outlet with its monitors and current limits.',
    fields: (t) => ({
      uscc: t.string({
        description: 'USCC of the enterprise that discharges through it: with `code`, the outlet’s national key',
        resolve: async (o, _a, ctx) => {
          const enterprise = await enterpriseLoader(ctx).load(o.enterpriseId);
          // an outlet is only ever reached through its enterprise, which the viewer therefore sees
          if (!enterprise) throw new Error(`enterprise ${o.enterpriseId} of outlet ${o.id} is not visible`);
          return enterprise.uscc;
        },
      }),
      code: t.exposeString('code', { description: 'permit outlet code, e.g. DW001, DA001' }),
      name: t.exposeString('name'),
      kind: t.field({ type: enums.OutletKind, resolve: (o) => o.kind }),
      location: t.field({ type: PointRef, nullable: true, resolve: (o) => point(o.longitude, o.latitude) }),
      referenceO2: t.exposeFloat('referenceO2', { nullable: true, description: 'flue gas: reference O2 (%) its limits are converted to' }),
      monitors: t.field({
        type: [MonitorRef],
        description: 'the outlet’s analysers in the monitoring core',
        args: { limit: t.arg.int(limitArgument(FILE_LISTS.outletMonitors)) },
        extensions: limitedList(FILE_LISTS.outletMonitors),
        resolve: (o, args, ctx) => {
          const file = outletFileOf(o);
          if (file) {
            // the links in order, each to its monitor when the viewer may see it (as the loader gives them)
            return takeLimit(file.linked, args.limit, FILE_LISTS.outletMonitors).filter((monitor) => monitor !== undefined);
          }
          return listOf(outletMonitorsLoader(ctx).load(o.id)).then((links) =>
            monitorsOf(
              takeLimit(links, args.limit, FILE_LISTS.outletMonitors).map((l) => l.monitorId),
              ctx,
            ),
          );
        },
      }),
      limits: t.field({
        type: [PermitLimitRef],
        description: 'the limit of each factor in force now',
        args: { limit: t.arg.int(limitArgument(FILE_LISTS.limits)) },
        extensions: limitedList(FILE_LISTS.limits),
        resolve: async (o, args, ctx) => takeLimit(await listOf(outletLimitsLoader(ctx).load(o.id)), args.limit, FILE_LISTS.limits),
      }),
    }),
  });

  const FacilityStateRef = builder.objectRef<FacilityState>('FacilityRunState').implement({
    fields: (t) => ({
      status: t.field({ type: enums.FacilityRunStatus, resolve: (s) => s.status }),
      runHours: t.exposeFloat('runHours', { nullable: true }),
      reportedAt: t.field({ type: 'DateTime', nullable: true, resolve: (s) => s.reportedAt }),
    }),
  });

  const FacilityRef = builder.objectRef<Facility>('TreatmentFacility').implement({
    fields: (t) => ({
      name: t.exposeString('name'),
      process: t.exposeString('process', { nullable: true }),
      outletId: t.exposeInt('outletId', { nullable: true }),
      deviceCode: t.exposeString('deviceCode', { nullable: true, description: 'its id in HJ 212 2021 reports (SB1)' }),
      runState: t.field({
        type: FacilityStateRef,
        description: 'from the last HJ 212 2021 report of its monitor; UNKNOWN without one',
        resolve: async (f, _a, ctx) => facilityState(f, f.monitorId === null ? undefined : await sourceMonitorLoader(ctx).load(f.monitorId)),
      }),
    }),
  });

  const WasteRef = builder.objectRef<HazardousWasteRecord>('HazardousWasteRecord').implement({
    fields: (t) => ({
      wasteCode: t.exposeString('wasteCode', { description: 'National Hazardous Waste List code' }),
      name: t.exposeString('name'),
      quantityTonnes: t.exposeFloat('quantityTonnes'),
      disposer: t.exposeString('disposer', { nullable: true }),
      recordedAt: t.field({ type: 'DateTime', resolve: (w) => w.recordedAt }),
    }),
  });

  const RiskRef = builder.objectRef<RiskSource>('RiskSource').implement({
    fields: (t) => ({
      name: t.exposeString('name'),
      substance: t.exposeString('substance'),
      quantityTonnes: t.exposeFloat('quantityTonnes', { nullable: true }),
      riskLevel: t.field({ type: enums.RiskLevel, resolve: (r) => r.riskLevel }),
    }),
  });

  const DocumentRef = builder.objectRef<EnterpriseDocument>('EnterpriseDocument').implement({
    fields: (t) => ({
      title: t.exposeString('title'),
      kind: t.exposeString('kind'),
      mediaId: t.exposeString('mediaId', { nullable: true }),
      url: t.exposeString('url', { nullable: true }),
      issuedAt: t.field({ type: 'DateTime', nullable: true, resolve: (d) => d.issuedAt }),
    }),
  });

  builder.node(EnterpriseRef, {
    description: 'One file per enterprise (一企一档), keyed nationally by its unified social credit code.',
    id: { resolve: (e) => e.id },
    loadMany: loadNodes(enterpriseLoader),
    isTypeOf: (value) => typeof value === 'object' && value !== null && 'uscc' in value && 'controlLevel' in value,
    fields: (t) => ({
      uscc: t.exposeString('uscc', { description: 'unified social credit code (统一社会信用代码)' }),
      name: t.exposeString('name'),
      industry: t.exposeString('industry'),
      address: t.exposeString('address', { nullable: true }),
      location: t.field({ type: PointRef, nullable: true, resolve: (e) => point(e.longitude, e.latitude) }),
      cellCode: t.exposeString('cellCode', { nullable: true, description: 'level-3 grid cell' }),
      cell: t.field({ type: GridCellRef, nullable: true, resolve: (e, _a, ctx) => (e.cellCode ? sourceCellLoader(ctx).load(e.cellCode) : null) }),
      exceedances: t.connection({
        type: ExceedanceRef,
        description:
          'exceedance episodes of its monitors, newest first, as the root `exceedances` list shows them to the viewer (an enterprise sees only its own)',
        resolve: (e, args, ctx) => exceedancePage(ctx, args, { enterpriseUscc: e.uscc }),
      }),
      controlLevel: t.field({ type: enums.ControlLevel, resolve: (e) => e.controlLevel }),
      status: t.field({ type: enums.EnterpriseStatus, resolve: (e) => e.status }),
      permits: t.field({
        type: [PermitRef],
        args: { limit: t.arg.int(limitArgument(FILE_LISTS.permits)) },
        extensions: limitedList(FILE_LISTS.permits),
        resolve: async (e, args, ctx) => takeLimit(await listOf(permitsLoader(ctx).load(e.id)), args.limit, FILE_LISTS.permits),
      }),
      outlets: t.field({
        type: [OutletRef],
        args: { limit: t.arg.int(limitArgument(FILE_LISTS.outlets)) },
        extensions: limitedList(FILE_LISTS.outlets),
        resolve: (e, args, ctx) => {
          const read = outletsReadWith(e);
          if (read) return takeLimit(read, args.limit, FILE_LISTS.outlets);
          return listOf(outletsLoader(ctx).load(e.id)).then((outlets) => takeLimit(outlets, args.limit, FILE_LISTS.outlets));
        },
      }),
      facilities: t.field({
        type: [FacilityRef],
        args: { limit: t.arg.int(limitArgument(FILE_LISTS.records)) },
        extensions: limitedList(FILE_LISTS.records),
        resolve: async (e, args, ctx) => takeLimit(await listOf(facilitiesLoader(ctx).load(e.id)), args.limit, FILE_LISTS.records),
      }),
      hazardousWaste: t.field({
        type: [WasteRef],
        description: 'the newest first',
        args: { limit: t.arg.int(limitArgument(FILE_LISTS.history)) },
        extensions: limitedList(FILE_LISTS.history),
        resolve: async (e, args, ctx) => takeLimit(await listOf(hazardousWasteLoader(ctx).load(e.id)), args.limit, FILE_LISTS.history),
      }),
      riskSources: t.field({
        type: [RiskRef],
        args: { limit: t.arg.int(limitArgument(FILE_LISTS.records)) },
        extensions: limitedList(FILE_LISTS.records),
        resolve: async (e, args, ctx) => takeLimit(await listOf(riskSourcesLoader(ctx).load(e.id)), args.limit, FILE_LISTS.records),
      }),
      documents: t.field({
        type: [DocumentRef],
        description: 'the newest first',
        args: { limit: t.arg.int(limitArgument(FILE_LISTS.history)) },
        extensions: limitedList(FILE_LISTS.history),
        resolve: async (e, args, ctx) => takeLimit(await listOf(documentsLoader(ctx).load(e.id)), args.limit, FILE_LISTS.history),
      }),
      inspections: t.field({
        type: [InspectionRef],
        description: 'the newest first',
        args: { limit: t.arg.int(limitArgument(FILE_LISTS.history)) },
        extensions: limitedList(FILE_LISTS.history),
        resolve: async (e, args, ctx) => takeLimit(await listOf(inspectionsLoader(ctx).load(e.id)), args.limit, FILE_LISTS.history),
      }),
      cases: t.field({
        type: [EnforcementCaseRef],
        description: 'enforcement cases, the newest first; an enterprise account sees its own',
        args: { limit: t.arg.int(limitArgument(FILE_LISTS.history)) },
        extensions: limitedList(FILE_LISTS.history),
        resolve: async (e, args, ctx) => takeLimit(await listOf(casesLoader(ctx).load(e.id)), args.limit, FILE_LISTS.history),
      }),
      samplers: t.field({
        type: [WaterSamplerRef],
        args: { limit: t.arg.int(limitArgument(FILE_LISTS.records)) },
        extensions: limitedList(FILE_LISTS.records),
        resolve: async (e, args, ctx) => takeLimit(await listOf(samplersLoader(ctx).load(e.id)), args.limit, FILE_LISTS.records),
      }),
      videoSites: t.field({
        type: [VideoSiteRef],
        description: 'staff only: empty for other viewers',
        args: { limit: t.arg.int(limitArgument(FILE_LISTS.records)) },
        extensions: limitedList(FILE_LISTS.records),
        resolve: async (e, args, ctx) => takeLimit(isStaff(ctx.viewer) ? await listOf(videoSitesLoader(ctx).load(e.id)) : [], args.limit, FILE_LISTS.records),
      }),
    }),
  });

  // Province and city platforms join enterprises by the national unified social credit code.
  builder.asEntity(EnterpriseRef, {
    key: builder.selection<{ uscc: string }>('uscc'),
    resolveReference: (reference, ctx) => enterpriseByUsccLoader(ctx).load(reference.uscc),
  });

  // A national permit number (排污许可证编号) is its holder's 18-character USCC followed by a serial
  // and a letter, so the holder is found from the number itself: through the scoped enterprise
  // loader (a holder the viewer may not see resolves no permit) and its batched permit list.
  builder.asEntity(PermitRef, {
    key: builder.selection<{ number: string }>('number'),
    resolveReference: async (reference, ctx) => {
      if (reference.number.length <= USCC_LENGTH) return null;
      const holder = await enterpriseByUsccLoader(ctx).load(reference.number.slice(0, USCC_LENGTH));
      if (!holder) return null;
      return (await listOf(permitsLoader(ctx).load(holder.id))).find((p) => p.number === reference.number) ?? null;
    },
  });

  // Outlet codes (DW001, DA001) repeat across enterprises; an outlet is named nationally by its
  // enterprise's USCC and its code. The key is flat (`uscc code`), not `enterprise { uscc } code`:
  // the entity resolver checks each key as one string, and a flat key asks a province subgraph for
  // no Enterprise selection of its own, so it composes whatever the province makes of Enterprise.
  builder.asEntity(OutletRef, {
    key: builder.selection<{ uscc: string; code: string }>('uscc code'),
    resolveReference: async (reference, ctx) => {
      const enterprise = await enterpriseByUsccLoader(ctx).load(reference.uscc);
      if (!enterprise) return null;
      return (await listOf(outletsLoader(ctx).load(enterprise.id))).find((o) => o.code === reference.code) ?? null;
    },
  });

  return { FacilityRef, WasteRef, RiskRef, DocumentRef, OutletRef };
}

export type EnterpriseRecordTypes = ReturnType<typeof registerEnterpriseTypes>;
