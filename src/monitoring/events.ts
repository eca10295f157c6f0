import { defineEvent } from '../events/topics';
import type { MonitorKind, ReadingInterval, Severity } from './types';

/** What every exceedance event carries: enough to filter, scope and display without a query. */
export interface ExceedanceEventPayload {
  exceedanceId: number;
  monitorId: number;
  mn: string;
  monitorName: string;
  monitorKind: MonitorKind;
  ownerModule: string | null;
  ownerId: string | null;
  enterpriseUscc: string | null;
  cellCode: string | null;
  factor: string;
  interval: ReadingInterval;
  severity: Severity;
  value: number;
  peakValue: number;
  limitUpper: number | null;
  limitLower: number | null;
  at: string;
}

export interface MonitorStatusPayload {
  monitorId: number;
  mn: string;
  monitorName: string;
  monitorKind: MonitorKind;
  ownerModule: string | null;
  enterpriseUscc: string | null;
  cellCode: string | null;
  status: 'ONLINE' | 'OFFLINE';
  /** last data before going offline, or the data that brought it back */
  lastDataAt: string | null;
  at: string;
}

export const exceedanceOpened = defineEvent<ExceedanceEventPayload>('monitoring.exceedance.opened');
export const exceedanceEscalated = defineEvent<ExceedanceEventPayload>('monitoring.exceedance.escalated');
export const exceedancePeakUpdated = defineEvent<ExceedanceEventPayload>('monitoring.exceedance.peakUpdated');
export const exceedanceClosed = defineEvent<ExceedanceEventPayload>('monitoring.exceedance.closed');
export const EXCEEDANCE_TOPICS = [exceedanceOpened, exceedanceEscalated, exceedancePeakUpdated, exceedanceClosed] as const;

/**
 * Forecast warnings travel with the exceedances' payload so that the same subscription and the
 * same scope filter carry them; `severity` is FORECAST, `exceedanceId` the warning's own id, `at`
 * the first hour expected outside, `value` the value expected then.
 */
export type ForecastWarningPayload = Omit<ExceedanceEventPayload, 'severity'> & {
  severity: 'FORECAST';
  probability: number;
  method: string;
  closeReason: string | null;
};
export const forecastWarningOpened = defineEvent<ForecastWarningPayload>('monitoring.forecast.opened');
export const forecastWarningClosed = defineEvent<ForecastWarningPayload>('monitoring.forecast.closed');
export const FORECAST_WARNING_TOPICS = [forecastWarningOpened, forecastWarningClosed] as const;

export const monitorWentOffline = defineEvent<MonitorStatusPayload>('monitoring.monitor.wentOffline');
export const monitorCameOnline = defineEvent<MonitorStatusPayload>('monitoring.monitor.cameOnline');
export const MONITOR_STATUS_TOPICS = [monitorWentOffline, monitorCameOnline] as const;
