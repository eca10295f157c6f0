import { ObjectRef } from '@pothos/core';
import type { HubTypes } from '../../../src/graphql/builder';
import type { GridCell, GridPatrol, GridStaff, GridTask } from '../service/types';

/** Refs other modules may extend (`GridCell.airStations`) and point at (`Enterprise.cell`). */
export const GridCellRef = new ObjectRef<HubTypes, GridCell>('GridCell');
export const GridStaffRef = new ObjectRef<HubTypes, GridStaff>('GridStaff');
export const GridTaskRef = new ObjectRef<HubTypes, GridTask>('GridTask');
export const GridPatrolRef = new ObjectRef<HubTypes, GridPatrol>('GridPatrol');
