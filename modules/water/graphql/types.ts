import type { HubBuilder } from '../../../src/graphql/builder';
import { MonitorRef } from '../../../src/monitoring/public';
import { classQuality, WATER_CLASSES, type ClassQuality, type Limit, type SupplementaryResult, type WaterClass } from '../service/classify';
import { GB3838_BY_FACTOR } from '../service/gb3838';
import type { WaterCalculation } from '../service/water-service';
import type { QualityItem, WaterQualityPoint } from '../service/types';
import {
  latestClassLoader,
  openEpisodeLoader,
  stationMonitorLoader,
  stationsOfSourceLoader,
  waterEpisodeLoader,
  waterSourceLoader,
  waterStationByCodeLoader,
  waterStationLoader,
} from './loaders';
import { WaterEpisodeRef, WaterSourceRef, WaterStationRef } from './refs';
import { boundedList } from '../../../src/graphql/cost/declare';
import { LATEST_CLASS_LOOKBACK_HOURS, MAX_FACTORS_PER_HOUR as MAX_WATER_ITEMS } from '../service/quality';
import { MAX_STATIONS_PER_SOURCE } from '../service/registry';
import { zhValues } from '../../../src/graphql/zh';
import { loadNodes } from '../../../src/graphql/loaders';

/** Enum and object types of the water module; returned so the field files can use them. */
export function registerWaterTypes(builder: HubBuilder) {
  const WaterbodyEnum = builder.enumType('Waterbody', {
    description: 'RIVER, or LAKE for lakes and reservoirs (stricter TP limits; TN classed)',
    values: zhValues(['RIVER', 'LAKE'] as const, { LAKE: '湖库型', RIVER: '河流型' }),
  });
  const ProtectionZoneEnum = builder.enumType('WaterProtectionZone', {
    description: 'drinking-water source protection zone: FIRST (target class II) or SECOND (target class III)',
    values: zhValues(['FIRST', 'SECOND'] as const, { FIRST: '一级保护区', SECOND: '二级保护区' }),
  });
  const WaterClassEnum = builder.enumType('WaterClass', {
    description: 'GB 3838-2002 class; WORSE_THAN_V is 劣V',
    values: zhValues(WATER_CLASSES, { I: 'Ⅰ类', II: 'Ⅱ类', III: 'Ⅲ类', IV: 'Ⅳ类', V: 'Ⅴ类', WORSE_THAN_V: '劣Ⅴ类' }),
  });
  const ItemRoleEnum = builder.enumType('WaterItemRole', {
    description:
      'CLASSED takes part in the class; REPORTED is a GB 3838 item routine evaluation leaves out (water temperature, fecal coliform, TN on a river); UNKNOWN is not a GB 3838 item',
    values: zhValues(['CLASSED', 'REPORTED', 'SUPPLEMENTARY', 'UNKNOWN'] as const, {
      CLASSED: '参与评价',
      REPORTED: '仅报告',
      SUPPLEMENTARY: '补充项目',
      UNKNOWN: '未知项目',
    }),
  });
  const LimitBoundEnum = builder.enumType('WaterLimitBound', {
    values: zhValues(['UPPER', 'LOWER', 'RANGE'] as const, { LOWER: '下限', RANGE: '范围', UPPER: '上限' }),
  });
  const GranularityEnum = builder.enumType('WaterGranularity', { values: zhValues(['HOUR', 'DAY'] as const, { DAY: '日', HOUR: '小时' }) });
  const EpisodeStatusEnum = builder.enumType('WaterEpisodeStatus', { values: zhValues(['OPEN', 'CLOSED'] as const, { CLOSED: '已结束', OPEN: '进行中' }) });

  const QualityRef = builder.objectRef<ClassQuality>('WaterClassQuality').implement({
    description: 'The qualitative word for a class (I-II 优, III 良好, IV 轻度污染, V 中度污染, 劣V 重度污染).',
    fields: (t) => ({
      nameZh: t.exposeString('zh', { description: '优, 良好, 轻度污染, 中度污染 or 重度污染' }),
      nameEn: t.exposeString('en'),
      zh: t.exposeString('zh', { deprecationReason: 'use nameZh: Chinese text is named <what>Zh across the schema' }),
      en: t.exposeString('en', { deprecationReason: 'use nameEn' }),
    }),
  });
  const qualityOf = (cls: WaterClass | null): ClassQuality | null => (cls === null ? null : classQuality(cls));

  const LimitRef = builder.objectRef<Limit>('WaterLimit').implement({
    description: 'A GB 3838 limit in mg/L: an upper bound, a lower bound (DO) or a range (pH). Limits are inclusive.',
    fields: (t) => ({
      bound: t.field({ type: LimitBoundEnum, resolve: (l) => l.bound }),
      value: t.float({ nullable: true, description: 'the bound; null for a range', resolve: (l) => (l.bound === 'RANGE' ? null : l.value) }),
      min: t.float({ nullable: true, resolve: (l) => (l.bound === 'RANGE' ? l.min : null) }),
      max: t.float({ nullable: true, resolve: (l) => (l.bound === 'RANGE' ? l.max : null) }),
    }),
  });

  const ItemRef = builder.objectRef<QualityItem>('WaterQualityItem').implement({
    fields: (t) => ({
      factor: t.exposeString('factor', { description: 'HJ 212 factor code' }),
      name: t.string({ nullable: true, description: 'GB 3838 item name', resolve: (i) => GB3838_BY_FACTOR.get(i.factor)?.name ?? null }),
      value: t.exposeFloat('value', { description: 'mg/L (fecal coliform per L); heavy metals reported in ug/L are converted' }),
      role: t.field({ type: ItemRoleEnum, resolve: (i) => i.role }),
      class: t.field({ type: WaterClassEnum, nullable: true, description: 'null for items not classed', resolve: (i) => i.class }),
      limit: t.field({
        type: LimitRef,
        nullable: true,
        description: 'the target class’s limit when there is a target, else the limit of the item’s own class',
        resolve: (i) => i.limit,
      }),
      exceedanceMultiple: t.exposeFloat('exceedanceMultiple', {
        nullable: true,
        description: '超标倍数 = value / target limit - 1 (2 decimals), for upper-bound items worse than the target',
      }),
      failsTarget: t.exposeBoolean('failsTarget'),
      sampleCount: t.exposeInt('sampleCount', { nullable: true, description: 'valid hourly values behind a daily value; 1 for an hourly value' }),
    }),
  });

  const SupplementaryRef = builder.objectRef<SupplementaryResult>('WaterSupplementaryItem').implement({
    description: 'A drinking-water source supplementary item (sulfate, chloride, nitrate, iron, manganese): one limit, no class.',
    fields: (t) => ({
      factor: t.exposeString('factor'),
      value: t.exposeFloat('value'),
      limit: t.exposeFloat('limit'),
      exceeds: t.exposeBoolean('exceeds', { description: 'strictly above the limit' }),
    }),
  });

  const PointRef = builder.objectRef<WaterQualityPoint>('WaterQualityPoint').implement({
    fields: (t) => ({
      time: t.field({ type: 'DateTime', description: 'start of the hour, or the Asia/Shanghai midnight starting the day', resolve: (p) => p.time }),
      class: t.field({ type: WaterClassEnum, nullable: true, description: 'worst classed item; null when none was valid', resolve: (p) => p.class }),
      quality: t.field({ type: QualityRef, nullable: true, resolve: (p) => qualityOf(p.class) }),
      targetClass: t.field({ type: WaterClassEnum, resolve: (p) => p.targetClass }),
      meetsTarget: t.exposeBoolean('meetsTarget', { nullable: true }),
      items: t.field({ extensions: boundedList(MAX_WATER_ITEMS, { computed: true }), type: [ItemRef], resolve: (p) => p.items }),
      failingItems: t.field({
        extensions: boundedList(MAX_WATER_ITEMS, { computed: true }),
        type: [ItemRef],
        description: 'items worse than the target class',
        resolve: (p) => p.items.filter((i) => i.failsTarget),
      }),
      supplementary: t.field({ extensions: boundedList(MAX_WATER_ITEMS, { computed: true }), type: [SupplementaryRef], resolve: (p) => p.supplementary }),
      incompleteFactors: t.exposeStringList('incompleteFactors', {
        description: 'DAY: factors with too few valid hourly values that day for a daily value (fewer than 20)',
      }),
    }),
  });

  const ClassificationRef = builder.objectRef<WaterCalculation>('WaterClassification').implement({
    description: 'Single-factor GB 3838-2002 evaluation of one sample.',
    fields: (t) => ({
      waterbody: t.field({ type: WaterbodyEnum, resolve: (c) => c.waterbody }),
      class: t.field({ type: WaterClassEnum, nullable: true, resolve: (c) => c.class }),
      quality: t.field({ type: QualityRef, nullable: true, resolve: (c) => qualityOf(c.class) }),
      targetClass: t.field({ type: WaterClassEnum, nullable: true, resolve: (c) => c.targetClass }),
      meetsTarget: t.exposeBoolean('meetsTarget', { nullable: true }),
      items: t.field({ extensions: boundedList(MAX_WATER_ITEMS, { computed: true }), type: [ItemRef], resolve: (c) => c.items }),
      failingItems: t.field({
        extensions: boundedList(MAX_WATER_ITEMS, { computed: true }),
        type: [ItemRef],
        resolve: (c) => c.items.filter((i) => i.failsTarget),
      }),
      supplementary: t.field({ extensions: boundedList(MAX_WATER_ITEMS, { computed: true }), type: [SupplementaryRef], resolve: (c) => c.supplementary }),
    }),
  });

  builder.node(WaterSourceRef, {
    description: 'A centralised drinking-water source and its target class.',
    id: { resolve: (s) => s.id },
    loadMany: loadNodes(waterSourceLoader),
    isTypeOf: (value) => typeof value === 'object' && value !== null && 'protectionZone' in value && 'targetClass' in value,
    fields: (t) => ({
      code: t.exposeString('code'),
      name: t.exposeString('name'),
      waterbody: t.field({ type: WaterbodyEnum, resolve: (s) => s.waterbody }),
      protectionZone: t.field({ type: ProtectionZoneEnum, nullable: true, resolve: (s) => s.protectionZone }),
      targetClass: t.field({ type: WaterClassEnum, description: 'from the protection zone unless set explicitly', resolve: (s) => s.targetClass }),
      stations: t.field({
        type: [WaterStationRef],
        description: 'the stations visible to the viewer (a source has at most 20)',
        extensions: boundedList(MAX_STATIONS_PER_SOURCE),
        resolve: async (s, _a, ctx) => (await stationsOfSourceLoader(ctx).load(s.id)) ?? [],
      }),
    }),
  });

  builder.node(WaterStationRef, {
    description: 'A drinking-water source automatic water-quality station.',
    id: { resolve: (s) => s.id },
    loadMany: loadNodes(waterStationLoader),
    isTypeOf: (value) => typeof value === 'object' && value !== null && 'sourceId' in value && 'monitorId' in value,
    fields: (t) => ({
      code: t.exposeString('code', { description: 'station code' }),
      name: t.exposeString('name'),
      source: t.field({ type: WaterSourceRef, nullable: true, resolve: (s, _a, ctx) => waterSourceLoader(ctx).load(s.sourceId) }),
      cellCode: t.exposeString('cellCode', { description: 'grid cell' }),
      longitude: t.exposeFloat('longitude', { nullable: true }),
      latitude: t.exposeFloat('latitude', { nullable: true }),
      mn: t.exposeString('mn', { description: 'HJ 212 MN of the station’s analyser' }),
      monitor: t.field({ type: MonitorRef, nullable: true, resolve: (s, _a, ctx) => stationMonitorLoader(ctx).load(s.monitorId) }),
      openEpisode: t.field({
        type: WaterEpisodeRef,
        nullable: true,
        description: 'the breach of the target class going on now, if any',
        resolve: (s, _a, ctx) => openEpisodeLoader(ctx).load(s.id),
      }),
      latestClass: t.field({
        type: PointRef,
        nullable: true,
        description: `the newest hourly GB 3838 class of the last ${LATEST_CLASS_LOOKBACK_HOURS} complete hours, with its time; null when no hour was classed (read with every other station of the request)`,
        resolve: async (s, _a, ctx) => (await latestClassLoader(ctx).load(s.code)) ?? null,
      }),
    }),
  });

  // Upstream platforms join stations by their station code.
  builder.asEntity(WaterStationRef, {
    key: builder.selection<{ code: string }>('code'),
    resolveReference: (reference, ctx) => waterStationByCodeLoader(ctx).load(reference.code),
  });

  const failingAsItems = (
    items: readonly { factor: string; value: number; class: WaterClass; limit: Limit | null; exceedanceMultiple: number | null }[],
  ): QualityItem[] => items.map((i) => ({ ...i, role: 'CLASSED', evaluated: true, failsTarget: true, sampleCount: 1 }));

  builder.node(WaterEpisodeRef, {
    description: 'A spell of hours in which a station was worse than its target class.',
    id: { resolve: (e) => e.id },
    loadMany: loadNodes(waterEpisodeLoader),
    isTypeOf: (value) => typeof value === 'object' && value !== null && 'breachHours' in value && 'worstClass' in value,
    fields: (t) => ({
      station: t.field({ type: WaterStationRef, nullable: true, resolve: (e, _a, ctx) => waterStationLoader(ctx).load(e.stationId) }),
      stationCode: t.exposeString('stationCode'),
      sourceCode: t.exposeString('sourceCode'),
      cellCode: t.exposeString('cellCode'),
      status: t.field({ type: EpisodeStatusEnum, resolve: (e) => e.status }),
      openedAt: t.field({ type: 'DateTime', description: 'start of the first hour in breach', resolve: (e) => e.openedAt }),
      lastBreachAt: t.field({ type: 'DateTime', description: 'start of the latest hour in breach', resolve: (e) => e.lastBreachAt }),
      closedAt: t.field({ type: 'DateTime', nullable: true, description: 'start of the first hour back within the target', resolve: (e) => e.closedAt }),
      breachHours: t.exposeInt('breachHours'),
      targetClass: t.field({ type: WaterClassEnum, resolve: (e) => e.targetClass }),
      currentClass: t.field({ type: WaterClassEnum, description: 'class of the latest hour in breach', resolve: (e) => e.currentClass }),
      worstClass: t.field({ type: WaterClassEnum, resolve: (e) => e.worstClass }),
      failingItems: t.field({
        extensions: boundedList(MAX_WATER_ITEMS, { computed: true }),
        type: [ItemRef],
        description: 'failing items of the latest hour in breach',
        resolve: (e) => failingAsItems(e.failingItems),
      }),
    }),
  });

  return { WaterbodyEnum, ProtectionZoneEnum, WaterClassEnum, GranularityEnum, EpisodeStatusEnum, ItemRef, PointRef, ClassificationRef, failingAsItems };
}

export type WaterTypes = ReturnType<typeof registerWaterTypes>;
