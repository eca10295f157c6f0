import { reportingDeadline } from '../levels';
import type { Incident } from './types';

export type UpwardReportStatus = 'NOT_REQUIRED' | 'PENDING' | 'MET' | 'MISSED';

/**
 * The duty to report a (suspected) level I or II incident upward within two hours of learning of
 * it: the deadline, and whether it was met. Unreported and past the deadline is already missed.
 */
export function upwardReport(
  incident: Pick<Incident, 'level' | 'reportedAt' | 'reportedUpwardAt'>,
  now: Date,
): { deadline: Date | null; status: UpwardReportStatus } {
  const deadline = reportingDeadline(incident.level, incident.reportedAt);
  if (!deadline) return { deadline, status: 'NOT_REQUIRED' };
  if (incident.reportedUpwardAt) return { deadline, status: incident.reportedUpwardAt <= deadline ? 'MET' : 'MISSED' };
  return { deadline, status: now > deadline ? 'MISSED' : 'PENDING' };
}
