/**
 * The incident life cycle as data:
 *
 *   REPORTED -verify-> VERIFIED -respond-> RESPONDING -contain-> CONTAINED -close-> CLOSED
 *       |                                                                              ^
 *       +--------------------------- close (a false alarm, with a note) ---------------+
 */
import type { IncidentStatus } from './types';

export const STATUS_ACTIONS = ['VERIFY', 'RESPOND', 'CONTAIN', 'CLOSE'] as const;
export type StatusAction = (typeof STATUS_ACTIONS)[number];

const MOVES: Readonly<Record<StatusAction, Partial<Record<IncidentStatus, IncidentStatus>>>> = {
  VERIFY: { REPORTED: 'VERIFIED' },
  RESPOND: { VERIFIED: 'RESPONDING' },
  CONTAIN: { RESPONDING: 'CONTAINED' },
  CLOSE: { CONTAINED: 'CLOSED', REPORTED: 'CLOSED' },
};

/** The status after `action`, or undefined when the action is not possible now. */
export function nextIncidentStatus(status: IncidentStatus, action: StatusAction): IncidentStatus | undefined {
  return MOVES[action][status];
}

export function availableStatusActions(status: IncidentStatus): StatusAction[] {
  return STATUS_ACTIONS.filter((action) => nextIncidentStatus(status, action) !== undefined);
}

/** Closing an unverified report dismisses it: say why. */
export function needsNote(status: IncidentStatus, action: StatusAction): boolean {
  return action === 'CLOSE' && status === 'REPORTED';
}
