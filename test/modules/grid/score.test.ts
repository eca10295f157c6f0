import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  ASSESSMENT_WEIGHTS,
  assessmentScore,
  rankByScore,
  scoreLines,
  scoreParts,
  unrankedReason,
  type AssessmentCounts,
} from '../../../modules/grid/service/score';
import { cleanFileName, sniffMediaType } from '../../../modules/grid/service/magic';

const none: AssessmentCounts = { assigned: 0, completed: 0, onTime: 0, overdue: 0, meanResponseSeconds: null, patrols: 0, media: 0 };

describe('assessment score', () => {
  const score = (counts: Partial<typeof none>, days = 7, units = 1) => assessmentScore({ ...none, ...counts }, days, units);

  it('has parts that add up to 100', () => {
    const w = ASSESSMENT_WEIGHTS;
    expect(w.completion + w.punctuality + w.responsiveness + w.patrols + w.media).toBe(100);
    expect(score({ assigned: 4, completed: 4, onTime: 4, meanResponseSeconds: 600, patrols: 10, media: 40 })).toBe(100);
  });

  it('does not count the task parts when nothing was assigned, and does not rank a row without work', () => {
    expect(scoreParts(none, 7, 1)).toEqual({ completion: null, punctuality: null, responsiveness: null, patrols: 0, media: null, overdueDeduction: 0 });
    expect(score({})).toBe(0);
    expect(unrankedReason(none)).toBe('NO_ACTIVITY');
    expect(unrankedReason({ ...none, patrols: 1 })).toBeNull();
    expect(unrankedReason({ ...none, assigned: 1 })).toBeNull();
  });

  // [case, counts, period days, score]
  it.each<[string, Partial<typeof none>, number, number]>([
    ['no work at all', {}, 7, 0],
    ['patrols only, all expected, two photos each', { patrols: 2, media: 4 }, 7, 100],
    ['patrols only, half expected, no photo', { patrols: 1 }, 7, 30],
    ['one task verified on time, accepted at once, no patrol', { assigned: 1, completed: 1, onTime: 1, meanResponseSeconds: 60 }, 7, 83.3],
    ['one task never taken up', { assigned: 1 }, 7, 0],
    ['one task late and overdue, everything else perfect', { assigned: 1, completed: 1, overdue: 1, meanResponseSeconds: 60, patrols: 2, media: 4 }, 7, 73],
    [
      'the worker of a partial month: a verified task, 2 photos, 3 patrols',
      { assigned: 1, completed: 1, onTime: 1, meanResponseSeconds: 1800, patrols: 3, media: 2 },
      10,
      93.3,
    ],
    ['twenty overdue tasks', { assigned: 20, overdue: 20 }, 7, 0],
  ])('scores %s', (_case, counts, days, expected) => {
    expect(score(counts, days)).toBe(expected);
  });

  it('shows every part and the deduction as lines that add up to the score', () => {
    const counts = { ...none, assigned: 2, completed: 2, onTime: 1, overdue: 1, meanResponseSeconds: 7200, patrols: 2, media: 1 };
    const lines = scoreLines(counts, 7, 1);
    expect(lines.map((l) => [l.part, l.applicable, l.points])).toEqual([
      ['COMPLETION', true, 35],
      ['PUNCTUALITY', true, 12.5],
      ['RESPONSIVENESS', true, 15],
      ['PATROLS', true, 15],
      ['MEDIA', true, 2.5],
      ['OVERDUE', true, -2],
    ]);
    expect(lines.reduce((sum, l) => sum + l.points, 0)).toBe(assessmentScore(counts, 7, 1));
    const patrolsOnly = scoreLines({ ...none, patrols: 1 }, 7, 1);
    expect(patrolsOnly.filter((l) => l.applicable).map((l) => [l.part, l.maxPoints])).toEqual([
      ['PATROLS', 60],
      ['MEDIA', 40],
    ]);
  });

  it('ranks one assistant who worked above 76 who did nothing, and lists those unranked with the reason', () => {
    const idle = Array.from({ length: 76 }, (_, i) => ({ key: `idle-${String(i).padStart(2, '0')}`, counts: none }));
    const worker = { key: 'worker', counts: { ...none, assigned: 1, completed: 1, onTime: 1, meanResponseSeconds: 1800, patrols: 3, media: 2 } };
    const lazy = { key: 'one-patrol', counts: { ...none, patrols: 1 } };
    const rows = [...idle, worker, lazy].map((r) => ({ key: r.key, score: assessmentScore(r.counts, 10, 1), unranked: unrankedReason(r.counts) }));
    const ranked = rankByScore(rows);
    expect(ranked.slice(0, 2).map((r) => [r.rank, r.key])).toEqual([
      [1, 'worker'],
      [2, 'one-patrol'],
    ]);
    expect(ranked.slice(2)).toHaveLength(76);
    expect(ranked.slice(2).every((r) => r.rank === null && r.unranked === 'NO_ACTIVITY' && r.key.startsWith('idle-'))).toBe(true);
  });

  it('scales responsiveness linearly between the target and the limit, and takes off for overdue tasks', () => {
    const halfway = (ASSESSMENT_WEIGHTS.responseTargetSeconds + ASSESSMENT_WEIGHTS.responseLimitSeconds) / 2;
    const counts = { assigned: 2, completed: 2, onTime: 1, overdue: 1, meanResponseSeconds: halfway, patrols: 4, media: 2 };
    expect(scoreParts(counts, 14, 1)).toEqual({ completion: 1, punctuality: 0.5, responsiveness: 0.5, patrols: 1, media: 0.25, overdueDeduction: 2 });
    expect(assessmentScore(counts, 14, 1)).toBe(35 + 12.5 + 7.5 + 15 + 2.5 - 2);
  });

  it('expects more patrols of a town with more villages', () => {
    expect(scoreParts({ ...none, patrols: 4 }, 7, 1).patrols).toBe(1);
    expect(scoreParts({ ...none, patrols: 4 }, 7, 4).patrols).toBe(0.5);
  });

  it('ranks by score with shared ranks for equal scores', () => {
    const ranked = rankByScore([
      { key: 'c', score: 70 },
      { key: 'a', score: 90 },
      { key: 'd', score: 90 },
      { key: 'b', score: 60 },
    ]);
    expect(ranked.map((r) => `${r.rank}${r.key}`)).toEqual(['1a', '1d', '3c', '4b']);
  });

  it('keeps every score within 0-100 and the lines summing to it', () => {
    fc.assert(
      fc.property(
        fc.record({
          assigned: fc.nat(50),
          completed: fc.nat(50),
          onTime: fc.nat(50),
          overdue: fc.nat(50),
          meanResponseSeconds: fc.option(fc.nat(200_000)),
          patrols: fc.nat(100),
          media: fc.nat(400),
        }),
        fc.integer({ min: 1, max: 366 }),
        fc.integer({ min: 1, max: 30 }),
        (counts, days, units) => {
          const value = assessmentScore(counts, days, units);
          expect(value).toBeGreaterThanOrEqual(0);
          expect(value).toBeLessThanOrEqual(100);
          const total = scoreLines(counts, days, units).reduce((sum, l) => sum + l.points, 0);
          expect(Math.abs(value - Math.min(100, Math.max(0, total)))).toBeLessThanOrEqual(0.05 + 1e-9);
          if (counts.assigned + counts.patrols === 0) expect(value).toBe(0);
        },
      ),
    );
  });
});

describe('media type from content', () => {
  it.each([
    ['JPEG', [0xff, 0xd8, 0xff, 0xdb], 'image/jpeg'],
    ['PNG', [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0], 'image/png'],
    ['WebP', [...Buffer.from('RIFF'), 0, 0, 0, 0, ...Buffer.from('WEBPVP8 ')], 'image/webp'],
    ['MP4', [0, 0, 0, 0x20, ...Buffer.from('ftypisom')], 'video/mp4'],
    ['MOV', [0, 0, 0, 0x14, ...Buffer.from('ftypqt  ')], 'video/quicktime'],
  ])('knows %s', (_name, bytes, type) => {
    expect(sniffMediaType(Uint8Array.from(bytes))).toBe(type);
  });

  it.each([
    ['HTML', Buffer.from('<!doctype html><script>')],
    ['a HEIC still', Buffer.from([0, 0, 0, 0x18, ...Buffer.from('ftypheic')])],
    ['M4A audio', Buffer.from([0, 0, 0, 0x18, ...Buffer.from('ftypM4A ')])],
    ['a RIFF that is not WebP', Buffer.from('RIFF\0\0\0\0WAVEfmt ')],
    ['two bytes of JPEG', Buffer.from([0xff, 0xd8])],
    ['nothing', Buffer.alloc(0)],
  ])('refuses %s', (_name, bytes) => {
    expect(sniffMediaType(bytes)).toBeUndefined();
  });

  it('keeps only a safe base name', () => {
    expect(cleanFileName('../../etc/passwd')).toBe('passwd');
    expect(cleanFileName('C:\\photos\\现场 "1".jpg')).toBe('现场 1.jpg');
    expect(cleanFileName('\u0000\u001f')).toBeNull();
    expect(cleanFileName(undefined)).toBeNull();
  });
});
