import { exceedancePage } from './exceedance-page';
import type { HubBuilder } from '../../graphql/builder';
import { FACTORS, lookupFactor, type FactorInfo } from '../factors';
import { monitoringServiceRef } from '../public';
import { isValidFlag, LIMIT_BASES, MONITOR_KINDS, READING_INTERVALS, type Limit } from '../types';
import type { LatestReading } from '../queries';
import { exceedanceLoader, latestLoader, monitorByMnLoader, monitorLoader, runTimesLoader } from './loaders';
import { amountUnitOf, type FacilityRunTime } from '../amounts';
import { ValidationError } from '../../errors';
import { ExceedanceRef, MonitorRef } from './refs';
import { limitArgument, limitedList, takeLimit } from '../../graphql/cost/declare';
import { zhValues } from '../../graphql/zh';
import { loadNodes } from '../../graphql/loaders';

/** Enum and object types of the monitoring core; returned so the field files can use them. */
/** A monitor's limits (by factor, each with its validity history). */
/** A monitor's series in `latestReadings`: unless asked, and at most (a device reports a few dozen factors at most). */
export const LATEST_SERIES = { default: 50, max: 200 } as const;

/** The newest values of a monitor's series, of one interval when asked, at most `limit` of them. */
export function latestOf<T extends { interval: string }>(rows: readonly T[], interval: string | null | undefined, limit: number | null | undefined): T[] {
  return takeLimit(interval ? rows.filter((row) => row.interval === interval) : rows, limit, LATEST_SERIES);
}

export const MONITOR_LIMITS = { default: 50, max: 500 } as const;
/** 2041 reports of one monitor: a year of days for a few facilities at most. */
export const RUN_TIMES = { default: 31, max: 1000 } as const;

export function registerMonitoringTypes(builder: HubBuilder) {
  const MonitorKindEnum = builder.enumType('MonitorKind', {
    values: zhValues(MONITOR_KINDS, {
      AIR_STATION: '空气自动站',
      FLUE_GAS_OUTLET: '废气排放口',
      HEAVY_METAL_ANALYSER: '重金属在线监测仪',
      NOISE: '噪声',
      OTHER: '其他',
      WASTEWATER_OUTLET: '废水排放口',
      WATER_SAMPLER: '水质自动采样器',
      WATER_STATION: '水质自动站',
    }),
  });
  const ReadingIntervalEnum = builder.enumType('ReadingInterval', {
    description: 'RTD real-time (HJ 212 2011), MINUTE (2051), HOUR (2061), DAY (2031)',
    values: zhValues(READING_INTERVALS, { DAY: '日数据', HOUR: '小时数据', MINUTE: '分钟数据', RTD: '实时数据' }),
  });
  const LimitBasisEnum = builder.enumType('LimitBasis', {
    description: 'RAW measured value, or CONVERTED to the reference O2 content (HJ 212 -Zs values)',
    values: zhValues(LIMIT_BASES, { CONVERTED: '折算值', RAW: '实测值' }),
  });
  const MonitorStatusEnum = builder.enumType('MonitorStatus', {
    values: zhValues(['UNKNOWN', 'ONLINE', 'OFFLINE'] as const, { OFFLINE: '离线', ONLINE: '在线', UNKNOWN: '未知' }),
  });
  const SeverityEnum = builder.enumType('Severity', {
    values: zhValues(['WARNING', 'EXCEEDANCE', 'FORECAST'] as const, {
      EXCEEDANCE: '超标',
      FORECAST: '预报预警: forecast to cross the limit; only on exceedance events, never an episode',
      WARNING: '预警',
    }),
  });
  const EpisodeStatusEnum = builder.enumType('EpisodeStatus', { values: zhValues(['OPEN', 'CLOSED'] as const, { CLOSED: '已结束', OPEN: '进行中' }) });
  const BucketEnum = builder.enumType('Bucket', { values: zhValues(['HOUR', 'DAY'] as const, { DAY: '日', HOUR: '小时' }) });

  const FactorRef = builder.objectRef<FactorInfo>('Factor').implement({
    description: 'An HJ 212 monitoring factor.',
    fields: (t) => ({
      code: t.exposeString('code', { description: 'HJ 212-2017 code' }),
      alias2005: t.string({ nullable: true, description: 'HJ/T 212-2005 code', resolve: (f) => f.alias2005 ?? null }),
      nameZh: t.exposeString('nameZh'),
      nameEn: t.exposeString('nameEn'),
      unit: t.exposeString('unit'),
      medium: t.exposeString('medium'),
      amountUnit: t.string({
        nullable: true,
        description: 'unit of its cumulative amount (HJ 212 -Cou, emission totals): m3 for flows, kg or g for pollutants; null where there is none',
        resolve: (f) => amountUnitOf(f.code),
      }),
    }),
  });

  const RunTimeRef = builder.objectRef<FacilityRunTime>('FacilityRunTime').implement({
    description: 'A treatment facility’s run time on one day, from the monitor’s HJ 212 2041 report.',
    fields: (t) => ({
      facility: t.exposeString('facility', { description: 'the facility’s id in the report (SB1)' }),
      day: t.field({ type: 'DateTime', description: 'the day reported (DataTime, Asia/Shanghai midnight)', resolve: (r) => r.time }),
      runHours: t.exposeFloat('runHours'),
    }),
  });

  const LocationRef = builder.objectRef<{ longitude: number; latitude: number }>('Location').implement({
    fields: (t) => ({ longitude: t.exposeFloat('longitude'), latitude: t.exposeFloat('latitude') }),
  });

  const LimitRef = builder.objectRef<Limit>('Limit').implement({
    fields: (t) => ({
      factor: t.exposeString('factor'),
      period: t.field({ type: ReadingIntervalEnum, resolve: (l) => l.period }),
      basis: t.field({ type: LimitBasisEnum, resolve: (l) => l.basis }),
      upper: t.exposeFloat('upper', { nullable: true }),
      lower: t.exposeFloat('lower', { nullable: true }),
      warningRatio: t.exposeFloat('warningRatio'),
      standard: t.exposeString('standard', { nullable: true }),
      validFrom: t.field({ type: 'DateTime', resolve: (l) => l.validFrom }),
      validTo: t.field({ type: 'DateTime', nullable: true, resolve: (l) => l.validTo }),
      defaultForKind: t.boolean({ description: 'a default of the monitor kind, not the monitor’s own', resolve: (l) => l.monitorId === null }),
    }),
  });

  const LatestReadingRef = builder.objectRef<LatestReading>('LatestReading').implement({
    fields: (t) => ({
      monitor: t.field({ type: MonitorRef, nullable: true, resolve: (r, _a, ctx) => monitorLoader(ctx).load(r.monitorId) }),
      factor: t.exposeString('factor'),
      factorInfo: t.field({ type: FactorRef, nullable: true, resolve: (r) => lookupFactor(r.factor) }),
      interval: t.field({ type: ReadingIntervalEnum, resolve: (r) => r.interval }),
      time: t.field({ type: 'DateTime', resolve: (r) => r.time }),
      value: t.exposeFloat('value', { nullable: true }),
      converted: t.exposeFloat('converted', { nullable: true }),
      flag: t.exposeString('flag', { nullable: true }),
      valid: t.boolean({ resolve: (r) => isValidFlag(r.flag) }),
    }),
  });

  builder.node(MonitorRef, {
    description: 'Anything that reports readings: an outlet analyser, an air or water station.',
    id: { resolve: (m) => m.id },
    loadMany: loadNodes(monitorLoader),
    isTypeOf: (value) => typeof value === 'object' && value !== null && 'mn' in value && 'intervalSeconds' in value,
    fields: (t) => ({
      mn: t.exposeString('mn', { description: 'HJ 212 device id' }),
      name: t.exposeString('name'),
      kind: t.field({ type: MonitorKindEnum, resolve: (m) => m.kind }),
      ownerModule: t.exposeString('ownerModule', { nullable: true }),
      ownerId: t.exposeString('ownerId', { nullable: true, description: 'the owning entity’s key (enterprise USCC, station code)' }),
      enterpriseUscc: t.exposeString('enterpriseUscc', { nullable: true }),
      cellCode: t.exposeString('cellCode', { nullable: true }),
      location: t.field({
        type: LocationRef,
        nullable: true,
        resolve: (m) => (m.longitude !== null && m.latitude !== null ? { longitude: m.longitude, latitude: m.latitude } : null),
      }),
      intervalSeconds: t.exposeInt('intervalSeconds', { description: 'expected reporting interval' }),
      status: t.field({ type: MonitorStatusEnum, resolve: (m) => m.status }),
      lastDataAt: t.field({ type: 'DateTime', nullable: true, resolve: (m) => m.lastDataAt }),
      facilityStatus: t.field({
        type: 'JSON',
        nullable: true,
        description: 'last HJ 212 2021 treatment-facility status',
        resolve: (m) => m.facilityStatus ?? null,
      }),
      restartedAt: t.field({ type: 'DateTime', nullable: true, description: 'last HJ 212 2081 logger restart', resolve: (m) => m.restartedAt }),
      facilityRunTimes: t.field({
        type: [RunTimeRef],
        description: 'daily run times its HJ 212 2041 reports gave, newest first, days in [from, to)',
        args: {
          from: t.arg({ type: 'DateTime', required: true }),
          to: t.arg({ type: 'DateTime', required: true }),
          limit: t.arg.int(limitArgument(RUN_TIMES)),
        },
        extensions: limitedList(RUN_TIMES),
        resolve: async (m, args, ctx) => {
          if (!(args.to > args.from)) throw new ValidationError([{ path: 'to', message: 'to must be after from' }]);
          const limit = args.limit ?? RUN_TIMES.default;
          takeLimit([], limit, RUN_TIMES);
          return (await runTimesLoader(ctx).load(`${m.id}|${args.from.toISOString()}|${args.to.toISOString()}|${limit}`)) ?? [];
        },
      }),
      limits: t.field({
        type: [LimitRef],
        args: { limit: t.arg.int(limitArgument(MONITOR_LIMITS)) },
        extensions: limitedList(MONITOR_LIMITS),
        resolve: async (m, args, ctx) => takeLimit(await ctx.services.get(monitoringServiceRef).limitsOf(m), args.limit, MONITOR_LIMITS),
      }),
      latestReadings: t.field({
        type: [LatestReadingRef],
        description: 'the newest value of each of its series',
        args: {
          interval: t.arg({ type: ReadingIntervalEnum, required: false, description: 'only series of this interval' }),
          limit: t.arg.int(limitArgument(LATEST_SERIES)),
        },
        extensions: limitedList(LATEST_SERIES),
        resolve: async (m, args, ctx) => latestOf((await latestLoader(ctx).load(m.id)) ?? [], args.interval, args.limit),
      }),
      exceedances: t.connection({
        type: ExceedanceRef,
        description: 'its exceedance episodes, newest first, as the root `exceedances` list shows them to the viewer',
        resolve: (m, args, ctx) => exceedancePage(ctx, args, { monitorId: m.id }),
      }),
    }),
  });

  // Upstream platforms join monitors by the national device identifier.
  builder.asEntity(MonitorRef, {
    key: builder.selection<{ mn: string }>('mn'),
    resolveReference: (reference, ctx) => monitorByMnLoader(ctx).load(reference.mn),
  });

  builder.node(ExceedanceRef, {
    description: 'An exceedance episode: one spell of a series out of bounds, from the first value out to the first valid value back inside.',
    id: { resolve: (e) => e.id },
    loadMany: loadNodes(exceedanceLoader),
    isTypeOf: (value) => typeof value === 'object' && value !== null && 'peakValue' in value && 'openedAt' in value,
    fields: (t) => ({
      monitor: t.field({ type: MonitorRef, nullable: true, resolve: (e, _a, ctx) => monitorLoader(ctx).load(e.monitorId) }),
      factor: t.exposeString('factor'),
      factorInfo: t.field({ type: FactorRef, nullable: true, resolve: (e) => lookupFactor(e.factor) }),
      interval: t.field({ type: ReadingIntervalEnum, resolve: (e) => e.interval }),
      severity: t.field({ type: SeverityEnum, resolve: (e) => e.severity }),
      status: t.field({ type: EpisodeStatusEnum, resolve: (e) => e.status }),
      openedAt: t.field({ type: 'DateTime', resolve: (e) => e.openedAt }),
      lastOutAt: t.field({ type: 'DateTime', resolve: (e) => e.lastOutAt }),
      closedAt: t.field({ type: 'DateTime', nullable: true, resolve: (e) => e.closedAt }),
      durationSeconds: t.int({
        description: 'open to close, or to the last value out while still open',
        resolve: (e) => Math.round(((e.closedAt ?? e.lastOutAt).getTime() - e.openedAt.getTime()) / 1000),
      }),
      peakValue: t.exposeFloat('peakValue'),
      peakAt: t.field({ type: 'DateTime', resolve: (e) => e.peakAt }),
      limitUpper: t.exposeFloat('limitUpper', { nullable: true }),
      limitLower: t.exposeFloat('limitLower', { nullable: true }),
      basis: t.field({ type: LimitBasisEnum, resolve: (e) => e.basis }),
      monitorKind: t.field({ type: MonitorKindEnum, resolve: (e) => e.monitorKind }),
      ownerModule: t.exposeString('ownerModule', { nullable: true }),
      enterpriseUscc: t.exposeString('enterpriseUscc', { nullable: true }),
      cellCode: t.exposeString('cellCode', { nullable: true }),
      acknowledgedAt: t.field({ type: 'DateTime', nullable: true, resolve: (e) => e.acknowledgedAt }),
      acknowledgedBy: t.exposeString('acknowledgedBy', { nullable: true }),
      acknowledgeNote: t.exposeString('acknowledgeNote', { nullable: true }),
    }),
  });

  return {
    MonitorKindEnum,
    ReadingIntervalEnum,
    LimitBasisEnum,
    MonitorStatusEnum,
    SeverityEnum,
    EpisodeStatusEnum,
    BucketEnum,
    FactorRef,
    LimitRef,
    LatestReadingRef,
    factors: FACTORS,
  };
}

export type MonitoringTypes = ReturnType<typeof registerMonitoringTypes>;
