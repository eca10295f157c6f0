import type { ExceedanceEventPayload, MonitorKind, Severity } from '../../../src/monitoring/public';
import { lookupFactor, monitoringServiceRef } from '../../../src/monitoring/public';
import type { WarningColour } from '../levels';
import { emergencyIncidents } from '../tables';
import type { EmergencyDeps } from './deps';
import { toIncident } from './rows';
import { recordEntry } from './timeline';
import { SYSTEM_ACTOR, type AutoOpenRule, type Incident, type IncidentType } from './types';

export type { AutoOpenRule } from './types';

/**
 * The default rules: a breach at a drinking-water source station, and a heavy-metal exceedance at
 * an enterprise. Pass others to `createEmergencyModule({ autoOpenRules })`.
 */
export const DEFAULT_AUTO_OPEN_RULES: readonly AutoOpenRule[] = [
  { monitorKind: 'WATER_STATION', severity: 'EXCEEDANCE', incidentType: 'WATER_POLLUTION', warningColour: 'YELLOW' },
  { monitorKind: 'HEAVY_METAL_ANALYSER', severity: 'EXCEEDANCE', incidentType: 'WATER_POLLUTION', warningColour: 'YELLOW' },
];

const SEVERITY_RANK: Readonly<Record<Severity, number>> = { WARNING: 1, EXCEEDANCE: 2 };

export function matchingRule(rules: readonly AutoOpenRule[], episode: Pick<ExceedanceEventPayload, 'monitorKind' | 'severity'>): AutoOpenRule | undefined {
  return rules.find((rule) => rule.monitorKind === episode.monitorKind && SEVERITY_RANK[episode.severity] >= SEVERITY_RANK[rule.severity]);
}

/**
 * Opens a proposed incident for an episode that matches a rule: once per episode, whatever the
 * number of events (opened, escalated, redelivered), by the unique key on the episode id.
 */
export async function openProposedIncident(deps: EmergencyDeps, episode: ExceedanceEventPayload): Promise<Incident | undefined> {
  const rule = matchingRule(deps.autoOpenRules, episode);
  if (!rule) return undefined;
  const monitor = await deps.services.get(monitoringServiceRef).monitorByMn(episode.mn);
  const now = deps.now();
  // the duty officer reads the factor's name and unit (化学需氧量 150 mg/L), not its HJ 212 code;
  // the code stays in the description for whoever checks against the device
  const factor = lookupFactor(episode.factor);
  const factorName = factor ? factor.nameZh : episode.factor;
  const unit = factor?.unit ? ` ${factor.unit}` : '';
  const limit = episode.limitUpper !== null ? `，限值 ${episode.limitUpper}${unit}` : '';
  return deps.bus.transaction(async (tx, emit) => {
    const [row] = await tx
      .insert(emergencyIncidents)
      .values({
        title: `超标预警：${episode.monitorName} ${factorName} ${episode.value}${unit}`.slice(0, 200),
        type: rule.incidentType,
        description: `${factorName}（${episode.factor}）实测 ${episode.value}${unit}${limit}（${episode.at}），由超标事件自动生成，待核实`,
        level: 'IV',
        criteria: {},
        warningColour: rule.warningColour,
        status: 'REPORTED',
        proposed: true,
        longitude: monitor?.longitude ?? null,
        latitude: monitor?.latitude ?? null,
        cellCode: episode.cellCode,
        reporterSubject: SYSTEM_ACTOR.subject,
        reporterName: null,
        occurredAt: new Date(episode.at),
        reportedAt: now,
        exceedanceIds: [episode.exceedanceId],
        sourceUsccs: episode.enterpriseUscc ? [episode.enterpriseUscc] : [],
        cameraIds: [],
        originExceedanceId: episode.exceedanceId,
        updatedAt: now,
      })
      .onConflictDoNothing({ target: emergencyIncidents.originExceedanceId })
      .returning();
    if (!row) return undefined;
    const incident = toIncident(row);
    await recordEntry(tx, emit, incident, {
      kind: 'REPORTED',
      summary: `系统依据超标事件 #${episode.exceedanceId} 生成待核实事件`,
      detail: { exceedanceId: episode.exceedanceId, rule },
      actor: SYSTEM_ACTOR,
      at: now,
    });
    return incident;
  });
}
