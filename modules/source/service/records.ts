import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { json, rowsOf } from '../../../src/db';
import { NotFoundError, ValidationError, type FieldProblem } from '../../../src/errors';
import { monitoringServiceRef, type Monitor } from '../../../src/monitoring/public';
import { sourceDocuments, sourceFacilities, sourceHazardousWaste, sourceOutlets, sourceRiskSources } from '../tables';
import { checkEnterpriseUscc, checkText, enterprisesByUscc } from './enterprises';
import { groupBy } from './outlets';
import { RISK_LEVELS, type EnterpriseDocument, type Facility, type HazardousWasteRecord, type RiskLevel, type RiskSource, type SourceDeps } from './types';

/** Histories that grow (waste, documents, inspections, cases) show their newest rows in the file. */
export const FILE_HISTORY_CAP = 50;

/**
 * The newest `cap` rows of each enterprise from one of this module's tables, in one statement,
 * with column names in camelCase and the named columns as Dates (raw statements return text).
 */
export async function newestPerEnterprise(
  deps: SourceDeps,
  table: 'source_hazardous_waste' | 'source_documents' | 'source_inspections' | 'source_cases',
  order: string,
  enterpriseIds: readonly number[],
  dateKeys: readonly string[],
  cap = FILE_HISTORY_CAP,
): Promise<Record<string, unknown>[]> {
  if (enterpriseIds.length === 0) return [];
  const rows = await rowsOf<Record<string, unknown>>(
    deps.db.orm,
    sql`SELECT * FROM (
          SELECT t.*, row_number() OVER (PARTITION BY t.enterprise_id ORDER BY ${sql.raw(order)}) AS row_rank
            FROM ${sql.raw(table)} t
           WHERE t.enterprise_id IN (SELECT (jsonb_array_elements_text(${json(enterpriseIds)}))::int)) ranked
         WHERE row_rank <= ${cap}
         ORDER BY enterprise_id, row_rank`,
  );
  return rows.map((row) => {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(row)) {
      const name = key.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
      out[name] = dateKeys.includes(name) && value !== null && value !== undefined ? new Date(value as string) : value;
    }
    return out;
  });
}

export interface FacilityInput {
  enterpriseUscc: string;
  outletCode?: string | null;
  name: string;
  process?: string | null;
  /** MN of the enterprise's monitor whose HJ 212 2021 reports carry the facility's run status */
  monitorMn?: string | null;
  /** the facility's id in those reports, e.g. SB1 */
  deviceCode?: string | null;
}

export async function createFacility(deps: SourceDeps, input: FacilityInput): Promise<Facility> {
  const problems: FieldProblem[] = [];
  checkEnterpriseUscc(problems, 'enterpriseUscc', input.enterpriseUscc);
  checkText(problems, 'name', input.name, 200, true);
  checkText(problems, 'process', input.process, 200, false);
  if (input.deviceCode != null && !/^SB[0-9]{1,3}$/.test(input.deviceCode)) problems.push({ path: 'deviceCode', message: 'a 2021 facility id looks like SB1' });
  if (problems.length > 0) throw new ValidationError(problems);
  const [enterprise] = await enterprisesByUscc(deps, undefined, [input.enterpriseUscc]);
  if (!enterprise) throw new NotFoundError('Enterprise', input.enterpriseUscc);
  let outletId: number | null = null;
  if (input.outletCode != null) {
    const [outlet] = await deps.db.orm
      .select({ id: sourceOutlets.id })
      .from(sourceOutlets)
      .where(and(eq(sourceOutlets.enterpriseId, enterprise.id), eq(sourceOutlets.code, input.outletCode)));
    if (!outlet) throw new NotFoundError('Outlet', input.outletCode);
    outletId = outlet.id;
  }
  let monitorId: number | null = null;
  if (input.monitorMn != null) {
    const monitor = await deps.services.get(monitoringServiceRef).monitorByMn(input.monitorMn);
    if (!monitor) throw new NotFoundError('Monitor', input.monitorMn);
    if (monitor.enterpriseUscc !== enterprise.uscc)
      throw new ValidationError([{ path: 'monitorMn', message: `monitor ${input.monitorMn} is not one of this enterprise's` }]);
    monitorId = monitor.id;
  }
  const [row] = await deps.db.orm
    .insert(sourceFacilities)
    .values({ enterpriseId: enterprise.id, outletId, name: input.name.trim(), process: input.process ?? null, monitorId, deviceCode: input.deviceCode ?? null })
    .returning();
  return row as Facility;
}

export async function facilitiesOfEnterprises(deps: SourceDeps, enterpriseIds: readonly number[]): Promise<Facility[][]> {
  if (enterpriseIds.length === 0) return [];
  const rows = await deps.db.orm
    .select()
    .from(sourceFacilities)
    .where(inArray(sourceFacilities.enterpriseId, [...enterpriseIds]))
    .orderBy(asc(sourceFacilities.id));
  return groupBy(enterpriseIds, rows, (row) => row.enterpriseId);
}

export type FacilityRunStatus = 'OFF' | 'RUNNING' | 'CALIBRATING' | 'MAINTENANCE' | 'ALARM' | 'BLOWBACK' | 'UNKNOWN';
const RUN_STATUS_CODES: readonly FacilityRunStatus[] = ['OFF', 'RUNNING', 'CALIBRATING', 'MAINTENANCE', 'ALARM', 'BLOWBACK'];

export interface FacilityState {
  status: FacilityRunStatus;
  runHours: number | null;
  reportedAt: Date | null;
}

/**
 * A facility's run status from the last HJ 212 2021 report its monitor sent (`SB<n>-RS`): the
 * monitoring core keeps that report on the monitor as it came; anything unreadable is UNKNOWN.
 */
export function facilityState(facility: Pick<Facility, 'deviceCode'>, monitor: Pick<Monitor, 'facilityStatus'> | undefined): FacilityState {
  const unknown: FacilityState = { status: 'UNKNOWN', runHours: null, reportedAt: null };
  const report = monitor?.facilityStatus;
  if (!facility.deviceCode || typeof report !== 'object' || report === null) return unknown;
  const { time, facilities } = report as { time?: unknown; facilities?: unknown };
  if (!Array.isArray(facilities)) return unknown;
  const entry = facilities.find(
    (f): f is { id: string; runStatus?: unknown; runHours?: unknown } =>
      typeof f === 'object' && f !== null && (f as { id?: unknown }).id === facility.deviceCode,
  );
  if (!entry) return unknown;
  const code = typeof entry.runStatus === 'number' ? entry.runStatus : -1;
  return {
    status: RUN_STATUS_CODES[code] ?? 'UNKNOWN',
    runHours: typeof entry.runHours === 'number' ? entry.runHours : null,
    reportedAt: typeof time === 'string' ? new Date(time) : null,
  };
}

export interface HazardousWasteInput {
  enterpriseUscc: string;
  wasteCode: string;
  name: string;
  quantityTonnes: number;
  disposer?: string | null;
  recordedAt: Date;
}

export async function recordHazardousWaste(deps: SourceDeps, input: HazardousWasteInput): Promise<HazardousWasteRecord> {
  const problems: FieldProblem[] = [];
  checkEnterpriseUscc(problems, 'enterpriseUscc', input.enterpriseUscc);
  if (!/^HW[0-9]{2}( [0-9]{3}-[0-9]{3}-[0-9]{2})?$/.test(input.wasteCode))
    problems.push({ path: 'wasteCode', message: 'a National Hazardous Waste List code, e.g. HW17 336-064-17' });
  checkText(problems, 'name', input.name, 200, true);
  checkText(problems, 'disposer', input.disposer, 200, false);
  if (!(input.quantityTonnes >= 0 && input.quantityTonnes < 1e6)) problems.push({ path: 'quantityTonnes', message: 'must be 0-1000000 t' });
  if (problems.length > 0) throw new ValidationError(problems);
  const [enterprise] = await enterprisesByUscc(deps, undefined, [input.enterpriseUscc]);
  if (!enterprise) throw new NotFoundError('Enterprise', input.enterpriseUscc);
  const [row] = await deps.db.orm
    .insert(sourceHazardousWaste)
    .values({
      enterpriseId: enterprise.id,
      wasteCode: input.wasteCode,
      name: input.name.trim(),
      quantityTonnes: input.quantityTonnes,
      disposer: input.disposer ?? null,
      recordedAt: input.recordedAt,
    })
    .returning();
  return row as HazardousWasteRecord;
}

export async function hazardousWasteOfEnterprises(deps: SourceDeps, enterpriseIds: readonly number[]): Promise<HazardousWasteRecord[][]> {
  const rows = (await newestPerEnterprise(deps, 'source_hazardous_waste', 't.recorded_at DESC, t.id DESC', enterpriseIds, [
    'recordedAt',
  ])) as unknown as HazardousWasteRecord[];
  return groupBy(
    enterpriseIds,
    rows.map((r) => ({ ...r, quantityTonnes: Number(r.quantityTonnes) })),
    (row) => row.enterpriseId,
  );
}

export interface RiskSourceInput {
  enterpriseUscc: string;
  name: string;
  substance: string;
  quantityTonnes?: number | null;
  riskLevel: RiskLevel;
}

export async function createRiskSource(deps: SourceDeps, input: RiskSourceInput): Promise<RiskSource> {
  const problems: FieldProblem[] = [];
  checkEnterpriseUscc(problems, 'enterpriseUscc', input.enterpriseUscc);
  checkText(problems, 'name', input.name, 200, true);
  checkText(problems, 'substance', input.substance, 200, true);
  if (!RISK_LEVELS.includes(input.riskLevel)) problems.push({ path: 'riskLevel', message: 'GENERAL, LARGER or MAJOR' });
  if (input.quantityTonnes != null && !(input.quantityTonnes >= 0 && input.quantityTonnes < 1e7))
    problems.push({ path: 'quantityTonnes', message: 'out of range' });
  if (problems.length > 0) throw new ValidationError(problems);
  const [enterprise] = await enterprisesByUscc(deps, undefined, [input.enterpriseUscc]);
  if (!enterprise) throw new NotFoundError('Enterprise', input.enterpriseUscc);
  const [row] = await deps.db.orm
    .insert(sourceRiskSources)
    .values({
      enterpriseId: enterprise.id,
      name: input.name.trim(),
      substance: input.substance.trim(),
      quantityTonnes: input.quantityTonnes ?? null,
      riskLevel: input.riskLevel,
    })
    .returning();
  return row as RiskSource;
}

export async function riskSourcesOfEnterprises(deps: SourceDeps, enterpriseIds: readonly number[]): Promise<RiskSource[][]> {
  if (enterpriseIds.length === 0) return [];
  const rows = await deps.db.orm
    .select()
    .from(sourceRiskSources)
    .where(inArray(sourceRiskSources.enterpriseId, [...enterpriseIds]))
    .orderBy(asc(sourceRiskSources.id));
  return groupBy(enterpriseIds, rows as RiskSource[], (row) => row.enterpriseId);
}

export interface DocumentInput {
  enterpriseUscc: string;
  title: string;
  kind: string;
  mediaId?: string | null;
  url?: string | null;
  issuedAt?: Date | null;
}

export async function addDocument(deps: SourceDeps, input: DocumentInput): Promise<EnterpriseDocument> {
  const problems: FieldProblem[] = [];
  checkEnterpriseUscc(problems, 'enterpriseUscc', input.enterpriseUscc);
  checkText(problems, 'title', input.title, 300, true);
  checkText(problems, 'kind', input.kind, 50, true);
  checkText(problems, 'mediaId', input.mediaId, 100, false);
  checkText(problems, 'url', input.url, 1000, false);
  if (input.mediaId == null && input.url == null) problems.push({ path: 'mediaId', message: 'give a media id or a URL' });
  if (input.url != null && !/^https?:\/\//.test(input.url)) problems.push({ path: 'url', message: 'must be an http(s) URL' });
  if (problems.length > 0) throw new ValidationError(problems);
  const [enterprise] = await enterprisesByUscc(deps, undefined, [input.enterpriseUscc]);
  if (!enterprise) throw new NotFoundError('Enterprise', input.enterpriseUscc);
  const [row] = await deps.db.orm
    .insert(sourceDocuments)
    .values({
      enterpriseId: enterprise.id,
      title: input.title.trim(),
      kind: input.kind.trim(),
      mediaId: input.mediaId ?? null,
      url: input.url ?? null,
      issuedAt: input.issuedAt ?? null,
    })
    .returning();
  return row as EnterpriseDocument;
}

export async function documentsOfEnterprises(deps: SourceDeps, enterpriseIds: readonly number[]): Promise<EnterpriseDocument[][]> {
  const rows = (await newestPerEnterprise(deps, 'source_documents', 't.created_at DESC, t.id DESC', enterpriseIds, [
    'issuedAt',
    'createdAt',
  ])) as unknown as EnterpriseDocument[];
  return groupBy(enterpriseIds, rows, (row) => row.enterpriseId);
}
