import type { HubBuilder } from '../../../src/graphql/builder';
import { pageOf } from '../../../src/graphql/pagination';
import { waterServiceRef } from '../public';
import { MAX_CALCULATOR_VALUES } from '../service/calculator';
import { MAX_RANGE_DAYS } from '../service/quality';
import { waterStationByCodeLoader } from './loaders';
import { WaterEpisodeRef, WaterSourceRef, WaterStationRef } from './refs';
import type { WaterTypes } from './types';
import { SERIES_STEPS } from '../../../src/graphql/cost/declare';

/** Station data is for staff and upstream platforms; the calculator is for everyone. */
export const WATER_READERS = ['admin', 'district', 'town', 'assistant', 'upstream'] as const;

/** The most points a range holds: 31 days of hours. */
const MAX_POINTS = Math.max(MAX_RANGE_DAYS.HOUR * 24, MAX_RANGE_DAYS.DAY);

export function registerWaterQueries(builder: HubBuilder, types: WaterTypes): void {
  const readers = { authScopes: { roles: [...WATER_READERS] } } as const;

  const ValueInput = builder.inputType('WaterValueInput', {
    fields: (t) => ({
      factor: t.string({ required: true, description: 'HJ 212 factor code, e.g. w21003 for NH3-N' }),
      value: t.float({ required: true, description: 'mg/L (fecal coliform per L)' }),
    }),
  });
  const ClassifyInput = builder.inputType('ClassifyWaterInput', {
    fields: (t) => ({
      waterbody: t.field({ type: types.WaterbodyEnum, required: true }),
      values: t.field({ type: [ValueInput], required: true, description: `1-${MAX_CALCULATOR_VALUES} values, one per factor` }),
      targetClass: t.field({ type: types.WaterClassEnum, required: false, description: 'classes I-V; items worse than it fail' }),
    }),
  });
  const EpisodeFilter = builder.inputType('WaterEpisodeFilter', {
    fields: (t) => ({
      status: t.field({ type: types.EpisodeStatusEnum, required: false }),
      station: t.string({ required: false, description: 'station code' }),
      source: t.string({ required: false, description: 'source code' }),
    }),
  });

  builder.queryFields((t) => ({
    waterSources: t.connection({
      ...readers,
      type: WaterSourceRef,
      description: 'Drinking-water sources with their stations.',
      resolve: async (_root, args, ctx) => {
        const list = ctx.services.get(waterServiceRef);
        const query = [ctx.viewer] as const;
        return pageOf(args, 'ascending', (window) => list.listWaterSources(...query, window), {
          idOf: (s) => s.id,
          count: () => list.countWaterSources(...query),
        });
      },
    }),
    waterStation: t.field({
      ...readers,
      type: WaterStationRef,
      nullable: true,
      description: 'A station by its code; null when unknown or outside the viewer’s cells.',
      args: { code: t.arg.string({ required: true }) },
      resolve: (_root, args, ctx) => waterStationByCodeLoader(ctx).load(args.code.slice(0, 64)),
    }),
    waterQuality: t.field({
      ...readers,
      type: [types.PointRef],
      // one point per hour or day of the range
      extensions: {
        cost: { listSize: { timeRange: { from: 'from', to: 'to', step: 'granularity', steps: SERIES_STEPS }, max: MAX_POINTS, assumedSize: MAX_POINTS } },
      },
      description: `Hourly or daily GB 3838 results of a station over [from, to): at most ${MAX_RANGE_DAYS.HOUR} days of hours or ${MAX_RANGE_DAYS.DAY} days. A daily value of an item is the mean of its valid hourly values and needs at least 20 of them.`,
      args: {
        station: t.arg.string({ required: true, description: 'station code' }),
        from: t.arg({ type: 'DateTime', required: true }),
        to: t.arg({ type: 'DateTime', required: true }),
        granularity: t.arg({ type: types.GranularityEnum, required: false, defaultValue: 'HOUR' }),
      },
      resolve: (_root, args, ctx) =>
        ctx.services.get(waterServiceRef).waterQuality(ctx.viewer, {
          stationCode: args.station,
          from: args.from,
          to: args.to,
          granularity: args.granularity ?? 'HOUR',
        }),
    }),
    classifyWater: t.field({
      skipTypeScopes: true,
      authScopes: { public: true },
      type: types.ClassificationRef,
      description: 'GB 3838-2002 calculator: the class of each item and of the sample, and what fails a target. Public.',
      args: { input: t.arg({ type: ClassifyInput, required: true }) },
      resolve: (_root, { input }, ctx) =>
        ctx.services.get(waterServiceRef).classifyWater({
          waterbody: input.waterbody,
          values: input.values.map((v) => ({ factor: v.factor, value: v.value })),
          targetClass: input.targetClass ?? null,
        }),
    }),
    waterEpisodes: t.connection({
      ...readers,
      type: WaterEpisodeRef,
      description: 'Breaches of a station’s target class, newest first.',
      args: { filter: t.arg({ type: EpisodeFilter, required: false }) },
      resolve: async (_root, args, ctx) => {
        const filter = args.filter ?? {};
        const list = ctx.services.get(waterServiceRef);
        const query = [
          ctx.viewer,
          { status: filter.status ?? undefined, stationCode: filter.station ?? undefined, sourceCode: filter.source ?? undefined },
        ] as const;
        return pageOf(args, 'descending', (window) => list.listWaterEpisodes(...query, window), {
          idOf: (e) => e.id,
          count: () => list.countWaterEpisodes(...query),
        });
      },
    }),
  }));
}
