import { asc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { Viewer } from '../../../src/auth/viewer';
import { arrayLiteral, queryStatement } from '../../../src/db';
import { ConflictError, NotFoundError, ValidationError, type FieldProblem } from '../../../src/errors';
import { monitoringServiceRef, type Monitor, type MonitorColumn, type MonitorKind } from '../../../src/monitoring/public';
import { sourceOutletMonitors, sourceOutlets } from '../tables';
import { checkPosition, checkText, enterprisePage, enterprisesByUscc, type EnterpriseColumn, type EnterpriseFilter } from './enterprises';
import { OUTLET_KINDS, type Enterprise, type Outlet, type OutletKind, type OutletMonitor, type Page, type SourceDeps } from './types';

export const MAX_MONITORS_PER_OUTLET = 8;
/** Reference O2 of gas-fired boilers (GB 13271-2014), the district's usual flue gas source. */
export const DEFAULT_REFERENCE_O2 = 3.5;

/** Which monitor kinds may stand at which outlet. */
const MONITOR_KINDS_AT: Record<OutletKind, readonly MonitorKind[]> = {
  WASTEWATER: ['WASTEWATER_OUTLET', 'HEAVY_METAL_ANALYSER'],
  FLUE_GAS: ['FLUE_GAS_OUTLET'],
};

/** Heavy-metal analysers report ug/L, as the HJ 212 factor table has it; limits are set in the same unit. */
export const HEAVY_METAL_UNITS: Readonly<Record<string, string>> = { w20111: 'ug/L', w20115: 'ug/L', w20117: 'ug/L', w20119: 'ug/L', w20120: 'ug/L' };

export interface OutletMonitorInput {
  mn: string;
  /** HJ 212 PW; stored hashed by the monitoring core */
  password: string;
  kind?: MonitorKind;
  name?: string;
  intervalSeconds?: number;
}

export interface OutletInput {
  enterpriseUscc: string;
  code: string;
  name: string;
  kind: OutletKind;
  longitude?: number | null;
  latitude?: number | null;
  referenceO2?: number | null;
  monitors?: readonly OutletMonitorInput[];
}

export function toOutlet(row: typeof sourceOutlets.$inferSelect): Outlet {
  return {
    id: row.id,
    enterpriseId: row.enterpriseId,
    code: row.code,
    name: row.name,
    kind: row.kind as OutletKind,
    longitude: row.longitude,
    latitude: row.latitude,
    referenceO2: row.referenceO2,
  };
}

function checkOutlet(input: OutletInput): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (!/^[A-Za-z0-9_-]{1,32}$/.test(input.code))
    problems.push({ path: 'code', message: 'outlet code must be 1-32 letters, digits, _ or - (permit codes look like DW001, DA001)' });
  checkText(problems, 'name', input.name, 200, true);
  if (!OUTLET_KINDS.includes(input.kind)) problems.push({ path: 'kind', message: 'WASTEWATER or FLUE_GAS' });
  checkPosition(problems, input.longitude, input.latitude);
  if (input.referenceO2 != null && !(input.referenceO2 >= 0 && input.referenceO2 < 21)) problems.push({ path: 'referenceO2', message: 'must be in [0, 21) %' });
  const monitors = input.monitors ?? [];
  if (monitors.length > MAX_MONITORS_PER_OUTLET) problems.push({ path: 'monitors', message: `at most ${MAX_MONITORS_PER_OUTLET}` });
  monitors.forEach((monitor, index) => {
    if (monitor.kind !== undefined && OUTLET_KINDS.includes(input.kind) && !MONITOR_KINDS_AT[input.kind].includes(monitor.kind)) {
      problems.push({ path: `monitors.${index}.kind`, message: `a ${input.kind} outlet takes ${MONITOR_KINDS_AT[input.kind].join(' or ')}` });
    }
  });
  return problems;
}

/**
 * Creates the outlet and registers its monitors with the monitoring core in one transaction. The
 * monitors carry the enterprise's USCC and cell, so the core's row scope shows an enterprise
 * account its own devices and a grid assistant the devices in their cells.
 */
export async function createOutlet(deps: SourceDeps, input: OutletInput): Promise<Outlet> {
  const problems = checkOutlet(input);
  if (problems.length > 0) throw new ValidationError(problems);
  const [enterprise] = await enterprisesByUscc(deps, undefined, [input.enterpriseUscc]);
  if (!enterprise) throw new NotFoundError('Enterprise', input.enterpriseUscc);
  const monitoring = deps.services.get(monitoringServiceRef);
  return deps.db.orm.transaction(async (tx) => {
    const [row] = await tx
      .insert(sourceOutlets)
      .values({
        enterpriseId: enterprise.id,
        code: input.code,
        name: input.name.trim(),
        kind: input.kind,
        longitude: input.longitude ?? enterprise.longitude,
        latitude: input.latitude ?? enterprise.latitude,
        referenceO2: input.kind === 'FLUE_GAS' ? (input.referenceO2 ?? DEFAULT_REFERENCE_O2) : null,
      })
      .onConflictDoNothing()
      .returning();
    if (!row) throw new ConflictError(`enterprise ${enterprise.uscc} already has an outlet ${input.code}`);
    const links: (typeof sourceOutletMonitors.$inferInsert)[] = [];
    for (const given of input.monitors ?? []) {
      const kind = given.kind ?? (input.kind === 'WASTEWATER' ? 'WASTEWATER_OUTLET' : 'FLUE_GAS_OUTLET');
      const monitor = await monitoring.createMonitor(
        {
          mn: given.mn,
          password: given.password,
          name: given.name ?? `${enterprise.name} ${row.name}`,
          kind,
          ownerModule: 'source',
          ownerId: String(row.id),
          enterpriseUscc: enterprise.uscc,
          cellCode: enterprise.cellCode,
          longitude: row.longitude,
          latitude: row.latitude,
          intervalSeconds: given.intervalSeconds ?? 60,
          units: kind === 'HEAVY_METAL_ANALYSER' ? { ...HEAVY_METAL_UNITS } : null,
        },
        tx,
      );
      links.push({ outletId: row.id, monitorId: monitor.id, mn: monitor.mn, kind: monitor.kind });
    }
    if (links.length > 0) await tx.insert(sourceOutletMonitors).values(links);
    return toOutlet(row);
  });
}

/** The outlets of each enterprise, in code order: one statement for any number of enterprises. */
export async function outletsOfEnterprises(deps: SourceDeps, enterpriseIds: readonly number[]): Promise<Outlet[][]> {
  if (enterpriseIds.length === 0) return [];
  const rows = await deps.db.orm
    .select()
    .from(sourceOutlets)
    .where(inArray(sourceOutlets.enterpriseId, [...enterpriseIds]))
    .orderBy(asc(sourceOutlets.code));
  return groupBy(enterpriseIds, rows.map(toOutlet), (outlet) => outlet.enterpriseId);
}

export async function outletsByIds(deps: SourceDeps, ids: readonly number[]): Promise<(Outlet | undefined)[]> {
  if (ids.length === 0) return [];
  const rows = await deps.db.orm
    .select()
    .from(sourceOutlets)
    .where(inArray(sourceOutlets.id, [...ids]));
  const byId = new Map(rows.map((row) => [row.id, toOutlet(row)]));
  return ids.map((id) => byId.get(id));
}

/** An outlet with its monitor links, each with its monitor where the viewer may see it. */
export interface OutletFile {
  outlet: Outlet;
  links: OutletMonitor[];
  /** each link's monitor, in the links' order; undefined where the viewer may not see it */
  linked: (Monitor | undefined)[];
  /** the monitors were read with some columns only, for one selection: not to be handed on */
  partial: boolean;
}

/**
 * The outlets of the enterprise `enterpriseId` (an expression of the statement it goes in), in code
 * order, each with its monitor links, each link with its monitor when the viewer may see it, as one
 * json array: one walk over the links per outlet, the monitor by primary key from the monitoring
 * core's own expression, row scope included. Each outlet and link is an array of its columns
 * (`outletFilesFromJson` reads them in this order): without keys the json of a page is smaller to
 * build, send and parse.
 */
function outletFilesJson(deps: SourceDeps, viewer: Viewer, enterpriseId: SQL, monitorColumns?: readonly MonitorColumn[]): SQL {
  const monitor = deps.services.get(monitoringServiceRef).visibleMonitorJson(viewer, sql`l.monitor_id`, monitorColumns);
  return sql`coalesce((SELECT json_agg(json_build_array(
      o.id, o.enterprise_id, o.code, o.name, o.kind, o.longitude, o.latitude, o.reference_o2,
      coalesce((SELECT json_agg(json_build_array(l.monitor_id, l.mn, l.kind, ${monitor}) ORDER BY l.monitor_id)
                  FROM source_outlet_monitors l WHERE l.outlet_id = o.id), '[]'::json)) ORDER BY o.code)
    FROM source_outlets o WHERE o.enterprise_id = ${enterpriseId}), '[]'::json)`;
}

type OutletFileJson = [number, number, string, string, OutletKind, number | null, number | null, number | null, [number, string, string, unknown][]];

function outletFilesFromJson(deps: SourceDeps, value: unknown, partial: boolean): OutletFile[] {
  if (!Array.isArray(value)) return [];
  const monitoring = deps.services.get(monitoringServiceRef);
  return (value as OutletFileJson[]).map(([id, enterpriseId, code, name, kind, longitude, latitude, referenceO2, links]) => {
    const linked = links.map((link) => monitoring.monitorFromJson(link[3]));
    return {
      outlet: { id, enterpriseId, code, name, kind, longitude, latitude, referenceO2 },
      links: links.map(([monitorId, mn, linkKind]) => ({ outletId: id, monitorId, mn, kind: linkKind })),
      linked,
      partial,
    };
  });
}

/** The outlets of each enterprise with their links and visible monitors: one statement for any number of enterprises. */
export async function outletFilesOfEnterprises(deps: SourceDeps, viewer: Viewer, enterpriseIds: readonly number[]): Promise<OutletFile[][]> {
  if (enterpriseIds.length === 0) return [];
  const rows = await queryStatement<{ id: number; outlets: unknown }>(
    deps.db,
    sql`SELECT e.id, ${outletFilesJson(deps, viewer, sql`e.id`)} AS outlets FROM unnest(${arrayLiteral([...enterpriseIds])}::int[]) AS e(id)`,
  );
  const byId = new Map(rows.map((row) => [Number(row.id), outletFilesFromJson(deps, row.outlets, false)]));
  return enterpriseIds.map((id) => byId.get(id) ?? []);
}

/** A page of enterprises with their outlet files, in the one statement of the page. */
export async function enterprisesWithOutletFiles(
  deps: SourceDeps,
  viewer: Viewer,
  filter: EnterpriseFilter,
  page: Page,
  columns?: readonly EnterpriseColumn[],
  monitorColumns?: readonly MonitorColumn[],
): Promise<{ enterprise: Enterprise; outlets: OutletFile[] }[]> {
  const rows = await enterprisePage(deps, viewer, filter, page, {
    extra: outletFilesJson(deps, viewer, sql`source_enterprises.id`, monitorColumns),
    columns,
  });
  const partial = monitorColumns !== undefined;
  return rows.map((row) => ({ enterprise: row.enterprise, outlets: outletFilesFromJson(deps, row.extra, partial) }));
}

/** The monitor links of each outlet: one statement. */
export async function monitorsOfOutlets(deps: SourceDeps, outletIds: readonly number[]): Promise<OutletMonitor[][]> {
  if (outletIds.length === 0) return [];
  const rows = await deps.db.orm
    .select()
    .from(sourceOutletMonitors)
    .where(inArray(sourceOutletMonitors.outletId, [...outletIds]))
    .orderBy(asc(sourceOutletMonitors.monitorId));
  return groupBy(
    outletIds,
    rows.map((row) => ({ outletId: row.outletId, monitorId: row.monitorId, mn: row.mn, kind: row.kind })),
    (link) => link.outletId,
  );
}

/** The outlet a monitor stands at, for the sampler worker. */
export async function outletOfMonitor(deps: SourceDeps, monitorId: number): Promise<Outlet | undefined> {
  const [row] = await deps.db.orm
    .select({ outlet: sourceOutlets })
    .from(sourceOutletMonitors)
    .innerJoin(sourceOutlets, eq(sourceOutlets.id, sourceOutletMonitors.outletId))
    .where(eq(sourceOutletMonitors.monitorId, monitorId));
  return row ? toOutlet(row.outlet) : undefined;
}

export function groupBy<K, T>(keys: readonly K[], rows: readonly T[], keyOf: (row: T) => K): T[][] {
  const grouped = new Map<K, T[]>();
  for (const row of rows) {
    const key = keyOf(row);
    const list = grouped.get(key);
    if (list) list.push(row);
    else grouped.set(key, [row]);
  }
  return keys.map((key) => grouped.get(key) ?? []);
}
