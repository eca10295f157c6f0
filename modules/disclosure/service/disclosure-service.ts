import { createViewer, type Viewer } from '../../../src/auth/viewer';
import { ValidationError } from '../../../src/errors';
import { monitoringServiceRef } from '../../../src/monitoring/public';
import type { ServiceRegistry } from '../../../src/services';
import { airServiceRef, type AirQuality, type AirStation } from '../../air/public';
import { sourceServiceRef, type Enterprise } from '../../source/public';
import { waterServiceRef, type WaterClass } from '../../water/public';
import type {
  PublicAirStation,
  PublicAqi,
  PublicDecision,
  PublicEnterprise,
  PublicGranularity,
  PublicOutlet,
  PublicOutletFactor,
  PublicStationAir,
  PublicWaterStation,
} from './types';

export interface DisclosureDeps {
  services: ServiceRegistry;
  now: () => Date;
}

/** Pages of public lists are smaller than staff pages: anyone may ask, without an account. */
export const MAX_PUBLIC_PAGE = 50;
export const MAX_WATER_STATIONS = 50;
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
export const COMPLIANCE_DAYS = 30;
/** More factors than any outlet reports: a hard bound on the hourly read. */
const MAX_FACTORS_PER_MONITOR = 64;

/**
 * Disclosure reads the other modules as an upstream platform does (everything, read-only); only
 * the public types built below ever leave this service.
 */
const DISCLOSURE_READER: Viewer = createViewer({ subject: 'system:disclosure', roles: ['upstream'], name: 'disclosure' });

const KEY_LEVELS = new Set<string>(['STATE', 'PROVINCE', 'CITY']);
const USCC_SHAPE = /^[0-9A-HJ-NPQRTUWXY]{18}$/;

const WATER_STATUS: Readonly<Record<WaterClass, { zh: string; en: string }>> = {
  I: { zh: '优', en: 'excellent' },
  II: { zh: '优', en: 'excellent' },
  III: { zh: '良好', en: 'good' },
  IV: { zh: '轻度污染', en: 'slightly polluted' },
  V: { zh: '中度污染', en: 'moderately polluted' },
  WORSE_THAN_V: { zh: '重度污染', en: 'heavily polluted' },
};

/** The qualitative word the public reads for a class (地表水环境质量评价办法). */
export function waterStatus(cls: WaterClass): { zh: string; en: string } {
  return WATER_STATUS[cls];
}

export interface DisclosureService {
  airQualityNow(): Promise<PublicStationAir[]>;
  airQualityHistory(query: { stationCode: string; from: Date; to: Date; granularity: PublicGranularity }): Promise<PublicAqi[]>;
  waterQualityNow(granularity: PublicGranularity): Promise<PublicWaterStation[]>;
  /** key enterprises (state-, province-, city-controlled) by id, `limit` at most MAX_PUBLIC_PAGE + 1 */
  enterprises(page: { limit: number; afterId: number | undefined }): Promise<PublicEnterprise[]>;
  countEnterprises(): Promise<number>;
  /** undefined unless the enterprise exists and is a key enterprise */
  enterpriseByUscc(uscc: string): Promise<PublicEnterprise | undefined>;
  outletsOf(enterpriseIds: readonly number[]): Promise<PublicOutlet[][]>;
  /** each outlet's factors: the last 24 hourly values and the last 30 days' compliance */
  factorsOf(outletIds: readonly number[]): Promise<PublicOutletFactor[][]>;
  decisions(page: { limit: number; beforeId: number | undefined }): Promise<PublicDecision[]>;
  countDecisions(): Promise<number>;
}

const toStation = (s: AirStation): PublicAirStation => ({ code: s.code, name: s.name, level: s.level, longitude: s.longitude, latitude: s.latitude });

const toAqi = (q: AirQuality): PublicAqi => ({
  granularity: q.granularity,
  time: q.time,
  day: q.day,
  aqi: q.aqi,
  level: q.level,
  categoryZh: q.category?.zh ?? null,
  categoryEn: q.category?.en ?? null,
  color: q.color,
  primaryPollutants: [...q.primaryPollutants],
  edition: q.edition,
});

const toEnterprise = (e: Enterprise): PublicEnterprise => ({ id: e.id, uscc: e.uscc, name: e.name, industry: e.industry, controlLevel: e.controlLevel });

function checkLimit(limit: number): number {
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PUBLIC_PAGE + 1)
    throw new ValidationError([{ path: 'first', message: `must be between 1 and ${MAX_PUBLIC_PAGE}` }]);
  return limit;
}

async function waterQualityNow(deps: DisclosureDeps, granularity: PublicGranularity): Promise<PublicWaterStation[]> {
  const water = deps.services.get(waterServiceRef);
  const sources = await water.listWaterSources(DISCLOSURE_READER, { limit: MAX_WATER_STATIONS, afterId: undefined });
  const stations = (
    await water.stationsBySourceIds(
      DISCLOSURE_READER,
      sources.map((s) => s.id),
    )
  )
    .flat()
    .slice(0, MAX_WATER_STATIONS);
  const sourceOf = new Map(sources.map((s) => [s.id, s]));
  const to = deps.now();
  // Two days back, so that yesterday's complete day is there while today's is still filling.
  const from = new Date(to.getTime() - (granularity === 'DAY' ? 2 * DAY_MS : DAY_MS));
  // The water service judges one station per call; the stations are few and bounded above.
  const series = await Promise.all(stations.map((s) => water.waterQuality(DISCLOSURE_READER, { stationCode: s.code, from, to, granularity })));
  return stations.map((station, index) => {
    const source = sourceOf.get(station.sourceId);
    const newest = [...(series[index] ?? [])].reverse().find((p) => p.class !== null);
    const status = newest?.class ? waterStatus(newest.class) : null;
    return {
      code: station.code,
      name: station.name,
      sourceCode: source?.code ?? '',
      sourceName: source?.name ?? '',
      granularity,
      time: newest?.time ?? null,
      waterClass: newest?.class ?? null,
      targetClass: newest?.targetClass ?? source?.targetClass ?? 'III',
      meetsTarget: newest?.meetsTarget ?? null,
      statusZh: status?.zh ?? null,
      statusEn: status?.en ?? null,
    };
  });
}

/** Hourly means of the last 24 hours per outlet and factor: one read for every outlet asked. */
async function lastDayOf(deps: DisclosureDeps, outletIds: readonly number[]): Promise<Map<string, Map<number, { sum: number; n: number; seen: boolean }>>> {
  const links = await deps.services.get(sourceServiceRef).files.outletMonitors(outletIds);
  const outletsOfMonitor = new Map<number, number[]>();
  links.forEach((list, index) => {
    for (const link of list) outletsOfMonitor.set(link.monitorId, [...(outletsOfMonitor.get(link.monitorId) ?? []), outletIds[index] as number]);
  });
  const hours = new Map<string, Map<number, { sum: number; n: number; seen: boolean }>>();
  if (outletsOfMonitor.size === 0) return hours;
  const end = Math.floor(deps.now().getTime() / HOUR_MS) * HOUR_MS + HOUR_MS;
  const monitorIds = [...outletsOfMonitor.keys()];
  const rows = await deps.services.get(monitoringServiceRef).readingsOfMonitors({
    monitorIds,
    interval: 'HOUR',
    from: new Date(end - 24 * HOUR_MS),
    to: new Date(end),
    limit: 24 * MAX_FACTORS_PER_MONITOR * monitorIds.length,
  });
  for (const row of rows) {
    const hour = Math.floor(row.time.getTime() / HOUR_MS) * HOUR_MS;
    for (const outletId of outletsOfMonitor.get(row.monitorId) ?? []) {
      const key = `${outletId}:${row.factor}`;
      const byHour = hours.get(key) ?? new Map();
      hours.set(key, byHour);
      const entry = byHour.get(hour) ?? { sum: 0, n: 0, seen: true };
      if (row.valid && row.value !== null) {
        entry.sum += row.value;
        entry.n += 1;
      }
      byHour.set(hour, entry);
    }
  }
  return hours;
}

async function factorsOf(deps: DisclosureDeps, outletIds: readonly number[]): Promise<PublicOutletFactor[][]> {
  if (outletIds.length === 0) return [];
  const to = new Date(Math.floor(deps.now().getTime() / HOUR_MS) * HOUR_MS);
  const from = new Date(to.getTime() - COMPLIANCE_DAYS * DAY_MS);
  const [hourly, compliance] = await Promise.all([
    lastDayOf(deps, outletIds),
    deps.services.get(sourceServiceRef).compliance.ofOutlets(outletIds, { from, to }),
  ]);
  return outletIds.map((outletId, index) => {
    const judged = new Map((compliance[index] ?? []).map((c) => [c.factor, c]));
    const factors = new Set([...judged.keys()]);
    for (const key of hourly.keys()) if (key.startsWith(`${outletId}:`)) factors.add(key.slice(String(outletId).length + 1));
    return [...factors].sort().map((factor) => {
      const c = judged.get(factor);
      const byHour = hourly.get(`${outletId}:${factor}`) ?? new Map<number, { sum: number; n: number }>();
      return {
        factor,
        hourly: [...byHour.entries()].sort(([a], [b]) => a - b).map(([hour, { sum, n }]) => ({ hour: new Date(hour), value: n > 0 ? sum / n : null })),
        compliance: c
          ? { from, to, expectedHours: c.expectedHours, validHours: c.validHours, exceedanceHours: c.exceedanceHours, complianceRate: c.complianceRate }
          : null,
      };
    });
  });
}

export function createDisclosureService(deps: DisclosureDeps): DisclosureService {
  const air = () => deps.services.get(airServiceRef);
  const source = () => deps.services.get(sourceServiceRef);
  return {
    airQualityNow: async () =>
      (await air().latestAirQuality(DISCLOSURE_READER)).map((s) => ({ station: toStation(s.station), quality: s.quality ? toAqi(s.quality) : null })),
    airQualityHistory: async (query) => (await air().airQuality(DISCLOSURE_READER, query)).map(toAqi),
    waterQualityNow: (granularity) => waterQualityNow(deps, granularity),
    enterprises: async (page) => (await source().keyEnterprises({ limit: checkLimit(page.limit), afterId: page.afterId })).map(toEnterprise),
    enterpriseByUscc: async (uscc) => {
      if (!USCC_SHAPE.test(uscc)) throw new ValidationError([{ path: 'uscc', message: 'not a unified social credit code' }]);
      const found = await source().enterpriseByUscc(uscc);
      return found && KEY_LEVELS.has(found.controlLevel) ? toEnterprise(found) : undefined;
    },
    outletsOf: async (ids) => (await source().files.outlets(ids)).map((list) => list.map((o) => ({ id: o.id, code: o.code, name: o.name, kind: o.kind }))),
    factorsOf: (ids) => factorsOf(deps, ids),
    countEnterprises: () => source().countKeyEnterprises(),
    countDecisions: () => source().countPublishedDecisions(),
    decisions: async (page) =>
      (await source().publishedDecisions({ limit: checkLimit(page.limit), beforeId: page.beforeId })).map((d) => ({
        caseId: d.caseId,
        caseNumber: d.caseNumber,
        enterpriseUscc: d.enterpriseUscc,
        enterpriseName: d.enterpriseName,
        decision: d.decision,
        penaltyYuan: d.penaltyYuan,
        decidedAt: d.decidedAt,
        publishedAt: d.publishedAt,
      })),
  };
}
