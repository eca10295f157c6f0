import type { HubBuilder } from '../../../src/graphql/builder';
import { defineLoader } from '../../../src/graphql/loaders';
import { disclosureServiceRef } from '../public';
import type {
  PublicAirStation,
  PublicAqi,
  PublicCompliance,
  PublicDecision,
  PublicEnterprise,
  PublicOutlet,
  PublicOutletFactor,
  PublicStationAir,
  PublicWaterStation,
} from '../service/types';
import { limitArgument, limitedList, takeLimit } from '../../../src/graphql/cost/declare';
import { zhValues } from '../../../src/graphql/zh';

/** Every outlet of the enterprises on a page: one read, however many enterprises. */
const outletsLoader = defineLoader<number, PublicOutlet[]>((ctx, ids) => ctx.services.get(disclosureServiceRef).outletsOf(ids));
/** Every factor of the outlets on a page: a fixed number of reads, however many outlets. */
const factorsLoader = defineLoader<number, PublicOutletFactor[]>((ctx, ids) => ctx.services.get(disclosureServiceRef).factorsOf(ids));

/** The public object types: their own, never the internal types with non-public fields. */
/** A disclosed enterprise's outlets and an outlet's factors: unless asked, and at most. */
const PUBLIC_LISTS = { outlets: { default: 20, max: 100 }, factors: { default: 16, max: 64 } } as const;

export function registerDisclosureTypes(builder: HubBuilder) {
  const GranularityEnum = builder.enumType('PublicGranularity', {
    values: zhValues({ HOUR: { description: 'hourly values' }, DAY: { description: 'daily values of Asia/Shanghai calendar days' } } as const, {
      DAY: '日',
      HOUR: '小时',
    }),
  });

  const AirStationRef = builder.objectRef<PublicAirStation>('PublicAirStation').implement({
    fields: (t) => ({
      code: t.exposeString('code'),
      name: t.exposeString('name'),
      level: t.exposeString('level', { description: 'NATIONAL, PROVINCE, CITY or DISTRICT' }),
      longitude: t.exposeFloat('longitude', { nullable: true }),
      latitude: t.exposeFloat('latitude', { nullable: true }),
    }),
  });
  const AqiRef = builder.objectRef<PublicAqi>('PublicAqi').implement({
    description: 'An hourly or daily AQI report (HJ 633).',
    fields: (t) => ({
      granularity: t.field({ type: GranularityEnum, resolve: (q) => q.granularity }),
      time: t.expose('time', { type: 'DateTime', nullable: true, description: 'start of the hour, or Asia/Shanghai midnight of the day' }),
      day: t.exposeString('day', { nullable: true, description: 'the Asia/Shanghai calendar day of a daily report' }),
      aqi: t.exposeInt('aqi', { nullable: true }),
      level: t.exposeInt('level', { nullable: true, description: '1 to 6' }),
      categoryZh: t.exposeString('categoryZh', { nullable: true }),
      categoryEn: t.exposeString('categoryEn', { nullable: true }),
      color: t.exposeString('color', { nullable: true }),
      primaryPollutants: t.exposeStringList('primaryPollutants'),
      edition: t.exposeString('edition', { description: 'HJ633-2012 or HJ633-2026' }),
    }),
  });
  const StationAirRef = builder.objectRef<PublicStationAir>('PublicStationAirQuality').implement({
    fields: (t) => ({
      station: t.field({ type: AirStationRef, resolve: (s) => s.station }),
      quality: t.field({ type: AqiRef, nullable: true, description: 'null when the station measured nothing in the last day', resolve: (s) => s.quality }),
    }),
  });
  const WaterStationRef = builder.objectRef<PublicWaterStation>('PublicWaterQuality').implement({
    description: 'A drinking-water source station’s newest GB 3838 class.',
    fields: (t) => ({
      stationCode: t.exposeString('code'),
      stationName: t.exposeString('name'),
      sourceCode: t.exposeString('sourceCode'),
      sourceName: t.exposeString('sourceName'),
      granularity: t.field({ type: GranularityEnum, resolve: (w) => w.granularity }),
      time: t.expose('time', { type: 'DateTime', nullable: true }),
      waterClass: t.exposeString('waterClass', { nullable: true, description: 'I, II, III, IV, V or WORSE_THAN_V' }),
      targetClass: t.exposeString('targetClass'),
      meetsTarget: t.exposeBoolean('meetsTarget', { nullable: true }),
      statusZh: t.exposeString('statusZh', { nullable: true, description: '优, 良好, 轻度污染, 中度污染 or 重度污染' }),
      statusEn: t.exposeString('statusEn', { nullable: true }),
    }),
  });
  const ComplianceRef = builder.objectRef<PublicCompliance>('PublicCompliance').implement({
    description: 'Hours judged against the permit limit over the last 30 days.',
    fields: (t) => ({
      from: t.expose('from', { type: 'DateTime' }),
      to: t.expose('to', { type: 'DateTime' }),
      expectedHours: t.exposeInt('expectedHours'),
      validHours: t.exposeInt('validHours'),
      exceedanceHours: t.exposeInt('exceedanceHours'),
      complianceRate: t.exposeFloat('complianceRate', { nullable: true, description: '达标率: compliant valid hours / valid hours' }),
    }),
  });
  const FactorRef = builder.objectRef<PublicOutletFactor>('PublicOutletFactor').implement({
    fields: (t) => ({
      factor: t.exposeString('factor', { description: 'HJ 212 factor code' }),
      // Two scalar lists rather than a list of objects: the cost limit multiplies nested object lists.
      hours: t.field({ type: ['DateTime'], description: 'hours of the last 24 with data, oldest first', resolve: (f) => f.hourly.map((h) => h.hour) }),
      values: t.floatList({
        nullable: { list: false, items: true },
        description: 'each hour’s mean of valid values, in the order of `hours`; null for an hour without one',
        resolve: (f) => f.hourly.map((h) => h.value),
      }),
      compliance: t.field({ type: ComplianceRef, nullable: true, description: 'null without a permit limit', resolve: (f) => f.compliance }),
    }),
  });
  const OutletRef = builder.objectRef<PublicOutlet>('PublicOutlet').implement({
    fields: (t) => ({
      code: t.exposeString('code'),
      name: t.exposeString('name'),
      kind: t.exposeString('kind', { description: 'WASTEWATER or FLUE_GAS' }),
      factors: t.field({
        type: [FactorRef],
        args: { limit: t.arg.int(limitArgument(PUBLIC_LISTS.factors)) },
        extensions: limitedList(PUBLIC_LISTS.factors),
        resolve: async (o, args, ctx) => takeLimit((await factorsLoader(ctx).load(o.id)) ?? [], args.limit, PUBLIC_LISTS.factors),
      }),
    }),
  });
  const EnterpriseRef = builder.objectRef<PublicEnterprise>('PublicEnterprise').implement({
    description: 'A key enterprise (state-, province- or city-controlled) and what it must disclose.',
    fields: (t) => ({
      uscc: t.exposeString('uscc'),
      name: t.exposeString('name'),
      industry: t.exposeString('industry'),
      controlLevel: t.exposeString('controlLevel', { description: 'STATE, PROVINCE or CITY' }),
      outlets: t.field({
        type: [OutletRef],
        args: { limit: t.arg.int(limitArgument(PUBLIC_LISTS.outlets)) },
        extensions: limitedList(PUBLIC_LISTS.outlets),
        resolve: async (e, args, ctx) => takeLimit((await outletsLoader(ctx).load(e.id)) ?? [], args.limit, PUBLIC_LISTS.outlets),
      }),
    }),
  });
  const DecisionRef = builder.objectRef<PublicDecision>('PublicEnforcementDecision').implement({
    description: 'A published administrative penalty decision.',
    fields: (t) => ({
      caseNumber: t.exposeString('caseNumber'),
      enterpriseUscc: t.exposeString('enterpriseUscc'),
      enterpriseName: t.exposeString('enterpriseName'),
      decision: t.exposeString('decision'),
      penaltyYuan: t.exposeFloat('penaltyYuan', { nullable: true }),
      decidedAt: t.expose('decidedAt', { type: 'DateTime' }),
      publishedAt: t.expose('publishedAt', { type: 'DateTime' }),
    }),
  });
  return { GranularityEnum, AqiRef, StationAirRef, WaterStationRef, EnterpriseRef, DecisionRef };
}

export type DisclosureTypes = ReturnType<typeof registerDisclosureTypes>;
