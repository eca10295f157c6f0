import type { HubBuilder } from '../../../src/graphql/builder';
import type { HubContext } from '../../../src/graphql/context';
import { parseSince, subscribeEvents } from '../../../src/events/graphql';
import type { HubEvent } from '../../../src/events/topics';
import { INCIDENT_TOPICS, type IncidentEventPayload } from '../events';
import { emergencyServiceRef } from '../public';
import { cellVisible } from '../service/scope';
import type { IncidentLevel } from '../levels';
import type { IncidentType } from '../service/types';
import type { EmergencyEnums } from './enums';
import { STAFF } from './ids';
import { incidentLoader } from './loaders';
import { EmergencyIncidentRef } from './refs';
import { zhValues } from '../../../src/graphql/zh';

const KIND: Readonly<Record<string, 'REPORTED' | 'LEVEL_CHANGED' | 'STATUS_CHANGED' | 'UPDATED'>> = {
  'emergency.incident.reported': 'REPORTED',
  'emergency.incident.levelChanged': 'LEVEL_CHANGED',
  'emergency.incident.statusChanged': 'STATUS_CHANGED',
  'emergency.incident.updated': 'UPDATED',
};

interface UpdateFilter {
  cellCode?: string | null;
  types?: readonly IncidentType[] | null;
  levels?: readonly IncidentLevel[] | null;
}

/** Incident events after `since`, then live; the viewer's grid scope is worked out once, at the start. */
async function* watchIncidents(
  ctx: HubContext,
  since: string | number | null | undefined,
  filter: UpdateFilter,
): AsyncGenerator<HubEvent<IncidentEventPayload>> {
  const from = parseSince(since);
  const scope = await ctx.services.get(emergencyServiceRef).scopeOf(ctx.viewer);
  yield* subscribeEvents<IncidentEventPayload>(ctx, {
    topics: INCIDENT_TOPICS,
    since: from,
    filter: (event) => {
      const p = event.payload;
      if (!cellVisible(scope, p.cellCode)) return false;
      if (filter.cellCode && !p.cellCode?.startsWith(filter.cellCode)) return false;
      if (filter.types?.length && !filter.types.includes(p.type)) return false;
      if (filter.levels?.length && !filter.levels.includes(p.level)) return false;
      return true;
    },
  });
}

/** Live incident events for the duty room and the grid. */
export function registerIncidentSubscriptions(builder: HubBuilder, enums: EmergencyEnums): void {
  const KindEnum = builder.enumType('EmergencyIncidentEventKind', {
    values: zhValues(['REPORTED', 'LEVEL_CHANGED', 'STATUS_CHANGED', 'UPDATED'] as const, {
      LEVEL_CHANGED: '级别调整',
      REPORTED: '接报',
      STATUS_CHANGED: '状态变化',
      UPDATED: '更新',
    }),
  });
  const EventRef = builder.objectRef<HubEvent<IncidentEventPayload>>('EmergencyIncidentEvent').implement({
    fields: (t) => ({
      eventId: t.id({ description: 'outbox id: pass it as `since` after a reconnect', resolve: (e) => String(e.id) }),
      kind: t.field({ type: KindEnum, resolve: (e) => KIND[e.topic] ?? 'UPDATED' }),
      timelineKind: t.field({ type: enums.TimelineKind, resolve: (e) => e.payload.timelineKind }),
      occurredAt: t.field({ type: 'DateTime', resolve: (e) => e.occurredAt }),
      incident: t.field({
        type: EmergencyIncidentRef,
        nullable: true,
        description: 'the incident as it is now',
        resolve: (e, _a, ctx) => incidentLoader(ctx).load(e.payload.incidentId),
      }),
      title: t.string({ resolve: (e) => e.payload.title }),
      type: t.field({ type: enums.IncidentType, resolve: (e) => e.payload.type }),
      level: t.field({ type: enums.IncidentLevel, description: 'the level the event left the incident at', resolve: (e) => e.payload.level }),
      status: t.field({ type: enums.IncidentStatus, description: 'the status the event left the incident in', resolve: (e) => e.payload.status }),
      proposed: t.boolean({ resolve: (e) => e.payload.proposed }),
      cellCode: t.string({ nullable: true, resolve: (e) => e.payload.cellCode }),
      summary: t.string({ resolve: (e) => e.payload.summary }),
      actor: t.string({ resolve: (e) => e.payload.actor }),
      at: t.field({ type: 'DateTime', resolve: (e) => new Date(e.payload.at) }),
    }),
  });
  const Filter = builder.inputType('EmergencyIncidentUpdateFilter', {
    fields: (t) => ({
      cellCode: t.string({ required: false, description: 'a cell and every cell under it' }),
      types: t.field({ type: [enums.IncidentType], required: false }),
      levels: t.field({ type: [enums.IncidentLevel], required: false }),
    }),
  });

  builder.subscriptionFields((t) => ({
    incidentUpdates: t.field({
      authScopes: { roles: [...STAFF] },
      type: EventRef,
      description:
        'Incidents in the viewer’s grid as they are reported and change (level, status, plans, orders, notes). With `since`, those after that event id first.',
      args: { since: t.arg.id({ required: false }), filter: t.arg({ type: Filter, required: false }) },
      subscribe: (_root, args, ctx) => watchIncidents(ctx, args.since, args.filter ?? {}),
      resolve: (event) => event,
    }),
  }));
}
