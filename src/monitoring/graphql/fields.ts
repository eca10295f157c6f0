import type { HubBuilder } from '../../graphql/builder';
import { ValidationError } from '../../errors';
import { idOf } from '../../graphql/ids';
import { pageOf } from '../../graphql/pagination';
import { monitoringServiceRef } from '../public';
import { MONITOR_KINDS, type MonitorKind, type ReadingInterval } from '../types';
import type { MonitoringTypes } from './types';
import type { ReadingPoint } from '../queries';
import { latestLoader, monitorLoader } from './loaders';
import { boundedList, limitArgument } from '../../graphql/cost/declare';
import { LATEST_SERIES, latestOf } from './types';
import { ExceedanceRef, MonitorRef } from './refs';

const MONITOR_READERS = ['admin', 'district', 'town', 'assistant', 'enterprise', 'upstream'] as const;
const MAX_POINTS = 5000;
const MAX_LATEST_MONITORS = 500;

const monitorIdOf = (globalId: { typename: string; id: string }, path: string): number => idOf(globalId, 'Monitor', path);

/** Queries over monitors, readings and exceedances. */
export function registerMonitoringQueries(builder: HubBuilder, types: MonitoringTypes): void {
  const readers = { authScopes: { roles: [...MONITOR_READERS] } } as const;

  const MonitorFilter = builder.inputType('MonitorFilter', {
    fields: (t) => ({
      kind: t.field({ type: [types.MonitorKindEnum], required: false }),
      ownerModule: t.string({ required: false }),
      ownerId: t.string({ required: false }),
      enterpriseUscc: t.string({ required: false }),
      cellCode: t.string({ required: false, description: 'a grid cell and every cell under it' }),
      status: t.field({ type: types.MonitorStatusEnum, required: false }),
      search: t.string({ required: false, description: 'part of the name or MN' }),
    }),
  });
  const ExceedanceFilter = builder.inputType('ExceedanceFilter', {
    fields: (t) => ({
      monitor: t.globalID({ required: false }),
      monitorKind: t.field({ type: [types.MonitorKindEnum], required: false }),
      ownerModule: t.string({ required: false }),
      enterpriseUscc: t.string({ required: false }),
      cellCode: t.string({ required: false, description: 'a grid cell and every cell under it' }),
      severity: t.field({ type: types.SeverityEnum, required: false }),
      status: t.field({ type: types.EpisodeStatusEnum, required: false }),
      from: t.field({ type: 'DateTime', required: false, description: 'opened at or after' }),
      to: t.field({ type: 'DateTime', required: false, description: 'opened at or before' }),
    }),
  });

  const ReadingPointRef = builder.objectRef<ReadingPoint>('ReadingPoint').implement({
    fields: (t) => ({
      time: t.field({ type: 'DateTime', resolve: (p) => p.time }),
      value: t.exposeFloat('value', { nullable: true }),
      converted: t.exposeFloat('converted', { nullable: true }),
      flag: t.exposeString('flag', { nullable: true }),
      min: t.exposeFloat('min', { nullable: true, description: 'minute, hour and day values: the period’s minimum as the device reported it (HJ 212 -Min)' }),
      max: t.exposeFloat('max', { nullable: true, description: 'the period’s maximum as reported (HJ 212 -Max)' }),
      cou: t.exposeFloat('cou', {
        nullable: true,
        description:
          'the period’s cumulative amount as reported (HJ 212 -Cou): flow in m3, a pollutant in kg (g for those measured in ug/L); see Factor.amountUnit',
      }),
    }),
  });
  const BucketPointRef = builder
    .objectRef<{ time: Date; avg: number | null; min: number | null; max: number | null; count: number; validCount: number }>('ReadingBucket')
    .implement({
      fields: (t) => ({
        time: t.field({ type: 'DateTime', description: 'bucket start (buckets align to Asia/Shanghai midnight)', resolve: (p) => p.time }),
        avg: t.exposeFloat('avg', { nullable: true, description: 'mean of valid values' }),
        min: t.exposeFloat('min', { nullable: true }),
        max: t.exposeFloat('max', { nullable: true }),
        count: t.exposeInt('count', { description: 'all values, valid or not' }),
        validCount: t.exposeInt('validCount'),
      }),
    });
  const SeriesRef = builder
    .objectRef<{ monitorId: number; factor: string; interval: ReadingInterval; points: unknown[]; buckets: unknown[] | null; source: string }>('ReadingSeries')
    .implement({
      fields: (t) => ({
        monitor: t.field({ type: MonitorRef, nullable: true, resolve: (s, _a, ctx) => monitorLoader(ctx).load(s.monitorId) }),
        factor: t.exposeString('factor'),
        interval: t.field({ type: types.ReadingIntervalEnum, resolve: (s) => s.interval }),
        points: t.field({
          type: [ReadingPointRef],
          description: 'raw values, when no bucket was asked for',
          extensions: boundedList(MAX_POINTS),
          resolve: (s) => s.points as never,
        }),
        buckets: t.field({ type: [BucketPointRef], nullable: true, extensions: boundedList(MAX_POINTS), resolve: (s) => s.buckets as never }),
        source: t.exposeString('source', { description: '`raw`, `continuous-aggregate` or `on-the-fly`' }),
      }),
    });

  builder.queryFields((t) => ({
    factors: t.field({
      // devices write readings; they read nothing, the catalog included
      ...readers,
      type: [types.FactorRef],
      description: 'The HJ 212 factor catalog.',
      extensions: boundedList(types.factors.length, { computed: true }),
      resolve: () => [...types.factors],
    }),
    monitor: t.field({
      ...readers,
      type: MonitorRef,
      nullable: true,
      args: { id: t.arg.globalID({ required: false }), mn: t.arg.string({ required: false }) },
      description: 'One monitor by global id or by HJ 212 MN.',
      resolve: async (_root, args, ctx) => {
        if (args.id) return monitorLoader(ctx).load(monitorIdOf(args.id, 'id'));
        if (args.mn) {
          const found = await ctx.services.get(monitoringServiceRef).monitorByMn(args.mn);
          return found ? monitorLoader(ctx).load(found.id) : null;
        }
        throw new ValidationError([{ path: 'id', message: 'give id or mn' }]);
      },
    }),
    monitors: t.connection({
      ...readers,
      type: MonitorRef,
      args: { filter: t.arg({ type: MonitorFilter, required: false }) },
      resolve: async (_root, args, ctx) => {
        const filter = args.filter ?? {};
        const list = ctx.services.get(monitoringServiceRef);
        const query = [
          ctx.viewer,
          {
            kind: filter.kind ?? undefined,
            ownerModule: filter.ownerModule ?? undefined,
            ownerId: filter.ownerId ?? undefined,
            enterpriseUscc: filter.enterpriseUscc ?? undefined,
            cellCode: filter.cellCode ?? undefined,
            status: filter.status ?? undefined,
            search: filter.search ?? undefined,
          },
        ] as const;
        return pageOf(args, 'ascending', (window) => list.listMonitors(...query, window), { idOf: (m) => m.id, count: () => list.countMonitors(...query) });
      },
    }),
    readings: t.field({
      ...readers,
      type: SeriesRef,
      nullable: true,
      description: 'A series of one monitor and factor, raw or bucketed; null when the monitor is not visible.',
      args: {
        monitor: t.arg.globalID({ required: true }),
        factor: t.arg.string({ required: true }),
        interval: t.arg({ type: types.ReadingIntervalEnum, required: false, defaultValue: 'HOUR' }),
        from: t.arg({ type: 'DateTime', required: true }),
        to: t.arg({ type: 'DateTime', required: true }),
        bucket: t.arg({ type: types.BucketEnum, required: false }),
        limit: t.arg.int({ required: false, defaultValue: 1000, description: `at most ${MAX_POINTS}` }),
      },
      // the series holds as many points (or buckets) as `limit` says
      extensions: { cost: { listSize: { slicingArguments: ['limit'], max: MAX_POINTS, sizedFields: ['points', 'buckets'] } } },
      resolve: async (_root, args, ctx) => {
        const monitorId = monitorIdOf(args.monitor, 'monitor');
        const limit = args.limit ?? 1000;
        if (limit < 1 || limit > MAX_POINTS) throw new ValidationError([{ path: 'limit', message: `must be 1-${MAX_POINTS}` }]);
        if (args.to <= args.from) throw new ValidationError([{ path: 'to', message: 'must be after from' }]);
        const service = ctx.services.get(monitoringServiceRef);
        const query = { monitorId, factor: args.factor, interval: args.interval ?? 'HOUR', from: args.from, to: args.to, limit };
        if (args.bucket) {
          const monitor = await monitorLoader(ctx).load(monitorId);
          if (!monitor) return null;
          const result = await service.buckets({ ...query, bucket: args.bucket });
          return { monitorId, factor: args.factor, interval: query.interval, points: [], buckets: result.points, source: result.source };
        }
        // raw values: the row scope is checked in the statement that reads them
        const points = await service.visibleReadings(ctx.viewer, query);
        if (!points) return null;
        return { monitorId, factor: args.factor, interval: query.interval, points, buckets: null, source: 'raw' };
      },
    }),
    latestReadings: t.field({
      ...readers,
      type: [types.LatestReadingRef],
      description: `The newest value of every series of the given monitors (at most ${MAX_LATEST_MONITORS}), at most \`limit\` series of each.`,
      args: {
        monitors: t.arg.globalIDList({ required: true }),
        interval: t.arg({ type: types.ReadingIntervalEnum, required: false, description: 'only series of this interval' }),
        limit: t.arg.int({ ...limitArgument(LATEST_SERIES), description: `series per monitor; at most ${LATEST_SERIES.max}` }),
      },
      extensions: { cost: { listSize: { slicingArguments: ['monitors'], perItem: 'limit', max: MAX_LATEST_MONITORS } } },
      resolve: async (_root, args, ctx) => {
        if (args.monitors.length > MAX_LATEST_MONITORS) throw new ValidationError([{ path: 'monitors', message: `at most ${MAX_LATEST_MONITORS}` }]);
        const ids = args.monitors.map((id, index) => monitorIdOf(id, `monitors.${index}`));
        const visible = await monitorLoader(ctx).loadMany(ids);
        const allowed = ids.filter((_id, index) => visible[index] && !(visible[index] instanceof Error));
        const lists = await latestLoader(ctx).loadMany(allowed);
        return lists.flatMap((list) => (Array.isArray(list) ? latestOf(list, args.interval, args.limit) : []));
      },
    }),
    exceedances: t.connection({
      ...readers,
      type: ExceedanceRef,
      description: 'Exceedance episodes, newest first.',
      args: { filter: t.arg({ type: ExceedanceFilter, required: false }) },
      resolve: async (_root, args, ctx) => {
        const filter = args.filter ?? {};
        const kinds = filter.monitorKind?.filter((k): k is MonitorKind => MONITOR_KINDS.includes(k));
        const list = ctx.services.get(monitoringServiceRef);
        const query = [
          ctx.viewer,
          {
            monitorId: filter.monitor ? monitorIdOf(filter.monitor, 'filter.monitor') : undefined,
            monitorKind: kinds,
            ownerModule: filter.ownerModule ?? undefined,
            enterpriseUscc: filter.enterpriseUscc ?? undefined,
            cellCode: filter.cellCode ?? undefined,
            severity: filter.severity ?? undefined,
            status: filter.status ?? undefined,
            from: filter.from ?? undefined,
            to: filter.to ?? undefined,
          },
        ] as const;
        return pageOf(args, 'descending', (window) => list.listExceedances(...query, window), {
          idOf: (e) => e.id,
          count: () => list.countExceedances(...query),
        });
      },
    }),
  }));
}
