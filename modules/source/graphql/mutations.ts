import type { HubBuilder } from '../../../src/graphql/builder';
import { ConflictError, NotFoundError, ValidationError } from '../../../src/errors';
import { sourceServiceRef } from '../public';
import { MAX_MONITORS_PER_OUTLET } from '../service/outlets';
import type { SourceEnums } from './enums';
import { EnterpriseRef } from './refs';
import type { EnterpriseRecordTypes } from './types';
import { zhValues } from '../../../src/graphql/zh';

/** Keeping the files: the district bureau's administrators and officers. */
export function registerSourceMutations(builder: HubBuilder, enums: SourceEnums, records: EnterpriseRecordTypes): void {
  const editors = { authScopes: { district: true } } as const;
  const errors = { types: [ValidationError, NotFoundError, ConflictError] };

  const EnterpriseInput = builder.inputType('CreateEnterpriseInput', {
    fields: (t) => ({
      uscc: t.string({ required: true, description: '18-character unified social credit code; both check characters are verified' }),
      name: t.string({ required: true }),
      industry: t.string({ required: true }),
      address: t.string({ required: false }),
      longitude: t.float({ required: false }),
      latitude: t.float({ required: false }),
      cellCode: t.string({ required: false, description: 'a level-3 grid cell' }),
      controlLevel: t.field({ type: enums.ControlLevel, required: true }),
      status: t.field({ type: enums.EnterpriseStatus, required: false }),
    }),
  });
  const EnterprisePatch = builder.inputType('UpdateEnterpriseInput', {
    fields: (t) => ({
      name: t.string({ required: false }),
      industry: t.string({ required: false }),
      address: t.string({ required: false }),
      longitude: t.float({ required: false }),
      latitude: t.float({ required: false }),
      cellCode: t.string({ required: false }),
      controlLevel: t.field({ type: enums.ControlLevel, required: false }),
      status: t.field({ type: enums.EnterpriseStatus, required: false }),
    }),
  });
  const MonitorKind = builder.enumType('OutletMonitorKind', {
    values: zhValues(['WASTEWATER_OUTLET', 'FLUE_GAS_OUTLET', 'HEAVY_METAL_ANALYSER'] as const, {
      FLUE_GAS_OUTLET: '废气在线监测',
      HEAVY_METAL_ANALYSER: '重金属在线监测仪',
      WASTEWATER_OUTLET: '废水在线监测',
    }),
  });
  const OutletMonitorInput = builder.inputType('OutletMonitorInput', {
    fields: (t) => ({
      mn: t.string({ required: true }),
      password: t.string({ required: true, description: 'HJ 212 PW; stored hashed' }),
      kind: t.field({ type: MonitorKind, required: false, description: 'defaults to the outlet’s kind' }),
      name: t.string({ required: false }),
      intervalSeconds: t.int({ required: false, description: 'expected reporting interval; default 60 (real-time data)' }),
    }),
  });
  const OutletInput = builder.inputType('CreateOutletInput', {
    fields: (t) => ({
      enterpriseUscc: t.string({ required: true }),
      code: t.string({ required: true, description: 'permit outlet code, e.g. DW001' }),
      name: t.string({ required: true }),
      kind: t.field({ type: enums.OutletKind, required: true }),
      longitude: t.float({ required: false }),
      latitude: t.float({ required: false }),
      referenceO2: t.float({ required: false, description: 'flue gas: reference O2 %, default 3.5 (gas-fired boilers)' }),
      monitors: t.field({
        type: [OutletMonitorInput],
        required: false,
        description: `at most ${MAX_MONITORS_PER_OUTLET}; registered with the monitoring core`,
      }),
    }),
  });
  const PermitInput = builder.inputType('CreatePermitInput', {
    fields: (t) => ({
      enterpriseUscc: t.string({ required: true }),
      number: t.string({ required: true }),
      validFrom: t.field({ type: 'DateTime', required: true }),
      validTo: t.field({ type: 'DateTime', required: true }),
      issuedBy: t.string({ required: false }),
    }),
  });
  const LimitInput = builder.inputType('SetPermitLimitInput', {
    fields: (t) => ({
      permitNumber: t.string({ required: true }),
      outletCode: t.string({ required: true }),
      factor: t.string({ required: true, description: 'HJ 212 factor code' }),
      upper: t.float({ required: false }),
      lower: t.float({ required: false }),
      unit: t.string({ required: false, description: 'the unit of the readings: mg/L, ug/L for heavy metals, mg/m3 for flue gas' }),
      basis: t.field({ type: enums.LimitBasis, required: false, description: 'CONVERTED by default at flue gas outlets' }),
      standard: t.string({ required: false, description: 'e.g. GB 8978-1996' }),
      validFrom: t.field({ type: 'DateTime', required: false }),
    }),
  });

  const PermitLimitResult = builder.objectRef<{ factor: string; outletCode: string; monitorsUpdated: number }>('SetPermitLimitResult').implement({
    fields: (t) => ({
      factor: t.exposeString('factor'),
      outletCode: t.exposeString('outletCode'),
      monitorsUpdated: t.exposeInt('monitorsUpdated', { description: 'monitors at the outlet whose limits were set' }),
    }),
  });
  const PermitResult = builder.objectRef<{ number: string }>('CreatePermitResult').implement({ fields: (t) => ({ number: t.exposeString('number') }) });
  const OutletResult = builder
    .objectRef<{ id: number; code: string }>('CreateOutletResult')
    .implement({ fields: (t) => ({ id: t.exposeInt('id'), code: t.exposeString('code') }) });

  const FacilityInput = builder.inputType('CreateFacilityInput', {
    fields: (t) => ({
      enterpriseUscc: t.string({ required: true }),
      outletCode: t.string({ required: false, description: 'the outlet the facility treats for' }),
      name: t.string({ required: true }),
      process: t.string({ required: false, description: 'e.g. A/O+混凝沉淀' }),
      monitorMn: t.string({ required: false, description: 'MN of the enterprise’s monitor whose HJ 212 2021 reports carry the run status' }),
      deviceCode: t.string({ required: false, description: 'the facility’s id in those reports, e.g. SB1' }),
    }),
  });
  const WasteInput = builder.inputType('RecordHazardousWasteInput', {
    fields: (t) => ({
      enterpriseUscc: t.string({ required: true }),
      wasteCode: t.string({ required: true, description: 'National Hazardous Waste List code, e.g. HW17 336-064-17' }),
      name: t.string({ required: true }),
      quantityTonnes: t.float({ required: true }),
      disposer: t.string({ required: false, description: 'the licensed unit it was handed over to' }),
      recordedAt: t.field({ type: 'DateTime', required: true }),
    }),
  });
  const RiskSourceInput = builder.inputType('CreateRiskSourceInput', {
    fields: (t) => ({
      enterpriseUscc: t.string({ required: true }),
      name: t.string({ required: true }),
      substance: t.string({ required: true }),
      quantityTonnes: t.float({ required: false }),
      riskLevel: t.field({ type: enums.RiskLevel, required: true }),
    }),
  });
  const DocumentInput = builder.inputType('AddEnterpriseDocumentInput', {
    fields: (t) => ({
      enterpriseUscc: t.string({ required: true }),
      title: t.string({ required: true }),
      kind: t.string({ required: true, description: 'e.g. EIA_APPROVAL, ACCEPTANCE, EMERGENCY_PLAN' }),
      mediaId: t.string({ required: false, description: 'an upload to /media; give it or a URL' }),
      url: t.string({ required: false, description: 'http(s) address of the document' }),
      issuedAt: t.field({ type: 'DateTime', required: false }),
    }),
  });

  builder.mutationFields((t) => ({
    createFacility: t.field({
      ...editors,
      type: records.FacilityRef,
      errors,
      args: { input: t.arg({ type: FacilityInput, required: true }) },
      resolve: (_root, { input }, ctx) => ctx.services.get(sourceServiceRef).registry.createFacility(input),
    }),
    recordHazardousWaste: t.field({
      ...editors,
      type: records.WasteRef,
      errors,
      args: { input: t.arg({ type: WasteInput, required: true }) },
      resolve: (_root, { input }, ctx) => ctx.services.get(sourceServiceRef).registry.recordHazardousWaste(input),
    }),
    createRiskSource: t.field({
      ...editors,
      type: records.RiskRef,
      errors,
      args: { input: t.arg({ type: RiskSourceInput, required: true }) },
      resolve: (_root, { input }, ctx) => ctx.services.get(sourceServiceRef).registry.createRiskSource(input),
    }),
    addEnterpriseDocument: t.field({
      ...editors,
      type: records.DocumentRef,
      errors,
      args: { input: t.arg({ type: DocumentInput, required: true }) },
      resolve: (_root, { input }, ctx) => ctx.services.get(sourceServiceRef).registry.addDocument(input),
    }),
    createEnterprise: t.field({
      ...editors,
      type: EnterpriseRef,
      errors,
      args: { input: t.arg({ type: EnterpriseInput, required: true }) },
      resolve: (_root, { input }, ctx) =>
        ctx.services
          .get(sourceServiceRef)
          .enterprises.create({ ...input, status: input.status ?? undefined, address: input.address ?? null, cellCode: input.cellCode ?? null }),
    }),
    updateEnterprise: t.field({
      ...editors,
      type: EnterpriseRef,
      errors,
      args: { uscc: t.arg.string({ required: true }), input: t.arg({ type: EnterprisePatch, required: true }) },
      resolve: (_root, { uscc, input }, ctx) =>
        ctx.services.get(sourceServiceRef).enterprises.update(uscc, {
          name: input.name ?? undefined,
          industry: input.industry ?? undefined,
          address: input.address ?? undefined,
          longitude: input.longitude ?? undefined,
          latitude: input.latitude ?? undefined,
          cellCode: input.cellCode ?? undefined,
          controlLevel: input.controlLevel ?? undefined,
          status: input.status ?? undefined,
        }),
    }),
    createPermit: t.field({
      ...editors,
      type: PermitResult,
      errors,
      args: { input: t.arg({ type: PermitInput, required: true }) },
      resolve: (_root, { input }, ctx) => ctx.services.get(sourceServiceRef).registry.createPermit({ ...input, issuedBy: input.issuedBy ?? null }),
    }),
    setPermitLimit: t.field({
      ...editors,
      type: PermitLimitResult,
      errors,
      description: 'Sets a permitted limit of one factor at one outlet, and the same limit on every monitor at the outlet.',
      args: { input: t.arg({ type: LimitInput, required: true }) },
      resolve: async (_root, { input }, ctx) => {
        const source = ctx.services.get(sourceServiceRef);
        const limit = await source.registry.setPermitLimit({ ...input });
        const [links = []] = await source.files.outletMonitors([limit.outletId]);
        return { factor: limit.factor, outletCode: input.outletCode, monitorsUpdated: links.length };
      },
    }),
    createOutlet: t.field({
      ...editors,
      type: OutletResult,
      errors,
      args: { input: t.arg({ type: OutletInput, required: true }) },
      resolve: (_root, { input }, ctx) =>
        ctx.services.get(sourceServiceRef).registry.createOutlet({
          ...input,
          monitors: (input.monitors ?? []).map((m) => ({
            mn: m.mn,
            password: m.password,
            kind: m.kind ?? undefined,
            name: m.name ?? undefined,
            intervalSeconds: m.intervalSeconds ?? undefined,
          })),
        }),
    }),
  }));
}
