/**
 * Environmental emergency grading per the national emergency plan (国家突发环境事件应急预案, 2014).
 * The plan counts "以上" as including the figure and "以下" as excluding it, so every band here is
 * [lower, upper): 30 deaths is level I, 29 is level II, 100 M yuan is level I.
 */

export type IncidentLevel = 'I' | 'II' | 'III' | 'IV';
export type IntakeCut = 'NONE' | 'COUNTY' | 'CITY';
export type CrossBoundary = 'NONE' | 'CITY' | 'PROVINCE';

export interface IncidentCriteria {
  readonly deaths?: number;
  /** Poisoned or seriously injured (中毒或重伤). */
  readonly poisoned?: number;
  readonly evacuated?: number;
  /** Direct economic loss in yuan. */
  readonly economicLossYuan?: number;
  /** The largest administrative level whose drinking-water intake had to be cut. */
  readonly drinkingWaterIntakeCut?: IntakeCut;
  /** The widest boundary the pollution crossed. */
  readonly crossBoundary?: CrossBoundary;
}

export type EmergencyCriterion = 'deaths' | 'poisoned' | 'evacuated' | 'economicLossYuan' | 'drinkingWaterIntakeCut' | 'crossBoundary';

export interface ProposedLevel {
  readonly level: IncidentLevel;
  /** The criteria that reached the proposed level; empty for level IV. */
  readonly decidingCriteria: readonly EmergencyCriterion[];
  /** One human-readable line per deciding criterion, or one line explaining level IV. */
  readonly reasons: readonly string[];
}

const LEVEL_RANK: Readonly<Record<IncidentLevel, number>> = { I: 1, II: 2, III: 3, IV: 4 };

/** Lower bounds (inclusive) for levels I, II, III. */
type Thresholds = readonly [number, number, number];

const COUNT_THRESHOLDS: Readonly<Record<'deaths' | 'poisoned' | 'evacuated' | 'economicLossYuan', Thresholds>> = {
  deaths: [30, 10, 3],
  poisoned: [100, 50, 10],
  evacuated: [50_000, 10_000, 5_000],
  economicLossYuan: [100_000_000, 20_000_000, 5_000_000],
};

const NUMERIC_LABEL: Readonly<Record<keyof typeof COUNT_THRESHOLDS, string>> = {
  deaths: 'deaths',
  poisoned: 'poisoned or seriously injured',
  evacuated: 'people evacuated',
  economicLossYuan: 'direct economic loss (yuan)',
};

const BANDED_LEVELS: readonly IncidentLevel[] = ['I', 'II', 'III'];

interface Finding {
  readonly criterion: EmergencyCriterion;
  readonly level: IncidentLevel;
  readonly reason: string;
}

function numericFinding(criterion: keyof typeof COUNT_THRESHOLDS, value: number | undefined): Finding | null {
  if (value === undefined) return null;
  if (!Number.isFinite(value) || value < 0) throw new RangeError(`${criterion} must be a non-negative number, got ${value}`);
  if (criterion !== 'economicLossYuan' && !Number.isInteger(value)) {
    throw new RangeError(`${criterion} counts people and must be an integer, got ${value}`);
  }
  const thresholds = COUNT_THRESHOLDS[criterion];
  const index = thresholds.findIndex((threshold) => value >= threshold);
  const level = BANDED_LEVELS[index];
  const threshold = thresholds[index];
  if (level === undefined || threshold === undefined) return null;
  return { criterion, level, reason: `${NUMERIC_LABEL[criterion]} ${value} >= ${threshold}: level ${level}` };
}

function intakeFinding(cut: IntakeCut | undefined): Finding | null {
  if (cut === 'CITY') return { criterion: 'drinkingWaterIntakeCut', level: 'I', reason: "a city's drinking-water intake cut: level I" };
  if (cut === 'COUNTY') {
    return { criterion: 'drinkingWaterIntakeCut', level: 'II', reason: "a county's drinking-water intake cut: level II" };
  }
  return null;
}

function boundaryFinding(crossed: CrossBoundary | undefined): Finding | null {
  if (crossed === 'PROVINCE') return { criterion: 'crossBoundary', level: 'II', reason: 'cross-province impact: level II' };
  if (crossed === 'CITY') return { criterion: 'crossBoundary', level: 'III', reason: 'cross-city impact: level III' };
  return null;
}

/**
 * Proposes a level from recorded criteria: the highest level any single criterion reaches.
 * It is a proposal: the plan leaves the final grading to the responding government.
 */
export function proposeIncidentLevel(criteria: IncidentCriteria): ProposedLevel {
  const findings = [
    numericFinding('deaths', criteria.deaths),
    numericFinding('poisoned', criteria.poisoned),
    numericFinding('evacuated', criteria.evacuated),
    numericFinding('economicLossYuan', criteria.economicLossYuan),
    intakeFinding(criteria.drinkingWaterIntakeCut),
    boundaryFinding(criteria.crossBoundary),
  ].filter((finding): finding is Finding => finding !== null);

  if (findings.length === 0) {
    return { level: 'IV', decidingCriteria: [], reasons: ['no recorded criterion reaches level III: level IV'] };
  }
  const best = Math.min(...findings.map((finding) => LEVEL_RANK[finding.level]));
  const deciding = findings.filter((finding) => LEVEL_RANK[finding.level] === best);
  const level = deciding[0]?.level ?? 'IV';
  return {
    level,
    decidingCriteria: deciding.map((finding) => finding.criterion),
    reasons: deciding.map((finding) => finding.reason),
  };
}

export type ResponseLead = 'province' | 'city' | 'district';

/** Who leads the response; the plan's county level is the district here. */
export function responseLead(level: IncidentLevel): ResponseLead {
  if (level === 'I' || level === 'II') return 'province';
  return level === 'III' ? 'city' : 'district';
}

const UPWARD_REPORT_WINDOW_MS = 2 * 60 * 60 * 1000;

/**
 * The latest time a (suspected) level I or II incident must be reported upward: two hours after
 * `reportedAt`, the moment the bureau learned of it. Null for III and IV, which have no fixed window.
 */
export function reportingDeadline(level: IncidentLevel, reportedAt: Date): Date | null {
  if (Number.isNaN(reportedAt.getTime())) throw new RangeError('reportedAt is an invalid Date');
  if (level !== 'I' && level !== 'II') return null;
  return new Date(reportedAt.getTime() + UPWARD_REPORT_WINDOW_MS);
}

export type WarningColour = 'BLUE' | 'YELLOW' | 'ORANGE' | 'RED';

/** Least to most severe. */
export const WARNING_COLOURS: readonly WarningColour[] = ['BLUE', 'YELLOW', 'ORANGE', 'RED'];

/** 1 for blue up to 4 for red: a larger rank is more severe. */
export function warningColourRank(colour: WarningColour): number {
  return WARNING_COLOURS.indexOf(colour) + 1;
}

export function moreSevereWarning(a: WarningColour, b: WarningColour): WarningColour {
  return warningColourRank(a) >= warningColourRank(b) ? a : b;
}

/** A warning is graded by the level of incident it may lead to: I red, II orange, III yellow, IV blue. */
export function warningColourForLevel(level: IncidentLevel): WarningColour {
  const colours: Readonly<Record<IncidentLevel, WarningColour>> = { I: 'RED', II: 'ORANGE', III: 'YELLOW', IV: 'BLUE' };
  return colours[level];
}
