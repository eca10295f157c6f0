import type { Limit, ReadingInterval, Severity } from './types';

/** Where a value stands against its limit. */
export type Standing = 'IN' | 'WARNING' | 'EXCEEDANCE';

/**
 * Upper bounds warn at `warningRatio` of the limit and exceed past it; lower bounds (dissolved
 * oxygen) and ranges (pH) exceed outside, with no warning band, since a ratio of a lower bound has
 * no agreed meaning. A value equal to a limit is inside it.
 */
export function standing(value: number, limit: Pick<Limit, 'upper' | 'lower' | 'warningRatio'>): Standing {
  if (limit.upper !== null && value > limit.upper) return 'EXCEEDANCE';
  if (limit.lower !== null && value < limit.lower) return 'EXCEEDANCE';
  // only a pure upper bound has a warning band: 80 % of pH 9 says nothing about pH
  if (
    limit.lower === null &&
    limit.upper !== null &&
    limit.upper > 0 &&
    limit.warningRatio > 0 &&
    limit.warningRatio < 1 &&
    value >= limit.upper * limit.warningRatio
  ) {
    return 'WARNING';
  }
  return 'IN';
}

/** How far out a value is, relative to the bound it is nearest to breaking: larger is worse. */
export function badness(value: number, limit: Pick<Limit, 'upper' | 'lower'>): number {
  const above = limit.upper !== null && limit.upper !== 0 ? value / limit.upper : Number.NEGATIVE_INFINITY;
  const below = limit.lower !== null && value !== 0 ? limit.lower / value : limit.lower !== null ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
  return Math.max(above, below);
}

export interface EpisodeState {
  /** undefined until stored */
  id: number | undefined;
  severity: Severity;
  openedAt: Date;
  lastOutAt: Date;
  peakValue: number;
  peakAt: Date;
  limit: Limit;
  closedAt: Date | undefined;
}

export interface EvaluatedReading {
  time: Date;
  /** the value the limit applies to: raw or converted, per the limit's basis */
  value: number;
  limit: Limit;
}

export type EpisodeChange =
  | { kind: 'opened'; episode: EpisodeState; value: number }
  | { kind: 'escalated'; episode: EpisodeState; value: number }
  | { kind: 'peakUpdated'; episode: EpisodeState; value: number }
  | { kind: 'closed'; episode: EpisodeState; value: number };

export interface SeriesEvaluation {
  /** the open episode after the batch, if any (new, carried over, or undefined when closed) */
  open: EpisodeState | undefined;
  /** episodes touched by the batch, each once, in the state to store */
  touched: EpisodeState[];
  changes: EpisodeChange[];
  lastTime: Date | undefined;
}

/**
 * Runs one series' new valid readings (any order) through the episode state machine.
 *
 * The newest data decides the state: a reading newer than the series' last evaluated time can
 * open, escalate or close an episode. A late reading (not newer) only raises the peak of the open
 * episode it falls in, and never opens, reopens or closes one, so data arriving out of order
 * cannot split or resurrect episodes.
 */
export function evaluateSeries(readings: readonly EvaluatedReading[], open: EpisodeState | undefined, lastTime: Date | undefined): SeriesEvaluation {
  const sorted = [...readings].sort((a, b) => a.time.getTime() - b.time.getTime());
  const changes: EpisodeChange[] = [];
  const touched = new Set<EpisodeState>();
  let current = open;
  let last = lastTime;
  for (const reading of sorted) {
    const where = standing(reading.value, reading.limit);
    const late = last !== undefined && reading.time.getTime() <= last.getTime();
    if (late) {
      if (current && where !== 'IN' && reading.time >= current.openedAt && raisesPeak(current, reading)) {
        current.peakValue = reading.value;
        current.peakAt = reading.time;
        touched.add(current);
        changes.push({ kind: 'peakUpdated', episode: current, value: reading.value });
      }
      continue;
    }
    last = reading.time;
    if (current) {
      if (where === 'IN') {
        current.closedAt = reading.time;
        touched.add(current);
        changes.push({ kind: 'closed', episode: current, value: reading.value });
        current = undefined;
        continue;
      }
      current.lastOutAt = reading.time;
      current.limit = reading.limit;
      touched.add(current);
      if (where === 'EXCEEDANCE' && current.severity === 'WARNING') {
        current.severity = 'EXCEEDANCE';
        if (raisesPeak(current, reading)) {
          current.peakValue = reading.value;
          current.peakAt = reading.time;
        }
        changes.push({ kind: 'escalated', episode: current, value: reading.value });
      } else if (raisesPeak(current, reading)) {
        current.peakValue = reading.value;
        current.peakAt = reading.time;
        changes.push({ kind: 'peakUpdated', episode: current, value: reading.value });
      }
      continue;
    }
    if (where !== 'IN') {
      current = {
        id: undefined,
        severity: where,
        openedAt: reading.time,
        lastOutAt: reading.time,
        peakValue: reading.value,
        peakAt: reading.time,
        limit: reading.limit,
        closedAt: undefined,
      };
      touched.add(current);
      changes.push({ kind: 'opened', episode: current, value: reading.value });
    }
  }
  return { open: current, touched: [...touched], changes, lastTime: last };
}

function raisesPeak(episode: EpisodeState, reading: EvaluatedReading): boolean {
  return badness(reading.value, reading.limit) > badness(episode.peakValue, reading.limit);
}

/** Which limit applies to a reading: the monitor's own before its kind's default, valid at the time. */
export function pickLimit(
  candidates: readonly Limit[],
  monitor: { id: number; kind: string },
  factor: string,
  interval: ReadingInterval,
  time: Date,
): Limit | undefined {
  let best: Limit | undefined;
  for (const limit of candidates) {
    if (limit.factor !== factor || limit.period !== interval) continue;
    const own = limit.monitorId === monitor.id;
    const byKind = limit.monitorId === null && limit.monitorKind === monitor.kind;
    if (!own && !byKind) continue;
    if (time < limit.validFrom || (limit.validTo !== null && time >= limit.validTo)) continue;
    if (!best || (own && best.monitorId === null) || (own === (best.monitorId !== null) && limit.validFrom > best.validFrom)) {
      best = limit;
    }
  }
  return best;
}
