import type { Viewer } from '../../../src/auth/viewer';
import type { ExceedanceEventPayload, MonitorColumn } from '../../../src/monitoring/public';
import type { CoverageSource } from '../../grid/public';
import {
  casesByIds,
  casesOfEnterprises,
  closeCase,
  decideCase,
  listCases,
  countCases,
  openCase,
  publishCase,
  publishedDecisions,
  countPublishedDecisions,
  type CaseInput,
  type DecisionInput,
} from './cases';
import {
  complianceOfOutlets,
  complianceSummary,
  outletCompliance,
  type ComplianceQuery,
  type ComplianceReport,
  type FactorCompliance,
  type LevelSummary,
} from './compliance';
import {
  createEnterprise,
  enterprisesByIds,
  enterprisesByUscc,
  enterprisesInCells,
  enterprisesNear,
  keyEnterprises,
  countKeyEnterprises,
  listEnterprises,
  countEnterprises,
  updateEnterprise,
  type EnterpriseColumn,
  type EnterpriseFilter,
  type EnterpriseInput,
  type EnterprisePatch,
  type NearbyQuery,
} from './enterprises';
import { inspectionsByIds, inspectionsOfEnterprises, listInspections, countInspections, recordInspection, type InspectionInput } from './inspections';
import {
  createOutlet,
  enterprisesWithOutletFiles,
  monitorsOfOutlets,
  outletFilesOfEnterprises,
  outletsByIds,
  outletsOfEnterprises,
  type OutletFile,
  type OutletInput,
} from './outlets';
import {
  createPermit,
  currentLimitsOfOutlets,
  limitsOfPermits,
  permitsOfEnterprises,
  setPermitLimit,
  type PermitInput,
  type PermitLimitInput,
} from './permits';
import {
  addDocument,
  createFacility,
  createRiskSource,
  documentsOfEnterprises,
  facilitiesOfEnterprises,
  hazardousWasteOfEnterprises,
  recordHazardousWaste,
  riskSourcesOfEnterprises,
  type DocumentInput,
  type FacilityInput,
  type HazardousWasteInput,
  type RiskSourceInput,
} from './records';
import { createSampleCommands } from './sample-commands';
import {
  createSampler,
  retainSample,
  retentionsByIds,
  retentionsOfExceedances,
  retentionsOfSamplers,
  samplersOfEnterprises,
  setSamplerDevice,
  type SamplerInput,
} from './samplers';
import { attachSnapshot, snapshotsOf, type SnapshotInput } from './snapshots';
import type {
  Camera,
  EnforcementCase,
  Enterprise,
  EnterpriseDocument,
  Facility,
  HazardousWasteRecord,
  Inspection,
  Outlet,
  OutletMonitor,
  Page,
  Permit,
  PermitLimit,
  PublishedDecision,
  RiskSource,
  Sampler,
  SamplerRetention,
  Snapshot,
  SnapshotTarget,
  SourceDeps,
  CaseStatus,
  VideoSite,
} from './types';
import {
  camerasByIds,
  camerasNear,
  camerasOfSites,
  createCamera,
  setCameraPlayUrl,
  createVideoSite,
  listCameras,
  countCameras,
  reportCameraStatus,
  sitesByIds,
  sitesOfEnterprises,
  type CameraFilter,
  type CameraInput,
  type CameraStatusReport,
  type CameraStatusResult,
  type NearbyCamera,
  type VideoSiteInput,
} from './video';
import { cameraCounts, enterprisePoints, videoSitePoints, type CameraCounts, type SourcePoint } from './duty';

type NewestPage = { limit: number; beforeId: number | undefined };

/** An enterprise near a point, with the monitors of its outlets: what an emergency needs first. */
export interface NearbyEnterprise extends Enterprise {
  distanceKm: number;
  outlets: { id: number; code: string; name: string; kind: Outlet['kind']; monitorIds: number[] }[];
  /** every outlet's monitors, flattened */
  monitorIds: number[];
}

/**
 * The source module's service. Functions without a viewer are for other modules and internal
 * callers and apply no row scope; the ones taking a viewer apply it themselves.
 */
export interface SourceService {
  enterpriseByUscc(uscc: string): Promise<Enterprise | undefined>;
  /** enterprises in these cells or under them; bounded */
  enterprisesInCells(cellCodes: readonly string[], limit?: number): Promise<Enterprise[]>;
  /** nearest first, with their outlets' monitor ids */
  nearbyEnterprises(query: NearbyQuery): Promise<NearbyEnterprise[]>;
  /** nearest first, with stream addresses: for staff-facing callers */
  nearbyCameras(query: NearbyQuery): Promise<NearbyCamera[]>;
  /** state-, province- and city-controlled enterprises by id: who must disclose; no row scope */
  keyEnterprises(page: Page): Promise<Enterprise[]>;
  countKeyEnterprises(): Promise<number>;
  /** published enforcement decisions, newest first: public information */
  publishedDecisions(page: { limit: number; beforeId?: number | undefined }): Promise<PublishedDecision[]>;
  countPublishedDecisions(): Promise<number>;
  /** the coverage report's view of enterprises */
  coverageSource: CoverageSource;

  enterprises: {
    create(input: EnterpriseInput): Promise<Enterprise>;
    update(uscc: string, patch: EnterprisePatch): Promise<Enterprise>;
    byIds(viewer: Viewer, ids: readonly number[]): Promise<(Enterprise | undefined)[]>;
    byUscc(viewer: Viewer, codes: readonly string[]): Promise<(Enterprise | undefined)[]>;
    /** with `columns`, each enterprise carries only those fields and its keys: for a reader that looks at no other */
    list(viewer: Viewer, filter: EnterpriseFilter, page: Page, columns?: readonly EnterpriseColumn[]): Promise<Enterprise[]>;
    /**
     * the same page with each enterprise's outlet files, in the page's one statement; with
     * `monitorColumns` the monitors carry only those (their files are `partial`)
     */
    listWithOutlets(
      viewer: Viewer,
      filter: EnterpriseFilter,
      page: Page,
      columns?: readonly EnterpriseColumn[],
      monitorColumns?: readonly MonitorColumn[],
    ): Promise<{ enterprise: Enterprise; outlets: OutletFile[] }[]>;
    count(viewer: Viewer, filter: EnterpriseFilter): Promise<number>;
  };
  /** relations of enterprises the caller has already seen: one statement per call */
  files: {
    permits(enterpriseIds: readonly number[]): Promise<Permit[][]>;
    permitLimits(permitIds: readonly number[]): Promise<PermitLimit[][]>;
    outlets(enterpriseIds: readonly number[]): Promise<Outlet[][]>;
    /** the outlets with their monitor links and the monitors in the viewer's scope, in one statement */
    outletFiles(viewer: Viewer, enterpriseIds: readonly number[]): Promise<OutletFile[][]>;
    outletsByIds(ids: readonly number[]): Promise<(Outlet | undefined)[]>;
    outletMonitors(outletIds: readonly number[]): Promise<OutletMonitor[][]>;
    outletLimits(outletIds: readonly number[]): Promise<PermitLimit[][]>;
    facilities(enterpriseIds: readonly number[]): Promise<Facility[][]>;
    hazardousWaste(enterpriseIds: readonly number[]): Promise<HazardousWasteRecord[][]>;
    riskSources(enterpriseIds: readonly number[]): Promise<RiskSource[][]>;
    documents(enterpriseIds: readonly number[]): Promise<EnterpriseDocument[][]>;
    inspections(enterpriseIds: readonly number[]): Promise<Inspection[][]>;
    cases(enterpriseIds: readonly number[]): Promise<EnforcementCase[][]>;
    samplers(enterpriseIds: readonly number[]): Promise<Sampler[][]>;
    retentions(samplerIds: readonly number[]): Promise<SamplerRetention[][]>;
    videoSites(enterpriseIds: readonly number[]): Promise<VideoSite[][]>;
    cameras(siteIds: readonly number[]): Promise<Camera[][]>;
    snapshots(kind: SnapshotTarget, targetIds: readonly number[]): Promise<Snapshot[][]>;
    retentionsOfExceedances(exceedanceIds: readonly number[]): Promise<(SamplerRetention | undefined)[]>;
  };
  registry: {
    createPermit(input: PermitInput): Promise<Permit>;
    setPermitLimit(input: PermitLimitInput): Promise<PermitLimit>;
    createOutlet(input: OutletInput): Promise<Outlet>;
    createFacility(input: FacilityInput): Promise<Facility>;
    recordHazardousWaste(input: HazardousWasteInput): Promise<HazardousWasteRecord>;
    createRiskSource(input: RiskSourceInput): Promise<RiskSource>;
    addDocument(input: DocumentInput): Promise<EnterpriseDocument>;
    createSampler(input: SamplerInput): Promise<Sampler>;
    /** the data logger that drives a sampler (3015); null forgets it */
    setSamplerDevice(code: string, deviceMn: string | null): Promise<Sampler>;
  };
  enforcement: {
    recordInspection(viewer: Viewer, input: InspectionInput): Promise<Inspection>;
    inspectionsByIds(viewer: Viewer, ids: readonly number[]): Promise<(Inspection | undefined)[]>;
    listInspections(viewer: Viewer, filter: { enterpriseUscc?: string | undefined }, page: NewestPage): Promise<Inspection[]>;
    countInspections(viewer: Viewer, filter: { enterpriseUscc?: string | undefined }): Promise<number>;
    openCase(viewer: Viewer, input: CaseInput): Promise<EnforcementCase>;
    decideCase(viewer: Viewer, id: number, input: DecisionInput): Promise<EnforcementCase>;
    closeCase(viewer: Viewer, id: number): Promise<EnforcementCase>;
    publishCase(viewer: Viewer, id: number): Promise<EnforcementCase>;
    casesByIds(viewer: Viewer, ids: readonly number[]): Promise<(EnforcementCase | undefined)[]>;
    listCases(viewer: Viewer, filter: { status?: CaseStatus | undefined; enterpriseUscc?: string | undefined }, page: NewestPage): Promise<EnforcementCase[]>;
    countCases(viewer: Viewer, filter: { status?: CaseStatus | undefined; enterpriseUscc?: string | undefined }): Promise<number>;
  };
  video: {
    createSite(input: VideoSiteInput): Promise<VideoSite>;
    createCamera(input: CameraInput): Promise<Camera>;
    /** a device token names addresses only for the cameras it is bound to */
    setPlayUrl(code: string, playUrl: string | null, viewer?: Viewer): Promise<Camera>;
    /** a device token reports only the cameras it is bound to; each report stands alone */
    reportStatus(reports: readonly CameraStatusReport[], viewer?: Viewer): Promise<CameraStatusResult>;
    sitesByIds(viewer: Viewer, ids: readonly number[]): Promise<(VideoSite | undefined)[]>;
    camerasByIds(viewer: Viewer, ids: readonly number[]): Promise<(Camera | undefined)[]>;
    listCameras(viewer: Viewer, filter: CameraFilter, page: Page): Promise<Camera[]>;
    countCameras(viewer: Viewer, filter: CameraFilter): Promise<number>;
    attachSnapshot(viewer: Viewer, input: SnapshotInput): Promise<Snapshot>;
  };
  /** the duty room's counts and map points, in the viewer's scope */
  duty: {
    cameraCounts(viewer: Viewer): Promise<CameraCounts>;
    enterprisePoints(viewer: Viewer): Promise<SourcePoint[]>;
    videoSitePoints(viewer: Viewer): Promise<SourcePoint[]>;
  };
  compliance: {
    outlet(viewer: Viewer, query: ComplianceQuery): Promise<ComplianceReport>;
    summary(viewer: Viewer, period: { from: Date; to: Date }): Promise<LevelSummary[]>;
    /** every permit-limited factor of each outlet, in the order asked; no row scope */
    ofOutlets(outletIds: readonly number[], period: { from: Date; to: Date }): Promise<FactorCompliance[][]>;
  };
  samples: {
    byIds(viewer: Viewer, ids: readonly number[]): Promise<(SamplerRetention | undefined)[]>;
    /** sends the retention's 3015 again to the sampler's logger (it was offline) and waits for the outcome */
    resendCommand(id: number): Promise<SamplerRetention>;
    /** resolves once no 3015 of this hub waits for a device's answers */
    commandsSettled(): Promise<void>;
  };
  /**
   * The sampler worker's step: at most one retention per episode. When the sampler has a logger,
   * its 3015 goes out after the retention commits, in the background; the retention returned is PENDING.
   */
  retainSample(episode: ExceedanceEventPayload): Promise<SamplerRetention | undefined>;
}

async function nearbyEnterprises(deps: SourceDeps, query: NearbyQuery): Promise<NearbyEnterprise[]> {
  const found = await enterprisesNear(deps, query);
  const outlets = await outletsOfEnterprises(
    deps,
    found.map((e) => e.id),
  );
  const links = await monitorsOfOutlets(
    deps,
    outlets.flat().map((o) => o.id),
  );
  const monitorsOf = new Map(outlets.flat().map((outlet, index) => [outlet.id, (links[index] ?? []).map((l) => l.monitorId)]));
  return found.map((enterprise, index) => {
    const own = (outlets[index] ?? []).map((o) => ({ id: o.id, code: o.code, name: o.name, kind: o.kind, monitorIds: monitorsOf.get(o.id) ?? [] }));
    return { ...enterprise, outlets: own, monitorIds: own.flatMap((o) => o.monitorIds) };
  });
}

export function createSourceService(deps: SourceDeps): SourceService {
  const sampleCommands = createSampleCommands(deps);
  return {
    enterpriseByUscc: async (uscc) => (await enterprisesByUscc(deps, undefined, [uscc]))[0],
    enterprisesInCells: (codes, limit) => enterprisesInCells(deps, codes, limit),
    nearbyEnterprises: (query) => nearbyEnterprises(deps, query),
    nearbyCameras: (query) => camerasNear(deps, query),
    keyEnterprises: (page) => keyEnterprises(deps, page),
    countKeyEnterprises: () => countKeyEnterprises(deps),
    publishedDecisions: (page) => publishedDecisions(deps, page),
    countPublishedDecisions: () => countPublishedDecisions(deps),
    coverageSource: async (viewer) => {
      const all: Enterprise[] = [];
      let afterId: number | undefined;
      while (all.length < 50_000) {
        const page = await listEnterprises(deps, viewer, {}, { limit: 500, afterId });
        all.push(...page);
        if (page.length < 500) break;
        afterId = page.at(-1)?.id;
      }
      return all.map((e) => ({ id: e.uscc, name: e.name, cellCode: e.cellCode }));
    },
    enterprises: {
      create: (input) => createEnterprise(deps, input),
      update: (uscc, patch) => updateEnterprise(deps, uscc, patch),
      byIds: (viewer, ids) => enterprisesByIds(deps, viewer, ids),
      byUscc: (viewer, codes) => enterprisesByUscc(deps, viewer, codes),
      list: (viewer, filter, page, columns) => listEnterprises(deps, viewer, filter, page, columns),
      listWithOutlets: (viewer, filter, page, columns, monitorColumns) => enterprisesWithOutletFiles(deps, viewer, filter, page, columns, monitorColumns),
      count: (viewer, filter) => countEnterprises(deps, viewer, filter),
    },
    files: {
      permits: (ids) => permitsOfEnterprises(deps, ids),
      permitLimits: (ids) => limitsOfPermits(deps, ids),
      outlets: (ids) => outletsOfEnterprises(deps, ids),
      outletFiles: (viewer, ids) => outletFilesOfEnterprises(deps, viewer, ids),
      outletsByIds: (ids) => outletsByIds(deps, ids),
      outletMonitors: (ids) => monitorsOfOutlets(deps, ids),
      outletLimits: (ids) => currentLimitsOfOutlets(deps, ids, deps.now()),
      facilities: (ids) => facilitiesOfEnterprises(deps, ids),
      hazardousWaste: (ids) => hazardousWasteOfEnterprises(deps, ids),
      riskSources: (ids) => riskSourcesOfEnterprises(deps, ids),
      documents: (ids) => documentsOfEnterprises(deps, ids),
      inspections: (ids) => inspectionsOfEnterprises(deps, ids),
      cases: (ids) => casesOfEnterprises(deps, ids),
      samplers: (ids) => samplersOfEnterprises(deps, ids),
      retentions: (ids) => retentionsOfSamplers(deps, ids),
      videoSites: (ids) => sitesOfEnterprises(deps, ids),
      cameras: (ids) => camerasOfSites(deps, ids),
      snapshots: (kind, ids) => snapshotsOf(deps, kind, ids),
      retentionsOfExceedances: (ids) => retentionsOfExceedances(deps, ids),
    },
    registry: {
      createPermit: (input) => createPermit(deps, input),
      setPermitLimit: (input) => setPermitLimit(deps, input),
      createOutlet: (input) => createOutlet(deps, input),
      createFacility: (input) => createFacility(deps, input),
      recordHazardousWaste: (input) => recordHazardousWaste(deps, input),
      createRiskSource: (input) => createRiskSource(deps, input),
      addDocument: (input) => addDocument(deps, input),
      createSampler: (input) => createSampler(deps, input),
      setSamplerDevice: (code, deviceMn) => setSamplerDevice(deps, code, deviceMn),
    },
    enforcement: {
      recordInspection: (viewer, input) => recordInspection(deps, viewer, input),
      inspectionsByIds: (viewer, ids) => inspectionsByIds(deps, viewer, ids),
      listInspections: (viewer, filter, page) => listInspections(deps, viewer, filter, page),
      countInspections: (viewer, filter) => countInspections(deps, viewer, filter),
      openCase: (viewer, input) => openCase(deps, viewer, input),
      decideCase: (viewer, id, input) => decideCase(deps, viewer, id, input),
      closeCase: (viewer, id) => closeCase(deps, viewer, id),
      publishCase: (viewer, id) => publishCase(deps, viewer, id),
      casesByIds: (viewer, ids) => casesByIds(deps, viewer, ids),
      listCases: (viewer, filter, page) => listCases(deps, viewer, filter, page),
      countCases: (viewer, filter) => countCases(deps, viewer, filter),
    },
    video: {
      createSite: (input) => createVideoSite(deps, input),
      createCamera: (input) => createCamera(deps, input),
      setPlayUrl: (code, playUrl, viewer) => setCameraPlayUrl(deps, code, playUrl, viewer),
      reportStatus: (reports, viewer) => reportCameraStatus(deps, reports, viewer),
      sitesByIds: (viewer, ids) => sitesByIds(deps, viewer, ids),
      camerasByIds: (viewer, ids) => camerasByIds(deps, viewer, ids),
      listCameras: (viewer, filter, page) => listCameras(deps, viewer, filter, page),
      countCameras: (viewer, filter) => countCameras(deps, viewer, filter),
      attachSnapshot: (viewer, input) => attachSnapshot(deps, viewer, input),
    },
    duty: {
      cameraCounts: (viewer) => cameraCounts(deps, viewer),
      enterprisePoints: (viewer) => enterprisePoints(deps, viewer),
      videoSitePoints: (viewer) => videoSitePoints(deps, viewer),
    },
    compliance: {
      outlet: (viewer, query) => outletCompliance(deps, viewer, query),
      summary: (viewer, period) => complianceSummary(deps, viewer, period),
      ofOutlets: (ids, period) => complianceOfOutlets(deps, ids, period),
    },
    samples: {
      byIds: (viewer, ids) => retentionsByIds(deps, viewer, ids),
      resendCommand: (id) => sampleCommands.resend(id),
      commandsSettled: () => sampleCommands.settled(),
    },
    retainSample: async (episode) => {
      const retention = await retainSample(deps, episode);
      if (retention) sampleCommands.dispatch(retention);
      return retention;
    },
  };
}
