import { chooseParams, HoltWinters, MIN_HOLT_WINTERS_HISTORY, runHoltWinters, SEASON } from './holt-winters';

export const FORECAST_METHODS = ['HOLT_WINTERS', 'PERSISTENCE', 'SEASONAL_NAIVE'] as const;
export type ForecastMethod = (typeof FORECAST_METHODS)[number];
export const BASELINES: readonly ForecastMethod[] = ['PERSISTENCE', 'SEASONAL_NAIVE'];

export interface RollingOptions {
  /** hours ahead forecast at each origin */
  horizon: number;
  /** hours of history a Holt-Winters fit sees (older hours are dropped) */
  window: number;
  /** origins between two parameter searches; the state runs on hour by hour in between */
  refitEvery: number;
  /** how many recent errors per horizon give the interval's spread */
  errorWindow: number;
  /** errors per horizon needed before a forecast carries an interval at all */
  minErrors: number;
}

export const DEFAULT_ROLLING: RollingOptions = { horizon: 6, window: 14 * SEASON, refitEvery: SEASON, errorWindow: 7 * SEASON, minErrors: SEASON };

/** What one method said at one origin: the mean and the spread of its error, per horizon (index h - 1). */
export interface OriginForecast {
  means: number[];
  /** root mean square of this method's past h-step errors: only errors already known at the origin */
  sigmas: number[];
}

/** Origins with less history than this add nothing to the error record. */
const SETTLED = 3 * SEASON;

type Predict = (origin: number) => number[] | undefined;

function lastValue(values: readonly (number | null)[], origin: number): number | undefined {
  for (let i = origin; i >= 0 && i > origin - 7 * SEASON; i -= 1) {
    const v = values[i];
    if (v !== null && v !== undefined) return v;
  }
  return undefined;
}

function persistence(values: readonly (number | null)[], horizon: number): Predict {
  return (origin) => {
    const last = lastValue(values, origin);
    return last === undefined ? undefined : Array.from({ length: horizon }, () => last);
  };
}

/** The same hour of the last day already seen; the last value where that hour is missing. */
function seasonalNaive(values: readonly (number | null)[], horizon: number): Predict {
  return (origin) => {
    const last = lastValue(values, origin);
    if (last === undefined) return undefined;
    return Array.from({ length: horizon }, (_, k) => {
      const h = k + 1;
      const back = values[origin + h - SEASON * Math.ceil(h / SEASON)];
      return back !== null && back !== undefined ? back : last;
    });
  };
}

/**
 * Holt-Winters at every origin from history before it only: the parameters are searched again
 * every `refitEvery` origins on the last `window` hours, and the state is carried forward one
 * hour at a time in between, which is what a job running hourly on stored data would do.
 */
function holtWinters(values: readonly (number | null)[], options: RollingOptions): Predict {
  let model: HoltWinters | undefined;
  let fittedAt = Number.NEGATIVE_INFINITY;
  let seenUpTo = -1;
  return (origin) => {
    if (origin + 1 < MIN_HOLT_WINTERS_HISTORY + 1) return undefined;
    if (!model || origin - fittedAt >= options.refitEvery || origin !== seenUpTo + 1) {
      const slice = values.slice(Math.max(0, origin + 1 - options.window), origin + 1);
      const params = chooseParams(slice);
      model = params ? runHoltWinters(slice, params) : undefined;
      fittedAt = origin;
    } else {
      model.update(values[origin] ?? null);
    }
    seenUpTo = origin;
    if (!model) return undefined;
    const fitted = model;
    return Array.from({ length: options.horizon }, (_, k) => fitted.forecast(k + 1));
  };
}

function predictorOf(method: ForecastMethod, values: readonly (number | null)[], options: RollingOptions): Predict {
  if (method === 'PERSISTENCE') return persistence(values, options.horizon);
  if (method === 'SEASONAL_NAIVE') return seasonalNaive(values, options.horizon);
  return holtWinters(values, options);
}

/**
 * Every origin's forecast from `firstOrigin` to the last hour, for one method. The spread of each
 * horizon comes from the errors of earlier origins whose target hour is already known at this
 * origin, so the interval is honest in the same way as the mean.
 */
export function rollingForecasts(
  method: ForecastMethod,
  values: readonly (number | null)[],
  options: RollingOptions,
  firstOrigin: number,
): (OriginForecast | undefined)[] {
  const predict = predictorOf(method, values, options);
  const { horizon } = options;
  const means: (number[] | undefined)[] = [];
  // per horizon: squared errors in the order their targets became known, and their running sum
  const squares: number[][] = Array.from({ length: horizon }, () => []);
  const sums = new Float64Array(horizon);
  const out: (OriginForecast | undefined)[] = [];
  for (let origin = firstOrigin; origin < values.length; origin += 1) {
    for (let k = 0; k < horizon; k += 1) {
      const from = origin - (k + 1);
      // a fit on its first days is still settling: its errors would widen every later interval
      const earlier = from >= firstOrigin && from >= SETTLED ? means[from - firstOrigin] : undefined;
      const actual = values[origin];
      if (!earlier || actual === null || actual === undefined) continue;
      const error = actual - earlier[k]!;
      const list = squares[k]!;
      list.push(error * error);
      sums[k] = sums[k]! + error * error;
      if (list.length > options.errorWindow) sums[k] = sums[k]! - list.shift()!;
    }
    const predicted = predict(origin);
    means.push(predicted);
    const enough = squares.every((list) => list.length >= options.minErrors);
    out.push(predicted && enough ? { means: predicted, sigmas: growing(squares.map((list, k) => Math.sqrt(Math.max(sums[k]!, 0) / list.length))) } : undefined);
  }
  return out;
}

/** A longer look ahead is never surer than a shorter one, whatever a short error record says. */
function growing(sigmas: number[]): number[] {
  for (let k = 1; k < sigmas.length; k += 1) sigmas[k] = Math.max(sigmas[k]!, sigmas[k - 1]!);
  return sigmas;
}
