import { GB3838_BY_FACTOR, GB3838_SUPPLEMENTARY_LIMITS } from './gb3838';
import type { ClassLimits, Gb3838Item, Gb3838Rule } from './gb3838';

/** GB 3838-2002 class; WORSE_THAN_V is 劣V. */
export type WaterClass = 'I' | 'II' | 'III' | 'IV' | 'V' | 'WORSE_THAN_V';
/** A class that has limits of its own, so can serve as a target. */
export type LimitedClass = Exclude<WaterClass, 'WORSE_THAN_V'>;
export type Waterbody = 'RIVER' | 'LAKE';
export type ProtectionZone = 'FIRST' | 'SECOND';

export const WATER_CLASSES: readonly WaterClass[] = ['I', 'II', 'III', 'IV', 'V', 'WORSE_THAN_V'];
const LIMITED_CLASSES: readonly LimitedClass[] = ['I', 'II', 'III', 'IV', 'V'];

/** 1 for class I up to 6 for 劣V: a larger rank is worse water. */
export function classRank(cls: WaterClass): number {
  return WATER_CLASSES.indexOf(cls) + 1;
}

export function worseOf(a: WaterClass, b: WaterClass): WaterClass {
  return classRank(a) >= classRank(b) ? a : b;
}

export interface ClassQuality {
  readonly zh: string;
  readonly en: string;
}

const QUALITY: Readonly<Record<WaterClass, ClassQuality>> = {
  I: { zh: '优', en: 'excellent' },
  II: { zh: '优', en: 'excellent' },
  III: { zh: '良好', en: 'good' },
  IV: { zh: '轻度污染', en: 'lightly polluted' },
  V: { zh: '中度污染', en: 'moderately polluted' },
  WORSE_THAN_V: { zh: '重度污染', en: 'heavily polluted' },
};

export function classQuality(cls: WaterClass): ClassQuality {
  return QUALITY[cls];
}

/** Target class of a centralised drinking-water source station by its protection zone. */
export function targetClassForZone(zone: ProtectionZone): LimitedClass {
  return zone === 'FIRST' ? 'II' : 'III';
}

/** Devices report Hg, Cd, Cr6+, As and Pb in ug/L; every limit here is mg/L. */
export function ugPerLToMgPerL(valueUgPerL: number): number {
  return valueUgPerL / 1000;
}

export type Limit =
  | { readonly bound: 'UPPER'; readonly value: number }
  | { readonly bound: 'LOWER'; readonly value: number }
  | { readonly bound: 'RANGE'; readonly min: number; readonly max: number };

/**
 * CLASSED: takes part in the station class. REPORTED: a GB 3838 item left out of routine
 * evaluation (water temperature, fecal coliform, TN on a river). SUPPLEMENTARY: a drinking-source
 * item with a single limit and no class. UNKNOWN: not a GB 3838 item (e.g. conductivity).
 */
export type ItemRole = 'CLASSED' | 'REPORTED' | 'SUPPLEMENTARY' | 'UNKNOWN';

export interface ItemClassification {
  readonly factor: string;
  readonly value: number;
  readonly waterbody: Waterbody;
  readonly role: ItemRole;
  readonly evaluated: boolean;
  /** Null unless the item is evaluated. */
  readonly class: WaterClass | null;
  /** The item's GB 3838 limit for a class; null for 劣V and for items the standard gives no limit. */
  limitForClass(cls: WaterClass): Limit | null;
}

// Values averaged or converted from ug/L pick up binary rounding (0.1 + 0.2 > 0.3); a relative
// slack far below any instrument's resolution keeps a value that is "at" the limit in that class.
const RELATIVE_TOLERANCE = 1e-9;

function atMost(value: number, limit: number): boolean {
  return value <= limit + Math.abs(limit) * RELATIVE_TOLERANCE;
}

function atLeast(value: number, limit: number): boolean {
  return value >= limit - Math.abs(limit) * RELATIVE_TOLERANCE;
}

function limitsFor(rule: Exclude<Gb3838Rule, { bound: 'RANGE' }>, waterbody: Waterbody): ClassLimits {
  if ('limits' in rule) return rule.limits;
  return waterbody === 'LAKE' ? rule.lake : rule.river;
}

function ruleLimit(rule: Gb3838Rule, cls: WaterClass, waterbody: Waterbody): Limit | null {
  if (cls === 'WORSE_THAN_V') return null;
  if (rule.bound === 'RANGE') return { bound: 'RANGE', min: rule.min, max: rule.max };
  const value = limitsFor(rule, waterbody)[LIMITED_CLASSES.indexOf(cls)];
  if (value === undefined) return null;
  return { bound: rule.bound, value };
}

function classUnderRule(rule: Gb3838Rule, value: number, waterbody: Waterbody): WaterClass {
  if (rule.bound === 'RANGE') {
    return atLeast(value, rule.min) && atMost(value, rule.max) ? 'I' : 'WORSE_THAN_V';
  }
  const limits = limitsFor(rule, waterbody);
  const meets = rule.bound === 'UPPER' ? atMost : atLeast;
  const index = limits.findIndex((limit) => meets(value, limit));
  return index === -1 ? 'WORSE_THAN_V' : (LIMITED_CLASSES[index] ?? 'WORSE_THAN_V');
}

function roleOf(item: Gb3838Item | undefined, factor: string, waterbody: Waterbody): ItemRole {
  if (item === undefined) return GB3838_SUPPLEMENTARY_LIMITS.has(factor) ? 'SUPPLEMENTARY' : 'UNKNOWN';
  if (item.rule === null || item.classedFor === 'NONE') return 'REPORTED';
  if (item.classedFor === 'LAKE' && waterbody !== 'LAKE') return 'REPORTED';
  return 'CLASSED';
}

function assertFinite(factor: string, value: number): void {
  if (!Number.isFinite(value)) throw new RangeError(`value of ${factor} is not a finite number: ${value}`);
}

/**
 * Single-factor class of one item: the best class whose limit the value meets, limits inclusive.
 * Values in mg/L (fecal coliform per L). Throws RangeError on a non-finite value: readings flagged
 * invalid must be filtered out before classification, not turned into a class.
 */
export function classifyItem(factor: string, value: number, waterbody: Waterbody): ItemClassification {
  assertFinite(factor, value);
  const item = GB3838_BY_FACTOR.get(factor);
  const role = roleOf(item, factor, waterbody);
  const rule = item?.rule ?? null;
  const evaluated = role === 'CLASSED' && rule !== null;
  return {
    factor,
    value,
    waterbody,
    role,
    evaluated,
    class: evaluated ? classUnderRule(rule, value, waterbody) : null,
    limitForClass: (cls) => {
      if (rule === null || (item?.classedFor === 'LAKE' && waterbody !== 'LAKE')) return null;
      return ruleLimit(rule, cls, waterbody);
    },
  };
}

export interface AssessedItem {
  readonly factor: string;
  readonly value: number;
  readonly role: ItemRole;
  readonly evaluated: boolean;
  readonly class: WaterClass | null;
  /**
   * The target class's limit when a target is given, else the limit of the item's own class
   * (class V's limit for a 劣V item, i.e. the one it failed). Null for items not evaluated.
   */
  readonly limit: Limit | null;
  /**
   * 超标倍数 = value / target limit - 1, rounded to 2 decimals, only for an upper-bound item worse
   * than the target. Null otherwise, including pH and DO: the national evaluation practice computes
   * no exceedance multiple for them, and a range or a lower bound has no meaningful ratio.
   */
  readonly exceedanceMultiple: number | null;
  readonly failsTarget: boolean;
}

export interface SupplementaryResult {
  readonly factor: string;
  readonly value: number;
  readonly limit: number;
  /** Strictly above the limit: equal to the limit complies. */
  readonly exceeds: boolean;
}

export interface WaterAssessment {
  readonly waterbody: Waterbody;
  /** The worst evaluated item's class; null when no item was evaluated. */
  readonly class: WaterClass | null;
  readonly targetClass: LimitedClass | null;
  /** Null when there is no target or no evaluated item. Supplementary items do not count. */
  readonly meetsTarget: boolean | null;
  /** Every input except supplementary items, in input order. */
  readonly items: readonly AssessedItem[];
  readonly failingItems: readonly AssessedItem[];
  readonly supplementary: readonly SupplementaryResult[];
}

export interface WaterSample {
  readonly waterbody: Waterbody;
  readonly values: readonly { readonly factor: string; readonly value: number }[];
  readonly targetClass?: LimitedClass | null;
}

function roundTo2(x: number): number {
  // The small nudge stops 1.005 (stored as 1.00499...) rounding down.
  return Math.round(x * 100 + 1e-9) / 100;
}

function assess(classified: ItemClassification, target: LimitedClass | null): AssessedItem {
  const { factor, value, role, evaluated } = classified;
  const cls = classified.class;
  if (!evaluated || cls === null) {
    return { factor, value, role, evaluated, class: null, limit: null, exceedanceMultiple: null, failsTarget: false };
  }
  const reference: WaterClass = target ?? (cls === 'WORSE_THAN_V' ? 'V' : cls);
  const limit = classified.limitForClass(reference);
  const failsTarget = target !== null && classRank(cls) > classRank(target);
  const exceedanceMultiple = failsTarget && limit !== null && limit.bound === 'UPPER' && limit.value > 0 ? roundTo2(value / limit.value - 1) : null;
  return { factor, value, role, evaluated, class: cls, limit, exceedanceMultiple, failsTarget };
}

/**
 * Single-factor evaluation of one station sample. Each factor may appear once (RangeError
 * otherwise: two values for one item in one sample is a caller error, not something to average).
 */
export function classifyWater(sample: WaterSample): WaterAssessment {
  const target = sample.targetClass ?? null;
  const seen = new Set<string>();
  const items: AssessedItem[] = [];
  const supplementary: SupplementaryResult[] = [];
  let stationClass: WaterClass | null = null;

  for (const { factor, value } of sample.values) {
    if (seen.has(factor)) throw new RangeError(`factor ${factor} appears more than once in one sample`);
    seen.add(factor);
    const classified = classifyItem(factor, value, sample.waterbody);
    if (classified.role === 'SUPPLEMENTARY') {
      const limit = GB3838_SUPPLEMENTARY_LIMITS.get(factor);
      if (limit !== undefined) supplementary.push({ factor, value, limit, exceeds: !atMost(value, limit) });
      continue;
    }
    const assessed = assess(classified, target);
    items.push(assessed);
    if (assessed.class !== null) stationClass = stationClass === null ? assessed.class : worseOf(stationClass, assessed.class);
  }

  const failingItems = items.filter((item) => item.failsTarget);
  const meetsTarget = target === null || stationClass === null ? null : failingItems.length === 0;
  return { waterbody: sample.waterbody, class: stationClass, targetClass: target, meetsTarget, items, failingItems, supplementary };
}
