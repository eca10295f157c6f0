import { describe, expect, it } from 'vitest';
import { DEFAULT_AUTO_OPEN_RULES, matchingRule, type AutoOpenRule } from '../../../modules/emergency/service/auto-open';
import { upwardReport } from '../../../modules/emergency/service/reporting';
import { availableStatusActions, nextIncidentStatus, STATUS_ACTIONS } from '../../../modules/emergency/service/transitions';
import { INCIDENT_STATUSES } from '../../../modules/emergency/service/types';
import type { IncidentLevel } from '../../../modules/emergency/levels';

const T0 = new Date('2024-06-12T01:00:00Z');
const after = (minutes: number): Date => new Date(T0.getTime() + minutes * 60_000);

describe('the incident life cycle', () => {
  it('allows exactly the documented moves', () => {
    const moves = INCIDENT_STATUSES.flatMap((status) => STATUS_ACTIONS.map((action) => [status, action, nextIncidentStatus(status, action)] as const)).filter(
      ([, , next]) => next,
    );
    expect(moves.map(([from, action, to]) => `${from} -${action}-> ${to}`)).toEqual([
      'REPORTED -VERIFY-> VERIFIED',
      'REPORTED -CLOSE-> CLOSED',
      'VERIFIED -RESPOND-> RESPONDING',
      'RESPONDING -CONTAIN-> CONTAINED',
      'CONTAINED -CLOSE-> CLOSED',
    ]);
    expect(availableStatusActions('CLOSED')).toEqual([]);
  });
});

describe('upward reporting duty', () => {
  const status = (level: IncidentLevel, reportedUpwardAt: Date | null, now: Date) => upwardReport({ level, reportedAt: T0, reportedUpwardAt }, now);

  it('is due two hours after the report for levels I and II only', () => {
    expect(status('I', null, after(10))).toEqual({ deadline: after(120), status: 'PENDING' });
    expect(status('II', null, after(120))).toEqual({ deadline: after(120), status: 'PENDING' });
    expect(status('III', null, after(600))).toEqual({ deadline: null, status: 'NOT_REQUIRED' });
    expect(status('IV', after(5), after(600))).toEqual({ deadline: null, status: 'NOT_REQUIRED' });
  });

  it('is met at the deadline exactly, and missed a moment after, reported or not', () => {
    expect(status('II', after(120), after(500)).status).toBe('MET');
    expect(status('II', new Date(after(120).getTime() + 1), after(500)).status).toBe('MISSED');
    expect(status('I', null, new Date(after(120).getTime() + 1)).status).toBe('MISSED');
  });
});

describe('auto-open rules', () => {
  it('take drinking-water stations and heavy-metal analysers at exceedance, by default', () => {
    expect(matchingRule(DEFAULT_AUTO_OPEN_RULES, { monitorKind: 'WATER_STATION', severity: 'EXCEEDANCE' })?.incidentType).toBe('WATER_POLLUTION');
    expect(matchingRule(DEFAULT_AUTO_OPEN_RULES, { monitorKind: 'HEAVY_METAL_ANALYSER', severity: 'EXCEEDANCE' })?.monitorKind).toBe('HEAVY_METAL_ANALYSER');
    expect(matchingRule(DEFAULT_AUTO_OPEN_RULES, { monitorKind: 'WATER_STATION', severity: 'WARNING' })).toBeUndefined();
    expect(matchingRule(DEFAULT_AUTO_OPEN_RULES, { monitorKind: 'WASTEWATER_OUTLET', severity: 'EXCEEDANCE' })).toBeUndefined();
  });

  it('let a warning rule take exceedances too', () => {
    const rules: AutoOpenRule[] = [{ monitorKind: 'AIR_STATION', severity: 'WARNING', incidentType: 'AIR_POLLUTION', warningColour: 'BLUE' }];
    expect(matchingRule(rules, { monitorKind: 'AIR_STATION', severity: 'WARNING' })?.incidentType).toBe('AIR_POLLUTION');
    expect(matchingRule(rules, { monitorKind: 'AIR_STATION', severity: 'EXCEEDANCE' })?.incidentType).toBe('AIR_POLLUTION');
    expect(matchingRule(rules, { monitorKind: 'WATER_STATION', severity: 'EXCEEDANCE' })).toBeUndefined();
  });
});
