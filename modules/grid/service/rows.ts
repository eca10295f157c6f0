/** Rows to domain objects: the one place a stored text becomes a typed value. */
import type { gridCells, gridMedia, gridPatrols, gridStaff, gridTaskHistory, gridTasks } from '../tables';
import type { TaskStatus } from './transitions';
import type {
  DischargeStatus,
  FacilityStatus,
  GridCell,
  GridMedia,
  GridPatrol,
  GridStaff,
  GridTask,
  GridTaskTransition,
  HazardousWasteStatus,
  ProductionStatus,
  StaffRole,
  TargetKind,
  TaskType,
} from './types';

export function toCell(row: typeof gridCells.$inferSelect): GridCell {
  return {
    id: row.id,
    code: row.code,
    name: row.name,
    level: row.level as GridCell['level'],
    parentCode: row.parentCode,
    adminCode: row.adminCode,
    boundary: row.boundary ?? null,
    longitude: row.longitude,
    latitude: row.latitude,
  };
}

export function toStaff(row: typeof gridStaff.$inferSelect): GridStaff {
  return {
    id: row.id,
    subject: row.subject,
    name: row.name,
    role: row.role as StaffRole,
    organisationCode: row.organisationCode,
    phone: row.phone,
    active: row.active,
  };
}

export function toTask(row: typeof gridTasks.$inferSelect): GridTask {
  return {
    id: row.id,
    type: row.type as TaskType,
    title: row.title,
    description: row.description,
    targetKind: row.targetKind as TargetKind,
    targetUscc: row.targetUscc,
    targetMonitorId: row.targetMonitorId,
    targetLongitude: row.targetLongitude,
    targetLatitude: row.targetLatitude,
    targetDescription: row.targetDescription,
    cellCode: row.cellCode,
    assigneeId: row.assigneeId,
    status: row.status as TaskStatus,
    statusBeforeOverdue: (row.statusBeforeOverdue as TaskStatus | null) ?? null,
    deadline: row.deadline,
    dispatchedBy: row.dispatchedBy,
    dispatchedAt: row.dispatchedAt,
    acceptedAt: row.acceptedAt,
    startedAt: row.startedAt,
    submittedAt: row.submittedAt,
    verifiedAt: row.verifiedAt,
    overdueAt: row.overdueAt,
    exceedanceId: row.exceedanceId,
  };
}

export function toTransition(row: typeof gridTaskHistory.$inferSelect): GridTaskTransition {
  return {
    id: row.id,
    taskId: row.taskId,
    action: row.action,
    fromStatus: (row.fromStatus as TaskStatus | null) ?? null,
    toStatus: row.toStatus as TaskStatus,
    actor: row.actor,
    actorName: row.actorName,
    note: row.note,
    at: row.at,
  };
}

export function toPatrol(row: typeof gridPatrols.$inferSelect): GridPatrol {
  return {
    id: row.id,
    taskId: row.taskId,
    cellCode: row.cellCode,
    staffId: row.staffId,
    authorSubject: row.authorSubject,
    authorName: row.authorName,
    patrolledAt: row.patrolledAt,
    longitude: row.longitude,
    latitude: row.latitude,
    targetUscc: row.targetUscc,
    productionStatus: row.productionStatus as ProductionStatus,
    dischargeStatus: row.dischargeStatus as DischargeStatus,
    treatmentFacility: row.treatmentFacility as FacilityStatus,
    hazardousWaste: row.hazardousWaste as HazardousWasteStatus,
    findings: row.findings,
    notes: row.notes,
  };
}

export function toMedia(row: typeof gridMedia.$inferSelect): GridMedia {
  return {
    id: row.id,
    sha256: row.sha256,
    contentType: row.contentType,
    size: row.size,
    fileName: row.fileName,
    uploadedBy: row.uploadedBy,
    uploadedAt: row.uploadedAt,
    patrolId: row.patrolId,
  };
}
