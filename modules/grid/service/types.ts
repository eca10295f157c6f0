/** The grid's vocabulary, shared by its service, its schema and the modules that build on it. */
import type { Viewer } from '../../../src/auth/viewer';
import type { Polygon } from './geometry';
import type { TaskStatus } from './transitions';

export const STAFF_ROLES = ['ASSISTANT', 'TOWN_OFFICER', 'DISTRICT_OFFICER'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

export const TASK_TYPES = ['ROUTINE_PATROL', 'EXCEEDANCE_INSPECTION', 'COMPLAINT', 'SPECIAL_CAMPAIGN', 'OTHER'] as const;
export type TaskType = (typeof TASK_TYPES)[number];

export const TARGET_KINDS = ['SOURCE', 'MONITOR', 'PLACE'] as const;
export type TargetKind = (typeof TARGET_KINDS)[number];

export const PRODUCTION_STATUSES = ['PRODUCING', 'PARTIAL', 'STOPPED', 'NOT_APPLICABLE'] as const;
export const DISCHARGE_STATUSES = ['NONE_OBSERVED', 'NORMAL', 'ABNORMAL', 'NOT_APPLICABLE'] as const;
export const FACILITY_STATUSES = ['RUNNING', 'NOT_RUNNING', 'NOT_APPLICABLE'] as const;
export const HAZARDOUS_WASTE_STATUSES = ['COMPLIANT', 'NON_COMPLIANT', 'NOT_APPLICABLE'] as const;
export type ProductionStatus = (typeof PRODUCTION_STATUSES)[number];
export type DischargeStatus = (typeof DISCHARGE_STATUSES)[number];
export type FacilityStatus = (typeof FACILITY_STATUSES)[number];
export type HazardousWasteStatus = (typeof HAZARDOUS_WASTE_STATUSES)[number];

export interface GridCell {
  id: number;
  code: string;
  name: string;
  level: 1 | 2 | 3;
  parentCode: string | null;
  /** the national division code (统计用区划代码): 12 digits, towns and villages only */
  adminCode: string | null;
  boundary: Polygon | null;
  longitude: number | null;
  latitude: number | null;
}

export interface GridStaff {
  id: number;
  subject: string | null;
  name: string;
  role: StaffRole;
  /** the town office's level-2 cell; null for the district bureau */
  organisationCode: string | null;
  /** personal data: the schema shows it to staff only */
  phone: string | null;
  active: boolean;
}

export interface GridAssignment {
  id: number;
  staffId: number;
  cellCode: string;
  validFrom: Date;
  validTo: Date | null;
}

export interface GridTask {
  id: number;
  type: TaskType;
  title: string;
  description: string | null;
  targetKind: TargetKind;
  targetUscc: string | null;
  targetMonitorId: number | null;
  targetLongitude: number | null;
  targetLatitude: number | null;
  targetDescription: string | null;
  cellCode: string;
  assigneeId: number | null;
  status: TaskStatus;
  statusBeforeOverdue: TaskStatus | null;
  deadline: Date;
  dispatchedBy: string;
  dispatchedAt: Date;
  acceptedAt: Date | null;
  startedAt: Date | null;
  submittedAt: Date | null;
  verifiedAt: Date | null;
  overdueAt: Date | null;
  exceedanceId: number | null;
}

export interface GridTaskTransition {
  id: number;
  taskId: number;
  action: string;
  fromStatus: TaskStatus | null;
  toStatus: TaskStatus;
  actor: string;
  actorName: string | null;
  note: string | null;
  at: Date;
}

export interface GridPatrol {
  id: number;
  taskId: number | null;
  cellCode: string;
  staffId: number | null;
  authorSubject: string;
  authorName: string | null;
  patrolledAt: Date;
  longitude: number;
  latitude: number;
  targetUscc: string | null;
  productionStatus: ProductionStatus;
  dischargeStatus: DischargeStatus;
  treatmentFacility: FacilityStatus;
  hazardousWaste: HazardousWasteStatus;
  findings: string | null;
  notes: string | null;
}

export interface GridMedia {
  id: string;
  sha256: string;
  contentType: string;
  size: number;
  fileName: string | null;
  uploadedBy: string;
  uploadedAt: Date;
  patrolId: number | null;
}

export interface GridScope {
  /** administrators and district officers: every cell */
  readonly all: boolean;
  /** bureau and town staff and assistants: the people who work inside the grid */
  readonly staff: boolean;
  /** may dispatch, verify and return tasks in their cells */
  readonly officer: boolean;
  readonly cells: readonly string[];
  /** the viewer's own staff record, linked by token subject */
  readonly self: GridStaff | undefined;
}

/** An entity another module places in the grid: a source, a station, a monitor. */
export interface CoverageEntity {
  id: string;
  name: string;
  cellCode: string | null;
}

/**
 * A module's contribution to the coverage report: its entities visible to the viewer, with their
 * cells. The grid reports those in no level-3 cell; it never reads another module's tables.
 */
export type CoverageSource = (viewer: Viewer) => Promise<readonly CoverageEntity[]>;
