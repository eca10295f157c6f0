import { and, asc, desc, eq, inArray } from 'drizzle-orm';
import { ConflictError, NotFoundError, ValidationError, type FieldProblem } from '../../../src/errors';
import { monitoringServiceRef, type ReadingInterval } from '../../../src/monitoring/public';
import { sourceOutletMonitors, sourceOutlets, sourcePermitLimits, sourcePermits } from '../tables';
import { checkText, enterprisesByUscc } from './enterprises';
import { groupBy, HEAVY_METAL_UNITS } from './outlets';
import { LIMIT_BASES, type LimitBasis, type Permit, type PermitLimit, type SourceDeps } from './types';
import { FACTOR_CODE } from '../../../src/validation';

/**
 * A permit limit is set on the monitoring core for real-time values (alarms as they happen) and
 * for hourly means (what compliance is judged on).
 */
export const LIMIT_PERIODS: readonly ReadingInterval[] = ['RTD', 'HOUR'];

export interface PermitInput {
  enterpriseUscc: string;
  number: string;
  validFrom: Date;
  validTo: Date;
  issuedBy?: string | null;
}

export interface PermitLimitInput {
  permitNumber: string;
  outletCode: string;
  /** HJ 212 factor code */
  factor: string;
  upper?: number | null;
  lower?: number | null;
  /** defaults to the HJ 212 table's unit: mg/L, ug/L for heavy metals, mg/m3 for flue gas */
  unit?: string | null;
  /** flue gas limits are on the CONVERTED basis (reference O2) unless said otherwise */
  basis?: LimitBasis | null;
  standard?: string | null;
  validFrom?: Date | null;
}

export function toPermit(row: typeof sourcePermits.$inferSelect): Permit {
  return { id: row.id, enterpriseId: row.enterpriseId, number: row.number, validFrom: row.validFrom, validTo: row.validTo, issuedBy: row.issuedBy };
}

export function toPermitLimit(row: typeof sourcePermitLimits.$inferSelect): PermitLimit {
  return {
    id: row.id,
    permitId: row.permitId,
    outletId: row.outletId,
    factor: row.factor,
    upper: row.upper,
    lower: row.lower,
    unit: row.unit,
    basis: row.basis as LimitBasis,
    standard: row.standard,
    validFrom: row.validFrom,
  };
}

export function defaultUnit(factor: string): string {
  if (HEAVY_METAL_UNITS[factor]) return HEAVY_METAL_UNITS[factor];
  if (factor === 'w01001') return '';
  return factor.startsWith('w') ? 'mg/L' : 'mg/m3';
}

export async function createPermit(deps: SourceDeps, input: PermitInput): Promise<Permit> {
  const problems: FieldProblem[] = [];
  if (!/^[A-Za-z0-9-]{6,40}$/.test(input.number)) problems.push({ path: 'number', message: 'permit number must be 6-40 letters, digits or -' });
  if (Number.isNaN(input.validFrom.getTime()) || Number.isNaN(input.validTo.getTime()) || input.validTo <= input.validFrom) {
    problems.push({ path: 'validTo', message: 'must be after validFrom' });
  }
  checkText(problems, 'issuedBy', input.issuedBy, 100, false);
  if (problems.length > 0) throw new ValidationError(problems);
  const [enterprise] = await enterprisesByUscc(deps, undefined, [input.enterpriseUscc]);
  if (!enterprise) throw new NotFoundError('Enterprise', input.enterpriseUscc);
  const [row] = await deps.db.orm
    .insert(sourcePermits)
    .values({ enterpriseId: enterprise.id, number: input.number, validFrom: input.validFrom, validTo: input.validTo, issuedBy: input.issuedBy ?? null })
    .onConflictDoNothing({ target: sourcePermits.number })
    .returning();
  if (!row) throw new ConflictError(`permit ${input.number} already exists`);
  return toPermit(row);
}

/**
 * Sets the permit's limit of one factor at one outlet, and the same limit on every monitor at the
 * outlet in the monitoring core, in one transaction. Both sides keep history by `validFrom`.
 */
export async function setPermitLimit(deps: SourceDeps, input: PermitLimitInput): Promise<PermitLimit> {
  const problems: FieldProblem[] = [];
  if (!FACTOR_CODE.test(input.factor)) problems.push({ path: 'factor', message: 'factor code must be 1-32 letters or digits' });
  if (input.upper == null && input.lower == null) problems.push({ path: 'upper', message: 'give an upper bound, a lower bound, or both' });
  for (const key of ['upper', 'lower'] as const) {
    const value = input[key];
    if (value != null && !Number.isFinite(value)) problems.push({ path: key, message: 'must be a finite number' });
  }
  if (input.basis != null && !LIMIT_BASES.includes(input.basis)) problems.push({ path: 'basis', message: 'RAW or CONVERTED' });
  checkText(problems, 'unit', input.unit, 16, false);
  checkText(problems, 'standard', input.standard, 100, false);
  if (problems.length > 0) throw new ValidationError(problems);
  const [permitRow] = await deps.db.orm.select().from(sourcePermits).where(eq(sourcePermits.number, input.permitNumber));
  if (!permitRow) throw new NotFoundError('Permit', input.permitNumber);
  const [outletRow] = await deps.db.orm
    .select()
    .from(sourceOutlets)
    .where(and(eq(sourceOutlets.enterpriseId, permitRow.enterpriseId), eq(sourceOutlets.code, input.outletCode)));
  if (!outletRow) throw new NotFoundError('Outlet', input.outletCode);
  const basis: LimitBasis = input.basis ?? (outletRow.kind === 'FLUE_GAS' ? 'CONVERTED' : 'RAW');
  if (basis === 'CONVERTED' && outletRow.kind !== 'FLUE_GAS')
    throw new ValidationError([{ path: 'basis', message: 'only flue gas limits are on the converted basis' }]);
  const validFrom = input.validFrom ?? deps.now();
  const monitoring = deps.services.get(monitoringServiceRef);
  return deps.db.orm.transaction(async (tx) => {
    await tx
      .delete(sourcePermitLimits)
      .where(and(eq(sourcePermitLimits.outletId, outletRow.id), eq(sourcePermitLimits.factor, input.factor), eq(sourcePermitLimits.validFrom, validFrom)));
    const [row] = await tx
      .insert(sourcePermitLimits)
      .values({
        permitId: permitRow.id,
        outletId: outletRow.id,
        factor: input.factor,
        upper: input.upper ?? null,
        lower: input.lower ?? null,
        unit: input.unit ?? defaultUnit(input.factor),
        basis,
        standard: input.standard ?? null,
        validFrom,
      })
      .returning();
    const links = await tx
      .select({ monitorId: sourceOutletMonitors.monitorId })
      .from(sourceOutletMonitors)
      .where(eq(sourceOutletMonitors.outletId, outletRow.id));
    for (const { monitorId } of links) {
      for (const period of LIMIT_PERIODS) {
        await monitoring.setLimit(
          {
            monitorId,
            factor: input.factor,
            period,
            basis,
            upper: input.upper ?? null,
            lower: input.lower ?? null,
            standard: input.standard ?? null,
            validFrom,
          },
          tx,
        );
      }
    }
    return toPermitLimit(row as typeof sourcePermitLimits.$inferSelect);
  });
}

export async function permitsOfEnterprises(deps: SourceDeps, enterpriseIds: readonly number[]): Promise<Permit[][]> {
  if (enterpriseIds.length === 0) return [];
  const rows = await deps.db.orm
    .select()
    .from(sourcePermits)
    .where(inArray(sourcePermits.enterpriseId, [...enterpriseIds]))
    .orderBy(desc(sourcePermits.validFrom));
  return groupBy(enterpriseIds, rows.map(toPermit), (permit) => permit.enterpriseId);
}

/** Every limit row of each permit, by outlet and factor, newest first: one statement. */
export async function limitsOfPermits(deps: SourceDeps, permitIds: readonly number[]): Promise<PermitLimit[][]> {
  if (permitIds.length === 0) return [];
  const rows = await deps.db.orm
    .select()
    .from(sourcePermitLimits)
    .where(inArray(sourcePermitLimits.permitId, [...permitIds]))
    .orderBy(asc(sourcePermitLimits.outletId), asc(sourcePermitLimits.factor), desc(sourcePermitLimits.validFrom));
  return groupBy(permitIds, rows.map(toPermitLimit), (limit) => limit.permitId);
}

/** The limit of each factor in force at `at` (the earliest scheduled one when none is yet), per outlet. */
export async function currentLimitsOfOutlets(deps: SourceDeps, outletIds: readonly number[], at: Date): Promise<PermitLimit[][]> {
  if (outletIds.length === 0) return [];
  const rows = await deps.db.orm
    .select()
    .from(sourcePermitLimits)
    .where(inArray(sourcePermitLimits.outletId, [...outletIds]))
    .orderBy(asc(sourcePermitLimits.factor), desc(sourcePermitLimits.validFrom));
  const current = new Map<string, PermitLimit>();
  for (const limit of rows.map(toPermitLimit)) {
    const key = `${limit.outletId}:${limit.factor}`;
    const held = current.get(key);
    if (!held || (held.validFrom > at && limit.validFrom < held.validFrom)) current.set(key, limit);
  }
  return groupBy(outletIds, [...current.values()], (limit) => limit.outletId);
}

/** Every limit row of each outlet, all validity periods: judging past hours needs the history. */
export async function limitsOfOutlets(deps: SourceDeps, outletIds: readonly number[]): Promise<PermitLimit[][]> {
  if (outletIds.length === 0) return [];
  const rows = await deps.db.orm
    .select()
    .from(sourcePermitLimits)
    .where(inArray(sourcePermitLimits.outletId, [...outletIds]))
    .orderBy(asc(sourcePermitLimits.validFrom));
  return groupBy(outletIds, rows.map(toPermitLimit), (limit) => limit.outletId);
}
