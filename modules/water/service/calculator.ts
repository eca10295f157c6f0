import { ValidationError, type FieldProblem } from '../../../src/errors';
import { classifyWater, type LimitedClass, type SupplementaryResult, type WaterClass, type Waterbody } from './classify';
import { isLimitedClass, WATERBODIES } from './registry';
import type { QualityItem } from './types';
import { FACTOR_CODE } from '../../../src/validation';

/** Values one calculator request may carry: every GB 3838 item and then some. */
export const MAX_CALCULATOR_VALUES = 64;

export interface WaterSampleInput {
  waterbody: Waterbody;
  values: readonly { factor: string; value: number }[];
  /** one of I-V; 劣V is refused */
  targetClass?: WaterClass | null;
}

export interface WaterCalculation {
  waterbody: Waterbody;
  class: WaterClass | null;
  targetClass: LimitedClass | null;
  meetsTarget: boolean | null;
  items: QualityItem[];
  supplementary: SupplementaryResult[];
}

/** The GB 3838 calculator behind the public `classifyWater`: validates, then classifies. */
export function calculateWaterClass(input: WaterSampleInput): WaterCalculation {
  const problems: FieldProblem[] = [];
  if (!WATERBODIES.includes(input.waterbody)) problems.push({ path: 'waterbody', message: 'RIVER or LAKE' });
  const targetClass = input.targetClass ?? null;
  if (targetClass !== null && !isLimitedClass(targetClass)) problems.push({ path: 'targetClass', message: 'a target is one of classes I-V' });
  if (input.values.length === 0 || input.values.length > MAX_CALCULATOR_VALUES) {
    throw new ValidationError([{ path: 'values', message: `give 1-${MAX_CALCULATOR_VALUES} values` }]);
  }
  const seen = new Set<string>();
  input.values.forEach(({ factor, value }, index) => {
    if (!FACTOR_CODE.test(factor)) problems.push({ path: `values.${index}.factor`, message: 'factor code must be 1-32 letters, digits, _ or -' });
    else if (seen.has(factor)) problems.push({ path: `values.${index}.factor`, message: `${factor} is given more than once` });
    seen.add(factor);
    if (!Number.isFinite(value)) problems.push({ path: `values.${index}.value`, message: 'must be a finite number' });
  });
  if (problems.length > 0) throw new ValidationError(problems);
  const result = classifyWater({
    waterbody: input.waterbody,
    values: input.values,
    targetClass: targetClass !== null && isLimitedClass(targetClass) ? targetClass : null,
  });
  return {
    waterbody: result.waterbody,
    class: result.class,
    targetClass: result.targetClass,
    meetsTarget: result.meetsTarget,
    items: result.items.map((item) => ({ ...item, sampleCount: null })),
    supplementary: [...result.supplementary],
  };
}
