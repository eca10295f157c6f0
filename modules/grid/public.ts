/** What other modules may use of the grid. */
import { createServiceRef } from '../../src/services';
import type { GridService } from './service/grid-service';

export const gridServiceRef = createServiceRef<GridService>('grid');
export type { GridService } from './service/grid-service';
export type { GridCell, GridStaff, GridTask, GridPatrol, GridMedia, StaffRole, TaskType } from './service/types';
export type { TaskStatus } from './service/transitions';
export type { CoverageEntity, CoverageSource } from './service/coverage';
export type { TaskEventPayload } from './events';
export { TASK_TOPICS, taskAssigned, taskAccepted, taskStarted, taskSubmitted, taskVerified, taskReturned, taskOverdue } from './events';
export { GridCellRef, GridStaffRef, GridTaskRef } from './graphql/refs';
