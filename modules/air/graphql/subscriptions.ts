import type { HubBuilder } from '../../../src/graphql/builder';
import { parseSince, subscribeEvents } from '../../../src/events/graphql';
import type { HubEvent } from '../../../src/events/topics';
import { aqiLevel } from '../service/aqi';
import { AIR_EPISODE_TOPICS, type AirEpisodeEventPayload } from '../events';
import { canReadAir } from '../service/stations';
import { airEpisodeLoader, airStationLoader } from './loaders';
import { AIR_READERS } from './queries';
import { AirEpisodeRef, AirStationRef } from './refs';
import type { AirTypes } from './types';
import { zhValues } from '../../../src/graphql/zh';

const KIND_OF_TOPIC: Record<string, 'OPENED' | 'ESCALATED' | 'CLOSED'> = {
  'air.episode.opened': 'OPENED',
  'air.episode.escalated': 'ESCALATED',
  'air.episode.closed': 'CLOSED',
};

/** Air episodes as they open, escalate and close, with replay from an outbox id. */
export function registerAirSubscriptions(builder: HubBuilder, types: AirTypes): void {
  const EventKindEnum = builder.enumType('AirEpisodeEventKind', {
    values: zhValues(['OPENED', 'ESCALATED', 'CLOSED'] as const, { CLOSED: '结束', ESCALATED: '升级', OPENED: '开始' }),
  });
  const EventRef = builder.objectRef<HubEvent<AirEpisodeEventPayload>>('AirEpisodeEvent').implement({
    fields: (t) => ({
      eventId: t.id({ description: 'outbox id: pass it as `since` after a reconnect', resolve: (e) => String(e.id) }),
      kind: t.field({ type: EventKindEnum, resolve: (e) => KIND_OF_TOPIC[e.topic] ?? 'OPENED' }),
      occurredAt: t.field({ type: 'DateTime', resolve: (e) => e.occurredAt }),
      hour: t.field({ type: 'DateTime', description: 'start of the hour whose AQI caused it', resolve: (e) => new Date(e.payload.hour) }),
      episode: t.field({ type: AirEpisodeRef, nullable: true, resolve: (e, _a, ctx) => airEpisodeLoader(ctx).load(e.payload.episodeId) }),
      station: t.field({ type: AirStationRef, nullable: true, resolve: (e, _a, ctx) => airStationLoader(ctx).load(e.payload.stationCode) }),
      stationCode: t.string({ resolve: (e) => e.payload.stationCode }),
      stationName: t.string({ resolve: (e) => e.payload.stationName }),
      cellCode: t.string({ nullable: true, resolve: (e) => e.payload.cellCode }),
      aqi: t.int({ resolve: (e) => e.payload.aqi }),
      level: t.int({ resolve: (e) => e.payload.level }),
      color: t.string({ resolve: (e) => aqiLevel(e.payload.aqi).color }),
      primaryPollutants: t.field({ type: [types.AirPollutantEnum], resolve: (e) => e.payload.primaryPollutants }),
      threshold: t.int({ description: 'the highest of 100, 200, 300 passed', resolve: (e) => e.payload.threshold }),
      edition: t.field({ type: types.AqiEditionEnum, resolve: (e) => e.payload.edition }),
    }),
  });
  const EventFilter = builder.inputType('AirEpisodeEventFilter', {
    fields: (t) => ({
      station: t.string({ required: false, description: 'station code' }),
      cellCode: t.string({ required: false, description: 'a grid cell and every cell under it' }),
    }),
  });

  builder.subscriptionFields((t) => ({
    airEpisodeEvents: t.field({
      authScopes: { roles: [...AIR_READERS] },
      type: EventRef,
      description: 'Air episodes as they open, escalate and close. With `since`, every matching event after that id first.',
      args: { filter: t.arg({ type: EventFilter, required: false }), since: t.arg.id({ required: false }) },
      subscribe: (_root, args, ctx) => {
        const filter = args.filter ?? {};
        return subscribeEvents<AirEpisodeEventPayload>(ctx, {
          topics: [...AIR_EPISODE_TOPICS],
          since: parseSince(args.since),
          filter: (event) => {
            const p = event.payload;
            if (!canReadAir(ctx.viewer)) return false;
            if (filter.station && p.stationCode !== filter.station) return false;
            if (filter.cellCode && !p.cellCode?.startsWith(filter.cellCode)) return false;
            return true;
          },
        });
      },
      resolve: (event) => event as HubEvent<AirEpisodeEventPayload>,
    }),
  }));
}
