/**
 * The work assessment (工作考评) score: pure arithmetic over the counts of one assistant, cell or
 * town in a period, so that the formula can be read, tested and changed in one place.
 */

/**
 * Weights and targets of the score. The five parts add up to 100; the overdue penalty is taken
 * off afterwards and the result kept within 0-100.
 *
 * - completion: completed (verified) tasks / assigned tasks
 * - punctuality: tasks submitted by their deadline / completed tasks
 * - responsiveness: mean time from dispatch to acceptance; full marks up to `responseTargetSeconds`,
 *   none from `responseLimitSeconds`, linear between
 * - patrols: patrols / (`patrolsPerWeek` x weeks in the period x level-3 cells the row stands for),
 *   at most 1
 * - media: photos and videos per patrol / `mediaPerPatrol`, at most 1
 * - overdue: `overduePenalty` points per task that missed its deadline, at most `overduePenaltyCap`
 *
 * With no task assigned in the period the three task parts count in full: nothing was missed.
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

const clamp01 = (value: number): number => Math.min(1, Math.max(0, value));

/** Each part's share (0-1) before weighting: shown beside the score so it can be explained. */
export function scoreParts(counts: AssessmentCounts, periodDays: number, units: number, weights: AssessmentWeights = ASSESSMENT_WEIGHTS) {
  const noTasks = counts.assigned === 0;
  const completion = noTasks ? 1 : clamp01(counts.completed / counts.assigned);
  const punctuality = noTasks ? 1 : counts.completed === 0 ? 0 : clamp01(counts.onTime / counts.completed);
  let responsiveness: number;
  if (noTasks) responsiveness = 1;
  else if (counts.meanResponseSeconds === null) responsiveness = 0;
  else {
    const span = weights.responseLimitSeconds - weights.responseTargetSeconds;
    responsiveness = clamp01(1 - (counts.meanResponseSeconds - weights.responseTargetSeconds) / span);
  }
  const expectedPatrols = weights.patrolsPerWeek * (periodDays / 7) * Math.max(1, units);
  const patrols = expectedPatrols > 0 ? clamp01(counts.patrols / expectedPatrols) : 1;
  const media = counts.patrols === 0 ? 0 : clamp01(counts.media / counts.patrols / weights.mediaPerPatrol);
  return { completion, punctuality, responsiveness, patrols, media };
}

/** The score, 0-100 with one decimal. */
export function assessmentScore(counts: AssessmentCounts, periodDays: number, units: number, weights: AssessmentWeights = ASSESSMENT_WEIGHTS): number {
  const parts = scoreParts(counts, periodDays, units, weights);
  const earned =
    weights.completion * parts.completion +
    weights.punctuality * parts.punctuality +
    weights.responsiveness * parts.responsiveness +
    weights.patrols * parts.patrols +
    weights.media * parts.media;
  const penalty = Math.min(weights.overduePenaltyCap, weights.overduePenalty * counts.overdue);
  return Math.round(Math.min(100, Math.max(0, earned - penalty)) * 10) / 10;
}

/** Competition ranking by score (1, 2, 2, 4), ties in key order. */
export function rankByScore<T extends { score: number; key: string }>(rows: readonly T[]): (T & { rank: number })[] {
  const sorted = [...rows].sort((a, b) => b.score - a.score || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  let rank = 0;
  return sorted.map((row, index) => {
    if (index === 0 || row.score !== (sorted[index - 1] as T).score) rank = index + 1;
    return { ...row, rank };
  });
}
