import { and, eq, inArray, isNull, or, sql } from 'drizzle-orm';
import { NotFoundError, ValidationError, type FieldProblem } from '../errors';
import type { Executor } from '../db';
import { limits, monitors } from './tables';
import { LIMIT_BASES, MONITOR_KINDS, READING_INTERVALS, type Limit, type LimitBasis, type MonitorKind, type ReadingInterval } from './types';
import type { MonitoringDeps } from './deps';
import { FACTOR_CODE } from '../validation';

export interface LimitInput {
  /** a monitor's own limit; or `monitorKind` for the default of every monitor of a kind */
  monitorId?: number | null;
  monitorKind?: MonitorKind | null;
  factor: string;
  period: ReadingInterval;
  basis?: LimitBasis;
  upper?: number | null;
  lower?: number | null;
  warningRatio?: number;
  standard?: string | null;
  validFrom: Date;
}

export function toLimit(row: typeof limits.$inferSelect): Limit {
  return {
    id: row.id,
    monitorId: row.monitorId,
    monitorKind: row.monitorKind,
    factor: row.factor,
    period: row.period as ReadingInterval,
    basis: row.basis as LimitBasis,
    upper: row.upper,
    lower: row.lower,
    warningRatio: row.warningRatio,
    standard: row.standard,
    validFrom: row.validFrom,
    validTo: row.validTo,
  };
}

function check(input: LimitInput): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if ((input.monitorId == null) === (input.monitorKind == null)) {
    problems.push({ path: 'monitorId', message: 'give exactly one of monitorId or monitorKind' });
  }
  if (input.monitorKind != null && !MONITOR_KINDS.includes(input.monitorKind)) problems.push({ path: 'monitorKind', message: 'unknown monitor kind' });
  if (!FACTOR_CODE.test(input.factor)) problems.push({ path: 'factor', message: 'factor code must be 1-32 letters or digits' });
  if (!READING_INTERVALS.includes(input.period)) problems.push({ path: 'period', message: 'unknown period' });
  if (input.basis !== undefined && !LIMIT_BASES.includes(input.basis)) problems.push({ path: 'basis', message: 'unknown basis' });
  if (input.upper == null && input.lower == null) problems.push({ path: 'upper', message: 'give an upper bound, a lower bound, or both' });
  for (const key of ['upper', 'lower'] as const) {
    const value = input[key];
    if (value != null && !Number.isFinite(value)) problems.push({ path: key, message: 'must be a finite number' });
  }
  if (input.upper != null && input.lower != null && input.lower > input.upper)
    problems.push({ path: 'lower', message: 'lower bound is above the upper bound' });
  if (input.warningRatio !== undefined && !(input.warningRatio > 0 && input.warningRatio <= 1)) {
    problems.push({ path: 'warningRatio', message: 'must be in (0, 1]' });
  }
  if (Number.isNaN(input.validFrom.getTime())) problems.push({ path: 'validFrom', message: 'invalid time' });
  return problems;
}

/**
 * Sets a limit from `validFrom` on. The limit in force at that time (same target, factor and
 * period) is closed there rather than changed, so readings keep being judged by the limit valid
 * at their own time; a later limit already scheduled bounds the new one.
 */
export async function setLimit(deps: MonitoringDeps, input: LimitInput, executor?: Executor): Promise<Limit> {
  const problems = check(input);
  if (problems.length > 0) throw new ValidationError(problems);
  const run = async (tx: Executor): Promise<Limit> => {
    if (input.monitorId != null) {
      const found = await tx.select({ id: monitors.id }).from(monitors).where(eq(monitors.id, input.monitorId));
      if (found.length === 0) throw new NotFoundError('Monitor', String(input.monitorId));
    }
    const target =
      input.monitorId != null ? eq(limits.monitorId, input.monitorId) : and(isNull(limits.monitorId), eq(limits.monitorKind, input.monitorKind as string));
    const same = and(target, eq(limits.factor, input.factor), eq(limits.period, input.period));
    await tx
      .update(limits)
      .set({ validTo: input.validFrom })
      .where(
        and(
          same,
          sql`${limits.validFrom} < ${input.validFrom.toISOString()}`,
          or(isNull(limits.validTo), sql`${limits.validTo} > ${input.validFrom.toISOString()}`),
        ),
      );
    const [next] = await tx
      .select({ validFrom: limits.validFrom })
      .from(limits)
      .where(and(same, sql`${limits.validFrom} > ${input.validFrom.toISOString()}`))
      .orderBy(limits.validFrom)
      .limit(1);
    await tx.delete(limits).where(and(same, eq(limits.validFrom, input.validFrom)));
    const [row] = await tx
      .insert(limits)
      .values({
        monitorId: input.monitorId ?? null,
        monitorKind: input.monitorId != null ? null : (input.monitorKind ?? null),
        factor: input.factor,
        period: input.period,
        basis: input.basis ?? 'RAW',
        upper: input.upper ?? null,
        lower: input.lower ?? null,
        warningRatio: input.warningRatio ?? 0.8,
        standard: input.standard ?? null,
        validFrom: input.validFrom,
        validTo: next?.validFrom ?? null,
      })
      .returning();
    return toLimit(row as typeof limits.$inferSelect);
  };
  return executor ? run(executor) : deps.db.orm.transaction((tx) => run(tx));
}

/** Every limit that could apply to these monitors (own and kind defaults), all validity periods. */
export async function limitsFor(executor: Executor, monitorIds: readonly number[], kinds: readonly string[]): Promise<Limit[]> {
  if (monitorIds.length === 0) return [];
  const rows = await executor
    .select()
    .from(limits)
    .where(or(inArray(limits.monitorId, [...monitorIds]), and(isNull(limits.monitorId), inArray(limits.monitorKind, [...kinds]))));
  return rows.map(toLimit);
}

/** The limits a monitor has (its own, then its kind's defaults), newest first. */
export async function monitorLimits(deps: MonitoringDeps, monitor: { id: number; kind: string }): Promise<Limit[]> {
  const all = await limitsFor(deps.db.orm, [monitor.id], [monitor.kind]);
  return all.sort((a, b) => Number(b.monitorId !== null) - Number(a.monitorId !== null) || b.validFrom.getTime() - a.validFrom.getTime());
}
