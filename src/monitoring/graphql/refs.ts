import { ObjectRef } from '@pothos/core';
import type { HubTypes } from '../../graphql/builder';
import type { Exceedance, Monitor } from '../types';

/** Refs other modules may use in their own fields (`Enterprise.monitors`, `AirStation.monitor`). */
export const MonitorRef = new ObjectRef<HubTypes, Monitor>('Monitor');
export const ExceedanceRef = new ObjectRef<HubTypes, Exceedance>('Exceedance');
