import { asc, inArray } from 'drizzle-orm';
import type { Executor } from '../../../src/db';
import type { Emit } from '../../../src/events/bus';
import type { EventTopic } from '../../../src/events/topics';
import { incidentLevelChanged, incidentReported, incidentStatusChanged, incidentUpdated, type IncidentEventPayload } from '../events';
import { emergencyTimeline } from '../tables';
import type { EmergencyDeps } from './deps';
import { toEntry } from './rows';
import type { Actor, Incident, TimelineEntry, TimelineKind } from './types';

/** A timeline is long for a big incident but never unbounded: the first this many are shown. */
export const MAX_TIMELINE = 500;

const TOPIC_OF: Partial<Record<TimelineKind, EventTopic<IncidentEventPayload>>> = {
  REPORTED: incidentReported,
  LEVEL_CHANGED: incidentLevelChanged,
  STATUS_CHANGED: incidentStatusChanged,
};

/**
 * Writes one timeline entry for an incident that has just changed (in the same transaction) and
 * emits its event, which the bus delivers only once that transaction commits.
 */
export async function recordEntry(
  tx: Executor,
  emit: Emit,
  incident: Incident,
  entry: { kind: TimelineKind; summary: string; detail?: Record<string, unknown> | undefined; actor: Actor; at: Date },
): Promise<void> {
  await tx.insert(emergencyTimeline).values({
    incidentId: incident.id,
    kind: entry.kind,
    summary: entry.summary,
    detail: entry.detail ?? null,
    actor: entry.actor.subject,
    actorName: entry.actor.name,
    at: entry.at,
  });
  emit(TOPIC_OF[entry.kind] ?? incidentUpdated, {
    incidentId: incident.id,
    title: incident.title,
    type: incident.type,
    level: incident.level,
    status: incident.status,
    proposed: incident.proposed,
    cellCode: incident.cellCode,
    timelineKind: entry.kind,
    summary: entry.summary,
    actor: entry.actor.subject,
    at: entry.at.toISOString(),
  });
}

/** Each incident's timeline, in the order things happened (then as recorded). The caller has checked visibility. */
export async function timelinesOf(deps: EmergencyDeps, incidentIds: readonly number[]): Promise<TimelineEntry[][]> {
  if (incidentIds.length === 0) return [];
  const rows = await deps.db.orm
    .select()
    .from(emergencyTimeline)
    .where(inArray(emergencyTimeline.incidentId, [...new Set(incidentIds)]))
    .orderBy(asc(emergencyTimeline.at), asc(emergencyTimeline.id))
    .limit(MAX_TIMELINE * incidentIds.length);
  const byIncident = new Map<number, TimelineEntry[]>();
  for (const row of rows) {
    const list = byIncident.get(row.incidentId) ?? [];
    if (list.length < MAX_TIMELINE) list.push(toEntry(row));
    byIncident.set(row.incidentId, list);
  }
  return incidentIds.map((id) => byIncident.get(id) ?? []);
}
