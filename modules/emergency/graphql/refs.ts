import { ObjectRef } from '@pothos/core';
import type { HubTypes } from '../../../src/graphql/builder';
import type { DispatchOrder, Incident, IncidentAction, Plan, Resource } from '../service/types';

/** Refs other modules may point at (an OA document about an incident, a disclosure of one). */
export const EmergencyIncidentRef = new ObjectRef<HubTypes, Incident>('EmergencyIncident');
export const EmergencyResourceRef = new ObjectRef<HubTypes, Resource>('EmergencyResource');
export const EmergencyPlanRef = new ObjectRef<HubTypes, Plan>('EmergencyPlan');
export const EmergencyActionRef = new ObjectRef<HubTypes, IncidentAction>('EmergencyAction');
export const EmergencyOrderRef = new ObjectRef<HubTypes, DispatchOrder>('EmergencyDispatchOrder');
