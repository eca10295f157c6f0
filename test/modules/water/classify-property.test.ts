import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { classifyItem, classifyWater, classRank } from '../../../modules/water/service/classify';
import type { LimitedClass, Waterbody } from '../../../modules/water/service/classify';

const UPPER_BOUND_FACTORS = [
  'w01019',
  'w01018',
  'w01017',
  'w21003',
  'w21011',
  'w21001',
  'w20122',
  'w20123',
  'w21017',
  'Se',
  'w20119',
  'w20111',
  'w20115',
  'w20117',
  'w20120',
  'w21016',
  'w23002',
  'w22001',
  'w19002',
  'w21019',
] as const;
// Reported-only, supplementary and unknown factors ride along to show they never sway the class.
const OTHER_FACTORS = ['w01009', 'w01001', 'w01010', 'w02003', 'SO4', 'Mn', 'w01014'] as const;

const waterbody = fc.constantFrom<Waterbody>('RIVER', 'LAKE');
const target = fc.option(fc.constantFrom<LimitedClass>('I', 'II', 'III', 'IV', 'V'), { nil: undefined });
// Spans every class of every item: Hg's class I limit is 5e-5, fecal coliform's class V is 4e4.
const concentration = fc.oneof(
  fc.double({ min: 0, max: 0.01, noNaN: true }),
  fc.double({ min: 0, max: 20, noNaN: true }),
  fc.double({ min: 0, max: 100_000, noNaN: true }),
);
const sampleValues = fc.uniqueArray(fc.record({ factor: fc.constantFrom<string>(...UPPER_BOUND_FACTORS, ...OTHER_FACTORS), value: concentration }), {
  selector: (entry) => entry.factor,
  minLength: 1,
  maxLength: 12,
});

describe('classifyWater properties', () => {
  it('never rates the station better than any evaluated item, and equals the worst of them', () => {
    fc.assert(
      fc.property(waterbody, sampleValues, target, (body, values, targetClass) => {
        const result = classifyWater({ waterbody: body, values, targetClass });
        const evaluated = result.items.filter((item) => item.evaluated);
        if (evaluated.length === 0) {
          expect(result.class).toBeNull();
          return;
        }
        const stationClass = result.class;
        expect(stationClass).not.toBeNull();
        if (stationClass === null) return;
        for (const item of evaluated) {
          expect(item.class).not.toBeNull();
          if (item.class !== null) expect(classRank(stationClass)).toBeGreaterThanOrEqual(classRank(item.class));
        }
        expect(evaluated.some((item) => item.class === stationClass)).toBe(true);
      }),
    );
  });

  it('meets a target exactly when the station class is at or better than it', () => {
    fc.assert(
      fc.property(waterbody, sampleValues, fc.constantFrom<LimitedClass>('I', 'II', 'III', 'IV', 'V'), (body, values, targetClass) => {
        const result = classifyWater({ waterbody: body, values, targetClass });
        if (result.class === null) {
          expect(result.meetsTarget).toBeNull();
        } else {
          expect(result.meetsTarget).toBe(classRank(result.class) <= classRank(targetClass));
          expect(result.failingItems.length === 0).toBe(result.meetsTarget);
        }
      }),
    );
  });
});

describe('classifyItem monotonicity', () => {
  it('increasing an upper-bound item never improves its class', () => {
    fc.assert(
      fc.property(fc.constantFrom(...UPPER_BOUND_FACTORS), waterbody, concentration, concentration, (factor, body, a, b) => {
        const [low, high] = a <= b ? [a, b] : [b, a];
        const lowClass = classifyItem(factor, low, body).class;
        const highClass = classifyItem(factor, high, body).class;
        if (lowClass === null || highClass === null) {
          // Only TN on a river goes unclassed among these.
          expect([factor, body]).toEqual(['w21001', 'RIVER']);
          return;
        }
        expect(classRank(highClass)).toBeGreaterThanOrEqual(classRank(lowClass));
      }),
    );
  });

  it('decreasing dissolved oxygen never improves its class', () => {
    fc.assert(
      fc.property(waterbody, fc.double({ min: 0, max: 20, noNaN: true }), fc.double({ min: 0, max: 20, noNaN: true }), (body, a, b) => {
        const [low, high] = a <= b ? [a, b] : [b, a];
        const lowClass = classifyItem('w01009', low, body).class;
        const highClass = classifyItem('w01009', high, body).class;
        expect(lowClass).not.toBeNull();
        expect(highClass).not.toBeNull();
        if (lowClass !== null && highClass !== null) expect(classRank(lowClass)).toBeGreaterThanOrEqual(classRank(highClass));
      }),
    );
  });
});
