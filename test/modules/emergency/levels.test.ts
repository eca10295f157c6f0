import { describe, expect, it } from 'vitest';
import {
  moreSevereWarning,
  proposeIncidentLevel,
  reportingDeadline,
  responseLead,
  WARNING_COLOURS,
  warningColourForLevel,
  warningColourRank,
} from '../../../modules/emergency/levels';
import type { IncidentCriteria, IncidentLevel } from '../../../modules/emergency/levels';

describe('proposeIncidentLevel: every numeric boundary', () => {
  it.each([
    // deaths: >= 30 I, 10-29 II, 3-9 III
    [{ deaths: 0 }, 'IV'],
    [{ deaths: 2 }, 'IV'],
    [{ deaths: 3 }, 'III'],
    [{ deaths: 9 }, 'III'],
    [{ deaths: 10 }, 'II'],
    [{ deaths: 29 }, 'II'],
    [{ deaths: 30 }, 'I'],
    [{ deaths: 250 }, 'I'],
    // poisoned or seriously injured: >= 100 I, 50-99 II, 10-49 III
    [{ poisoned: 9 }, 'IV'],
    [{ poisoned: 10 }, 'III'],
    [{ poisoned: 49 }, 'III'],
    [{ poisoned: 50 }, 'II'],
    [{ poisoned: 99 }, 'II'],
    [{ poisoned: 100 }, 'I'],
    // evacuated: >= 50,000 I, 10,000-49,999 II, 5,000-9,999 III
    [{ evacuated: 4_999 }, 'IV'],
    [{ evacuated: 5_000 }, 'III'],
    [{ evacuated: 9_999 }, 'III'],
    [{ evacuated: 10_000 }, 'II'],
    [{ evacuated: 49_999 }, 'II'],
    [{ evacuated: 50_000 }, 'I'],
    // direct loss in yuan: >= 100 M I, [20 M, 100 M) II, [5 M, 20 M) III
    [{ economicLossYuan: 4_999_999.99 }, 'IV'],
    [{ economicLossYuan: 5_000_000 }, 'III'],
    [{ economicLossYuan: 19_999_999 }, 'III'],
    [{ economicLossYuan: 20_000_000 }, 'II'],
    [{ economicLossYuan: 99_999_999.5 }, 'II'],
    [{ economicLossYuan: 100_000_000 }, 'I'],
  ] as const)('%j -> level %s', (criteria, expected) => {
    expect(proposeIncidentLevel(criteria).level).toBe(expected);
  });
});

describe('proposeIncidentLevel: categorical criteria', () => {
  it.each([
    [{ drinkingWaterIntakeCut: 'NONE' }, 'IV'],
    [{ drinkingWaterIntakeCut: 'COUNTY' }, 'II'],
    [{ drinkingWaterIntakeCut: 'CITY' }, 'I'],
    [{ crossBoundary: 'NONE' }, 'IV'],
    [{ crossBoundary: 'CITY' }, 'III'],
    [{ crossBoundary: 'PROVINCE' }, 'II'],
  ] as const)('%j -> level %s', (criteria, expected) => {
    expect(proposeIncidentLevel(criteria).level).toBe(expected);
  });
});

describe('proposeIncidentLevel: combining criteria', () => {
  it('proposes level IV with an explanation when nothing is recorded', () => {
    expect(proposeIncidentLevel({})).toEqual({
      level: 'IV',
      decidingCriteria: [],
      reasons: ['no recorded criterion reaches level III: level IV'],
    });
  });

  it('takes the highest level any single criterion reaches', () => {
    const result = proposeIncidentLevel({ deaths: 4, evacuated: 12_000, crossBoundary: 'CITY' });
    expect(result).toEqual({
      level: 'II',
      decidingCriteria: ['evacuated'],
      reasons: ['people evacuated 12000 >= 10000: level II'],
    });
  });

  it('names every criterion that reaches the proposed level, and only those', () => {
    const result = proposeIncidentLevel({
      deaths: 1,
      poisoned: 120,
      evacuated: 6_000,
      economicLossYuan: 150_000_000,
      drinkingWaterIntakeCut: 'CITY',
      crossBoundary: 'PROVINCE',
    });
    expect(result.level).toBe('I');
    expect(result.decidingCriteria).toEqual(['poisoned', 'economicLossYuan', 'drinkingWaterIntakeCut']);
    expect(result.reasons).toEqual([
      'poisoned or seriously injured 120 >= 100: level I',
      'direct economic loss (yuan) 150000000 >= 100000000: level I',
      "a city's drinking-water intake cut: level I",
    ]);
  });

  it('does not add up criteria below a threshold', () => {
    expect(proposeIncidentLevel({ deaths: 2, poisoned: 9, evacuated: 4_999, economicLossYuan: 4_000_000 }).level).toBe('IV');
  });

  it.each([
    [{ deaths: -1 }],
    [{ deaths: 2.5 }],
    [{ poisoned: Number.NaN }],
    [{ evacuated: Number.POSITIVE_INFINITY }],
    [{ economicLossYuan: -10 }],
  ] as IncidentCriteria[][])('rejects %j', (criteria) => {
    expect(() => proposeIncidentLevel(criteria)).toThrow(RangeError);
  });
});

describe('response and reporting', () => {
  it.each([
    ['I', 'province'],
    ['II', 'province'],
    ['III', 'city'],
    ['IV', 'district'],
  ] as const)('level %s is led by the %s', (level, lead) => {
    expect(responseLead(level)).toBe(lead);
  });

  it('requires levels I and II to be reported upward within 2 hours', () => {
    const reportedAt = new Date('2024-06-01T01:30:00Z');
    expect(reportingDeadline('I', reportedAt)?.toISOString()).toBe('2024-06-01T03:30:00.000Z');
    expect(reportingDeadline('II', reportedAt)?.toISOString()).toBe('2024-06-01T03:30:00.000Z');
    expect(reportingDeadline('III', reportedAt)).toBeNull();
    expect(reportingDeadline('IV', reportedAt)).toBeNull();
  });

  it('does not change the time it was given', () => {
    const reportedAt = new Date('2024-12-31T23:00:00Z');
    reportingDeadline('I', reportedAt);
    expect(reportedAt.toISOString()).toBe('2024-12-31T23:00:00.000Z');
  });

  it('rejects an invalid date', () => {
    expect(() => reportingDeadline('I', new Date('not a date'))).toThrow(RangeError);
  });
});

describe('warning colours', () => {
  it('orders blue < yellow < orange < red', () => {
    expect(WARNING_COLOURS).toEqual(['BLUE', 'YELLOW', 'ORANGE', 'RED']);
    expect(WARNING_COLOURS.map(warningColourRank)).toEqual([1, 2, 3, 4]);
  });

  it('picks the more severe of two warnings', () => {
    expect(moreSevereWarning('YELLOW', 'ORANGE')).toBe('ORANGE');
    expect(moreSevereWarning('RED', 'BLUE')).toBe('RED');
  });

  it('colours a warning by the level of incident it may lead to', () => {
    const levels: IncidentLevel[] = ['I', 'II', 'III', 'IV'];
    expect(levels.map(warningColourForLevel)).toEqual(['RED', 'ORANGE', 'YELLOW', 'BLUE']);
  });
});
