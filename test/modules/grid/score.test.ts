import { describe, expect, it } from 'vitest';
import { ASSESSMENT_WEIGHTS, assessmentScore, rankByScore, scoreParts } from '../../../modules/grid/service/score';
import { cleanFileName, sniffMediaType } from '../../../modules/grid/service/magic';

const none = { assigned: 0, completed: 0, onTime: 0, overdue: 0, meanResponseSeconds: null, patrols: 0, media: 0 };

describe('assessment score', () => {
  it('has parts that add up to 100', () => {
    const w = ASSESSMENT_WEIGHTS;
    expect(w.completion + w.punctuality + w.responsiveness + w.patrols + w.media).toBe(100);
    expect(assessmentScore({ assigned: 4, completed: 4, onTime: 4, overdue: 0, meanResponseSeconds: 600, patrols: 10, media: 40 }, 7, 1)).toBe(100);
  });

  it('counts the task parts in full when nothing was assigned', () => {
    expect(assessmentScore(none, 7, 1)).toBe(75);
    expect(scoreParts(none, 7, 1)).toEqual({ completion: 1, punctuality: 1, responsiveness: 1, patrols: 0, media: 0 });
  });

  it('scales responsiveness linearly between the target and the limit, and takes off for overdue tasks', () => {
    const halfway = (ASSESSMENT_WEIGHTS.responseTargetSeconds + ASSESSMENT_WEIGHTS.responseLimitSeconds) / 2;
    const counts = { assigned: 2, completed: 2, onTime: 1, overdue: 1, meanResponseSeconds: halfway, patrols: 4, media: 2 };
    expect(scoreParts(counts, 14, 1)).toEqual({ completion: 1, punctuality: 0.5, responsiveness: 0.5, patrols: 1, media: 0.25 });
    expect(assessmentScore(counts, 14, 1)).toBe(35 + 12.5 + 7.5 + 15 + 2.5 - 2);
    expect(assessmentScore({ ...none, assigned: 20, overdue: 20 }, 7, 1)).toBe(0);
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
