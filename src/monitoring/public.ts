/** What modules may use of the monitoring core. */
export { monitoringServiceRef } from './service-ref';
export type { MonitoringService } from './service';
export type { Monitor, MonitorKind, Limit, Reading, ReadingInterval, Exceedance, Severity } from './types';
export type { ReadingInput, IngestResult } from './ingest';
export type { FactorReading, StoredReadingRow, MonitorSeriesQuery, MonitorFactorReading, MonitorsSeriesQuery, MonitorValue } from './queries';
export type { MonitorColumn, MonitorInput, MonitorPatch } from './monitors';
export type { LimitInput } from './limits';
export type { ExceedanceEventPayload, MonitorStatusPayload } from './events';
export {
  EXCEEDANCE_TOPICS,
  MONITOR_STATUS_TOPICS,
  exceedanceOpened,
  exceedanceEscalated,
  exceedanceClosed,
  exceedancePeakUpdated,
  monitorWentOffline,
  monitorCameOnline,
} from './events';
export { MonitorRef, ExceedanceRef, ForecastMethodEnum } from './graphql/refs';
export { inScope } from './scope';
export { canonicalFactorCode, lookupFactor, type FactorInfo } from './factors';
export { verifyDevicePassword } from './password';
export { dutyRefs, DUTY_READERS, type DutyMapPoint, type DutyRoot } from './graphql/duty';
export type { PointState, OwnerState, OpenExceedanceCount, StationPoint, StationRow } from './summary';
export { stationPoints } from './summary';
export { amountUnitOf, type AmountPeriod, type EmissionTotal, type EmissionTotalsQuery, type FacilityRunTime } from './amounts';
export { exceedancePage } from './graphql/exceedance-page';
export type { MonitorForecast } from './forecast/service';
export { FORECAST_METHODS, type ForecastMethod } from './forecast/rolling';
