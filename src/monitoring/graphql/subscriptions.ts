import type { HubBuilder } from '../../graphql/builder';
import { parseSince, subscribeEvents } from '../../events/graphql';
import type { HubEvent } from '../../events/topics';
import {
  EXCEEDANCE_TOPICS,
  FORECAST_WARNING_TOPICS,
  MONITOR_STATUS_TOPICS,
  type ExceedanceEventPayload,
  type ForecastWarningPayload,
  type MonitorStatusPayload,
} from '../events';
import { monitorEventVisible } from '../scope';
import type { MonitoringTypes } from './types';
import { exceedanceLoader, monitorLoader } from './loaders';
import { ExceedanceRef, MonitorRef } from './refs';
import { zhValues } from '../../graphql/zh';

const EXCEEDANCE_KIND: Record<string, 'OPENED' | 'ESCALATED' | 'PEAK_UPDATED' | 'CLOSED'> = {
  'monitoring.exceedance.opened': 'OPENED',
  'monitoring.exceedance.escalated': 'ESCALATED',
  'monitoring.exceedance.peakUpdated': 'PEAK_UPDATED',
  'monitoring.exceedance.closed': 'CLOSED',
  'monitoring.forecast.opened': 'OPENED',
  'monitoring.forecast.closed': 'CLOSED',
};

/** Exceedance episodes and forecast warnings share one event shape; a forecast warning has no episode. */
type MonitorEventPayload = ExceedanceEventPayload | ForecastWarningPayload;
const isForecast = (payload: MonitorEventPayload): payload is ForecastWarningPayload => payload.severity === 'FORECAST';

/** Live exceedance and monitor-status events, with replay from an outbox id. */
export function registerMonitoringSubscriptions(builder: HubBuilder, types: MonitoringTypes): void {
  const readers = { authScopes: { roles: ['admin', 'district', 'town', 'assistant', 'enterprise', 'upstream'] } } as const;
  const ExceedanceEventKind = builder.enumType('ExceedanceEventKind', {
    values: zhValues(['OPENED', 'ESCALATED', 'PEAK_UPDATED', 'CLOSED'] as const, {
      CLOSED: '恢复',
      ESCALATED: '升级',
      OPENED: '开始',
      PEAK_UPDATED: '峰值刷新',
    }),
  });
  const ForecastCloseReason = builder.enumType('ForecastWarningCloseReason', {
    values: zhValues(['FORECAST_FELL', 'EXCEEDED'] as const, { EXCEEDED: '已实际超标', FORECAST_FELL: '预报回落' }),
  });
  const ExceedanceEventRef = builder.objectRef<HubEvent<MonitorEventPayload>>('ExceedanceEvent').implement({
    description: 'An exceedance episode’s change, or a forecast warning (预报预警, severity FORECAST) opening or closing.',
    fields: (t) => ({
      eventId: t.id({ description: 'outbox id: pass it as `since` after a reconnect', resolve: (e) => String(e.id) }),
      kind: t.field({ type: ExceedanceEventKind, resolve: (e) => EXCEEDANCE_KIND[e.topic] ?? 'OPENED' }),
      occurredAt: t.field({ type: 'DateTime', resolve: (e) => e.occurredAt }),
      at: t.field({ type: 'DateTime', description: 'time of the value that caused it', resolve: (e) => new Date(e.payload.at) }),
      exceedance: t.field({
        type: ExceedanceRef,
        nullable: true,
        description: 'the episode; null for a forecast warning',
        resolve: (e, _a, ctx) => (isForecast(e.payload) ? null : exceedanceLoader(ctx).load(e.payload.exceedanceId)),
      }),
      forecastProbability: t.float({
        nullable: true,
        description: 'a forecast warning: the chance of being outside at `at` when it opened',
        resolve: (e) => (isForecast(e.payload) ? e.payload.probability : null),
      }),
      forecastMethod: t.string({
        nullable: true,
        description: 'a forecast warning: the method that forecast it',
        resolve: (e) => (isForecast(e.payload) ? e.payload.method : null),
      }),
      forecastCloseReason: t.field({
        type: ForecastCloseReason,
        nullable: true,
        description: 'a closed forecast warning: why',
        resolve: (e) =>
          isForecast(e.payload) && (e.payload.closeReason === 'EXCEEDED' || e.payload.closeReason === 'FORECAST_FELL') ? e.payload.closeReason : null,
      }),
      monitor: t.field({ type: MonitorRef, nullable: true, resolve: (e, _a, ctx) => monitorLoader(ctx).load(e.payload.monitorId) }),
      mn: t.string({ resolve: (e) => e.payload.mn }),
      monitorName: t.string({ resolve: (e) => e.payload.monitorName }),
      monitorKind: t.field({ type: types.MonitorKindEnum, resolve: (e) => e.payload.monitorKind }),
      ownerModule: t.string({ nullable: true, resolve: (e) => e.payload.ownerModule }),
      cellCode: t.string({ nullable: true, resolve: (e) => e.payload.cellCode }),
      enterpriseUscc: t.string({ nullable: true, resolve: (e) => e.payload.enterpriseUscc }),
      factor: t.string({ resolve: (e) => e.payload.factor }),
      interval: t.field({ type: types.ReadingIntervalEnum, resolve: (e) => e.payload.interval }),
      severity: t.field({ type: types.SeverityEnum, resolve: (e) => e.payload.severity }),
      value: t.float({ resolve: (e) => e.payload.value }),
      peakValue: t.float({ resolve: (e) => e.payload.peakValue }),
      limitUpper: t.float({ nullable: true, resolve: (e) => e.payload.limitUpper }),
      limitLower: t.float({ nullable: true, resolve: (e) => e.payload.limitLower }),
    }),
  });
  const MonitorStatusEventRef = builder.objectRef<HubEvent<MonitorStatusPayload>>('MonitorStatusEvent').implement({
    fields: (t) => ({
      eventId: t.id({ resolve: (e) => String(e.id) }),
      status: t.field({ type: types.MonitorStatusEnum, resolve: (e) => e.payload.status }),
      occurredAt: t.field({ type: 'DateTime', resolve: (e) => e.occurredAt }),
      lastDataAt: t.field({ type: 'DateTime', nullable: true, resolve: (e) => (e.payload.lastDataAt ? new Date(e.payload.lastDataAt) : null) }),
      monitor: t.field({ type: MonitorRef, nullable: true, resolve: (e, _a, ctx) => monitorLoader(ctx).load(e.payload.monitorId) }),
      mn: t.string({ resolve: (e) => e.payload.mn }),
      monitorName: t.string({ resolve: (e) => e.payload.monitorName }),
      monitorKind: t.field({ type: types.MonitorKindEnum, resolve: (e) => e.payload.monitorKind }),
      cellCode: t.string({ nullable: true, resolve: (e) => e.payload.cellCode }),
    }),
  });
  const EventFilter = builder.inputType('ExceedanceEventFilter', {
    fields: (t) => ({
      cellCode: t.string({ required: false, description: 'a grid cell and every cell under it' }),
      monitorKind: t.field({ type: [types.MonitorKindEnum], required: false }),
      ownerModule: t.string({ required: false }),
      severity: t.field({ type: types.SeverityEnum, required: false }),
    }),
  });
  const StatusFilter = builder.inputType('MonitorStatusFilter', {
    fields: (t) => ({
      cellCode: t.string({ required: false }),
      monitorKind: t.field({ type: [types.MonitorKindEnum], required: false }),
      ownerModule: t.string({ required: false }),
    }),
  });

  builder.subscriptionFields((t) => ({
    exceedanceEvents: t.field({
      ...readers,
      type: ExceedanceEventRef,
      description:
        'Exceedances as they open, escalate, peak and close, and forecast warnings as they open and close. With `since`, every matching event after that id first.',
      args: { filter: t.arg({ type: EventFilter, required: false }), since: t.arg.id({ required: false }) },
      subscribe: (_root, args, ctx) => {
        const filter = args.filter ?? {};
        return subscribeEvents<MonitorEventPayload>(ctx, {
          topics: [...EXCEEDANCE_TOPICS, ...FORECAST_WARNING_TOPICS],
          since: parseSince(args.since),
          filter: (event) => monitorEventVisible(ctx.viewer, filter, event.payload),
        });
      },
      resolve: (event) => event as HubEvent<MonitorEventPayload>,
    }),
    monitorStatus: t.field({
      ...readers,
      type: MonitorStatusEventRef,
      description: 'Monitors going offline (data interruption) and coming back.',
      args: { filter: t.arg({ type: StatusFilter, required: false }), since: t.arg.id({ required: false }) },
      subscribe: (_root, args, ctx) => {
        const filter = args.filter ?? {};
        return subscribeEvents<MonitorStatusPayload>(ctx, {
          topics: [...MONITOR_STATUS_TOPICS],
          since: parseSince(args.since),
          filter: (event) => monitorEventVisible(ctx.viewer, filter, event.payload),
        });
      },
      resolve: (event) => event as HubEvent<MonitorStatusPayload>,
    }),
  }));
}
