import { centralZ, normalCdf } from './normal';
import { BASELINES, FORECAST_METHODS, rollingForecasts, type ForecastMethod, type OriginForecast, type RollingOptions } from './rolling';

/** The bounds a series is judged against: an upper limit, a lower one (dissolved oxygen), or both (pH). */
export interface SeriesBounds {
  upper: number | null;
  lower: number | null;
}

export function outside(value: number, bounds: SeriesBounds): boolean {
  return (bounds.upper !== null && value > bounds.upper) || (bounds.lower !== null && value < bounds.lower);
}

/** The chance a forecast (mean, spread) lands outside the bounds, from the normal error model. */
export function outsideProbability(mean: number, sigma: number, bounds: SeriesBounds): number {
  if (!(sigma > 0)) return outside(mean, bounds) ? 1 : 0;
  const above = bounds.upper !== null ? 1 - normalCdf((bounds.upper - mean) / sigma) : 0;
  const below = bounds.lower !== null ? normalCdf((bounds.lower - mean) / sigma) : 0;
  return Math.min(1, above + below);
}

export interface HorizonSkill {
  hours: number;
  /** mean absolute error over the origins scored */
  mae: number | null;
  scored: number;
  /** onsets: inside the bounds at the origin, outside at the horizon */
  hits: number;
  misses: number;
  falseAlarms: number;
  /** probability of detection: hits / (hits + misses) */
  pod: number | null;
  /** false alarm ratio: false alarms / (hits + false alarms) */
  far: number | null;
  /** share of actual values inside the prediction interval */
  coverage: number | null;
}

export interface MethodSkill {
  method: ForecastMethod;
  horizons: HorizonSkill[];
  /** the mean of the horizons' mean absolute errors: what the methods are ranked by */
  mae: number | null;
  /** crossings (inside one hour, outside the next) that fell in the scored range */
  crossings: number;
  /** crossings a warning (some horizon above the probability) was already on for */
  detected: number;
  /** mean hours between the first warning and the crossing, over those detected */
  meanLeadHours: number | null;
}

export interface BacktestOptions extends RollingOptions {
  /** a warning is on when the chance of being outside at some horizon reaches this */
  probability: number;
  /** nominal share of the prediction interval */
  level: number;
  /** origins before this index are warm-up: they feed the error record but are not scored */
  scoreFrom: number;
}

export interface Backtest {
  origins: number;
  methods: MethodSkill[];
  chosen: ForecastMethod;
  /** true when Holt-Winters did not beat the better baseline and the series uses that baseline */
  fallback: boolean;
  reason: string;
}

export interface ForecastPoint {
  hours: number;
  mean: number;
  lower: number;
  upper: number;
  sigma: number;
}

export interface SeriesForecast {
  method: ForecastMethod;
  fallback: boolean;
  reason: string;
  level: number;
  /** from the last hour of history on: index h - 1 */
  points: ForecastPoint[];
  backtest: Backtest;
}

/**
 * A rolling-origin backtest of every method over one hourly series, and the choice it implies: at
 * each origin a method sees only the hours up to it. Methods are compared on the origins every
 * one of them could forecast, so none is judged on easier hours than another.
 */
export function backtestSeries(
  values: readonly (number | null)[],
  bounds: SeriesBounds | undefined,
  options: BacktestOptions,
): { backtest: Backtest; last: Map<ForecastMethod, OriginForecast | undefined> } {
  const firstOrigin = 0;
  const runs = new Map<ForecastMethod, (OriginForecast | undefined)[]>();
  for (const method of FORECAST_METHODS) runs.set(method, rollingForecasts(method, values, options, firstOrigin));
  const z = centralZ(options.level);
  const common: number[] = [];
  for (let origin = Math.max(options.scoreFrom, firstOrigin); origin < values.length - 1; origin += 1) {
    if (FORECAST_METHODS.every((method) => runs.get(method)![origin - firstOrigin] !== undefined)) common.push(origin);
  }
  const warningOn = (forecast: OriginForecast | undefined): boolean =>
    bounds !== undefined &&
    forecast !== undefined &&
    forecast.means.some((mean, k) => outsideProbability(mean, forecast.sigmas[k]!, bounds) >= options.probability);

  const methods = FORECAST_METHODS.map((method): MethodSkill => {
    const run = runs.get(method)!;
    const horizons: HorizonSkill[] = [];
    for (let k = 0; k < options.horizon; k += 1) {
      let absolute = 0;
      let scored = 0;
      let covered = 0;
      let hits = 0;
      let misses = 0;
      let falseAlarms = 0;
      for (const origin of common) {
        const actual = values[origin + k + 1];
        const now = values[origin];
        const forecast = run[origin - firstOrigin]!;
        if (actual === null || actual === undefined) continue;
        const mean = forecast.means[k]!;
        const sigma = forecast.sigmas[k]!;
        absolute += Math.abs(actual - mean);
        scored += 1;
        if (Math.abs(actual - mean) <= z * sigma) covered += 1;
        if (!bounds || now === null || now === undefined || outside(now, bounds)) continue;
        const event = outside(actual, bounds);
        const said = outsideProbability(mean, sigma, bounds) >= options.probability;
        if (event && said) hits += 1;
        else if (event) misses += 1;
        else if (said) falseAlarms += 1;
      }
      horizons.push({
        hours: k + 1,
        mae: scored > 0 ? absolute / scored : null,
        scored,
        hits,
        misses,
        falseAlarms,
        pod: hits + misses > 0 ? hits / (hits + misses) : null,
        far: hits + falseAlarms > 0 ? falseAlarms / (hits + falseAlarms) : null,
        coverage: scored > 0 ? covered / scored : null,
      });
    }
    let crossings = 0;
    let detected = 0;
    let leadSum = 0;
    const scoredOrigins = new Set(common);
    if (bounds) {
      for (let hour = 1; hour < values.length; hour += 1) {
        const before = values[hour - 1];
        const at = values[hour];
        if (before == null || at == null || outside(before, bounds) || !outside(at, bounds) || !scoredOrigins.has(hour - 1)) continue;
        crossings += 1;
        // the earliest origin, within the horizon and with every hour since still inside, whose warning was on
        let earliest: number | undefined;
        for (let origin = hour - 1; origin >= hour - options.horizon && scoredOrigins.has(origin); origin -= 1) {
          const value = values[origin];
          if (value == null || outside(value, bounds)) break;
          if (warningOn(run[origin - firstOrigin])) earliest = origin;
        }
        if (earliest !== undefined) {
          detected += 1;
          leadSum += hour - earliest;
        }
      }
    }
    const maes = horizons.map((h) => h.mae).filter((m): m is number => m !== null);
    return {
      method,
      horizons,
      mae: maes.length === horizons.length && maes.length > 0 ? maes.reduce((s, m) => s + m, 0) / maes.length : null,
      crossings,
      detected,
      meanLeadHours: detected > 0 ? leadSum / detected : null,
    };
  });

  const skill = (method: ForecastMethod) => methods.find((m) => m.method === method)!.mae;
  const baseline = [...BASELINES].sort((a, b) => (skill(a) ?? Number.POSITIVE_INFINITY) - (skill(b) ?? Number.POSITIVE_INFINITY))[0]!;
  const model = skill('HOLT_WINTERS');
  const best = skill(baseline);
  let chosen: ForecastMethod = 'HOLT_WINTERS';
  let reason: string;
  if (model === null) {
    chosen = best !== null ? baseline : 'PERSISTENCE';
    reason = 'too little history to score Holt-Winters; the better baseline is used';
  } else if (best !== null && model >= best) {
    chosen = baseline;
    reason = `Holt-Winters (MAE ${model.toPrecision(3)}) does not beat ${baseline} (MAE ${best.toPrecision(3)}) on this series`;
  } else {
    reason = best !== null ? `Holt-Winters (MAE ${model.toPrecision(3)}) beats ${baseline} (MAE ${best.toPrecision(3)})` : 'Holt-Winters';
  }
  const last = new Map<ForecastMethod, OriginForecast | undefined>();
  for (const method of FORECAST_METHODS) last.set(method, runs.get(method)![values.length - 1 - firstOrigin]);
  return { backtest: { origins: common.length, methods, chosen, fallback: chosen !== 'HOLT_WINTERS', reason }, last };
}

/**
 * The forecast of the hours after `values` by the method the series' own backtest chose, with its
 * interval; undefined when no method has an error record long enough to give one.
 */
export function forecastSeries(values: readonly (number | null)[], bounds: SeriesBounds | undefined, options: BacktestOptions): SeriesForecast | undefined {
  const { backtest, last } = backtestSeries(values, bounds, options);
  const forecast = last.get(backtest.chosen) ?? last.get('PERSISTENCE');
  if (!forecast) return undefined;
  const method = last.get(backtest.chosen) ? backtest.chosen : 'PERSISTENCE';
  const z = centralZ(options.level);
  return {
    method,
    fallback: method !== 'HOLT_WINTERS',
    reason: backtest.reason,
    level: options.level,
    points: forecast.means.map((mean, k) => {
      const sigma = forecast.sigmas[k]!;
      return { hours: k + 1, mean, sigma, lower: mean - z * sigma, upper: mean + z * sigma };
    }),
    backtest,
  };
}
