import type { HubBuilder } from '../../../src/graphql/builder';
import { ForecastMethodEnum, MonitorRef } from '../../../src/monitoring/public';
import { AIR_FORECAST_HOURS, type AirForecastHour, type AirStationForecast, type PollutantForecast } from '../service/forecast';
import { airServiceRef } from '../public';
import { POLLUTANTS, type AqiCategory, type IaqiEntry, type UnscoredEntry } from '../service/aqi';
import { LATEST_LOOKBACK_HOURS, MAX_RECENT_HOURS, type StationQuality, type StationRank, type AirQuality } from '../service/quality';
import { AIR_STATION_LEVELS } from '../service/stations';
import { airEpisodeLoader, airStationLoader, recentAqiLoader, stationMonitorLoader } from './loaders';
import { AirEpisodeRef, AirStationRef } from './refs';
import { boundedList } from '../../../src/graphql/cost/declare';
import { zhValues } from '../../../src/graphql/zh';
import { loadNodes } from '../../../src/graphql/loaders';

/** Enums and object types of the air module; returned so the field files can use them. */
export function registerAirTypes(builder: HubBuilder) {
  const AirStationLevelEnum = builder.enumType('AirStationLevel', {
    description: 'Which network controls the station: 国控, 省控, 市控 or 区控.',
    values: zhValues(AIR_STATION_LEVELS, { CITY: '市控', DISTRICT: '区控', NATIONAL: '国控', PROVINCE: '省控' }),
  });
  const AqiEditionEnum = builder.enumType('AqiEdition', {
    description: 'The HJ 633 edition a value was computed under: 2012 for data before 2026-03-01 (Asia/Shanghai), 2026 from then on.',
    values: zhValues({ HJ633_2012: { value: 'HJ633-2012' }, HJ633_2026: { value: 'HJ633-2026' } } as const, {
      HJ633_2012: '环境空气质量指数（AQI）技术规定 HJ 633-2012',
      HJ633_2026: '环境空气质量指数（AQI）技术规定 HJ 633-2026',
    }),
  });
  const AirPollutantEnum = builder.enumType('AirPollutant', {
    values: zhValues(POLLUTANTS, { CO: '一氧化碳', NO2: '二氧化氮', O3: '臭氧', PM2_5: '细颗粒物（PM2.5）', PM10: '可吸入颗粒物（PM10）', SO2: '二氧化硫' }),
  });
  const AqiAveragingEnum = builder.enumType('AqiAveraging', {
    values: zhValues(
      {
        ONE_HOUR: { value: '1h' },
        EIGHT_HOURS: { value: '8h', description: '8-hour moving mean' },
        TWENTY_FOUR_HOURS: { value: '24h', description: '24-hour (moving or daily) mean' },
      } as const,
      { EIGHT_HOURS: '8小时滑动平均', ONE_HOUR: '1小时平均', TWENTY_FOUR_HOURS: '24小时平均' },
    ),
  });
  const GranularityEnum = builder.enumType('AirQualityGranularity', {
    values: zhValues({ HOUR: { description: 'hourly (real-time) report' }, DAY: { description: 'daily report of an Asia/Shanghai calendar day' } } as const, {
      DAY: '日报',
      HOUR: '小时报（实时报）',
    }),
  });
  const CeilingRuleEnum = builder.enumType('AqiCeilingRule', {
    description: 'The standard rule that decided an IAQI above the end of its column (800).',
    values: zhValues(['SO2_1H_ABOVE_800', 'O3_8H_ABOVE_800'] as const, {
      O3_8H_ABOVE_800: '臭氧8小时浓度高于800，按1小时计',
      SO2_1H_ABOVE_800: '二氧化硫1小时浓度高于800，按24小时计',
    }),
  });
  const NonAttainmentBasisEnum = builder.enumType('AqiNonAttainmentBasis', {
    values: zhValues(
      {
        HJ633_2012: { value: 'HJ633-2012', description: 'the standard’s 超标污染物 (IAQI above 100)' },
        LOCAL_RULE: { value: 'local-rule', description: 'HJ 633-2026 deleted the term; the hub keeps the same definition as its own rule' },
      } as const,
      { HJ633_2012: '标准定义的超标污染物', LOCAL_RULE: '本系统沿用的超标污染物规则' },
    ),
  });
  const EpisodeStatusEnum = builder.enumType('AirEpisodeStatus', { values: zhValues(['OPEN', 'CLOSED'] as const, { CLOSED: '已结束', OPEN: '进行中' }) });

  const CategoryRef = builder.objectRef<AqiCategory>('AqiCategory').implement({
    description: 'The AQI category (HJ 633 级别): 优, 良, 轻度污染, 中度污染, 重度污染 or 严重污染.',
    fields: (t) => ({
      nameZh: t.exposeString('zh', { description: '优, 良, 轻度污染, 中度污染, 重度污染 or 严重污染' }),
      nameEn: t.exposeString('en'),
      zh: t.exposeString('zh', { deprecationReason: 'use nameZh: Chinese text is named <what>Zh across the schema' }),
      en: t.exposeString('en', { deprecationReason: 'use nameEn' }),
    }),
  });
  const ConcentrationRef = builder.objectRef<UnscoredEntry>('AqiConcentration').implement({
    description: 'A concentration (ug/m3; CO mg/m3) after the edition’s rounding.',
    fields: (t) => ({
      item: t.exposeString('item', { description: 'the report item, e.g. `pm2_5_24h` or `o3_8h_max`' }),
      pollutant: t.field({ type: AirPollutantEnum, resolve: (c) => c.pollutant }),
      averaging: t.field({ type: AqiAveragingEnum, resolve: (c) => c.averaging }),
      concentration: t.exposeFloat('concentration'),
    }),
  });
  const IaqiRef = builder.objectRef<IaqiEntry>('AqiIaqi').implement({
    description: 'One scored item of a report.',
    fields: (t) => ({
      item: t.exposeString('item', { description: 'the report item, e.g. `pm2_5_24h` or `o3_8h_max`' }),
      pollutant: t.field({ type: AirPollutantEnum, resolve: (e) => e.pollutant }),
      averaging: t.field({ type: AqiAveragingEnum, resolve: (e) => e.averaging }),
      concentration: t.exposeFloat('concentration', { description: 'after the edition’s rounding (ug/m3; CO mg/m3)' }),
      value: t.exposeInt('value', { description: 'the IAQI, rounded up' }),
      beyondScale: t.exposeBoolean('beyondScale', { description: 'above the 500 row: reported as 500' }),
      rule: t.field({ type: CeilingRuleEnum, nullable: true, resolve: (e) => e.rule }),
      valueFrom: t.field({
        type: ConcentrationRef,
        nullable: true,
        description: 'HJ 633-2012: the item whose IAQI is reported instead',
        resolve: (e) => (e.valueFrom ? { ...e.valueFrom, pollutant: e.pollutant } : null),
      }),
    }),
  });

  const AirQualityRef = builder.objectRef<AirQuality>('AirQuality').implement({
    description: 'An hourly or daily AQI report, computed under the HJ 633 edition in force at its time.',
    fields: (t) => ({
      granularity: t.field({ type: GranularityEnum, resolve: (q) => q.granularity }),
      time: t.field({ type: 'DateTime', nullable: true, description: 'start of the hour or of the day', resolve: (q) => q.time }),
      day: t.exposeString('day', { nullable: true, description: 'the Asia/Shanghai calendar day of a daily report' }),
      edition: t.field({ type: AqiEditionEnum, resolve: (q) => q.edition }),
      aqi: t.exposeInt('aqi', { nullable: true, description: 'null when not available: pollutants missing and the rest not above 100' }),
      aqiComputed: t.exposeInt('aqiComputed', { nullable: true, description: 'the largest IAQI of the items present, published or not' }),
      level: t.exposeInt('level', { nullable: true, description: '1 (优) to 6 (严重污染)' }),
      category: t.field({ type: CategoryRef, nullable: true, resolve: (q) => q.category }),
      color: t.exposeString('color', { nullable: true }),
      primaryPollutants: t.field({ type: [AirPollutantEnum], description: 'empty when the AQI is 50 or less', resolve: (q) => q.primaryPollutants }),
      nonAttainmentPollutants: t.field({ type: [AirPollutantEnum], description: 'IAQI above 100', resolve: (q) => q.nonAttainment }),
      nonAttainmentBasis: t.field({ type: NonAttainmentBasisEnum, resolve: (q) => q.nonAttainmentBasis }),
      iaqi: t.field({ extensions: boundedList(10, { computed: true }), type: [IaqiRef], resolve: (q) => q.iaqi }),
      unscored: t.field({
        extensions: boundedList(10, { computed: true }),
        type: [ConcentrationRef],
        description: 'values the report shows without scoring (2012 hourly PM 1h)',
        resolve: (q) => q.unscored,
      }),
      beyondScale: t.exposeBoolean('beyondScale'),
      valid: t.boolean({ description: 'every item the report needs was there, each with enough valid data', resolve: (q) => q.complete }),
      missingPollutants: t.field({ type: [AirPollutantEnum], resolve: (q) => q.missing }),
    }),
  });

  const PollutantForecastRef = builder.objectRef<PollutantForecast>('AirPollutantForecast').implement({
    description: 'How one pollutant’s hourly concentration was forecast.',
    fields: (t) => ({
      pollutant: t.field({ type: AirPollutantEnum, resolve: (p) => p.pollutant }),
      method: t.field({ type: ForecastMethodEnum, nullable: true, description: 'null when the series has too little history', resolve: (p) => p.method }),
      fallback: t.exposeBoolean('fallback', { description: 'true when Holt-Winters did not beat the better baseline and that baseline is used' }),
      reason: t.exposeString('reason', { description: 'why the method was chosen, or why there is no forecast' }),
    }),
  });
  const ForecastConcentrationRef = builder.objectRef<AirForecastHour['concentrations'][number]>('AirForecastConcentration').implement({
    fields: (t) => ({
      pollutant: t.field({ type: AirPollutantEnum, resolve: (c) => c.pollutant }),
      value: t.exposeFloat('value', { description: 'the expected hourly concentration (ug/m3; CO mg/m3), not below 0' }),
    }),
  });
  const ForecastHourRef = builder.objectRef<AirForecastHour>('AirForecastHour').implement({
    description: 'The AQI expected in one hour: the forecast concentrations scored like a measured hour (HJ 633, edition in force then).',
    fields: (t) => ({
      time: t.field({ type: 'DateTime', description: 'start of the hour', resolve: (h) => h.time }),
      hoursAhead: t.exposeInt('hoursAhead'),
      edition: t.field({ type: AqiEditionEnum, resolve: (h) => h.edition }),
      aqi: t.exposeInt('aqi', { nullable: true, description: 'null when pollutants lack a forecast and the rest are not above 100' }),
      level: t.exposeInt('level', { nullable: true, description: 'expected level, 1 (优) to 6 (严重污染)' }),
      category: t.field({ type: CategoryRef, nullable: true, description: 'expected category', resolve: (h) => h.category }),
      color: t.exposeString('color', { nullable: true }),
      primaryPollutants: t.field({ type: [AirPollutantEnum], description: 'empty when the AQI is 50 or less', resolve: (h) => h.primaryPollutants }),
      iaqi: t.field({ extensions: boundedList(10, { computed: true }), type: [IaqiRef], resolve: (h) => h.iaqi }),
      concentrations: t.field({
        extensions: boundedList(POLLUTANTS.length, { computed: true }),
        type: [ForecastConcentrationRef],
        resolve: (h) => h.concentrations,
      }),
    }),
  });
  const StationForecastRef = builder.objectRef<AirStationForecast>('AirStationForecast').implement({
    description: 'A station’s AQI for the next hours (空气质量预报), from each pollutant’s forecast hourly concentration.',
    fields: (t) => ({
      issuedFor: t.field({
        type: 'DateTime',
        nullable: true,
        description: 'the last stored hour the forecasts start from; null when unavailable',
        resolve: (f) => f.issuedFor,
      }),
      available: t.boolean({ resolve: (f) => f.unavailableReason === null }),
      unavailableReason: t.exposeString('unavailableReason', { nullable: true, description: 'why there is no forecast, e.g. too little history' }),
      pollutants: t.field({ extensions: boundedList(POLLUTANTS.length, { computed: true }), type: [PollutantForecastRef], resolve: (f) => f.pollutants }),
      hours: t.field({
        extensions: boundedList(AIR_FORECAST_HOURS, { computed: true }),
        type: [ForecastHourRef],
        description: 'hour by hour, nearest first; empty when unavailable',
        resolve: (f) => f.hours,
      }),
    }),
  });

  builder.node(AirStationRef, {
    description: 'An air automatic monitoring station, keyed by its station code.',
    id: { resolve: (s) => s.code },
    loadMany: loadNodes(airStationLoader, String),
    isTypeOf: (value) => typeof value === 'object' && value !== null && 'code' in value && 'monitorId' in value && 'level' in value,
    fields: (t) => ({
      code: t.exposeString('code', { description: 'station code, e.g. the national 1431A' }),
      name: t.exposeString('name'),
      level: t.field({ type: AirStationLevelEnum, resolve: (s) => s.level }),
      longitude: t.exposeFloat('longitude', { nullable: true }),
      latitude: t.exposeFloat('latitude', { nullable: true }),
      cellCode: t.exposeString('cellCode', { nullable: true, description: 'the grid cell it stands in' }),
      mn: t.exposeString('mn', { description: 'HJ 212 MN of its data logger' }),
      monitor: t.field({ type: MonitorRef, nullable: true, resolve: (s, _a, ctx) => stationMonitorLoader(ctx).load(s.monitorId) }),
      hourlyAqi: t.field({
        type: [AirQualityRef],
        description: 'the hourly AQI of the last `hours` complete hours, oldest first (a ranking’s stations read together)',
        args: { hours: t.arg.int({ required: false, defaultValue: 24, description: `1-${MAX_RECENT_HOURS}` }) },
        extensions: { cost: { listSize: { slicingArguments: ['hours'], max: MAX_RECENT_HOURS, assumedSize: MAX_RECENT_HOURS } } },
        resolve: async (s, args, ctx) => (await recentAqiLoader(ctx).load(`${args.hours ?? 24}|${s.code}`)) ?? [],
      }),
      latestQuality: t.field({
        type: AirQualityRef,
        nullable: true,
        description: `the newest hourly AQI of the last ${LATEST_LOOKBACK_HOURS} complete hours; null when none (read with every other station of the request)`,
        resolve: async (s, _a, ctx) =>
          ((await recentAqiLoader(ctx).load(`${LATEST_LOOKBACK_HOURS}|${s.code}`)) ?? []).filter((q) => q.aqi !== null).at(-1) ?? null,
      }),
      forecast: t.field({
        type: StationForecastRef,
        nullable: true,
        description: `the AQI of the next ${AIR_FORECAST_HOURS} hours from forecast concentrations; null where air data may not be read`,
        authScopes: { roles: ['admin', 'district', 'town', 'assistant', 'upstream'] },
        resolve: async (s, _a, ctx) => (await ctx.services.get(airServiceRef).forecastStations(ctx.viewer, [s]))[0] ?? null,
      }),
      createdAt: t.field({ type: 'DateTime', resolve: (s) => s.createdAt }),
    }),
  });

  // Upstream platforms join stations by their national station code.
  builder.asEntity(AirStationRef, {
    key: builder.selection<{ code: string }>('code'),
    resolveReference: (reference, ctx) => airStationLoader(ctx).load(reference.code),
  });

  builder.node(AirEpisodeRef, {
    description: 'One spell of a station’s hourly AQI above 100, until the first hour back at or below 100.',
    id: { resolve: (e) => e.id },
    loadMany: loadNodes(airEpisodeLoader),
    isTypeOf: (value) => typeof value === 'object' && value !== null && 'stationCode' in value && 'peakAqi' in value,
    fields: (t) => ({
      station: t.field({ type: AirStationRef, nullable: true, resolve: (e, _a, ctx) => airStationLoader(ctx).load(e.stationCode) }),
      stationCode: t.exposeString('stationCode'),
      cellCode: t.exposeString('cellCode', { nullable: true }),
      status: t.field({ type: EpisodeStatusEnum, resolve: (e) => e.status }),
      threshold: t.exposeInt('threshold', { description: 'the highest of 100, 200, 300 the AQI passed' }),
      openedHour: t.field({ type: 'DateTime', resolve: (e) => e.openedHour }),
      lastHour: t.field({ type: 'DateTime', description: 'newest hour evaluated', resolve: (e) => e.lastHour }),
      closedHour: t.field({ type: 'DateTime', nullable: true, resolve: (e) => e.closedHour }),
      lastAqi: t.exposeInt('lastAqi'),
      peakAqi: t.exposeInt('peakAqi'),
      peakHour: t.field({ type: 'DateTime', resolve: (e) => e.peakHour }),
      peakPrimaryPollutants: t.field({ type: [AirPollutantEnum], resolve: (e) => e.peakPrimaryPollutants }),
      edition: t.field({ type: AqiEditionEnum, description: 'edition of the peak hour', resolve: (e) => e.edition }),
    }),
  });

  const StationQualityRef = builder.objectRef<StationQuality>('AirStationQuality').implement({
    fields: (t) => ({
      station: t.field({ type: AirStationRef, resolve: (s) => s.station }),
      quality: t.field({ type: AirQualityRef, nullable: true, description: 'null when nothing was measured in the last 24 hours', resolve: (s) => s.quality }),
    }),
  });
  const StationRankRef = builder.objectRef<StationRank>('AirStationRank').implement({
    fields: (t) => ({
      rank: t.exposeInt('rank', { nullable: true, description: '1 for the cleanest; equal AQIs share a rank; null without an AQI' }),
      station: t.field({ type: AirStationRef, resolve: (s) => s.station }),
      quality: t.field({ type: AirQualityRef, resolve: (s) => s.quality }),
    }),
  });

  return {
    AirStationLevelEnum,
    AqiEditionEnum,
    AirPollutantEnum,
    AqiAveragingEnum,
    GranularityEnum,
    EpisodeStatusEnum,
    AirQualityRef,
    StationQualityRef,
    StationRankRef,
  };
}

export type AirTypes = ReturnType<typeof registerAirTypes>;
