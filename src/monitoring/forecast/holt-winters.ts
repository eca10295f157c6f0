/**
 * Additive Holt-Winters with a damped trend (Gardner & McKenzie), the season 24 hours long.
 *
 * Why this method: hourly emissions and concentrations carry a strong daily cycle (shifts,
 * traffic, the boundary layer) on top of a slowly moving level, and a permit crossing is most
 * often a level drifting up. Holt-Winters models exactly these two parts, updates in O(1) per
 * hour, needs no library, and the damped trend keeps a six-hour extrapolation from running away
 * on a short rise. A regression on hour-of-day and lags would need more history per series to be
 * stable.
 */

export interface HoltWintersParams {
  alpha: number;
  beta: number;
  gamma: number;
  phi: number;
}

export const SEASON = 24;

/** The grid the parameters are chosen from: small enough to search every refit, wide enough to matter. */
export const PARAM_GRID: readonly HoltWintersParams[] = (() => {
  const grid: HoltWintersParams[] = [];
  for (const alpha of [0.05, 0.2, 0.4, 0.7]) {
    for (const beta of [0.01, 0.05, 0.2]) {
      for (const gamma of [0.05, 0.15, 0.35]) {
        for (const phi of [0.8, 0.9, 0.98]) grid.push({ alpha, beta, gamma, phi });
      }
    }
  }
  return grid;
})();

/** Hours of history below which the seasonal part cannot be started (two full days). */
export const MIN_HOLT_WINTERS_HISTORY = 2 * SEASON;

/**
 * A running model over an hourly series: `update` with each hour's value (null for a missing
 * hour), `forecast` from the last hour seen. Indices are the series' own hour numbers, so the
 * seasonal slot of an hour is `index mod 24` whatever the hour of day the series starts at.
 */
export class HoltWinters {
  level = 0;
  trend = 0;
  readonly seasonal = new Float64Array(SEASON);
  /** index of the next hour `update` expects */
  next = 0;

  constructor(readonly params: HoltWintersParams) {}

  /** Starts the state from the first two days of `values`; returns false when they are too sparse. */
  start(values: readonly (number | null)[]): boolean {
    const day = (d: number): { mean: number; count: number } => {
      let sum = 0;
      let count = 0;
      for (let i = d * SEASON; i < (d + 1) * SEASON; i += 1) {
        const v = values[i];
        if (v !== null && v !== undefined) {
          sum += v;
          count += 1;
        }
      }
      return { mean: count > 0 ? sum / count : Number.NaN, count };
    };
    const first = day(0);
    const second = day(1);
    if (first.count < SEASON / 2 || second.count < SEASON / 2) return false;
    for (let i = 0; i < SEASON; i += 1) {
      const a = values[i];
      const b = values[SEASON + i];
      const parts = [a != null ? a - first.mean : null, b != null ? b - second.mean : null].filter((x): x is number => x !== null);
      this.seasonal[i] = parts.length > 0 ? parts.reduce((s, x) => s + x, 0) / parts.length : 0;
    }
    // the level stands at the end of day one; the trend is the day-to-day change spread over its hours
    this.trend = (second.mean - first.mean) / SEASON;
    this.level = first.mean + this.trend * ((SEASON - 1) / 2);
    this.next = SEASON;
    return true;
  }

  /** The forecast `h` hours past the last hour seen. */
  forecast(h: number): number {
    const { phi } = this.params;
    let damp = 0;
    let power = 1;
    for (let k = 1; k <= h; k += 1) {
      power *= phi;
      damp += power;
    }
    return this.level + damp * this.trend + this.seasonal[(this.next - 1 + h) % SEASON]!;
  }

  /** Takes hour `next`'s value; a missing hour moves the state along its own forecast. */
  update(value: number | null): void {
    const { alpha, beta, gamma, phi } = this.params;
    const slot = this.next % SEASON;
    const season = this.seasonal[slot]!;
    const base = this.level + phi * this.trend;
    if (value === null || !Number.isFinite(value)) {
      this.level = base;
      this.trend = phi * this.trend;
    } else {
      const level = alpha * (value - season) + (1 - alpha) * base;
      this.trend = beta * (level - this.level) + (1 - beta) * phi * this.trend;
      this.seasonal[slot] = gamma * (value - base) + (1 - gamma) * season;
      this.level = level;
    }
    this.next += 1;
  }
}

/** A model with `params` run over the whole of `values`; undefined when it cannot start. */
export function runHoltWinters(values: readonly (number | null)[], params: HoltWintersParams): HoltWinters | undefined {
  const model = new HoltWinters(params);
  if (values.length < MIN_HOLT_WINTERS_HISTORY || !model.start(values)) return undefined;
  for (let i = model.next; i < values.length; i += 1) model.update(values[i] ?? null);
  return model;
}

/**
 * The grid point with the least squared one-step error over `values` (the first two days start
 * the state, the third lets it settle before errors count). Undefined with too little history.
 */
export function chooseParams(values: readonly (number | null)[]): HoltWintersParams | undefined {
  if (values.length < MIN_HOLT_WINTERS_HISTORY + 1) return undefined;
  const scoreFrom = Math.min(values.length - 1, 3 * SEASON);
  let best: HoltWintersParams | undefined;
  let bestScore = Number.POSITIVE_INFINITY;
  for (const params of PARAM_GRID) {
    const model = new HoltWinters(params);
    if (!model.start(values)) return undefined;
    let score = 0;
    for (let i = model.next; i < values.length; i += 1) {
      const value = values[i] ?? null;
      if (i >= scoreFrom && value !== null) {
        const error = value - model.forecast(1);
        score += error * error;
      }
      model.update(value);
    }
    if (score < bestScore) {
      bestScore = score;
      best = params;
    }
  }
  return best;
}
