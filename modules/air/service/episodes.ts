/**
 * Air episodes: a station's hourly AQI passing 100, 200 and 300.
 *
 * Why a timed worker and not a bus consumer: an hourly AQI needs all six pollutants of the hour
 * (and, under HJ 633-2012, the moving means behind them), which arrive as separate readings with
 * no "hour complete" event. So a worker evaluates every few minutes each station's newest hour
 * with data among the last few complete ones, reading all stations at once. Each station's
 * newest episode remembers the last hour it evaluated, so running twice for an hour changes
 * nothing; a transaction-scoped advisory lock keeps two hub instances from evaluating at once.
 */
import { and, desc, eq, gte, inArray, lt, sql, type SQL } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { Viewer } from '../../../src/auth/viewer';
import type { Executor } from '../../../src/db';
import type { Emit } from '../../../src/events/bus';
import { ValidationError } from '../../../src/errors';
import { aqiLevel, type AqiEdition, type AqiResult, type Pollutant } from './aqi';
import type { AirDeps } from './deps';
import { airEpisodeClosed, airEpisodeEscalated, airEpisodeOpened, type AirEpisodeEventPayload, type EpisodeThreshold } from '../events';
import { floorHour, HOUR_MS, hasHour, hourlyAqiAt, readStationSeries, type StationSeries } from './series';
import { canReadAir, districtStations, type AirStation } from './stations';
import { airEpisodes } from '../tables';
import type { Scheduler } from '../../../src/scheduler';

export type AirEpisodeStatus = 'OPEN' | 'CLOSED';

export interface AirEpisode {
  id: number;
  stationCode: string;
  cellCode: string | null;
  status: AirEpisodeStatus;
  threshold: EpisodeThreshold;
  openedHour: Date;
  lastHour: Date;
  closedHour: Date | null;
  lastAqi: number;
  peakAqi: number;
  peakHour: Date;
  peakPrimaryPollutants: Pollutant[];
  edition: AqiEdition;
}

export interface EpisodeEvaluation {
  /** stations whose newest hour gave an AQI */
  evaluated: number;
  opened: number;
  escalated: number;
  closed: number;
}

export interface AirEpisodeFilter {
  stationCode?: string | undefined;
  status?: AirEpisodeStatus | undefined;
  /** opened at or after */
  from?: Date | undefined;
  /** opened before */
  to?: Date | undefined;
}

/** Complete hours looked back for a station's newest data: hourly packets arrive after their hour. */
export const EPISODE_LOOKBACK_HOURS = 3;
export const EPISODE_CHECK_MS = 5 * 60_000;
/** Most hours one replay evaluates. */
export const MAX_REPLAY_HOURS = 31 * 24;
const EPISODE_LOCK_KEY = 633_2026;

function thresholdOf(aqi: number): EpisodeThreshold | 0 {
  if (aqi > 300) return 300;
  if (aqi > 200) return 200;
  if (aqi > 100) return 100;
  return 0;
}

function toEpisode(row: typeof airEpisodes.$inferSelect): AirEpisode {
  return {
    id: row.id,
    stationCode: row.stationCode,
    cellCode: row.cellCode,
    status: row.status as AirEpisodeStatus,
    threshold: row.threshold as EpisodeThreshold,
    openedHour: row.openedHour,
    lastHour: row.lastHour,
    closedHour: row.closedHour,
    lastAqi: row.lastAqi,
    peakAqi: row.peakAqi,
    peakHour: row.peakHour,
    peakPrimaryPollutants: row.peakPrimaryPollutants as Pollutant[],
    edition: row.edition as AqiEdition,
  };
}

interface Candidate {
  station: AirStation;
  hour: Date;
  result: AqiResult & { aqi: number };
}

function candidateAt(station: AirStation, series: StationSeries, hourMs: number): Candidate | undefined {
  const result = hourlyAqiAt(series, hourMs);
  // an AQI not available (pollutants missing, not above 100) says nothing either way
  return result.aqi === null ? undefined : { station, hour: new Date(hourMs), result: { ...result, aqi: result.aqi } };
}

/**
 * What to evaluate, oldest hour first: each station's newest hour with data among the last
 * complete ones or, when replaying, every hour from `replayFromMs` on.
 */
function candidatesOf(stations: readonly AirStation[], all: Map<number, StationSeries>, newestMs: number, replayFromMs: number | undefined): Candidate[] {
  const candidates: Candidate[] = [];
  for (const station of stations) {
    const series = all.get(station.monitorId);
    if (!series) continue;
    if (replayFromMs !== undefined) {
      for (let h = replayFromMs; h <= newestMs; h += HOUR_MS) {
        const candidate = hasHour(series, h) ? candidateAt(station, series, h) : undefined;
        if (candidate) candidates.push(candidate);
      }
      continue;
    }
    for (let h = newestMs; h > newestMs - EPISODE_LOOKBACK_HOURS * HOUR_MS; h -= HOUR_MS) {
      if (!hasHour(series, h)) continue;
      const candidate = candidateAt(station, series, h);
      if (candidate) candidates.push(candidate);
      break;
    }
  }
  return candidates.sort((a, b) => a.hour.getTime() - b.hour.getTime());
}

/**
 * Evaluates the newest complete hours at `now` and opens, escalates or closes episodes; events go
 * out after the transaction commits. With `since`, every complete hour from then on is evaluated
 * in order (at most MAX_REPLAY_HOURS): how a seeded or restored history gets its episodes.
 */
export async function evaluateAirEpisodes(deps: AirDeps, now: Date, options: { since?: Date | undefined } = {}): Promise<EpisodeEvaluation> {
  const outcome: EpisodeEvaluation = { evaluated: 0, opened: 0, escalated: 0, closed: 0 };
  const newest = floorHour(now.getTime()) - HOUR_MS;
  const replayFrom = options.since ? Math.max(Math.ceil(options.since.getTime() / HOUR_MS) * HOUR_MS, newest - (MAX_REPLAY_HOURS - 1) * HOUR_MS) : undefined;
  const oldest = replayFrom ?? newest - (EPISODE_LOOKBACK_HOURS - 1) * HOUR_MS;
  if (oldest > newest) return outcome;
  const stations = await districtStations(deps);
  if (stations.length === 0) return outcome;
  const all = await readStationSeries(
    deps,
    stations.map((s) => s.monitorId),
    new Date(oldest - 23 * HOUR_MS),
    new Date(newest + HOUR_MS),
  );
  const candidates = candidatesOf(stations, all, newest, replayFrom);
  outcome.evaluated = candidates.length;
  if (candidates.length === 0) return outcome;
  return deps.bus.transaction(async (tx, emit) => {
    await tx.execute(sql`SELECT pg_advisory_xact_lock(${EPISODE_LOCK_KEY})`);
    const newestEpisodes = await tx
      .selectDistinctOn([airEpisodes.stationCode])
      .from(airEpisodes)
      .where(inArray(airEpisodes.stationCode, [...new Set(candidates.map((c) => c.station.code))]))
      .orderBy(airEpisodes.stationCode, desc(airEpisodes.id));
    const byStation = new Map(newestEpisodes.map((row) => [row.stationCode, toEpisode(row)]));
    for (const candidate of candidates) {
      const applied = await applyHour(tx, emit, byStation.get(candidate.station.code), candidate, now);
      if (applied.episode) byStation.set(candidate.station.code, applied.episode);
      if (applied.change) outcome[applied.change] += 1;
    }
    return outcome;
  });
}

function payloadOf(episodeId: number, candidate: Candidate, threshold: EpisodeThreshold): AirEpisodeEventPayload {
  return {
    episodeId,
    stationCode: candidate.station.code,
    stationName: candidate.station.name,
    cellCode: candidate.station.cellCode,
    aqi: candidate.result.aqi,
    level: aqiLevel(candidate.result.aqi).level,
    primaryPollutants: candidate.result.primaryPollutants,
    hour: candidate.hour.toISOString(),
    threshold,
    edition: candidate.result.edition,
  };
}

async function applyHour(
  tx: Executor,
  emit: Emit,
  latest: AirEpisode | undefined,
  candidate: Candidate,
  now: Date,
): Promise<{ change?: 'opened' | 'escalated' | 'closed'; episode?: AirEpisode }> {
  const { hour, result } = candidate;
  if (latest && latest.lastHour >= hour) return {};
  const tier = thresholdOf(result.aqi);
  const open = latest?.status === 'OPEN' ? latest : undefined;
  if (!open) {
    if (tier === 0) return {};
    const [row] = await tx
      .insert(airEpisodes)
      .values({
        stationCode: candidate.station.code,
        cellCode: candidate.station.cellCode,
        status: 'OPEN',
        threshold: tier,
        openedHour: hour,
        lastHour: hour,
        lastAqi: result.aqi,
        peakAqi: result.aqi,
        peakHour: hour,
        peakPrimaryPollutants: result.primaryPollutants,
        edition: result.edition,
      })
      .onConflictDoNothing()
      .returning();
    if (!row) return {};
    emit(airEpisodeOpened, payloadOf(row.id, candidate, tier));
    return { change: 'opened', episode: toEpisode(row) };
  }
  const peak = result.aqi > open.peakAqi;
  const escalates = tier > open.threshold;
  const closes = tier === 0;
  const [row] = await tx
    .update(airEpisodes)
    .set({
      lastHour: hour,
      lastAqi: result.aqi,
      ...(peak ? { peakAqi: result.aqi, peakHour: hour, peakPrimaryPollutants: result.primaryPollutants, edition: result.edition } : {}),
      ...(escalates ? { threshold: tier } : {}),
      ...(closes ? { status: 'CLOSED', closedHour: hour } : {}),
      updatedAt: now,
    })
    .where(eq(airEpisodes.id, open.id))
    .returning();
  const episode = row ? toEpisode(row) : undefined;
  if (closes) {
    emit(airEpisodeClosed, payloadOf(open.id, candidate, open.threshold));
    return { change: 'closed', episode };
  }
  if (escalates) {
    emit(airEpisodeEscalated, payloadOf(open.id, candidate, tier as EpisodeThreshold));
    return { change: 'escalated', episode };
  }
  return { episode };
}

/** What `listEpisodes` filters on, without its page: undefined when the viewer sees nothing. */
async function listEpisodesConditions(deps: AirDeps, viewer: Viewer, filter: AirEpisodeFilter): Promise<(SQL | undefined)[] | undefined> {
  if (filter.stationCode !== undefined && filter.stationCode.length > 32) {
    throw new ValidationError([{ path: 'filter.station', message: 'at most 32 characters' }]);
  }
  if (!canReadAir(viewer)) return undefined;
  const conditions: (SQL | undefined)[] = [];
  if (filter.stationCode) conditions.push(eq(airEpisodes.stationCode, filter.stationCode));
  if (filter.status) conditions.push(eq(airEpisodes.status, filter.status));
  if (filter.from) conditions.push(gte(airEpisodes.openedHour, filter.from));
  if (filter.to) conditions.push(lt(airEpisodes.openedHour, filter.to));
  return conditions;
}

/** Newest first; `beforeId` pages back through history. */
export async function listEpisodes(
  deps: AirDeps,
  viewer: Viewer,
  filter: AirEpisodeFilter,
  page: { limit: number; beforeId: number | undefined },
): Promise<AirEpisode[]> {
  const conditions = await listEpisodesConditions(deps, viewer, filter);
  if (!conditions) return [];
  if (page.beforeId !== undefined) conditions.push(lt(airEpisodes.id, page.beforeId));
  const rows = await deps.db.orm
    .select()
    .from(airEpisodes)
    .where(and(...conditions))
    .orderBy(desc(airEpisodes.id))
    .limit(page.limit);
  return rows.map(toEpisode);
}

/** How many rows `listEpisodes` would page through, every page together (one statement). */
export async function countEpisodes(deps: AirDeps, viewer: Viewer, filter: AirEpisodeFilter): Promise<number> {
  const conditions = await listEpisodesConditions(deps, viewer, filter);
  return conditions ? deps.db.orm.$count(airEpisodes, and(...conditions)) : 0;
}

export async function episodesByIds(deps: AirDeps, viewer: Viewer, ids: readonly number[]): Promise<(AirEpisode | undefined)[]> {
  // ids come from clients' global ids: anything but a whole number names no episode
  const wanted = [...new Set(ids.filter((id) => Number.isSafeInteger(id)))];
  if (wanted.length === 0 || !canReadAir(viewer)) return ids.map(() => undefined);
  const rows = await deps.db.orm.select().from(airEpisodes).where(inArray(airEpisodes.id, wanted));
  const byId = new Map(rows.map((row) => [row.id, toEpisode(row)]));
  return ids.map((id) => byId.get(id));
}

/** The module's worker: evaluates periodically, once per period across hub instances. */
export function startEpisodeWatch(scheduler: Scheduler, evaluate: (now: Date) => Promise<EpisodeEvaluation>, now: () => Date, logger: Logger): void {
  scheduler.every({
    name: 'air.episodes',
    everyMs: EPISODE_CHECK_MS,
    run: async () => {
      const outcome = await evaluate(now());
      if (outcome.opened + outcome.escalated + outcome.closed > 0) logger.info(outcome, 'air episodes evaluated');
    },
  });
}
