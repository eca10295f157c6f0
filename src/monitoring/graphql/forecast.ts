import type { HubBuilder } from '../../graphql/builder';
import { ValidationError } from '../../errors';
import { idOf } from '../../graphql/ids';
import { boundedList } from '../../graphql/cost/declare';
import { zhValues } from '../../graphql/zh';
import { FORECAST_METHODS } from '../forecast/rolling';
import type { HorizonSkill, MethodSkill } from '../forecast/backtest';
import { MAX_FORECAST_HOURS, type MonitorForecast, type SeriesBacktest } from '../forecast/service';
import { monitoringServiceRef } from '../public';
import { monitorLoader } from './loaders';
import { ForecastMethodEnum as ForecastMethodParam, MonitorRef } from './refs';

const DAY_MS = 86_400_000;
const MAX_BACKTEST_DAYS = 90;
/** hourly rows one forecast reads: the longest history setting, 60 days */
const FORECAST_ROWS = 60 * 24;

/** Forecasts of a monitor's hourly series (预报) and the backtest that says how far to trust them. */
export function registerForecastTypes(builder: HubBuilder): void {
  const ForecastMethodEnum = builder.enumType(ForecastMethodParam, {
    name: 'ForecastMethod',
    values: zhValues(FORECAST_METHODS, {
      HOLT_WINTERS: '霍尔特-温特斯指数平滑: damped additive Holt-Winters with a 24-hour season',
      PERSISTENCE: '持续性预报: the last value carried on',
      SEASONAL_NAIVE: '季节朴素预报: the same hour of the day before',
    }),
  });

  const ForecastPointRef = builder.objectRef<MonitorForecast['points'][number]>('ForecastPoint').implement({
    fields: (t) => ({
      time: t.field({ type: 'DateTime', description: 'the hour forecast (HJ 212 hourly values are stamped with their hour’s start)', resolve: (p) => p.time }),
      hoursAhead: t.int({ resolve: (p) => p.hours }),
      value: t.float({ description: 'the expected value', resolve: (p) => p.mean }),
      lower: t.exposeFloat('lower', { description: 'lower end of the prediction interval' }),
      upper: t.exposeFloat('upper', { description: 'upper end of the prediction interval' }),
      outsideProbability: t.exposeFloat('outsideProbability', {
        nullable: true,
        description: 'chance of being outside the limit at that hour; null without a limit',
      }),
    }),
  });

  const SeriesForecastRef = builder.objectRef<MonitorForecast>('SeriesForecast').implement({
    description: 'The next hours of an hourly series, forecast from its own history.',
    fields: (t) => ({
      factor: t.exposeString('factor'),
      method: t.field({ type: ForecastMethodEnum, resolve: (f) => f.method }),
      fallback: t.exposeBoolean('fallback', {
        description: 'true when Holt-Winters did not beat the better baseline on this series and that baseline is used',
      }),
      reason: t.exposeString('reason', { description: 'why the method was chosen: the backtest errors compared' }),
      intervalLevel: t.float({ description: 'nominal share of values the intervals cover', resolve: (f) => f.level }),
      issuedFor: t.field({ type: 'DateTime', description: 'the last stored hour the forecast starts from', resolve: (f) => f.issuedFor }),
      limitUpper: t.float({ nullable: true, resolve: (f) => f.limit?.upper ?? null }),
      limitLower: t.float({ nullable: true, resolve: (f) => f.limit?.lower ?? null }),
      points: t.field({ type: [ForecastPointRef], extensions: boundedList(MAX_FORECAST_HOURS, { computed: true }), resolve: (f) => f.points }),
    }),
  });

  const HorizonSkillRef = builder.objectRef<HorizonSkill>('ForecastHorizonSkill').implement({
    fields: (t) => ({
      hoursAhead: t.int({ resolve: (h) => h.hours }),
      meanAbsoluteError: t.float({ nullable: true, resolve: (h) => h.mae }),
      scored: t.exposeInt('scored', { description: 'origins with a known value at this horizon' }),
      hits: t.exposeInt('hits', { description: 'onsets (inside now, outside at the horizon) forecast' }),
      misses: t.exposeInt('misses'),
      falseAlarms: t.exposeInt('falseAlarms'),
      probabilityOfDetection: t.float({ nullable: true, resolve: (h) => h.pod }),
      falseAlarmRatio: t.float({ nullable: true, resolve: (h) => h.far }),
      intervalCoverage: t.float({ nullable: true, description: 'share of values inside the prediction interval', resolve: (h) => h.coverage }),
    }),
  });

  const MethodSkillRef = builder.objectRef<MethodSkill>('ForecastMethodSkill').implement({
    fields: (t) => ({
      method: t.field({ type: ForecastMethodEnum, resolve: (m) => m.method }),
      meanAbsoluteError: t.float({ nullable: true, description: 'mean over the horizons: what methods are ranked by', resolve: (m) => m.mae }),
      crossings: t.exposeInt('crossings', { description: 'hours the series went from inside its limit to outside' }),
      detected: t.exposeInt('detected', { description: 'crossings a warning was on for beforehand' }),
      meanLeadHours: t.exposeFloat('meanLeadHours', { nullable: true, description: 'mean hours from the first warning to the crossing' }),
      horizons: t.field({ type: [HorizonSkillRef], extensions: boundedList(MAX_FORECAST_HOURS, { computed: true }), resolve: (m) => m.horizons }),
    }),
  });

  const BacktestRef = builder.objectRef<SeriesBacktest>('ForecastBacktest').implement({
    description: 'A rolling-origin backtest: at every stored hour each method forecasts from the hours before it only.',
    fields: (t) => ({
      monitor: t.field({ type: MonitorRef, nullable: true, resolve: (b, _a, ctx) => monitorLoader(ctx).load(b.monitorId) }),
      factor: t.exposeString('factor'),
      hours: t.exposeInt('hours', { description: 'hours of history on the grid, missing ones included' }),
      origins: t.exposeInt('origins', { description: 'origins scored: every method could forecast from them' }),
      limitUpper: t.float({ nullable: true, resolve: (b) => b.limit?.upper ?? null }),
      limitLower: t.float({ nullable: true, resolve: (b) => b.limit?.lower ?? null }),
      chosen: t.field({ type: ForecastMethodEnum, resolve: (b) => b.chosen }),
      fallback: t.exposeBoolean('fallback'),
      reason: t.exposeString('reason'),
      methods: t.field({ type: [MethodSkillRef], extensions: boundedList(FORECAST_METHODS.length, { computed: true }), resolve: (b) => b.methods }),
    }),
  });

  builder.objectField(MonitorRef, 'forecast', (t) =>
    t.field({
      type: SeriesForecastRef,
      nullable: true,
      description: 'The next hours of one factor’s hourly series with a prediction interval; null when the series has too little history.',
      args: {
        factor: t.arg.string({ required: true }),
        hours: t.arg.int({ required: false, defaultValue: 6, description: `1-${MAX_FORECAST_HOURS}` }),
      },
      extensions: { cost: { weight: FORECAST_ROWS } },
      resolve: (monitor, args, ctx) => {
        const hours = args.hours ?? 6;
        if (!Number.isInteger(hours) || hours < 1 || hours > MAX_FORECAST_HOURS)
          throw new ValidationError([{ path: 'hours', message: `must be 1-${MAX_FORECAST_HOURS}` }]);
        return ctx.services.get(monitoringServiceRef).forecast(monitor, args.factor, hours);
      },
    }),
  );

  builder.queryFields((t) => ({
    forecastBacktest: t.field({
      authScopes: { admin: true },
      type: BacktestRef,
      nullable: true,
      description: `How well the forecast methods did on one hourly series over a stored range (at most ${MAX_BACKTEST_DAYS} days, by default the last 30): per horizon the mean absolute error and, for onsets, detection, false alarms and lead time.`,
      args: {
        monitor: t.arg.globalID({ required: true }),
        factor: t.arg.string({ required: true }),
        from: t.arg({ type: 'DateTime', required: false }),
        to: t.arg({ type: 'DateTime', required: false }),
        horizon: t.arg.int({ required: false, defaultValue: 6, description: `hours ahead, 1-${MAX_FORECAST_HOURS}` }),
        probability: t.arg.float({
          required: false,
          description: 'a warning is on from this chance of being outside; FORECAST_WARNING_PROBABILITY unless given',
        }),
      },
      extensions: { cost: { weight: MAX_BACKTEST_DAYS * 24 } },
      resolve: async (_root, args, ctx) => {
        const service = ctx.services.get(monitoringServiceRef);
        const to = args.to ?? ctx.now();
        const from = args.from ?? new Date(to.getTime() - 30 * DAY_MS);
        const horizon = args.horizon ?? 6;
        const problems = [];
        if (to <= from) problems.push({ path: 'to', message: 'must be after from' });
        if (to.getTime() - from.getTime() > MAX_BACKTEST_DAYS * DAY_MS) problems.push({ path: 'from', message: `at most ${MAX_BACKTEST_DAYS} days` });
        if (!Number.isInteger(horizon) || horizon < 1 || horizon > MAX_FORECAST_HOURS)
          problems.push({ path: 'horizon', message: `must be 1-${MAX_FORECAST_HOURS}` });
        if (args.probability != null && !(args.probability > 0 && args.probability < 1))
          problems.push({ path: 'probability', message: 'must be between 0 and 1' });
        if (problems.length > 0) throw new ValidationError(problems);
        const monitor = await monitorLoader(ctx).load(idOf(args.monitor, 'Monitor', 'monitor'));
        if (!monitor) return null;
        return service.forecastBacktest(monitor, args.factor, { from, to, horizon, probability: args.probability ?? undefined });
      },
    }),
  }));
}
