import { ValidationError } from '../../errors';
import type { Emit } from '../../events/bus';
import type { MonitoringDeps } from '../deps';
import { evaluateSeries, pickLimit, type EpisodeChange, type EpisodeState, type EvaluatedReading } from '../evaluate';
import { exceedanceClosed, exceedanceEscalated, exceedanceOpened, exceedancePeakUpdated, type ExceedanceEventPayload } from '../events';
import { isValidFlag, type Limit, type Monitor, type ReadingInterval, type Severity } from '../types';
import type { Executor } from '../../db';
import {
  insertReadings,
  isUniqueViolation,
  lockAndReadSeries,
  markMonitorsOnline,
  resolveMonitors,
  writeEpisodes,
  writeSeriesState,
  type EpisodeRow,
  type SeriesReads,
  type Touched,
} from './store';
import { addressProblems, seriesKey, validate, type IngestBinding, type IngestResult, type ReadingInput, type Row } from './validate';

export { bindingOf, NOT_BOUND, type IngestBinding, type IngestResult, type ItemOutcome, type ReadingInput } from './validate';

/**
 * Validates, de-duplicates, writes the batch in one statement, evaluates the new valid values
 * against the limits valid at their time, and publishes exceedance events after the commit.
 */
export async function ingestReadings(deps: MonitoringDeps, items: readonly ReadingInput[], binding: IngestBinding = undefined): Promise<IngestResult> {
  if (items.length > deps.settings.ingestBatchMax) {
    throw new ValidationError([{ path: 'readings', message: `a batch holds at most ${deps.settings.ingestBatchMax} readings` }]);
  }
  const result: IngestResult = { accepted: 0, duplicates: 0, rejected: 0, items: new Array(items.length), opened: 0 };
  if (items.length === 0) return result;
  const now = deps.now();
  // a device's items for monitors not its own are refused here, item by item, before any lookup
  const problems = addressProblems(items, binding);
  const monitorsOf = await resolveMonitors(
    deps.db.orm,
    items,
    problems.map((problem) => problem === undefined),
  );
  const rows = validate(items, problems, monitorsOf, now, result);
  if (rows.length === 0) return result;

  let counts: BatchCounts;
  try {
    counts = await writeBatch(deps, rows, now, result, false);
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    counts = await writeBatch(deps, rows, now, result, true);
  }
  result.accepted += counts.accepted;
  result.duplicates += counts.duplicates;
  result.opened = counts.opened;
  return result;
}

type BatchCounts = { accepted: number; duplicates: number; opened: number };

/** One transaction for the batch; the outcome of each row goes into `result.items`. */
async function writeBatch(deps: MonitoringDeps, rows: readonly Row[], now: Date, result: IngestResult, careful: boolean): Promise<BatchCounts> {
  return deps.bus.transaction(async (tx, emit) => {
    const bySeries = groupBySeries(rows);
    const read = await lockAndReadSeries(tx, rows, bySeries);
    for (const row of rows) row.stored = false;
    const { written, late } = insertReadings(tx, rows, read.lastTimes, careful);
    // With no late rows every row is stored if the insert succeeds, so the evaluation goes ahead
    // while the server inserts and its writes queue behind the insert on the connection.
    if (late) await written;
    const fresh: Row[] = [];
    let accepted = 0;
    let duplicates = 0;
    for (const row of rows) {
      if (row.stored) {
        result.items[row.index] = { index: row.index, outcome: 'ACCEPTED' };
        accepted += 1;
        fresh.push(row);
      } else {
        result.items[row.index] = { index: row.index, outcome: 'DUPLICATE' };
        duplicates += 1;
      }
    }
    if (fresh.length === 0) {
      await written;
      return { accepted, duplicates, opened: 0 };
    }
    const evaluated = Promise.all([evaluateAndRecord(tx, emit, storedBySeries(bySeries), now, read), markMonitorsOnline(tx, emit, fresh, now)]);
    // a refused insert aborts the transaction and the writes behind it: its own error is the one to tell
    const [insert, evaluation] = await Promise.allSettled([written, evaluated]);
    if (insert.status === 'rejected') throw insert.reason;
    if (evaluation.status === 'rejected') throw evaluation.reason;
    const [opened] = evaluation.value;
    return { accepted, duplicates, opened };
  });
}

function groupBySeries(rows: readonly Row[]): Map<string, Row[]> {
  const bySeries = new Map<string, Row[]>();
  for (const row of rows) {
    const list = bySeries.get(row.series);
    if (list) list.push(row);
    else bySeries.set(row.series, [row]);
  }
  return bySeries;
}

/** The batch's series with only the rows this batch stored (the others were there already). */
function storedBySeries(bySeries: ReadonlyMap<string, Row[]>): Map<string, Row[]> {
  const stored = new Map<string, Row[]>();
  for (const [key, list] of bySeries) {
    const rows = list.every((row) => row.stored) ? list : list.filter((row) => row.stored);
    if (rows.length > 0) stored.set(key, rows);
  }
  return stored;
}

/** Evaluates each series' newly stored rows against its limits, writes episodes and newest values, emits the changes. */
async function evaluateAndRecord(tx: Executor, emit: Emit, bySeries: ReadonlyMap<string, Row[]>, now: Date, read: SeriesReads): Promise<number> {
  const { lastTimes, candidateLimits, openRows } = read;
  const limitById = new Map(candidateLimits.map((limit) => [limit.id, limit]));
  const openBySeries = new Map(openRows.map((e) => [seriesKey(e.monitor_id, e.factor, e.interval), e]));
  // a batch's monitors may bring hundreds of limits: each series picks among its own few
  const limitsByFactor = new Map<string, Limit[]>();
  for (const limit of candidateLimits) {
    const key = `${limit.factor}\u0000${limit.period}`;
    const list = limitsByFactor.get(key);
    if (list) list.push(limit);
    else limitsByFactor.set(key, [limit]);
  }

  const seriesUpdates: { row: Row; lastTime: Date }[] = [];
  const changes: { monitor: Monitor; factor: string; interval: ReadingInterval; change: EpisodeChange }[] = [];
  const touched: Touched[] = [];
  for (const [key, list] of bySeries) {
    const first = list[0] as Row;
    const newest = list.reduce((a, b) => (b.time > a.time ? b : a));
    const previous = lastTimes.get(key);
    if (!previous || newest.time > previous) seriesUpdates.push({ row: newest, lastTime: newest.time });
    const evaluated: EvaluatedReading[] = [];
    const seriesLimits = (limitsByFactor.get(`${first.factor}\u0000${first.interval}`) ?? []).filter(
      (limit) => limit.monitorId === first.monitor.id || (limit.monitorId === null && limit.monitorKind === first.monitor.kind),
    );
    for (const row of list) {
      if (seriesLimits.length === 0) break;
      if (!isValidFlag(row.flag)) continue;
      const limit = pickLimit(seriesLimits, row.monitor, row.factor, row.interval, row.time);
      if (!limit) continue;
      const value = limit.basis === 'CONVERTED' ? row.converted : row.value;
      if (value === null) continue;
      evaluated.push({ time: row.time, value, limit });
    }
    const openRow = openBySeries.get(key);
    if (evaluated.length === 0) continue;
    const open = openRow ? toEpisodeState(openRow, limitById, evaluated[0] as EvaluatedReading) : undefined;
    const outcome = evaluateSeries(evaluated, open, previous);
    for (const change of outcome.changes) changes.push({ monitor: first.monitor, factor: first.factor, interval: first.interval, change });
    for (const episode of outcome.touched) touched.push({ monitor: first.monitor, factor: first.factor, interval: first.interval, episode });
  }

  // the series' newest values and the episodes are independent writes: sent together
  const [opened] = await Promise.all([writeEpisodes(tx, touched), writeSeriesState(tx, seriesUpdates)]);
  for (const { monitor, factor, interval, change } of coalesce(changes)) {
    const topic = { opened: exceedanceOpened, escalated: exceedanceEscalated, peakUpdated: exceedancePeakUpdated, closed: exceedanceClosed }[change.kind];
    emit(topic, episodePayload(monitor, factor, interval, change.episode, change.value, change.kind === 'closed' ? (change.episode.closedAt as Date) : now));
  }
  return opened;
}

/**
 * One batch can raise a peak many times: dashboards need the episode's state, not every step, so
 * a batch emits at most one peak update per episode (its last), and none for an episode it opened
 * (the opened event already carries the peak so far).
 */
function coalesce<T extends { change: EpisodeChange }>(changes: readonly T[]): T[] {
  const openedHere = new Set(changes.filter((c) => c.change.kind === 'opened').map((c) => c.change.episode));
  const lastPeak = new Map<EpisodeState, T>();
  for (const item of changes) if (item.change.kind === 'peakUpdated') lastPeak.set(item.change.episode, item);
  return changes.filter((item) => item.change.kind !== 'peakUpdated' || (!openedHere.has(item.change.episode) && lastPeak.get(item.change.episode) === item));
}

function toEpisodeState(row: EpisodeRow, limitById: Map<number, Limit>, fallback: EvaluatedReading): EpisodeState {
  return {
    id: row.id,
    severity: row.severity as Severity,
    openedAt: new Date(row.opened_at),
    lastOutAt: new Date(row.last_out_at),
    peakValue: row.peak_value,
    peakAt: new Date(row.peak_at),
    limit: (row.limit_id !== null ? limitById.get(row.limit_id) : undefined) ?? fallback.limit,
    closedAt: undefined,
  };
}

function episodePayload(monitor: Monitor, factor: string, interval: ReadingInterval, episode: EpisodeState, value: number, at: Date): ExceedanceEventPayload {
  return {
    exceedanceId: episode.id as number,
    monitorId: monitor.id,
    mn: monitor.mn,
    monitorName: monitor.name,
    monitorKind: monitor.kind,
    ownerModule: monitor.ownerModule,
    ownerId: monitor.ownerId,
    enterpriseUscc: monitor.enterpriseUscc,
    cellCode: monitor.cellCode,
    factor,
    interval,
    severity: episode.severity,
    value,
    peakValue: episode.peakValue,
    limitUpper: episode.limit.upper,
    limitLower: episode.limit.lower,
    at: at.toISOString(),
  };
}
