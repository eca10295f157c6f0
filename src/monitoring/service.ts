import type { SQL } from 'drizzle-orm';
import type { Viewer } from '../auth/viewer';
import type { MonitoringDeps } from './deps';
import {
  createMonitor,
  credentialsOf,
  listMonitors,
  countMonitors,
  monitorByMn,
  monitorsByIds,
  monitorsByMns,
  monitorColumnsFor,
  monitorFromJson,
  type MonitorColumn,
  visibleMonitorJson,
  recordDeviceState,
  updateMonitor,
  type MonitorFilter,
  type MonitorInput,
  type MonitorPatch,
} from './monitors';
import { monitorLimits, setLimit, type LimitInput } from './limits';
import { bindingOf, ingestReadings, type IngestResult, type ReadingInput } from './ingest';
import {
  acknowledgeExceedance,
  bucketedSeries,
  exceedancesByIds,
  latestReadings,
  listExceedances,
  countExceedances,
  monitorReadings,
  readingSeries,
  visibleReadingSeries,
  readingsOfMonitors,
  validValuesOfMonitors,
  type BucketPoint,
  type ExceedanceFilter,
  type FactorReading,
  type MonitorSeriesQuery,
  type MonitorFactorReading,
  type MonitorValue,
  type MonitorsSeriesQuery,
  type LatestReading,
  type ReadingPoint,
  type SeriesQuery,
  type Bucket,
} from './queries';
import { detectInterruptions } from './interruption';
import { emissionTotals, facilityRunTimes, recordFacilityRunTimes, type EmissionTotal, type EmissionTotalsQuery, type FacilityRunTime } from './amounts';
import { monitorStatusCounts, openExceedanceCounts, ownerStates, type MonitorStatusCount, type OpenExceedanceCount, type OwnerState } from './summary';
import type { Exceedance, Limit, Monitor } from './types';
import type { Executor } from '../db';
import { backtestMonitor, forecastMonitor, type BacktestQuery, type MonitorForecast, type SeriesBacktest } from './forecast/service';

/** The monitoring core's service: what resolvers, the gateway and other modules call. */
export interface MonitoringService {
  /**
   * Stores and evaluates a batch. With a viewer (the GraphQL mutation), a device token writes only
   * its own monitors: every other item is refused on its own; without one (the gateway, whose
   * devices proved their PW, and internal callers) any monitor.
   */
  ingest(items: readonly ReadingInput[], viewer?: Viewer): Promise<IngestResult>;
  createMonitor(input: MonitorInput, executor?: Executor): Promise<Monitor>;
  updateMonitor(id: number, patch: MonitorPatch): Promise<Monitor>;
  setLimit(input: LimitInput, executor?: Executor): Promise<Limit>;
  limitsOf(monitor: { id: number; kind: string }): Promise<Limit[]>;
  monitorsByIds(viewer: Viewer, ids: readonly number[]): Promise<(Monitor | undefined)[]>;
  monitorsByMns(viewer: Viewer, mns: readonly string[]): Promise<(Monitor | undefined)[]>;
  /**
   * An SQL expression for another module's statement: the monitor `id` (an int expression) as
   * `monitorFromJson` reads it, or null when the viewer may not see it.
   */
  visibleMonitorJson(viewer: Viewer, id: SQL, columns?: readonly MonitorColumn[]): SQL;
  /** the columns a selection of Monitor fields needs; undefined: all of them */
  monitorColumnsFor(fields: ReadonlySet<string>): MonitorColumn[] | undefined;
  monitorFromJson(value: unknown): Monitor | undefined;
  /** unscoped: for internal callers only */
  monitorByMn(mn: string): Promise<Monitor | undefined>;
  /** the monitor with its PW hash: for the gateway's PW check only */
  deviceCredentials(mn: string): Promise<(Monitor & { passwordHash: string }) | undefined>;
  listMonitors(viewer: Viewer, filter: MonitorFilter, page: { limit: number; afterId: number | undefined }): Promise<Monitor[]>;
  countMonitors(viewer: Viewer, filter: MonitorFilter): Promise<number>;
  recordDeviceState(monitorId: number, state: { facilityStatus?: unknown; restartedAt?: Date }): Promise<void>;
  /** a 2041 report: each facility's run hours on the day it names; a resent one changes nothing */
  recordFacilityRunTimes(monitorId: number, time: Date, runTimes: readonly { facility: string; runHours: number }[]): Promise<void>;
  /** unscoped: the caller has shown the monitors to the viewer */
  facilityRunTimes(query: { monitorIds: readonly number[]; from: Date; to: Date; limit: number }): Promise<FacilityRunTime[]>;
  /** -Cou summed per day or month over the monitors; unscoped like facilityRunTimes */
  emissionTotals(query: EmissionTotalsQuery): Promise<Map<string, EmissionTotal[]>>;
  readings(query: SeriesQuery): Promise<ReadingPoint[]>;
  /** a series for a viewer, the row scope checked in the same statement: undefined when the monitor is not visible */
  visibleReadings(viewer: Viewer, query: SeriesQuery): Promise<ReadingPoint[] | undefined>;
  /** every factor (or the given ones) of one monitor over a range, in one read */
  monitorReadings(query: MonitorSeriesQuery): Promise<FactorReading[]>;
  /** several monitors' series over one range, in one read */
  readingsOfMonitors(query: MonitorsSeriesQuery): Promise<MonitorFactorReading[]>;
  /** only the valid values of the same, four columns each: what statistics over many series read */
  validValuesOfMonitors(query: MonitorsSeriesQuery): Promise<MonitorValue[]>;
  buckets(query: SeriesQuery & { bucket: Bucket }): Promise<{ points: BucketPoint[]; source: 'continuous-aggregate' | 'on-the-fly' }>;
  latest(monitorIds: readonly number[]): Promise<LatestReading[]>;
  listExceedances(viewer: Viewer, filter: ExceedanceFilter, page: { limit: number; beforeId: number | undefined }): Promise<Exceedance[]>;
  countExceedances(viewer: Viewer, filter: ExceedanceFilter): Promise<number>;
  exceedancesByIds(viewer: Viewer, ids: readonly number[]): Promise<(Exceedance | undefined)[]>;
  acknowledgeExceedance(viewer: Viewer, id: number, note: string | undefined): Promise<Exceedance>;
  detectInterruptions(): Promise<number>;
  /** the next `hours` hours of a monitor's hourly series; undefined with too little history */
  forecast(monitor: Pick<Monitor, 'id' | 'kind'>, factor: string, hours: number): Promise<MonitorForecast | undefined>;
  /** the rolling-origin backtest of a monitor's hourly series over a stored range */
  forecastBacktest(monitor: Pick<Monitor, 'id' | 'kind'>, factor: string, query: BacktestQuery): Promise<SeriesBacktest>;
  /** the duty room's counts and map states in the viewer's scope, one statement each */
  summary: {
    monitorStatus(viewer: Viewer): Promise<MonitorStatusCount[]>;
    openExceedances(viewer: Viewer): Promise<OpenExceedanceCount[]>;
    ownerStates(viewer: Viewer, query: { ownerModule: string; keyBy: 'owner' | 'enterprise' }): Promise<OwnerState[]>;
  };
  /** Calls `listener` with the MN of a monitor whose credentials or identity changed; returns how to stop. */
  onMonitorChanged(listener: (mn: string) => void): () => void;
  /**
   * Tells this instance's listeners about changes made through other hub instances on the same
   * database (a password changed there must not stay accepted here); returns how to stop.
   */
  relayChangesBetweenInstances(): Promise<() => Promise<void>>;
}

/** Between hub instances: the MN of a monitor whose credentials or identity changed. */
const MONITOR_CHANGED_CHANNEL = 'hub_monitor_changed';

export function createMonitoringService(given: MonitoringDeps): MonitoringService {
  const changeListeners = new Set<(mn: string) => void>();
  const deps: MonitoringDeps = {
    ...given,
    onMonitorChanged: (mn) => {
      given.onMonitorChanged?.(mn);
      for (const listener of changeListeners) listener(mn);
      if (given.db.engine === 'postgres') {
        given.db
          .notify(MONITOR_CHANGED_CHANNEL, mn)
          .catch((error: unknown) => given.logger.warn({ err: error, mn }, 'other instances could not be told of a monitor change'));
      }
    },
  };
  return {
    ingest: async (items, viewer) => {
      const started = performance.now();
      const result = await ingestReadings(deps, items, bindingOf(viewer));
      deps.observe?.ingested(result, (performance.now() - started) / 1000);
      return result;
    },
    createMonitor: (input, executor) => createMonitor(deps, input, executor),
    updateMonitor: (id, patch) => updateMonitor(deps, id, patch),
    setLimit: (input, executor) => setLimit(deps, input, executor),
    limitsOf: (monitor) => monitorLimits(deps, monitor),
    monitorsByIds: (viewer, ids) => monitorsByIds(deps, viewer, ids),
    monitorsByMns: (viewer, mns) => monitorsByMns(deps, viewer, mns),
    visibleMonitorJson: (viewer, id, columns) => visibleMonitorJson(viewer, id, columns),
    monitorColumnsFor: (fields) => monitorColumnsFor(fields),
    monitorFromJson: (value) => monitorFromJson(value),
    monitorByMn: (mn) => monitorByMn(deps, mn),
    deviceCredentials: (mn) => credentialsOf(deps, mn),
    listMonitors: (viewer, filter, page) => listMonitors(deps, viewer, filter, page),
    countMonitors: (viewer, filter) => countMonitors(deps, viewer, filter),
    recordDeviceState: (monitorId, state) => recordDeviceState(deps, monitorId, state),
    recordFacilityRunTimes: (monitorId, time, runTimes) => recordFacilityRunTimes(deps, monitorId, time, runTimes),
    facilityRunTimes: (query) => facilityRunTimes(deps, query),
    emissionTotals: (query) => emissionTotals(deps, query),
    readings: (query) => readingSeries(deps, query),
    visibleReadings: (viewer, query) => visibleReadingSeries(deps, viewer, query),
    monitorReadings: (query) => monitorReadings(deps, query),
    readingsOfMonitors: (query) => readingsOfMonitors(deps, query),
    validValuesOfMonitors: (query) => validValuesOfMonitors(deps, query),
    buckets: (query) => bucketedSeries(deps, query),
    latest: (ids) => latestReadings(deps, ids),
    listExceedances: (viewer, filter, page) => listExceedances(deps, viewer, filter, page),
    countExceedances: (viewer, filter) => countExceedances(deps, viewer, filter),
    exceedancesByIds: (viewer, ids) => exceedancesByIds(deps, viewer, ids),
    acknowledgeExceedance: (viewer, id, note) => acknowledgeExceedance(deps, viewer, id, note),
    detectInterruptions: () => detectInterruptions(deps),
    forecast: (monitor, factor, hours) => forecastMonitor(deps, monitor, factor, hours),
    forecastBacktest: (monitor, factor, query) => backtestMonitor(deps, monitor, factor, query),
    summary: {
      monitorStatus: (viewer) => monitorStatusCounts(deps, viewer),
      openExceedances: (viewer) => openExceedanceCounts(deps, viewer),
      ownerStates: (viewer, query) => ownerStates(deps, viewer, query),
    },
    onMonitorChanged: (listener) => {
      changeListeners.add(listener);
      return () => changeListeners.delete(listener);
    },
    relayChangesBetweenInstances: () =>
      given.db.listen(
        MONITOR_CHANGED_CHANNEL,
        (mn) => {
          for (const listener of changeListeners) listener(mn);
        },
        // a change missed while the listening connection was down: the gateway's cache TTL bounds it
        () => {},
      ),
  };
}
