import { eq, and, inArray, sql } from 'drizzle-orm';
import type { Executor } from '../../../src/db';
import type { Emit } from '../../../src/events/bus';
import { worseOf, type WaterClass } from './classify';
import { waterEpisodeClosed, waterEpisodeOpened, waterEpisodeUpdated, type WaterEpisodePayload, type WaterFailingItem } from '../events';
import { waterEpisodes, waterStationChecks } from '../tables';
import { hourlyQuality, hourStart } from './assess';
import { readStationHours } from './quality';
import { stationsForEvaluation } from './registry';
import type { EvaluationSummary, StationForEvaluation, WaterDeps, WaterQualityPoint } from './types';

const HOUR_MS = 3_600_000;
const STATION_PAGE = 200;
/**
 * After an outage the evaluator catches up on at most this many hours per station; older ones
 * stay unevaluated rather than flooding dashboards with stale openings and closings.
 */
export const MAX_CATCH_UP_HOURS = 24;
/** What an explicit replay (`from`) may cover in one call: the demo seed's three days and then some. */
const MAX_REPLAY_HOURS = 24 * 31;

function failingItemsOf(point: WaterQualityPoint): WaterFailingItem[] {
  return point.items
    .filter((item) => item.failsTarget && item.class !== null)
    .map((item) => ({
      factor: item.factor,
      value: item.value,
      class: item.class as WaterClass,
      limit: item.limit,
      exceedanceMultiple: item.exceedanceMultiple,
    }));
}

function sameFailures(a: readonly WaterFailingItem[], b: readonly WaterFailingItem[]): boolean {
  const key = (items: readonly WaterFailingItem[]): string =>
    items
      .map((item) => `${item.factor}:${item.class}`)
      .sort()
      .join(',');
  return key(a) === key(b);
}

/** `skipped`: the hour was applied before; `steady`: within target and nothing open. */
type Step = 'opened' | 'updated' | 'continued' | 'closed' | 'steady' | 'skipped';

/**
 * Applies one evaluated hour to a station's episodes. The cursor advances first, so an hour that
 * was applied already (or one older than the newest applied) changes nothing. A breach opens an
 * episode or extends the open one; the first hour back within the target closes it. `updated`
 * is published only when the class or the set of failing items changes, so a steady breach does
 * not repeat itself every hour.
 */
async function applyHour(tx: Executor, emit: Emit, station: StationForEvaluation, point: WaterQualityPoint, now: Date): Promise<Step> {
  const hour = point.time;
  const advanced = await tx
    .insert(waterStationChecks)
    .values({ stationId: station.id, lastHour: hour, lastClass: point.class, lastMeetsTarget: point.meetsTarget, checkedAt: now })
    .onConflictDoUpdate({
      target: waterStationChecks.stationId,
      set: { lastHour: hour, lastClass: point.class, lastMeetsTarget: point.meetsTarget, checkedAt: now },
      setWhere: sql`${waterStationChecks.lastHour} < ${hour.toISOString()}::timestamptz`,
    })
    .returning({ stationId: waterStationChecks.stationId });
  if (advanced.length === 0) return 'skipped';

  const [open] = await tx
    .select()
    .from(waterEpisodes)
    .where(and(eq(waterEpisodes.stationId, station.id), eq(waterEpisodes.status, 'OPEN')))
    .for('update');
  const cls = point.class as WaterClass;
  const failing = failingItemsOf(point);
  const payloadOf = (row: typeof waterEpisodes.$inferSelect): WaterEpisodePayload => ({
    episodeId: row.id,
    stationCode: station.code,
    stationName: station.name,
    sourceCode: station.sourceCode,
    sourceName: station.sourceName,
    cellCode: station.cellCode,
    waterbody: station.waterbody,
    class: cls,
    targetClass: station.targetClass,
    worstClass: row.worstClass as WaterClass,
    failingItems: failing,
    hour: hour.toISOString(),
    openedAt: row.openedAt.toISOString(),
    closedAt: row.closedAt?.toISOString() ?? null,
    breachHours: row.breachHours,
  });

  if (point.meetsTarget === false && !open) {
    const [row] = await tx
      .insert(waterEpisodes)
      .values({
        stationId: station.id,
        stationCode: station.code,
        sourceCode: station.sourceCode,
        cellCode: station.cellCode,
        status: 'OPEN',
        openedAt: hour,
        lastBreachAt: hour,
        breachHours: 1,
        targetClass: station.targetClass,
        currentClass: cls,
        worstClass: cls,
        failingItems: failing,
        updatedAt: now,
      })
      .returning();
    if (row) emit(waterEpisodeOpened, payloadOf(row));
    return 'opened';
  }
  if (point.meetsTarget === false && open) {
    const changed = open.currentClass !== cls || !sameFailures(open.failingItems as WaterFailingItem[], failing);
    const [row] = await tx
      .update(waterEpisodes)
      .set({
        lastBreachAt: hour,
        breachHours: open.breachHours + 1,
        currentClass: cls,
        worstClass: worseOf(open.worstClass as WaterClass, cls),
        failingItems: failing,
        updatedAt: now,
      })
      .where(eq(waterEpisodes.id, open.id))
      .returning();
    if (!changed) return 'continued';
    if (row) emit(waterEpisodeUpdated, payloadOf(row));
    return 'updated';
  }
  if (point.meetsTarget === true && open) {
    const [row] = await tx.update(waterEpisodes).set({ status: 'CLOSED', closedAt: hour, updatedAt: now }).where(eq(waterEpisodes.id, open.id)).returning();
    if (row) emit(waterEpisodeClosed, payloadOf(row));
    return 'closed';
  }
  return 'steady';
}

/**
 * Evaluates each station's complete hours up to the latest one before `now` against its target
 * class, and opens, updates or closes its water episode. Normally that is the one latest hour;
 * after an outage, the hours since the station's last evaluated one (at most MAX_CATCH_UP_HOURS);
 * with `from`, every hour from there (a replay of history, as the demo seed does). Idempotent: an
 * hour is applied once per station, and never after a later one. Hours with no valid classed
 * value are neither a breach nor a recovery. Each station's hours are read in one batched read
 * and applied in one transaction.
 */
export async function evaluateWaterEpisodes(deps: WaterDeps, now: Date, options: { from?: Date } = {}): Promise<EvaluationSummary> {
  const latest = new Date(hourStart(now).getTime() - HOUR_MS);
  const end = new Date(latest.getTime() + HOUR_MS);
  const earliest = options.from
    ? new Date(Math.max(hourStart(options.from).getTime(), end.getTime() - MAX_REPLAY_HOURS * HOUR_MS))
    : new Date(end.getTime() - MAX_CATCH_UP_HOURS * HOUR_MS);
  const summary: EvaluationSummary = { hour: latest, evaluated: 0, opened: 0, updated: 0, closed: 0 };
  let afterId: number | undefined;
  for (;;) {
    const stations = await stationsForEvaluation(deps, afterId === undefined ? {} : { afterId }, STATION_PAGE);
    const cursors = stations.length
      ? await deps.db.orm
          .select({ stationId: waterStationChecks.stationId, lastHour: waterStationChecks.lastHour })
          .from(waterStationChecks)
          .where(
            inArray(
              waterStationChecks.stationId,
              stations.map((s) => s.id),
            ),
          )
      : [];
    const cursorOf = new Map(cursors.map((c) => [c.stationId, c.lastHour.getTime()]));
    for (const station of stations) {
      const cursor = cursorOf.get(station.id);
      // A station never evaluated starts at the latest hour unless a replay was asked for.
      const first = cursor !== undefined ? Math.max(cursor + HOUR_MS, earliest.getTime()) : options.from ? earliest.getTime() : latest.getTime();
      if (first > latest.getTime()) continue;
      const { profile, readings } = await readStationHours(deps, station, new Date(first), end);
      const points = hourlyQuality(readings, profile).filter((point) => point.class !== null);
      if (points.length === 0) continue;
      const steps = await deps.bus.transaction(async (tx, emit) => {
        const applied: Step[] = [];
        for (const point of points) applied.push(await applyHour(tx, emit, station, point, now));
        return applied;
      });
      for (const step of steps) {
        if (step === 'skipped') continue;
        summary.evaluated += 1;
        if (step === 'opened') summary.opened += 1;
        if (step === 'updated') summary.updated += 1;
        if (step === 'closed') summary.closed += 1;
      }
    }
    if (stations.length < STATION_PAGE) break;
    afterId = stations.at(-1)?.id;
  }
  return summary;
}
