import { describe, expect, it } from 'vitest';
import { roundUpIaqi } from '../../../modules/air/service/aqi';

describe('roundUpIaqi regressions', () => {
  it('turns noise just below zero into 0, not -0', () => {
    expect(Object.is(roundUpIaqi(-5e-324), 0)).toBe(true);
    expect(Object.is(roundUpIaqi(-1e-12), 0)).toBe(true);
  });
});
