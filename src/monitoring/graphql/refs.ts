import { ObjectRef } from '@pothos/core';
import type { HubTypes } from '../../graphql/builder';
import type { Exceedance, Monitor } from '../types';
import { FORECAST_METHODS, type ForecastMethod } from '../forecast/rolling';

/** Refs other modules may use in their own fields (`Enterprise.monitors`, `AirStation.monitor`). */
export const MonitorRef = new ObjectRef<HubTypes, Monitor>('Monitor');
export const ExceedanceRef = new ObjectRef<HubTypes, Exceedance>('Exceedance');
/**
 * The forecast methods as an enum object: `ForecastMethod` is registered from it, so a field of
 * another module can name the same type by passing this object.
 */
export const ForecastMethodEnum = Object.fromEntries(FORECAST_METHODS.map((m) => [m, m])) as { readonly [K in ForecastMethod]: K };
