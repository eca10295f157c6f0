import type { HubBuilder } from '../../../src/graphql/builder';
import { NotFoundError, ValidationError } from '../../../src/errors';
import { pageOf } from '../../../src/graphql/pagination';
import { airServiceRef } from '../public';
import { airStationLoader } from './loaders';
import { AirEpisodeRef, AirStationRef } from './refs';
import type { AirTypes } from './types';
import { boundedList, limitArgument, limitedList, takeLimit, SERIES_STEPS } from '../../../src/graphql/cost/declare';
import { MAX_HOURS } from '../service/quality';
import { MAX_STATIONS } from '../service/stations';

/** Who reads air data in this module; the public reads published values through disclosure. */
/** Stations a district list shows unless asked, and at most. */
const STATIONS = { default: 100, max: MAX_STATIONS } as const;

export const AIR_READERS = ['admin', 'district', 'town', 'assistant', 'upstream'] as const;

/** Stations, AQI reports, the calculator, the district ranking and episodes. */
export function registerAirQueries(builder: HubBuilder, types: AirTypes): void {
  const readers = { authScopes: { roles: [...AIR_READERS] } } as const;

  const StationFilter = builder.inputType('AirStationFilter', {
    fields: (t) => ({
      level: t.field({ type: types.AirStationLevelEnum, required: false }),
      cellCode: t.string({ required: false, description: 'a grid cell and every cell under it' }),
      search: t.string({ required: false, description: 'part of the name or code' }),
    }),
  });
  const EpisodeFilter = builder.inputType('AirEpisodeFilter', {
    fields: (t) => ({
      station: t.string({ required: false, description: 'station code' }),
      status: t.field({ type: types.EpisodeStatusEnum, required: false }),
      from: t.field({ type: 'DateTime', required: false, description: 'opened at or after' }),
      to: t.field({ type: 'DateTime', required: false, description: 'opened before' }),
    }),
  });
  const ConcentrationInput = builder.inputType('AqiConcentrationInput', {
    fields: (t) => ({
      pollutant: t.field({ type: types.AirPollutantEnum, required: true }),
      averaging: t.field({
        type: types.AqiAveragingEnum,
        required: true,
        description: 'in a daily report, O3 ONE_HOUR and EIGHT_HOURS are the day’s maxima',
      }),
      value: t.float({ required: true, description: 'ug/m3; CO mg/m3' }),
    }),
  });
  const ComputeAqiInput = builder.inputType('ComputeAqiInput', {
    fields: (t) => ({
      granularity: t.field({ type: types.GranularityEnum, required: true }),
      edition: t.field({ type: types.AqiEditionEnum, required: false, description: 'wins over `time` when both are given' }),
      time: t.field({ type: 'DateTime', required: false, description: 'picks the edition in force then' }),
      concentrations: t.field({ type: [ConcentrationInput], required: true }),
    }),
  });

  builder.queryFields((t) => ({
    airStations: t.connection({
      ...readers,
      type: AirStationRef,
      args: { filter: t.arg({ type: StationFilter, required: false }) },
      resolve: async (_root, args, ctx) => {
        const filter = args.filter ?? {};
        const list = ctx.services.get(airServiceRef);
        const query = [ctx.viewer, { level: filter.level ?? undefined, cellCode: filter.cellCode ?? undefined, search: filter.search ?? undefined }] as const;
        return pageOf(args, 'ascending', (window) => list.listStations(...query, window), { idOf: (s) => s.id, count: () => list.countStations(...query) });
      },
    }),
    airStation: t.field({
      ...readers,
      type: AirStationRef,
      nullable: true,
      args: { code: t.arg.string({ required: true }) },
      resolve: (_root, { code }, ctx) => (code.length > 32 ? null : airStationLoader(ctx).load(code)),
    }),
    airQuality: t.field({
      ...readers,
      type: [types.AirQualityRef],
      description: 'A station’s hourly (at most 31 days) or daily (at most 366 days) AQI over [from, to).',
      errors: { types: [ValidationError, NotFoundError], dataField: { extensions: boundedList(MAX_HOURS) } },
      // the result's `data` holds one report per hour or day of the range
      extensions: {
        cost: { listSize: { timeRange: { from: 'from', to: 'to', step: 'granularity', steps: SERIES_STEPS }, max: MAX_HOURS, sizedFields: ['data'] } },
      },
      args: {
        station: t.arg.string({ required: true, description: 'station code' }),
        from: t.arg({ type: 'DateTime', required: true }),
        to: t.arg({ type: 'DateTime', required: true }),
        granularity: t.arg({ type: types.GranularityEnum, required: true }),
      },
      resolve: (_root, args, ctx) =>
        ctx.services.get(airServiceRef).airQuality(ctx.viewer, { stationCode: args.station, from: args.from, to: args.to, granularity: args.granularity }),
    }),
    latestAirQuality: t.field({
      ...readers,
      type: [types.StationQualityRef],
      description: 'Every station’s newest hourly AQI (within the last 24 hours), in one request.',
      args: { limit: t.arg.int(limitArgument(STATIONS)) },
      extensions: limitedList(STATIONS),
      resolve: async (_root, args, ctx) => takeLimit(await ctx.services.get(airServiceRef).latestAirQuality(ctx.viewer), args.limit, STATIONS),
    }),
    airStationRanking: t.field({
      ...readers,
      type: [types.StationRankRef],
      description: 'The district’s stations ranked by the daily AQI of a day, cleanest first.',
      errors: { types: [ValidationError], dataField: { extensions: boundedList(MAX_STATIONS) } },
      args: {
        day: t.arg.string({ required: true, description: 'Asia/Shanghai calendar day, YYYY-MM-DD' }),
        level: t.arg({ type: types.AirStationLevelEnum, required: false }),
        limit: t.arg.int(limitArgument(STATIONS)),
      },
      // the ranked list is the result's `data`: it is as long as `limit` says
      extensions: { cost: { listSize: { slicingArguments: ['limit'], max: STATIONS.max, sizedFields: ['data'] } } },
      resolve: async (_root, args, ctx) =>
        takeLimit(await ctx.services.get(airServiceRef).stationRanking(ctx.viewer, args.day, args.level ?? undefined), args.limit, STATIONS),
    }),
    computeAqi: t.field({
      skipTypeScopes: true,
      type: types.AirQualityRef,
      description: 'AQI calculator for checking a report: the same rules as the hub’s own values. Public.',
      errors: { types: [ValidationError] },
      args: { input: t.arg({ type: ComputeAqiInput, required: true }) },
      resolve: (_root, { input }, ctx) =>
        ctx.services.get(airServiceRef).computeAqi({
          granularity: input.granularity,
          edition: input.edition ?? null,
          time: input.time ?? null,
          concentrations: input.concentrations,
        }),
    }),
    airEpisodes: t.connection({
      ...readers,
      type: AirEpisodeRef,
      description: 'Air episodes, newest first.',
      args: { filter: t.arg({ type: EpisodeFilter, required: false }) },
      resolve: async (_root, args, ctx) => {
        const filter = args.filter ?? {};
        const list = ctx.services.get(airServiceRef);
        const query = [
          ctx.viewer,
          { stationCode: filter.station ?? undefined, status: filter.status ?? undefined, from: filter.from ?? undefined, to: filter.to ?? undefined },
        ] as const;
        return pageOf(args, 'descending', (window) => list.listEpisodes(...query, window), { idOf: (e) => e.id, count: () => list.countEpisodes(...query) });
      },
    }),
  }));
}
