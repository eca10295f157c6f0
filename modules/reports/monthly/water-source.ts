import type { Viewer } from '../../../src/auth/viewer';
import { monitoringServiceRef, type Exceedance, type Monitor } from '../../../src/monitoring/public';
import type { ServiceRegistry } from '../../../src/services';
import { gridServiceRef, type GridTask } from '../../grid/public';
import { sourceServiceRef, type Enterprise } from '../../source/public';
import { waterServiceRef, type WaterClass } from '../../water/public';
import { waterStationsFor } from '../exports/water';
import type { MonthSpan } from './period';
import { MAX_LISTED, type SourcePart, type WaterPart } from './types';

const CLASS_ORDER: readonly WaterClass[] = ['I', 'II', 'III', 'IV', 'V', 'WORSE_THAN_V'];
const EXCEEDANCE_PAGE = 500;
/** Episodes one report reads: far above a district's month, and a bound all the same. */
const MAX_EXCEEDANCES = 20_000;

/** Each drinking-water station's class per day of the month against its target. */
export async function waterPart(services: ServiceRegistry, viewer: Viewer, span: MonthSpan, signal: AbortSignal): Promise<WaterPart> {
  const water = services.get(waterServiceRef);
  const stations = await waterStationsFor(water, { viewer, services, signal, limits: { maxRows: Number.MAX_SAFE_INTEGER, maxRangeDays: 31 } }, undefined);
  const result: WaterPart = { stations: [] };
  for (const { source, station } of stations) {
    const points = await water.waterQuality(viewer, { stationCode: station.code, from: span.from, to: span.to, granularity: 'DAY' });
    const byTime = new Map(points.map((p) => [p.time.getTime(), p]));
    const dayStarts = span.days.map((_d, i) => span.from.getTime() + i * 86_400_000);
    const classes = dayStarts.map((t) => byTime.get(t)?.class ?? null);
    const judged = dayStarts.map((t) => byTime.get(t)).filter((p) => p?.meetsTarget != null);
    const meeting = judged.filter((p) => p?.meetsTarget === true).length;
    const worst = classes.reduce<WaterClass | null>((w, c) => (c !== null && (w === null || CLASS_ORDER.indexOf(c) > CLASS_ORDER.indexOf(w)) ? c : w), null);
    result.stations.push({
      sourceCode: source.code,
      sourceName: source.name,
      stationCode: station.code,
      stationName: station.name,
      targetClass: source.targetClass,
      classes,
      daysJudged: judged.length,
      daysMeetingTarget: meeting,
      meetingRate: judged.length > 0 ? Math.round((meeting / judged.length) * 10_000) / 10_000 : null,
      worstClass: worst,
    });
  }
  return result;
}

/** Exceedances of the month at enterprises' outlets, newest first. */
async function monthExceedances(services: ServiceRegistry, viewer: Viewer, span: MonthSpan): Promise<Exceedance[]> {
  const monitoring = services.get(monitoringServiceRef);
  const found: Exceedance[] = [];
  let beforeId: number | undefined;
  while (found.length < MAX_EXCEEDANCES) {
    const page = await monitoring.listExceedances(
      viewer,
      { ownerModule: 'source', severity: 'EXCEEDANCE', from: span.from, to: new Date(span.to.getTime() - 1) },
      { limit: EXCEEDANCE_PAGE, beforeId },
    );
    found.push(...page);
    if (page.length < EXCEEDANCE_PAGE) break;
    beforeId = page.at(-1)?.id;
  }
  return found;
}

/** The inspection tasks the grid dispatched for the month's episodes, by episode. */
async function inspectionTasks(
  services: ServiceRegistry,
  viewer: Viewer,
  span: MonthSpan,
  modules: readonly string[],
  now: Date,
): Promise<Map<number, GridTask>> {
  const tasks = new Map<number, GridTask>();
  if (!modules.includes('grid')) return tasks;
  const grid = services.get(gridServiceRef);
  let beforeId: number | undefined;
  // dispatched when its episode opened or later (an event delivered late): up to now
  const filter = { type: ['EXCEEDANCE_INSPECTION' as const], dispatchedFrom: span.from, dispatchedTo: now };
  for (let read = 0; read < MAX_EXCEEDANCES; read += EXCEEDANCE_PAGE) {
    const page = await grid.tasks.list(viewer, filter, { limit: EXCEEDANCE_PAGE, beforeId });
    for (const task of page) if (task.exceedanceId !== null && !tasks.has(task.exceedanceId)) tasks.set(task.exceedanceId, task);
    if (page.length < EXCEEDANCE_PAGE) break;
    beforeId = page.at(-1)?.id;
  }
  return tasks;
}

/** Compliance by control level over the month, and the month's exceedances and how each was handled. */
export async function sourcePart(services: ServiceRegistry, viewer: Viewer, span: MonthSpan, modules: readonly string[], now: Date): Promise<SourcePart> {
  const source = services.get(sourceServiceRef);
  const summary = await source.compliance.summary(viewer, { from: span.from, to: span.to });
  const episodes = await monthExceedances(services, viewer, span);
  const tasks = await inspectionTasks(services, viewer, span, modules, now);
  const listed = episodes.slice(0, MAX_LISTED);
  const enterprises = await source.enterprises.byUscc(viewer, [...new Set(listed.flatMap((e) => (e.enterpriseUscc ? [e.enterpriseUscc] : [])))]);
  const names = new Map(enterprises.filter((e): e is Enterprise => e !== undefined).map((e) => [e.uscc, e.name]));
  const monitors = await services.get(monitoringServiceRef).monitorsByIds(viewer, [...new Set(listed.map((e) => e.monitorId))]);
  const monitorNames = new Map(monitors.filter((m): m is Monitor => m !== undefined).map((m) => [m.id, m.name]));
  return {
    byLevel: summary.map((s) => ({
      controlLevel: s.controlLevel,
      enterprises: s.enterprises,
      seriesJudged: s.seriesJudged,
      expectedHours: s.expectedHours,
      validHours: s.validHours,
      validDataRate: s.validDataRate,
      exceedanceHours: s.exceedanceHours,
      compliantHours: s.compliantHours,
      complianceRate: s.complianceRate,
      episodes: s.episodes,
    })),
    exceedances: {
      total: episodes.length,
      closed: episodes.filter((e) => e.status === 'CLOSED').length,
      acknowledged: episodes.filter((e) => e.acknowledgedAt !== null).length,
      withTask: episodes.filter((e) => tasks.has(e.id)).length,
      taskVerified: episodes.filter((e) => tasks.get(e.id)?.status === 'VERIFIED').length,
      listed: listed.map((e) => ({
        id: e.id,
        enterpriseUscc: e.enterpriseUscc,
        enterpriseName: e.enterpriseUscc ? (names.get(e.enterpriseUscc) ?? null) : null,
        monitorName: monitorNames.get(e.monitorId) ?? null,
        factor: e.factor,
        openedAt: e.openedAt,
        closedAt: e.closedAt,
        peakValue: e.peakValue,
        limitUpper: e.limitUpper,
        acknowledgedAt: e.acknowledgedAt,
        taskStatus: tasks.get(e.id)?.status ?? null,
      })),
    },
  };
}
