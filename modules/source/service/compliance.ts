import { and, eq } from 'drizzle-orm';
import type { Viewer } from '../../../src/auth/viewer';
import { NotFoundError, ValidationError } from '../../../src/errors';
import { monitoringServiceRef, type Exceedance, type MonitoringService } from '../../../src/monitoring/public';
import { sourceOutlets } from '../tables';
import { enterprisesByUscc, listEnterprises } from './enterprises';
import { monitorsOfOutlets, outletsOfEnterprises } from './outlets';
import { limitsOfOutlets } from './permits';
import { CONTROL_LEVELS, type ControlLevel, type Enterprise, type LimitBasis, type SourceDeps } from './types';
import { FACTOR_CODE } from '../../../src/validation';

const HOUR_MS = 3_600_000;
export const MAX_COMPLIANCE_DAYS = 92;
export const MAX_SUMMARY_DAYS = 31;

/** One hour of a series: its mean of valid values, or null when the hour had none. */
export interface HourlyMean {
  hour: Date;
  mean: number | null;
}

export interface HourLimit {
  upper: number | null;
  lower: number | null;
}

export interface ComplianceFigures {
  expectedHours: number;
  validHours: number;
  /** valid hourly values / expected hours */
  validDataRate: number | null;
  exceedanceHours: number;
  compliantHours: number;
  /** 达标率: compliant valid hours / valid hours */
  complianceRate: number | null;
  worstValue: number | null;
  worstAt: Date | null;
}

const round4 = (value: number): number => Math.round(value * 10_000) / 10_000;

/** How far out a value is against its limit; larger is worse, above 1 is out. */
function badness(value: number, limit: HourLimit | undefined): number {
  if (!limit) return value;
  const above = limit.upper !== null && limit.upper > 0 ? value / limit.upper : Number.NEGATIVE_INFINITY;
  const below = limit.lower !== null && value > 0 ? limit.lower / value : Number.NEGATIVE_INFINITY;
  return Math.max(above, below);
}

/**
 * The compliance figures of one series from its hourly means. An hour is judged against the limit
 * valid at that hour; a valid hour with no limit in force counts as compliant (there was nothing
 * to break). The worst value is the hourly mean furthest out against its limit.
 */
export function complianceFigures(hours: readonly HourlyMean[], expectedHours: number, limitAt: (hour: Date) => HourLimit | undefined): ComplianceFigures {
  let validHours = 0;
  let exceedanceHours = 0;
  let worst: { value: number; at: Date; badness: number } | undefined;
  for (const { hour, mean } of hours) {
    if (mean === null || !Number.isFinite(mean)) continue;
    validHours += 1;
    const limit = limitAt(hour);
    if (limit && ((limit.upper !== null && mean > limit.upper) || (limit.lower !== null && mean < limit.lower))) exceedanceHours += 1;
    const how = badness(mean, limit);
    if (!worst || how > worst.badness) worst = { value: mean, at: hour, badness: how };
  }
  const compliantHours = validHours - exceedanceHours;
  return {
    expectedHours,
    validHours,
    validDataRate: expectedHours > 0 ? round4(Math.min(validHours / expectedHours, 1)) : null,
    exceedanceHours,
    compliantHours,
    complianceRate: validHours > 0 ? round4(compliantHours / validHours) : null,
    worstValue: worst?.value ?? null,
    worstAt: worst?.at ?? null,
  };
}

export function expectedHoursIn(from: Date, to: Date): number {
  return Math.max(0, Math.floor((to.getTime() - from.getTime()) / HOUR_MS));
}

function checkPeriod(from: Date, to: Date, maxDays: number): void {
  if (Number.isNaN(from.getTime()) || Number.isNaN(to.getTime()) || to <= from) throw new ValidationError([{ path: 'to', message: 'must be after from' }]);
  if (to.getTime() - from.getTime() > maxDays * 24 * HOUR_MS) throw new ValidationError([{ path: 'to', message: `a period of at most ${maxDays} days` }]);
}

/** Limits with their validity, in the order a lookup wants (newest first). */
type TimedLimit = HourLimit & { validFrom: Date; validTo: Date | null; basis: LimitBasis };

function limitLookup(limits: readonly TimedLimit[]): (hour: Date) => HourLimit | undefined {
  const sorted = [...limits].sort((a, b) => b.validFrom.getTime() - a.validFrom.getTime());
  return (hour) => sorted.find((l) => l.validFrom <= hour && (l.validTo === null || hour < l.validTo));
}

/** Episodes of hourly means opened in the period, paging through the monitoring core (bounded). */
async function hourlyEpisodes(
  monitoring: MonitoringService,
  viewer: Viewer,
  filter: { monitorId?: number; ownerModule?: string; from: Date; to: Date },
): Promise<Exceedance[]> {
  const found: Exceedance[] = [];
  let beforeId: number | undefined;
  for (let pageNo = 0; pageNo < 20; pageNo += 1) {
    const page = await monitoring.listExceedances(viewer, { ...filter, severity: 'EXCEEDANCE' }, { limit: 100, beforeId });
    found.push(...page.filter((e) => e.interval === 'HOUR' && e.openedAt < filter.to));
    if (page.length < 100) break;
    beforeId = page.at(-1)?.id;
  }
  return found;
}

export interface ComplianceQuery {
  enterpriseUscc: string;
  outletCode: string;
  factor: string;
  from: Date;
  to: Date;
}

export interface ComplianceReport extends ComplianceFigures {
  enterpriseUscc: string;
  outletCode: string;
  factor: string;
  monitorId: number | null;
  from: Date;
  to: Date;
  basis: LimitBasis | null;
  episodes: number;
  source: 'continuous-aggregate' | 'on-the-fly' | 'raw';
}

/**
 * One outlet's factor over a period. Hourly means come from the monitoring core's hourly buckets
 * (TimescaleDB's continuous aggregate where it exists); a limit on the converted basis (flue gas at
 * reference O2) is judged on the converted hourly values instead, which the aggregates do not hold.
 */
export async function outletCompliance(deps: SourceDeps, viewer: Viewer, query: ComplianceQuery): Promise<ComplianceReport> {
  checkPeriod(query.from, query.to, MAX_COMPLIANCE_DAYS);
  if (!FACTOR_CODE.test(query.factor)) throw new ValidationError([{ path: 'factor', message: 'not a factor code' }]);
  const [enterprise] = await enterprisesByUscc(deps, viewer, [query.enterpriseUscc]);
  if (!enterprise) throw new NotFoundError('Enterprise', query.enterpriseUscc);
  const [outlet] = await deps.db.orm
    .select()
    .from(sourceOutlets)
    .where(and(eq(sourceOutlets.enterpriseId, enterprise.id), eq(sourceOutlets.code, query.outletCode)));
  if (!outlet) throw new NotFoundError('Outlet', query.outletCode);
  const monitoring = deps.services.get(monitoringServiceRef);
  const [links = []] = await monitorsOfOutlets(deps, [outlet.id]);
  const latest = await monitoring.latest(links.map((l) => l.monitorId));
  const reporting = latest.find((s) => s.factor === query.factor && s.interval === 'HOUR')?.monitorId ?? links[0]?.monitorId ?? null;
  const expected = expectedHoursIn(query.from, query.to);
  const base = { enterpriseUscc: enterprise.uscc, outletCode: outlet.code, factor: query.factor, monitorId: reporting, from: query.from, to: query.to };
  if (reporting === null) return { ...base, ...complianceFigures([], expected, () => undefined), basis: null, episodes: 0, source: 'raw' };
  const candidates = (await monitoring.limitsOf({ id: reporting, kind: links.find((l) => l.monitorId === reporting)?.kind ?? '' })).filter(
    (l) => l.factor === query.factor && l.period === 'HOUR',
  );
  // A monitor's own limits replace its kind's defaults, as in the core's evaluation.
  const own = candidates.filter((l) => l.monitorId !== null);
  const limits: TimedLimit[] = (own.length > 0 ? own : candidates).map((l) => ({
    upper: l.upper,
    lower: l.lower,
    validFrom: l.validFrom,
    validTo: l.validTo,
    basis: l.basis,
  }));
  const basis = limits[0]?.basis ?? null;
  const series = { monitorId: reporting, factor: query.factor, interval: 'HOUR' as const, from: query.from, to: query.to, limit: expected + 1 };
  let hours: HourlyMean[];
  let source: ComplianceReport['source'];
  if (basis === 'CONVERTED') {
    const points = await monitoring.readings(series);
    hours = hourlyMeansOf(points.map((p) => ({ time: p.time, value: p.converted, valid: isValid(p.flag) })));
    source = 'raw';
  } else {
    const buckets = await monitoring.buckets({ ...series, bucket: 'HOUR' });
    hours = buckets.points.map((b) => ({ hour: b.time, mean: b.validCount > 0 ? b.avg : null }));
    source = buckets.source;
  }
  const episodes = await hourlyEpisodes(monitoring, viewer, { monitorId: reporting, from: query.from, to: query.to });
  return {
    ...base,
    ...complianceFigures(hours, expected, limitLookup(limits)),
    basis,
    episodes: episodes.filter((e) => e.factor === query.factor).length,
    source,
  };
}

const INVALID_FLAGS = new Set(['F', 'M', 'D', 'C', 'B', 'P', 'S']);
const isValid = (flag: string | null): boolean => flag === null || flag === '' || !INVALID_FLAGS.has(flag.toUpperCase());

/** Groups values into hours (UTC hour starts are Beijing hour starts too) and averages the valid ones. */
export function hourlyMeansOf(points: readonly { time: Date; value: number | null; valid: boolean }[]): HourlyMean[] {
  const sums = new Map<number, { sum: number; n: number }>();
  for (const point of points) {
    const hour = Math.floor(point.time.getTime() / HOUR_MS) * HOUR_MS;
    const entry = sums.get(hour) ?? { sum: 0, n: 0 };
    if (point.valid && point.value !== null) {
      entry.sum += point.value;
      entry.n += 1;
    }
    sums.set(hour, entry);
  }
  return [...sums.entries()].sort(([a], [b]) => a - b).map(([hour, { sum, n }]) => ({ hour: new Date(hour), mean: n > 0 ? sum / n : null }));
}

export interface LevelSummary extends Omit<ComplianceFigures, 'worstValue' | 'worstAt'> {
  controlLevel: ControlLevel;
  enterprises: number;
  /** outlet factors with a permit limit that were judged */
  seriesJudged: number;
  episodes: number;
}

const MAX_SUMMARY_ENTERPRISES = 2000;
const MAX_ROWS_PER_READ = 50_000;

/**
 * The district's compliance by control level over a period: every permit-limited factor of every
 * outlet of the enterprises the viewer sees, judged hour by hour against the permit's limits.
 * Hourly values are read for many monitors at once, so the statement count stays small.
 */
export async function complianceSummary(deps: SourceDeps, viewer: Viewer, period: { from: Date; to: Date }): Promise<LevelSummary[]> {
  checkPeriod(period.from, period.to, MAX_SUMMARY_DAYS);
  const enterprises: Enterprise[] = [];
  let afterId: number | undefined;
  while (enterprises.length < MAX_SUMMARY_ENTERPRISES) {
    const page = await listEnterprises(deps, viewer, {}, { limit: 500, afterId });
    enterprises.push(...page);
    if (page.length < 500) break;
    afterId = page.at(-1)?.id;
  }
  const outlets = (
    await outletsOfEnterprises(
      deps,
      enterprises.map((e) => e.id),
    )
  ).flat();
  const links = await monitorsOfOutlets(
    deps,
    outlets.map((o) => o.id),
  );
  const limits = await limitsOfOutlets(
    deps,
    outlets.map((o) => o.id),
  );
  const expected = expectedHoursIn(period.from, period.to);
  const monitoring = deps.services.get(monitoringServiceRef);
  const values = await hourlyValuesOf(
    monitoring,
    links.flat().map((l) => l.monitorId),
    [...new Set(limits.flat().map((l) => l.factor))],
    period,
  );
  const levelOf = new Map(enterprises.map((e) => [e.id, e.controlLevel]));
  const byLevel = new Map<ControlLevel, { figures: ComplianceFigures[]; enterprises: Set<number>; episodes: number }>();
  for (const level of CONTROL_LEVELS) byLevel.set(level, { figures: [], enterprises: new Set(), episodes: 0 });
  for (const enterprise of enterprises) byLevel.get(enterprise.controlLevel)?.enterprises.add(enterprise.id);
  outlets.forEach((outlet, index) => {
    const level = levelOf.get(outlet.enterpriseId);
    const bucket = level ? byLevel.get(level) : undefined;
    if (!bucket) return;
    for (const [factor, history] of groupLimits(limits[index] ?? [])) {
      const basis = history[0]?.basis ?? 'RAW';
      const points = (links[index] ?? []).flatMap((l) => values.get(`${l.monitorId}:${factor}${basis === 'CONVERTED' ? ':converted' : ''}`) ?? []);
      bucket.figures.push(complianceFigures(hourlyMeansOf(points), expected, limitLookup(history)));
    }
  });
  const episodes = await hourlyEpisodes(monitoring, viewer, { ownerModule: 'source', from: period.from, to: period.to });
  const levelOfUscc = new Map(enterprises.map((e) => [e.uscc, e.controlLevel]));
  for (const episode of episodes) {
    const level = episode.enterpriseUscc ? levelOfUscc.get(episode.enterpriseUscc) : undefined;
    if (level) (byLevel.get(level) as { episodes: number }).episodes += 1;
  }
  return CONTROL_LEVELS.map((controlLevel) => {
    const bucket = byLevel.get(controlLevel) as { figures: ComplianceFigures[]; enterprises: Set<number>; episodes: number };
    return {
      controlLevel,
      enterprises: bucket.enterprises.size,
      seriesJudged: bucket.figures.length,
      episodes: bucket.episodes,
      ...combine(bucket.figures, expected),
    };
  });
}

type HourlyPoints = Map<string, { time: Date; value: number | null; valid: boolean }[]>;

/**
 * Hourly values of many monitors keyed `monitor:factor` (and `monitor:factor:converted`), read in
 * as few statements as the row bound allows.
 */
async function hourlyValuesOf(
  monitoring: MonitoringService,
  monitorIds: readonly number[],
  factors: readonly string[],
  period: { from: Date; to: Date },
): Promise<HourlyPoints> {
  const expected = expectedHoursIn(period.from, period.to);
  const perRead = Math.max(1, Math.floor(MAX_ROWS_PER_READ / Math.max(1, (expected + 1) * Math.max(1, factors.length))));
  const values: HourlyPoints = new Map();
  for (let start = 0; start < monitorIds.length && factors.length > 0; start += perRead) {
    const rows = await monitoring.readingsOfMonitors({
      monitorIds: monitorIds.slice(start, start + perRead),
      interval: 'HOUR',
      from: period.from,
      to: period.to,
      factors,
      limit: MAX_ROWS_PER_READ,
    });
    for (const row of rows) {
      const key = `${row.monitorId}:${row.factor}`;
      const list = values.get(key) ?? [];
      list.push({ time: row.time, value: row.value, valid: row.valid });
      values.set(key, list);
      if (row.converted !== null) {
        const convertedKey = `${key}:converted`;
        const converted = values.get(convertedKey) ?? [];
        converted.push({ time: row.time, value: row.converted, valid: row.valid });
        values.set(convertedKey, converted);
      }
    }
  }
  return values;
}

/** One permit-limited factor of an outlet over a period. */
export interface FactorCompliance extends ComplianceFigures {
  factor: string;
  basis: LimitBasis;
}

export const MAX_COMPLIANCE_OUTLETS = 500;

/**
 * Every permit-limited factor of each outlet over a period, judged hour by hour as the summary
 * does; in the order of `outletIds`. The statement count does not grow with the outlets.
 */
export async function complianceOfOutlets(deps: SourceDeps, outletIds: readonly number[], period: { from: Date; to: Date }): Promise<FactorCompliance[][]> {
  checkPeriod(period.from, period.to, MAX_COMPLIANCE_DAYS);
  if (outletIds.length > MAX_COMPLIANCE_OUTLETS) throw new ValidationError([{ path: 'outletIds', message: `at most ${MAX_COMPLIANCE_OUTLETS} outlets` }]);
  if (outletIds.length === 0) return [];
  const links = await monitorsOfOutlets(deps, outletIds);
  const limits = await limitsOfOutlets(deps, outletIds);
  const values = await hourlyValuesOf(
    deps.services.get(monitoringServiceRef),
    [...new Set(links.flat().map((l) => l.monitorId))],
    [...new Set(limits.flat().map((l) => l.factor))],
    period,
  );
  const expected = expectedHoursIn(period.from, period.to);
  return outletIds.map((_id, index) =>
    [...groupLimits(limits[index] ?? [])].map(([factor, history]) => {
      const basis = history[0]?.basis ?? 'RAW';
      const points = (links[index] ?? []).flatMap((l) => values.get(`${l.monitorId}:${factor}${basis === 'CONVERTED' ? ':converted' : ''}`) ?? []);
      return { factor, basis, ...complianceFigures(hourlyMeansOf(points), expected, limitLookup(history)) };
    }),
  );
}

function groupLimits(
  limits: readonly { factor: string; upper: number | null; lower: number | null; validFrom: Date; basis: LimitBasis }[],
): Map<string, TimedLimit[]> {
  const byFactor = new Map<string, TimedLimit[]>();
  const sorted = [...limits].sort((a, b) => a.validFrom.getTime() - b.validFrom.getTime());
  for (const limit of sorted) {
    const list = byFactor.get(limit.factor) ?? [];
    const previous = list.at(-1);
    if (previous) previous.validTo = limit.validFrom;
    list.push({ upper: limit.upper, lower: limit.lower, validFrom: limit.validFrom, validTo: null, basis: limit.basis });
    byFactor.set(limit.factor, list);
  }
  return byFactor;
}

function combine(figures: readonly ComplianceFigures[], expectedEach: number): Omit<ComplianceFigures, 'worstValue' | 'worstAt'> {
  const validHours = figures.reduce((n, f) => n + f.validHours, 0);
  const exceedanceHours = figures.reduce((n, f) => n + f.exceedanceHours, 0);
  const expectedHours = expectedEach * figures.length;
  return {
    expectedHours,
    validHours,
    validDataRate: expectedHours > 0 ? round4(validHours / expectedHours) : null,
    exceedanceHours,
    compliantHours: validHours - exceedanceHours,
    complianceRate: validHours > 0 ? round4((validHours - exceedanceHours) / validHours) : null,
  };
}
