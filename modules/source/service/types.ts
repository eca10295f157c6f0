/** The source module's vocabulary, shared by its service, its schema and the modules built on it. */
import type { Logger } from 'pino';
import type { Database } from '../../../src/db';
import type { EventBus } from '../../../src/events/bus';
import type { ServiceRegistry } from '../../../src/services';

/** What the source service functions need: passed in, never imported as singletons. */
export interface SourceDeps {
  db: Database;
  bus: EventBus;
  logger: Logger;
  now: () => Date;
  /** other modules' services (monitoring, grid), looked up when used */
  services: ServiceRegistry;
}

export const CONTROL_LEVELS = ['STATE', 'PROVINCE', 'CITY', 'DISTRICT_KEY'] as const;
export type ControlLevel = (typeof CONTROL_LEVELS)[number];
export const ENTERPRISE_STATUSES = ['OPERATING', 'SUSPENDED', 'CLOSED'] as const;
export type EnterpriseStatus = (typeof ENTERPRISE_STATUSES)[number];
export const OUTLET_KINDS = ['WASTEWATER', 'FLUE_GAS'] as const;
export type OutletKind = (typeof OUTLET_KINDS)[number];
export const RISK_LEVELS = ['GENERAL', 'LARGER', 'MAJOR'] as const;
export type RiskLevel = (typeof RISK_LEVELS)[number];
export const INSPECTION_RESULTS = ['COMPLIANT', 'ISSUES_FOUND'] as const;
export type InspectionResult = (typeof INSPECTION_RESULTS)[number];
export const CASE_STATUSES = ['OPEN', 'DECIDED', 'CLOSED'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];
export const SITE_KINDS = ['ENTERPRISE', 'KEY_AREA', 'DRINKING_WATER_SOURCE'] as const;
export type SiteKind = (typeof SITE_KINDS)[number];
export const CAMERA_STATUSES = ['UNKNOWN', 'ONLINE', 'OFFLINE'] as const;
export type CameraStatus = (typeof CAMERA_STATUSES)[number];
export const SNAPSHOT_TARGETS = ['EXCEEDANCE', 'PATROL', 'CASE'] as const;
export type SnapshotTarget = (typeof SNAPSHOT_TARGETS)[number];
export const LIMIT_BASES = ['RAW', 'CONVERTED'] as const;
export type LimitBasis = (typeof LIMIT_BASES)[number];
/**
 * Where the 3015 (sample retention) to a sampler's logger stands: NOT_SENT without a logger,
 * PENDING while the device is asked, DONE on 9012 ExeRtn 1, REFUSED on a 9011 QnRtn other than 1,
 * FAILED on another ExeRtn, TIMEOUT when the answers do not come, NOT_CONNECTED when the logger is
 * not connected to this hub's gateway.
 */
export const SAMPLE_COMMAND_STATUSES = ['NOT_SENT', 'PENDING', 'DONE', 'REFUSED', 'FAILED', 'TIMEOUT', 'NOT_CONNECTED'] as const;
export type SampleCommandStatus = (typeof SAMPLE_COMMAND_STATUSES)[number];

export interface Enterprise {
  id: number;
  uscc: string;
  name: string;
  industry: string;
  address: string | null;
  longitude: number | null;
  latitude: number | null;
  cellCode: string | null;
  controlLevel: ControlLevel;
  status: EnterpriseStatus;
  createdAt: Date;
}

export interface Permit {
  id: number;
  enterpriseId: number;
  number: string;
  validFrom: Date;
  validTo: Date;
  issuedBy: string | null;
}

export interface Outlet {
  id: number;
  enterpriseId: number;
  code: string;
  name: string;
  kind: OutletKind;
  longitude: number | null;
  latitude: number | null;
  referenceO2: number | null;
}

export interface OutletMonitor {
  outletId: number;
  monitorId: number;
  mn: string;
  kind: string;
}

export interface PermitLimit {
  id: number;
  permitId: number;
  outletId: number;
  factor: string;
  upper: number | null;
  lower: number | null;
  unit: string;
  basis: LimitBasis;
  standard: string | null;
  validFrom: Date;
}

export interface Facility {
  id: number;
  enterpriseId: number;
  outletId: number | null;
  name: string;
  process: string | null;
  monitorId: number | null;
  deviceCode: string | null;
}

export interface HazardousWasteRecord {
  id: number;
  enterpriseId: number;
  wasteCode: string;
  name: string;
  quantityTonnes: number;
  disposer: string | null;
  recordedAt: Date;
}

export interface RiskSource {
  id: number;
  enterpriseId: number;
  name: string;
  substance: string;
  quantityTonnes: number | null;
  riskLevel: RiskLevel;
}

export interface EnterpriseDocument {
  id: number;
  enterpriseId: number;
  title: string;
  kind: string;
  mediaId: string | null;
  url: string | null;
  issuedAt: Date | null;
}

export interface Inspection {
  id: number;
  enterpriseId: number;
  inspectedAt: Date;
  inspector: string;
  patrolId: number | null;
  result: InspectionResult;
  findings: string | null;
}

export interface EnforcementCase {
  id: number;
  enterpriseId: number;
  inspectionId: number | null;
  caseNumber: string;
  findings: string;
  decision: string | null;
  penaltyYuan: number | null;
  status: CaseStatus;
  published: boolean;
  openedAt: Date;
  decidedAt: Date | null;
  closedAt: Date | null;
  publishedAt: Date | null;
}

/** A published decision as the disclosure module shows it: no internal findings beyond the decision. */
export interface PublishedDecision {
  caseId: number;
  caseNumber: string;
  enterpriseUscc: string;
  enterpriseName: string;
  decision: string;
  penaltyYuan: number | null;
  decidedAt: Date;
  publishedAt: Date;
}

export interface VideoSite {
  id: number;
  code: string;
  name: string;
  kind: SiteKind;
  enterpriseId: number | null;
  /** the site's enterprise, for row scope */
  enterpriseUscc: string | null;
  longitude: number;
  latitude: number;
  cellCode: string | null;
}

export interface Camera {
  id: number;
  code: string;
  siteId: number;
  name: string;
  /** rtsp address; the schema shows it to staff only */
  streamUrl: string;
  /** browser-playable address from the video platform (HLS, HTTP-FLV or WebRTC); staff only */
  playUrl: string | null;
  status: CameraStatus;
  statusChangedAt: Date | null;
}

export interface Snapshot {
  id: number;
  cameraId: number;
  targetKind: SnapshotTarget;
  targetId: number;
  mediaId: string | null;
  url: string | null;
  takenAt: Date;
  attachedBy: string;
}

export interface Sampler {
  id: number;
  enterpriseId: number;
  outletId: number;
  code: string;
  bottles: number;
  /** MN of the HJ 212 data logger that drives it */
  deviceMn: string | null;
}

export interface SamplerRetention {
  id: number;
  samplerId: number;
  exceedanceId: number;
  bottleNumber: number;
  retainedAt: Date;
  factor: string;
  value: number | null;
  commandStatus: SampleCommandStatus;
  /** the number of the last send; 0 when none was due */
  commandAttempt: number;
  /** the logger the last 3015 went to */
  commandMn: string | null;
  commandQn: string | null;
  qnRtn: number | null;
  exeRtn: number | null;
  /** the bottle the device reported filling (VaseNo) */
  deviceBottle: number | null;
  commandSentAt: Date | null;
  commandAnsweredAt: Date | null;
}

export type Page = { limit: number; afterId: number | undefined };
