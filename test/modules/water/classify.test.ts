import { describe, expect, it } from 'vitest';
import { classifyItem, classifyWater, classQuality, classRank, targetClassForZone, ugPerLToMgPerL, worseOf } from '../../../modules/water/service/classify';
import type { WaterClass, Waterbody } from '../../../modules/water/service/classify';
import { FACTORS_REPORTED_IN_UG_PER_L } from '../../../modules/water/service/gb3838';

const CLASSES: readonly WaterClass[] = ['I', 'II', 'III', 'IV', 'V'];
type Five = readonly [number, number, number, number, number];

// GB 3838-2002 table 1, typed in here independently of the module's own table so that a wrong
// figure or factor code there fails these tests.
const UPPER_BOUND_ITEMS: readonly { name: string; factor: string; waterbody: Waterbody; limits: Five }[] = [
  { name: 'CODMn', factor: 'w01019', waterbody: 'RIVER', limits: [2, 4, 6, 10, 15] },
  { name: 'COD', factor: 'w01018', waterbody: 'RIVER', limits: [15, 15, 20, 30, 40] },
  { name: 'BOD5', factor: 'w01017', waterbody: 'RIVER', limits: [3, 3, 4, 6, 10] },
  { name: 'NH3-N', factor: 'w21003', waterbody: 'RIVER', limits: [0.15, 0.5, 1.0, 1.5, 2.0] },
  { name: 'TP river', factor: 'w21011', waterbody: 'RIVER', limits: [0.02, 0.1, 0.2, 0.3, 0.4] },
  { name: 'TP lake', factor: 'w21011', waterbody: 'LAKE', limits: [0.01, 0.025, 0.05, 0.1, 0.2] },
  { name: 'TN lake', factor: 'w21001', waterbody: 'LAKE', limits: [0.2, 0.5, 1.0, 1.5, 2.0] },
  { name: 'Cu', factor: 'w20122', waterbody: 'RIVER', limits: [0.01, 1.0, 1.0, 1.0, 1.0] },
  { name: 'Zn', factor: 'w20123', waterbody: 'RIVER', limits: [0.05, 1.0, 1.0, 2.0, 2.0] },
  { name: 'fluoride', factor: 'w21017', waterbody: 'RIVER', limits: [1.0, 1.0, 1.0, 1.5, 1.5] },
  { name: 'Se', factor: 'Se', waterbody: 'RIVER', limits: [0.01, 0.01, 0.01, 0.02, 0.02] },
  { name: 'As', factor: 'w20119', waterbody: 'RIVER', limits: [0.05, 0.05, 0.05, 0.1, 0.1] },
  { name: 'Hg', factor: 'w20111', waterbody: 'RIVER', limits: [0.00005, 0.00005, 0.0001, 0.001, 0.001] },
  { name: 'Cd', factor: 'w20115', waterbody: 'RIVER', limits: [0.001, 0.005, 0.005, 0.005, 0.01] },
  { name: 'Cr6+', factor: 'w20117', waterbody: 'RIVER', limits: [0.01, 0.05, 0.05, 0.05, 0.1] },
  { name: 'Pb', factor: 'w20120', waterbody: 'RIVER', limits: [0.01, 0.01, 0.05, 0.05, 0.1] },
  { name: 'cyanide', factor: 'w21016', waterbody: 'RIVER', limits: [0.005, 0.05, 0.2, 0.2, 0.2] },
  { name: 'volatile phenol', factor: 'w23002', waterbody: 'RIVER', limits: [0.002, 0.002, 0.005, 0.01, 0.1] },
  { name: 'petroleum', factor: 'w22001', waterbody: 'RIVER', limits: [0.05, 0.05, 0.05, 0.5, 1.0] },
  { name: 'LAS', factor: 'w19002', waterbody: 'RIVER', limits: [0.2, 0.2, 0.2, 0.3, 0.3] },
  { name: 'sulfide', factor: 'w21019', waterbody: 'RIVER', limits: [0.05, 0.1, 0.2, 0.5, 1.0] },
];
const DO_LIMITS: Five = [7.5, 6, 5, 3, 2];

// A value at a limit belongs to the first (best) class sharing that limit; a value just above it
// belongs to the first class with a larger limit, or to 劣V when there is none.
const boundaryCases = UPPER_BOUND_ITEMS.flatMap((item) =>
  item.limits.flatMap((limit, index) => {
    const atClass = CLASSES[item.limits.indexOf(limit)] ?? 'WORSE_THAN_V';
    const looserIndex = item.limits.findIndex((other) => other > limit);
    const aboveClass: WaterClass = looserIndex === -1 ? 'WORSE_THAN_V' : (CLASSES[looserIndex] ?? 'WORSE_THAN_V');
    return [
      { name: item.name, boundary: CLASSES[index], factor: item.factor, waterbody: item.waterbody, value: limit, expected: atClass },
      { name: item.name, boundary: CLASSES[index], factor: item.factor, waterbody: item.waterbody, value: limit * 1.001, expected: aboveClass },
    ];
  }),
);

describe('classifyItem: every upper-bound item at and just above each class limit', () => {
  it('covers every upper-bound item of the table', () => {
    expect(boundaryCases).toHaveLength(UPPER_BOUND_ITEMS.length * 10);
  });

  it.each(boundaryCases)('$name = $value (class $boundary limit or just above) is $expected', (c) => {
    const result = classifyItem(c.factor, c.value, c.waterbody);
    expect(result.evaluated).toBe(true);
    expect(result.role).toBe('CLASSED');
    expect(result.class).toBe(c.expected);
  });

  it.each(UPPER_BOUND_ITEMS)('$name reports its table limit for every class', (item) => {
    const result = classifyItem(item.factor, 0, item.waterbody);
    expect(CLASSES.map((cls) => result.limitForClass(cls))).toEqual(item.limits.map((value) => ({ bound: 'UPPER', value })));
    expect(result.limitForClass('WORSE_THAN_V')).toBeNull();
  });
});

describe('classifyItem: hand-picked values', () => {
  it.each([
    ['w01018', 15, 'I'],
    ['w01018', 15.01, 'III'],
    ['w01018', 40, 'V'],
    ['w01018', 40.5, 'WORSE_THAN_V'],
    ['w21003', 0.16, 'II'],
    ['w21003', 1.0, 'III'],
    ['w21003', 2.01, 'WORSE_THAN_V'],
    ['w20122', 0.02, 'II'],
    ['w01019', 0, 'I'],
  ] as const)('%s = %d is %s', (factor, value, expected) => {
    expect(classifyItem(factor, value, 'RIVER').class).toBe(expected);
  });

  it('absorbs binary rounding at a limit: 0.1 + 0.2 mg/L TP on a river is class IV', () => {
    expect(classifyItem('w21011', 0.1 + 0.2, 'RIVER').class).toBe('IV');
  });
});

describe('DO is a lower bound', () => {
  it.each(DO_LIMITS.map((limit, index) => ({ limit, cls: CLASSES[index] })))('DO $limit is class $cls', ({ limit, cls }) => {
    expect(classifyItem('w01009', limit, 'RIVER').class).toBe(cls);
  });

  it.each(DO_LIMITS.map((limit, index) => ({ value: limit * 0.999, cls: CLASSES[index + 1] ?? 'WORSE_THAN_V' })))(
    'DO $value (just below a limit) is $cls',
    ({ value, cls }) => {
      expect(classifyItem('w01009', value, 'RIVER').class).toBe(cls);
    },
  );

  it('more oxygen is better water', () => {
    expect(classifyItem('w01009', 12, 'LAKE').class).toBe('I');
    expect(classifyItem('w01009', 0, 'LAKE').class).toBe('WORSE_THAN_V');
    expect(classifyItem('w01009', 6, 'RIVER').limitForClass('III')).toEqual({ bound: 'LOWER', value: 5 });
  });
});

describe('pH is a range 6-9 for every class', () => {
  it.each([
    [6, 'I'],
    [7.4, 'I'],
    [9, 'I'],
    [5.99, 'WORSE_THAN_V'],
    [9.01, 'WORSE_THAN_V'],
    [3, 'WORSE_THAN_V'],
  ] as const)('pH %d is %s', (value, expected) => {
    expect(classifyItem('w01001', value, 'RIVER').class).toBe(expected);
  });

  it('reports the range as its limit', () => {
    expect(classifyItem('w01001', 7, 'RIVER').limitForClass('V')).toEqual({ bound: 'RANGE', min: 6, max: 9 });
  });
});

describe('TP and TN depend on the waterbody', () => {
  it('TP 0.05 is class II in a river and class III in a lake', () => {
    expect(classifyItem('w21011', 0.05, 'RIVER').class).toBe('II');
    expect(classifyItem('w21011', 0.05, 'LAKE').class).toBe('III');
  });

  it('TP 0.25 is class IV in a river and 劣V in a lake', () => {
    expect(classifyItem('w21011', 0.25, 'RIVER').class).toBe('IV');
    expect(classifyItem('w21011', 0.25, 'LAKE').class).toBe('WORSE_THAN_V');
  });

  it('TN is classed in a lake', () => {
    const tn = classifyItem('w21001', 1.2, 'LAKE');
    expect(tn).toMatchObject({ role: 'CLASSED', evaluated: true, class: 'IV' });
  });

  it('TN is reported, not classed, in a river, and has no river limits', () => {
    const tn = classifyItem('w21001', 5, 'RIVER');
    expect(tn).toMatchObject({ role: 'REPORTED', evaluated: false, class: null });
    expect(tn.limitForClass('III')).toBeNull();
  });
});

describe('items reported but not classed', () => {
  it('water temperature has no class and no limit', () => {
    const t = classifyItem('w01010', 31.5, 'RIVER');
    expect(t).toMatchObject({ role: 'REPORTED', evaluated: false, class: null });
    expect(t.limitForClass('I')).toBeNull();
  });

  it('fecal coliform has no class but keeps its table limits for reporting', () => {
    const fc = classifyItem('w02003', 90_000, 'RIVER');
    expect(fc).toMatchObject({ role: 'REPORTED', evaluated: false, class: null });
    expect(fc.limitForClass('II')).toEqual({ bound: 'UPPER', value: 2000 });
    expect(fc.limitForClass('V')).toEqual({ bound: 'UPPER', value: 40000 });
  });

  it('supplementary and unknown factors are not classed', () => {
    expect(classifyItem('Mn', 5, 'RIVER')).toMatchObject({ role: 'SUPPLEMENTARY', evaluated: false, class: null });
    expect(classifyItem('w01014', 500, 'RIVER')).toMatchObject({ role: 'UNKNOWN', evaluated: false, class: null });
  });

  it('rejects a non-finite value', () => {
    expect(() => classifyItem('w01018', Number.NaN, 'RIVER')).toThrow(RangeError);
    expect(() => classifyItem('w01018', Number.POSITIVE_INFINITY, 'RIVER')).toThrow(RangeError);
  });
});

describe('classifyWater', () => {
  it('takes the worst evaluated item as the station class, ignoring reported items', () => {
    const result = classifyWater({
      waterbody: 'RIVER',
      values: [
        { factor: 'w01009', value: 8 },
        { factor: 'w21003', value: 0.4 },
        { factor: 'w01018', value: 18 },
        { factor: 'w02003', value: 90_000 },
        { factor: 'w21001', value: 6 },
        { factor: 'w01010', value: 22 },
      ],
    });
    expect(result.class).toBe('III');
    expect(result.items.map((item) => item.class)).toEqual(['I', 'II', 'III', null, null, null]);
    expect(result.targetClass).toBeNull();
    expect(result.meetsTarget).toBeNull();
    expect(result.failingItems).toEqual([]);
  });

  it('without a target, gives each item the limit of its own class and no exceedance multiple', () => {
    const result = classifyWater({
      waterbody: 'RIVER',
      values: [
        { factor: 'w01018', value: 18 },
        { factor: 'w21003', value: 2.5 },
      ],
    });
    expect(result.class).toBe('WORSE_THAN_V');
    expect(result.items[0]).toMatchObject({ limit: { bound: 'UPPER', value: 20 }, exceedanceMultiple: null, failsTarget: false });
    // A 劣V item is shown against the class V limit it failed.
    expect(result.items[1]).toMatchObject({ limit: { bound: 'UPPER', value: 2 }, exceedanceMultiple: null, failsTarget: false });
  });

  it('flags items worse than the target with the target limit and the exceedance multiple', () => {
    const result = classifyWater({
      waterbody: 'RIVER',
      targetClass: 'II',
      values: [
        { factor: 'w01009', value: 8 },
        { factor: 'w01018', value: 18 },
        { factor: 'w21003', value: 0.5 },
      ],
    });
    expect(result.class).toBe('III');
    expect(result.meetsTarget).toBe(false);
    expect(result.failingItems.map((item) => item.factor)).toEqual(['w01018']);
    expect(result.failingItems[0]).toMatchObject({
      class: 'III',
      limit: { bound: 'UPPER', value: 15 },
      exceedanceMultiple: 0.2,
      failsTarget: true,
    });
    expect(result.items[2]).toMatchObject({ class: 'II', limit: { bound: 'UPPER', value: 0.5 }, failsTarget: false, exceedanceMultiple: null });
  });

  it('meets a target when every evaluated item is at or better than it', () => {
    const result = classifyWater({
      waterbody: 'LAKE',
      targetClass: 'III',
      values: [
        { factor: 'w21011', value: 0.05 },
        { factor: 'w21001', value: 1.0 },
        { factor: 'w01001', value: 6 },
      ],
    });
    expect(result.class).toBe('III');
    expect(result.meetsTarget).toBe(true);
    expect(result.failingItems).toHaveLength(0);
  });

  it('grades 劣V with the exceedance multiple over the target limit', () => {
    const result = classifyWater({
      waterbody: 'RIVER',
      targetClass: 'III',
      values: [{ factor: 'w21003', value: 3.1 }],
    });
    expect(result.class).toBe('WORSE_THAN_V');
    expect(classQuality(result.class ?? 'I')).toEqual({ zh: '重度污染', en: 'heavily polluted' });
    expect(result.failingItems[0]?.exceedanceMultiple).toBe(2.1);
  });

  it.each([
    ['w01018', 21.2, 'II', 0.41],
    ['w01018', 17.7, 'II', 0.18],
    ['w21011', 0.0313, 'II', 0.25],
    ['w20120', 0.05, 'II', 4],
  ] as const)('rounds the exceedance multiple of %s = %d against class %s to %d', (factor, value, target, expected) => {
    const waterbody: Waterbody = factor === 'w21011' ? 'LAKE' : 'RIVER';
    const result = classifyWater({ waterbody, targetClass: target, values: [{ factor, value }] });
    expect(result.failingItems[0]?.exceedanceMultiple).toBe(expected);
  });

  it('gives no exceedance multiple for DO or pH, but still fails them against the target', () => {
    const result = classifyWater({
      waterbody: 'RIVER',
      targetClass: 'III',
      values: [
        { factor: 'w01009', value: 4 },
        { factor: 'w01001', value: 9.5 },
      ],
    });
    expect(result.failingItems).toEqual([
      {
        factor: 'w01009',
        value: 4,
        role: 'CLASSED',
        evaluated: true,
        class: 'IV',
        limit: { bound: 'LOWER', value: 5 },
        exceedanceMultiple: null,
        failsTarget: true,
      },
      {
        factor: 'w01001',
        value: 9.5,
        role: 'CLASSED',
        evaluated: true,
        class: 'WORSE_THAN_V',
        limit: { bound: 'RANGE', min: 6, max: 9 },
        exceedanceMultiple: null,
        failsTarget: true,
      },
    ]);
  });

  it('has no class and no verdict when nothing is evaluated', () => {
    const result = classifyWater({
      waterbody: 'RIVER',
      targetClass: 'II',
      values: [
        { factor: 'w01010', value: 20 },
        { factor: 'w02003', value: 1_000_000 },
      ],
    });
    expect(result.class).toBeNull();
    expect(result.meetsTarget).toBeNull();
    expect(result.failingItems).toHaveLength(0);
    expect(result.items.every((item) => item.limit === null && !item.failsTarget)).toBe(true);
  });

  it('keeps unknown factors in the items without letting them affect the class', () => {
    const result = classifyWater({
      waterbody: 'RIVER',
      targetClass: 'II',
      values: [
        { factor: 'w01014', value: 900 },
        { factor: 'w01019', value: 3 },
      ],
    });
    expect(result.items.map((item) => [item.factor, item.role, item.class])).toEqual([
      ['w01014', 'UNKNOWN', null],
      ['w01019', 'CLASSED', 'II'],
    ]);
    expect(result.meetsTarget).toBe(true);
  });

  it('checks supplementary items against their single limit, apart from the class', () => {
    const result = classifyWater({
      waterbody: 'LAKE',
      targetClass: 'II',
      values: [
        { factor: 'SO4', value: 250 },
        { factor: 'Cl', value: 250.5 },
        { factor: 'NO3_N', value: 10.5 },
        { factor: 'Fe', value: 0.3 },
        { factor: 'Mn', value: 0.12 },
        { factor: 'w01019', value: 3 },
      ],
    });
    expect(result.supplementary).toEqual([
      { factor: 'SO4', value: 250, limit: 250, exceeds: false },
      { factor: 'Cl', value: 250.5, limit: 250, exceeds: true },
      { factor: 'NO3_N', value: 10.5, limit: 10, exceeds: true },
      { factor: 'Fe', value: 0.3, limit: 0.3, exceeds: false },
      { factor: 'Mn', value: 0.12, limit: 0.1, exceeds: true },
    ]);
    expect(result.items.map((item) => item.factor)).toEqual(['w01019']);
    expect(result.class).toBe('II');
    expect(result.meetsTarget).toBe(true);
  });

  it('rejects a factor given twice in one sample', () => {
    expect(() =>
      classifyWater({
        waterbody: 'RIVER',
        values: [
          { factor: 'w01018', value: 10 },
          { factor: 'w01018', value: 12 },
        ],
      }),
    ).toThrow(RangeError);
  });
});

describe('units', () => {
  it('lists the factors devices report in ug/L', () => {
    expect([...FACTORS_REPORTED_IN_UG_PER_L].sort()).toEqual(['w20111', 'w20115', 'w20117', 'w20119', 'w20120']);
  });

  it('converts ug/L to mg/L exactly at the mercury limits', () => {
    expect(ugPerLToMgPerL(0.05)).toBe(0.00005);
    expect(classifyItem('w20111', ugPerLToMgPerL(0.05), 'RIVER').class).toBe('I');
    expect(classifyItem('w20111', ugPerLToMgPerL(0.1), 'RIVER').class).toBe('III');
    expect(classifyItem('w20115', ugPerLToMgPerL(5), 'RIVER').class).toBe('II');
  });
});

describe('class helpers', () => {
  it('ranks classes from I to 劣V', () => {
    expect((['I', 'II', 'III', 'IV', 'V', 'WORSE_THAN_V'] as const).map(classRank)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('picks the worse of two classes', () => {
    expect(worseOf('II', 'IV')).toBe('IV');
    expect(worseOf('WORSE_THAN_V', 'I')).toBe('WORSE_THAN_V');
    expect(worseOf('III', 'III')).toBe('III');
  });

  it('names the quality of each class', () => {
    expect((['I', 'II', 'III', 'IV', 'V', 'WORSE_THAN_V'] as const).map((cls) => classQuality(cls).zh)).toEqual([
      '优',
      '优',
      '良好',
      '轻度污染',
      '中度污染',
      '重度污染',
    ]);
    expect(classQuality('IV').en).toBe('lightly polluted');
    expect(classQuality('V').en).toBe('moderately polluted');
    expect(classQuality('III').en).toBe('good');
    expect(classQuality('I').en).toBe('excellent');
  });

  it('targets class II in a first-level zone and III in a second-level zone', () => {
    expect(targetClassForZone('FIRST')).toBe('II');
    expect(targetClassForZone('SECOND')).toBe('III');
  });
});
