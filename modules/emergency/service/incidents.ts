import { and, desc, eq, gte, inArray, lt, lte, sql, type SQL } from 'drizzle-orm';
import type { Viewer } from '../../../src/auth/viewer';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../../src/errors';
import { gridServiceRef } from '../../grid/public';
import { proposeIncidentLevel, warningColourForLevel, WARNING_COLOURS, type IncidentCriteria, type IncidentLevel, type WarningColour } from '../levels';
import { emergencyIncidents, emergencyResources, emergencyOrders } from '../tables';
import type { EmergencyDeps } from './deps';
import { upwardReport } from './reporting';
import { toIncident } from './rows';
import { cellCondition, cellVisible, mayCommand, scopeOf, type EmergencyScope } from './scope';
import { recordEntry } from './timeline';
import { STATUS_ACTIONS, needsNote, nextIncidentStatus, type StatusAction } from './transitions';
import { INCIDENT_LEVELS, INCIDENT_STATUSES, INCIDENT_TYPES, type Actor, type Incident, type IncidentStatus, type IncidentType } from './types';
import { CELL_CODE, MAX_LINKS, Problems, USCC, optionalText } from './validate';

export interface IncidentFilter {
  status?: IncidentStatus[] | undefined;
  type?: IncidentType[] | undefined;
  level?: IncidentLevel[] | undefined;
  /** a cell and everything under it */
  cellCode?: string | undefined;
  proposed?: boolean | undefined;
  reportedFrom?: Date | undefined;
  reportedTo?: Date | undefined;
}

export interface IncidentLinks {
  exceedanceIds?: readonly number[] | null | undefined;
  sourceUsccs?: readonly string[] | null | undefined;
  cameraIds?: readonly string[] | null | undefined;
}

export interface ReportInput extends IncidentLinks {
  title: string;
  type: IncidentType;
  description?: string | null;
  occurredAt?: Date | null;
  longitude?: number | null;
  latitude?: number | null;
  address?: string | null;
  /** found from the position when not given */
  cellCode?: string | null;
  criteria?: IncidentCriteria | null;
  /** the level the reporter judges; proposed from the criteria when not given */
  level?: IncidentLevel | null;
  /** follows the level when not given */
  warningColour?: WarningColour | null;
}

export interface AssessmentInput {
  criteria: IncidentCriteria;
  /** the level decided; the one proposed from the criteria when not given */
  level?: IncidentLevel | null;
  warningColour?: WarningColour | null;
  note?: string | null;
}

export function actorOf(viewer: Viewer, scope: EmergencyScope): Actor {
  return { subject: viewer.subject ?? 'anonymous', name: viewer.name ?? scope.self?.name ?? null };
}

/** The proposal from recorded criteria; a criterion out of range is the client's to correct. */
export function proposeFrom(criteria: IncidentCriteria, path: string): IncidentLevel {
  try {
    return proposeIncidentLevel(criteria).level;
  } catch (error) {
    if (error instanceof RangeError) throw new ValidationError([{ path, message: error.message }]);
    throw error;
  }
}

function checkCriteria(problems: Problems, criteria: IncidentCriteria | null | undefined, path: string): void {
  if (!criteria) return;
  for (const key of ['deaths', 'poisoned', 'evacuated'] as const) {
    const value = criteria[key];
    if (value !== undefined && value > 10_000_000) problems.add(`${path}.${key}`, 'at most 10,000,000');
  }
  if (criteria.economicLossYuan !== undefined && criteria.economicLossYuan > 1e13) problems.add(`${path}.economicLossYuan`, 'at most 1e13');
}

function checkLinks(problems: Problems, links: IncidentLinks, path: string): void {
  if ((links.exceedanceIds?.length ?? 0) > MAX_LINKS) problems.add(`${path}exceedances`, `at most ${MAX_LINKS}`);
  if ((links.sourceUsccs?.length ?? 0) > MAX_LINKS) problems.add(`${path}sources`, `at most ${MAX_LINKS}`);
  if ((links.cameraIds?.length ?? 0) > MAX_LINKS) problems.add(`${path}cameras`, `at most ${MAX_LINKS}`);
  links.sourceUsccs?.forEach((uscc, i) => (USCC.test(uscc) ? undefined : problems.add(`${path}sources.${i}`, 'not a unified social credit code')));
  links.cameraIds?.forEach((id, i) => (id.length >= 1 && id.length <= 64 ? undefined : problems.add(`${path}cameras.${i}`, 'must be 1-64 characters')));
}

export async function incidentsByIds(deps: EmergencyDeps, viewer: Viewer, ids: readonly number[]): Promise<(Incident | undefined)[]> {
  if (ids.length === 0) return [];
  const scope = await scopeOf(deps, viewer);
  if (!scope.staff) return ids.map(() => undefined);
  const rows = await deps.db.orm
    .select()
    .from(emergencyIncidents)
    .where(and(inArray(emergencyIncidents.id, [...new Set(ids)]), cellCondition(scope, sql`${emergencyIncidents.cellCode}`)));
  const byId = new Map(rows.map((row) => [row.id, toIncident(row)]));
  return ids.map((id) => byId.get(id));
}

/** Newest first; keyset on id. */
/** The conditions a filter puts on incidents in the viewer's scope; undefined when the viewer sees none. */
async function incidentConditions(deps: EmergencyDeps, viewer: Viewer, filter: IncidentFilter): Promise<(SQL | undefined)[] | undefined> {
  const scope = await scopeOf(deps, viewer);
  if (!scope.staff) return undefined;
  const problems = new Problems();
  if ((filter.status?.length ?? 0) > INCIDENT_STATUSES.length) problems.add('filter.status', 'too many values');
  if ((filter.type?.length ?? 0) > INCIDENT_TYPES.length) problems.add('filter.type', 'too many values');
  if ((filter.level?.length ?? 0) > INCIDENT_LEVELS.length) problems.add('filter.level', 'too many values');
  if (filter.cellCode !== undefined && !CELL_CODE.test(filter.cellCode)) problems.add('filter.cellCode', 'not a cell code');
  problems.done();
  const conditions: (SQL | undefined)[] = [cellCondition(scope, sql`${emergencyIncidents.cellCode}`)];
  if (filter.status?.length) conditions.push(inArray(emergencyIncidents.status, filter.status));
  if (filter.type?.length) conditions.push(inArray(emergencyIncidents.type, filter.type));
  if (filter.level?.length) conditions.push(inArray(emergencyIncidents.level, filter.level));
  if (filter.cellCode) conditions.push(sql`${emergencyIncidents.cellCode} LIKE ${`${filter.cellCode}%`}`);
  if (filter.proposed !== undefined) conditions.push(eq(emergencyIncidents.proposed, filter.proposed));
  if (filter.reportedFrom) conditions.push(gte(emergencyIncidents.reportedAt, filter.reportedFrom));
  if (filter.reportedTo) conditions.push(lte(emergencyIncidents.reportedAt, filter.reportedTo));
  return conditions;
}

export async function listIncidents(
  deps: EmergencyDeps,
  viewer: Viewer,
  filter: IncidentFilter,
  page: { limit: number; beforeId: number | undefined },
): Promise<Incident[]> {
  const conditions = await incidentConditions(deps, viewer, filter);
  if (!conditions) return [];
  if (page.beforeId !== undefined) conditions.push(lt(emergencyIncidents.id, page.beforeId));
  const rows = await deps.db.orm
    .select()
    .from(emergencyIncidents)
    .where(and(...conditions))
    .orderBy(desc(emergencyIncidents.id))
    .limit(page.limit);
  return rows.map(toIncident);
}

/** How many incidents the filter matches in the viewer's scope, every page together. */
export async function countIncidents(deps: EmergencyDeps, viewer: Viewer, filter: IncidentFilter): Promise<number> {
  const conditions = await incidentConditions(deps, viewer, filter);
  if (!conditions) return 0;
  return deps.db.orm.$count(emergencyIncidents, and(...conditions));
}

/** An incident the viewer may see, for a change they must be allowed to command. */
export async function commandable(deps: EmergencyDeps, viewer: Viewer, id: number): Promise<{ incident: Incident; scope: EmergencyScope }> {
  const scope = await scopeOf(deps, viewer);
  const [incident] = await incidentsByIds(deps, viewer, [id]);
  if (!incident) throw new NotFoundError('EmergencyIncident', String(id));
  if (!mayCommand(scope, incident.cellCode)) throw new ForbiddenError('only the district, or the town over the incident’s cell, may do this');
  return { incident, scope };
}

/** Any staff member reports an incident; town officers and assistants in their own cells. */
export async function reportIncident(deps: EmergencyDeps, viewer: Viewer, input: ReportInput): Promise<Incident> {
  const scope = await scopeOf(deps, viewer);
  if (!scope.staff) throw new ForbiddenError('only staff report incidents');
  const problems = new Problems()
    .text('title', input.title, 1, 200)
    .text('description', input.description, 0, 4000)
    .text('address', input.address, 0, 300)
    .point('longitude', input.longitude, input.latitude);
  if (!INCIDENT_TYPES.includes(input.type)) problems.add('type', 'unknown incident type');
  if (input.cellCode != null && !CELL_CODE.test(input.cellCode)) problems.add('cellCode', 'not a cell code');
  if (input.warningColour != null && !WARNING_COLOURS.includes(input.warningColour)) problems.add('warningColour', 'unknown colour');
  const now = deps.now();
  if (input.occurredAt && (Number.isNaN(input.occurredAt.getTime()) || input.occurredAt > now)) problems.add('occurredAt', 'must not be in the future');
  checkCriteria(problems, input.criteria, 'criteria');
  checkLinks(problems, input, '');
  problems.done();
  const criteria = input.criteria ?? {};
  const level = input.level ?? proposeFrom(criteria, 'criteria');
  let cellCode = optionalText(input.cellCode);
  const grid = deps.services.get(gridServiceRef);
  if (cellCode) {
    if (!(await grid.cellByCode(cellCode))) throw new NotFoundError('GridCell', cellCode);
  } else if (input.longitude != null && input.latitude != null) {
    cellCode = (await grid.locate(input.longitude, input.latitude))?.code ?? null;
  }
  if (!cellVisible(scope, cellCode)) throw new ForbiddenError(cellCode ? 'this cell is outside your grid' : 'give the cell (or a position in your grid)');
  const actor = actorOf(viewer, scope);
  return deps.bus.transaction(async (tx, emit) => {
    const [row] = await tx
      .insert(emergencyIncidents)
      .values({
        title: input.title.trim(),
        type: input.type,
        description: optionalText(input.description),
        level,
        criteria,
        warningColour: input.warningColour ?? warningColourForLevel(level),
        status: 'REPORTED',
        proposed: false,
        longitude: input.longitude ?? null,
        latitude: input.latitude ?? null,
        address: optionalText(input.address),
        cellCode,
        reporterSubject: actor.subject,
        reporterName: actor.name,
        occurredAt: input.occurredAt ?? null,
        reportedAt: now,
        exceedanceIds: [...new Set(input.exceedanceIds ?? [])],
        sourceUsccs: [...new Set(input.sourceUsccs ?? [])],
        cameraIds: [...new Set(input.cameraIds ?? [])],
        updatedAt: now,
      })
      .returning();
    const incident = toIncident(row as typeof emergencyIncidents.$inferSelect);
    await recordEntry(tx, emit, incident, {
      kind: 'REPORTED',
      summary: `${actor.name ?? actor.subject} 报告：${incident.title}（${level} 级）`,
      detail: { level, criteria },
      actor,
      at: now,
    });
    return incident;
  });
}

const STATUS_SUMMARY: Readonly<Record<StatusAction, string>> = {
  VERIFY: '核实确认',
  RESPOND: '启动应急响应',
  CONTAIN: '事态得到控制',
  CLOSE: '应急终止',
};

/** Moves an incident on by one action; one the state does not allow is a conflict. */
export async function transitionIncident(
  deps: EmergencyDeps,
  viewer: Viewer,
  id: number,
  action: StatusAction,
  note: string | null | undefined,
): Promise<Incident> {
  const problems = new Problems().text('note', note, 0, 2000);
  if (!STATUS_ACTIONS.includes(action)) problems.add('action', 'unknown action');
  problems.done();
  const { incident, scope } = await commandable(deps, viewer, id);
  const next = nextIncidentStatus(incident.status, action);
  if (!next) throw new ConflictError(`a ${incident.status} incident cannot take ${action}`);
  if (needsNote(incident.status, action) && !optionalText(note)) throw new ValidationError([{ path: 'note', message: 'say why the report is dismissed' }]);
  const now = deps.now();
  const actor = actorOf(viewer, scope);
  return deps.bus.transaction(async (tx, emit) => {
    const [row] = await tx
      .update(emergencyIncidents)
      .set({ status: next, updatedAt: now, ...(action === 'VERIFY' ? { proposed: false } : {}), ...(next === 'CLOSED' ? { closedAt: now } : {}) })
      .where(and(eq(emergencyIncidents.id, id), eq(emergencyIncidents.status, incident.status)))
      .returning();
    if (!row) throw new ConflictError('the incident changed meanwhile; reload it');
    const updated = toIncident(row);
    if (next === 'CLOSED') {
      // what was sent goes back into the pool once the emergency is over
      await tx
        .update(emergencyResources)
        .set({ available: true, updatedAt: now })
        .where(inArray(emergencyResources.id, tx.select({ id: emergencyOrders.resourceId }).from(emergencyOrders).where(eq(emergencyOrders.incidentId, id))));
    }
    const summary = `${STATUS_SUMMARY[action]}：${incident.status} -> ${next}${optionalText(note) ? `（${optionalText(note)}）` : ''}`;
    await recordEntry(tx, emit, updated, { kind: 'STATUS_CHANGED', summary, detail: { action, from: incident.status, to: next }, actor, at: now });
    return updated;
  });
}

/** Records the criteria and decides the level (the proposal from them unless one is given). */
export async function assessIncident(deps: EmergencyDeps, viewer: Viewer, id: number, input: AssessmentInput): Promise<Incident> {
  const problems = new Problems().text('note', input.note, 0, 2000);
  checkCriteria(problems, input.criteria, 'input.criteria');
  if (input.warningColour != null && !WARNING_COLOURS.includes(input.warningColour)) problems.add('input.warningColour', 'unknown colour');
  problems.done();
  const proposed = proposeFrom(input.criteria, 'input.criteria');
  const { incident, scope } = await commandable(deps, viewer, id);
  if (incident.status === 'CLOSED') throw new ConflictError('a closed incident is not graded again');
  const level = input.level ?? proposed;
  const colour = input.warningColour ?? warningColourForLevel(level);
  const now = deps.now();
  const actor = actorOf(viewer, scope);
  return deps.bus.transaction(async (tx, emit) => {
    const [row] = await tx
      .update(emergencyIncidents)
      .set({ criteria: input.criteria, level, warningColour: colour, updatedAt: now })
      .where(eq(emergencyIncidents.id, id))
      .returning();
    const updated = toIncident(row as typeof emergencyIncidents.$inferSelect);
    const note = optionalText(input.note);
    const summary = `定级 ${incident.level} -> ${level}（依据标准建议 ${proposed} 级），预警 ${colour}${note ? `：${note}` : ''}`;
    await recordEntry(tx, emit, updated, {
      kind: 'LEVEL_CHANGED',
      summary,
      detail: { from: incident.level, to: level, proposed, criteria: input.criteria, warningColour: colour },
      actor,
      at: now,
    });
    return updated;
  });
}

/** Records the report to the city and province; once. */
export async function reportUpward(deps: EmergencyDeps, viewer: Viewer, id: number, note: string | null | undefined): Promise<Incident> {
  new Problems().text('note', note, 0, 2000).done();
  const { incident, scope } = await commandable(deps, viewer, id);
  if (incident.reportedUpwardAt) throw new ConflictError('already reported upward');
  const now = deps.now();
  const actor = actorOf(viewer, scope);
  return deps.bus.transaction(async (tx, emit) => {
    const [row] = await tx
      .update(emergencyIncidents)
      .set({ reportedUpwardAt: now, reportedUpwardBy: actor.subject, updatedAt: now })
      .where(and(eq(emergencyIncidents.id, id), sql`${emergencyIncidents.reportedUpwardAt} IS NULL`))
      .returning();
    if (!row) throw new ConflictError('already reported upward');
    const updated = toIncident(row);
    const { status } = upwardReport(updated, now);
    const text = optionalText(note);
    await recordEntry(tx, emit, updated, {
      kind: 'REPORTED_UPWARD',
      summary: `向上级报告（${status}）${text ? `：${text}` : ''}`,
      detail: { status },
      actor,
      at: now,
    });
    return updated;
  });
}

/** Adds linked episodes, sources and cameras (kept once each). */
export async function linkToIncident(deps: EmergencyDeps, viewer: Viewer, id: number, links: IncidentLinks): Promise<Incident> {
  const problems = new Problems();
  checkLinks(problems, links, 'input.');
  problems.done();
  const { incident, scope } = await commandable(deps, viewer, id);
  const merged = {
    exceedanceIds: [...new Set([...incident.exceedanceIds, ...(links.exceedanceIds ?? [])])],
    sourceUsccs: [...new Set([...incident.sourceUsccs, ...(links.sourceUsccs ?? [])])],
    cameraIds: [...new Set([...incident.cameraIds, ...(links.cameraIds ?? [])])],
  };
  if (merged.exceedanceIds.length > MAX_LINKS || merged.sourceUsccs.length > MAX_LINKS || merged.cameraIds.length > MAX_LINKS) {
    throw new ValidationError([{ path: 'input', message: `an incident links at most ${MAX_LINKS} of each` }]);
  }
  const now = deps.now();
  const actor = actorOf(viewer, scope);
  return deps.bus.transaction(async (tx, emit) => {
    const [row] = await tx
      .update(emergencyIncidents)
      .set({ ...merged, updatedAt: now })
      .where(eq(emergencyIncidents.id, id))
      .returning();
    const updated = toIncident(row as typeof emergencyIncidents.$inferSelect);
    const added =
      merged.exceedanceIds.length -
      incident.exceedanceIds.length +
      (merged.sourceUsccs.length - incident.sourceUsccs.length) +
      (merged.cameraIds.length - incident.cameraIds.length);
    await recordEntry(tx, emit, updated, { kind: 'LINKED', summary: `关联 ${added} 项（超标、污染源、视频）`, detail: { ...links }, actor, at: now });
    return updated;
  });
}

/** Any staff member who sees the incident may add to its record. */
export async function addNote(deps: EmergencyDeps, viewer: Viewer, id: number, text: string): Promise<Incident> {
  new Problems().text('text', text, 1, 2000).done();
  const scope = await scopeOf(deps, viewer);
  const [incident] = await incidentsByIds(deps, viewer, [id]);
  if (!incident) throw new NotFoundError('EmergencyIncident', String(id));
  const now = deps.now();
  return deps.bus.transaction(async (tx, emit) => {
    await recordEntry(tx, emit, incident, { kind: 'NOTE', summary: text.trim(), actor: actorOf(viewer, scope), at: now });
    return incident;
  });
}
