/**
 * The work assessment (工作考评) score: pure arithmetic over the counts of one assistant, cell or
 * town in a period, so that the formula can be read, tested and changed in one place.
 */

/**
 * Weights and targets of the score. At full weight the five parts add up to 100; the overdue
 * deduction is taken off afterwards and the result kept within 0-100.
 *
 * - completion: completed (verified) tasks / assigned tasks
 * - punctuality: tasks submitted by their deadline / completed tasks (0 when none was completed)
 * - responsiveness: mean time from dispatch to acceptance; full marks up to `responseTargetSeconds`,
 *   none from `responseLimitSeconds`, linear between
 * - patrols: patrols / (`patrolsPerWeek` x weeks in the period x level-3 cells the row stands for),
 *   at most 1
 * - media: photos and videos per patrol / `mediaPerPatrol`, at most 1
 * - overdue: a deduction of `overduePenalty` points per task that missed its deadline, at most
 *   `overduePenaltyCap`
 *
 * No work is not full marks. With no task assigned in the period the three task parts are not
 * applicable; with no patrol the media part is not. The applicable parts are scaled up to 100
 * (renormalised), so a row is judged on what it had to do. A row with less activity than
 * `minimumActivity` (tasks assigned plus patrols made) is not ranked at all: it is listed after
 * the ranked rows with its reason, and its score is what the applicable parts give (0 for no work).
 */
export const ASSESSMENT_WEIGHTS = Object.freeze({
  completion: 35,
  punctuality: 25,
  responsiveness: 15,
  patrols: 15,
  media: 10,
  overduePenalty: 2,
  overduePenaltyCap: 20,
  responseTargetSeconds: 2 * 3600,
  responseLimitSeconds: 24 * 3600,
  patrolsPerWeek: 2,
  mediaPerPatrol: 2,
  minimumActivity: 1,
});

export type AssessmentWeights = typeof ASSESSMENT_WEIGHTS;

export interface AssessmentCounts {
  assigned: number;
  completed: number;
  onTime: number;
  overdue: number;
  /** mean seconds from dispatch to acceptance over accepted tasks; null when none was accepted */
  meanResponseSeconds: number | null;
  patrols: number;
  media: number;
}

export const SCORE_PARTS = ['COMPLETION', 'PUNCTUALITY', 'RESPONSIVENESS', 'PATROLS', 'MEDIA', 'OVERDUE'] as const;
export type ScorePartName = (typeof SCORE_PARTS)[number];

export const UNRANKED_REASONS = ['NO_ACTIVITY'] as const;
export type UnrankedReason = (typeof UNRANKED_REASONS)[number];

/** Each part's share (0-1) before weighting, null where it does not apply: shown beside the score. */
export interface ScoreShares {
  completion: number | null;
  punctuality: number | null;
  responsiveness: number | null;
  patrols: number;
  media: number | null;
  /** points taken off for overdue tasks */
  overdueDeduction: number;
}

/** One line of the score: the points it brought (negative for a deduction); the lines sum to the score before rounding and clamping. */
export interface ScoreLine {
  part: ScorePartName;
  applicable: boolean;
  /** 0-1 before weighting; null when not applicable or for a deduction */
  share: number | null;
  /** the most points the part can bring after renormalising; for a deduction, the cap */
  maxPoints: number;
  points: number;
}

const clamp01 = (value: number): number => Math.min(1, Math.max(0, value));
const round1 = (value: number): number => Math.round(value * 10) / 10;

export function scoreParts(counts: AssessmentCounts, periodDays: number, units: number, weights: AssessmentWeights = ASSESSMENT_WEIGHTS): ScoreShares {
  const tasks = counts.assigned > 0;
  const completion = tasks ? clamp01(counts.completed / counts.assigned) : null;
  const punctuality = tasks ? (counts.completed === 0 ? 0 : clamp01(counts.onTime / counts.completed)) : null;
  let responsiveness: number | null = null;
  if (tasks) {
    if (counts.meanResponseSeconds === null) responsiveness = 0;
    else {
      const span = weights.responseLimitSeconds - weights.responseTargetSeconds;
      responsiveness = clamp01(1 - (counts.meanResponseSeconds - weights.responseTargetSeconds) / span);
    }
  }
  const expectedPatrols = weights.patrolsPerWeek * (periodDays / 7) * Math.max(1, units);
  const patrols = expectedPatrols > 0 ? clamp01(counts.patrols / expectedPatrols) : 1;
  const media = counts.patrols === 0 ? null : clamp01(counts.media / counts.patrols / weights.mediaPerPatrol);
  const overdueDeduction = Math.min(weights.overduePenaltyCap, weights.overduePenalty * counts.overdue);
  return { completion, punctuality, responsiveness, patrols, media, overdueDeduction };
}

/** The score line by line: applicable parts renormalised to 100, then the deduction. */
export function scoreLines(counts: AssessmentCounts, periodDays: number, units: number, weights: AssessmentWeights = ASSESSMENT_WEIGHTS): ScoreLine[] {
  const shares = scoreParts(counts, periodDays, units, weights);
  const parts: [ScorePartName, number | null, number][] = [
    ['COMPLETION', shares.completion, weights.completion],
    ['PUNCTUALITY', shares.punctuality, weights.punctuality],
    ['RESPONSIVENESS', shares.responsiveness, weights.responsiveness],
    ['PATROLS', shares.patrols, weights.patrols],
    ['MEDIA', shares.media, weights.media],
  ];
  const applicableWeight = parts.reduce((sum, [, share, weight]) => (share === null ? sum : sum + weight), 0);
  const scale = applicableWeight > 0 ? 100 / applicableWeight : 0;
  const lines: ScoreLine[] = parts.map(([part, share, weight]) => ({
    part,
    applicable: share !== null,
    share,
    maxPoints: share === null ? 0 : weight * scale,
    points: share === null ? 0 : weight * scale * share,
  }));
  lines.push({ part: 'OVERDUE', applicable: counts.assigned > 0, share: null, maxPoints: weights.overduePenaltyCap, points: -shares.overdueDeduction });
  return lines;
}

/** The score, 0-100 with one decimal. */
export function assessmentScore(counts: AssessmentCounts, periodDays: number, units: number, weights: AssessmentWeights = ASSESSMENT_WEIGHTS): number {
  const total = scoreLines(counts, periodDays, units, weights).reduce((sum, line) => sum + line.points, 0);
  return round1(Math.min(100, Math.max(0, total)));
}

/** Why a row is not ranked, or null when it is. */
export function unrankedReason(counts: AssessmentCounts, weights: AssessmentWeights = ASSESSMENT_WEIGHTS): UnrankedReason | null {
  return counts.assigned + counts.patrols < Math.max(1, weights.minimumActivity) ? 'NO_ACTIVITY' : null;
}

/**
 * Competition ranking by score (1, 2, 2, 4) of the rows with no `unranked` reason, ties in key
 * order; the unranked follow in key order with rank null.
 */
export function rankByScore<T extends { score: number; key: string; unranked?: UnrankedReason | null }>(rows: readonly T[]): (T & { rank: number | null })[] {
  const byKey = (a: T, b: T): number => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
  const ranked = rows.filter((row) => !row.unranked).sort((a, b) => b.score - a.score || byKey(a, b));
  const unranked = rows.filter((row) => row.unranked).sort(byKey);
  let rank = 0;
  return [
    ...ranked.map((row, index) => {
      if (index === 0 || row.score !== (ranked[index - 1] as T).score) rank = index + 1;
      return { ...row, rank: rank as number | null };
    }),
    ...unranked.map((row) => ({ ...row, rank: null })),
  ];
}
