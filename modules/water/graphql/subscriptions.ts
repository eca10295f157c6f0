import type { HubBuilder } from '../../../src/graphql/builder';
import { parseSince, subscribeEvents } from '../../../src/events/graphql';
import type { HubEvent } from '../../../src/events/topics';
import { WATER_EPISODE_TOPICS, type WaterEpisodePayload } from '../events';
import { stationVisible } from '../service/scope';
import { waterEpisodeLoader } from './loaders';
import { WATER_READERS } from './queries';
import { WaterEpisodeRef } from './refs';
import type { WaterTypes } from './types';
import { boundedList } from '../../../src/graphql/cost/declare';
import { MAX_FACTORS_PER_HOUR as MAX_WATER_ITEMS } from '../service/quality';
import { zhValues } from '../../../src/graphql/zh';

const EVENT_KIND: Record<string, 'OPENED' | 'UPDATED' | 'CLOSED'> = {
  'water.episode.opened': 'OPENED',
  'water.episode.updated': 'UPDATED',
  'water.episode.closed': 'CLOSED',
};

/** Live water episode events, with replay from an outbox id. */
export function registerWaterSubscriptions(builder: HubBuilder, types: WaterTypes): void {
  const KindEnum = builder.enumType('WaterEpisodeEventKind', {
    values: zhValues(['OPENED', 'UPDATED', 'CLOSED'] as const, { CLOSED: '结束', OPENED: '开始', UPDATED: '更新' }),
  });
  const EventRef = builder.objectRef<HubEvent<WaterEpisodePayload>>('WaterEpisodeEvent').implement({
    fields: (t) => ({
      eventId: t.id({ description: 'outbox id: pass it as `since` after a reconnect', resolve: (e) => String(e.id) }),
      kind: t.field({ type: KindEnum, resolve: (e) => EVENT_KIND[e.topic] ?? 'UPDATED' }),
      occurredAt: t.field({ type: 'DateTime', resolve: (e) => e.occurredAt }),
      hour: t.field({ type: 'DateTime', description: 'start of the evaluated hour that caused it', resolve: (e) => new Date(e.payload.hour) }),
      episode: t.field({ type: WaterEpisodeRef, nullable: true, resolve: (e, _a, ctx) => waterEpisodeLoader(ctx).load(e.payload.episodeId) }),
      stationCode: t.string({ resolve: (e) => e.payload.stationCode }),
      stationName: t.string({ resolve: (e) => e.payload.stationName }),
      sourceCode: t.string({ resolve: (e) => e.payload.sourceCode }),
      sourceName: t.string({ resolve: (e) => e.payload.sourceName }),
      cellCode: t.string({ resolve: (e) => e.payload.cellCode }),
      waterbody: t.field({ type: types.WaterbodyEnum, resolve: (e) => e.payload.waterbody }),
      class: t.field({ type: types.WaterClassEnum, description: 'class of that hour', resolve: (e) => e.payload.class }),
      targetClass: t.field({ type: types.WaterClassEnum, resolve: (e) => e.payload.targetClass }),
      worstClass: t.field({ type: types.WaterClassEnum, resolve: (e) => e.payload.worstClass }),
      breachHours: t.int({ resolve: (e) => e.payload.breachHours }),
      failingItems: t.field({
        extensions: boundedList(MAX_WATER_ITEMS, { computed: true }),
        type: [types.ItemRef],
        description: 'empty when closed',
        resolve: (e) => types.failingAsItems(e.payload.failingItems),
      }),
    }),
  });
  const Filter = builder.inputType('WaterEpisodeEventFilter', {
    fields: (t) => ({
      station: t.string({ required: false, description: 'station code' }),
      source: t.string({ required: false, description: 'source code' }),
      cellCode: t.string({ required: false, description: 'a grid cell and every cell under it' }),
    }),
  });

  builder.subscriptionFields((t) => ({
    waterEpisodeEvents: t.field({
      authScopes: { roles: [...WATER_READERS] },
      type: EventRef,
      description: 'Water episodes as they open, change and close. With `since`, every matching event after that id first.',
      args: { filter: t.arg({ type: Filter, required: false }), since: t.arg.id({ required: false }) },
      subscribe: (_root, args, ctx) => {
        const filter = args.filter ?? {};
        return subscribeEvents<WaterEpisodePayload>(ctx, {
          topics: [...WATER_EPISODE_TOPICS],
          since: parseSince(args.since),
          filter: (event) => {
            const p = event.payload;
            if (!stationVisible(ctx.viewer, p.cellCode)) return false;
            if (filter.station && p.stationCode !== filter.station) return false;
            if (filter.source && p.sourceCode !== filter.source) return false;
            if (filter.cellCode && !p.cellCode.startsWith(filter.cellCode)) return false;
            return true;
          },
        });
      },
      resolve: (event) => event as HubEvent<WaterEpisodePayload>,
    }),
  }));
}
