import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { evaluateSeries, pickLimit, standing, type EvaluatedReading } from '../../src/monitoring/evaluate';
import type { Limit } from '../../src/monitoring/types';

const limit = (overrides: Partial<Limit> = {}): Limit => ({
  id: 1,
  monitorId: null,
  monitorKind: 'WASTEWATER_OUTLET',
  factor: 'w01018',
  period: 'RTD',
  basis: 'RAW',
  upper: 100,
  lower: null,
  warningRatio: 0.8,
  standard: 'GB 8978-1996',
  validFrom: new Date('2000-01-01T00:00:00Z'),
  validTo: null,
  ...overrides,
});
const at = (minute: number): Date => new Date(Date.UTC(2026, 0, 1, 0, minute));
const reading = (minute: number, value: number, l = limit()): EvaluatedReading => ({ time: at(minute), value, limit: l });

describe('standing against a limit', () => {
  it('is inside at the limit, warning from 80 %, exceeding past it', () => {
    expect(standing(79.99, limit())).toBe('IN');
    expect(standing(80, limit())).toBe('WARNING');
    expect(standing(100, limit())).toBe('WARNING');
    expect(standing(100.01, limit())).toBe('EXCEEDANCE');
  });
  it('treats a lower bound (DO) and a range (pH) without a warning band', () => {
    expect(standing(5, limit({ upper: null, lower: 5 }))).toBe('IN');
    expect(standing(4.99, limit({ upper: null, lower: 5 }))).toBe('EXCEEDANCE');
    expect(standing(9, limit({ upper: 9, lower: 6, warningRatio: 1 }))).toBe('IN');
    expect(standing(5.9, limit({ upper: 9, lower: 6, warningRatio: 1 }))).toBe('EXCEEDANCE');
    expect(standing(9.1, limit({ upper: 9, lower: 6, warningRatio: 1 }))).toBe('EXCEEDANCE');
    // a range keeps no warning band even with the default ratio: pH 7.5 is simply inside 6-9
    expect(standing(7.5, limit({ upper: 9, lower: 6 }))).toBe('IN');
    expect(standing(8.99, limit({ upper: 9, lower: 6 }))).toBe('IN');
  });
});

describe('episodes', () => {
  it('opens on a warning, escalates, keeps the peak, and closes on a value back inside', () => {
    const result = evaluateSeries([reading(1, 85), reading(2, 120), reading(3, 150), reading(4, 110), reading(5, 40)], undefined, undefined);
    expect(result.changes.map((c) => c.kind)).toEqual(['opened', 'escalated', 'peakUpdated', 'closed']);
    const [episode] = result.touched;
    expect(episode).toMatchObject({ severity: 'EXCEEDANCE', openedAt: at(1), peakValue: 150, peakAt: at(3), lastOutAt: at(4), closedAt: at(5) });
    expect(result.open).toBeUndefined();
  });

  it('gives the same episodes whatever order a batch arrives in', () => {
    const values = [reading(1, 50), reading(2, 130), reading(3, 160), reading(4, 30), reading(5, 120), reading(6, 20)];
    const shuffled = [values[3], values[0], values[5], values[2], values[4], values[1]] as EvaluatedReading[];
    const inOrder = evaluateSeries(values, undefined, undefined);
    const outOfOrder = evaluateSeries(shuffled, undefined, undefined);
    expect(outOfOrder.changes.map((c) => [c.kind, c.value])).toEqual(inOrder.changes.map((c) => [c.kind, c.value]));
  });

  it('lets late data raise the peak of the episode it falls in but never open, reopen or close one', () => {
    const first = evaluateSeries([reading(10, 120), reading(11, 130)], undefined, undefined);
    const open = first.open;
    expect(open).toBeDefined();
    const late = evaluateSeries([reading(10.5, 190), reading(5, 300), reading(9, 10)], open, at(11));
    expect(late.changes.map((c) => c.kind)).toEqual(['peakUpdated']);
    expect(late.open?.peakValue).toBe(190);
    expect(late.open?.closedAt).toBeUndefined();
    const afterClose = evaluateSeries([reading(12, 10)], late.open, at(11));
    expect(afterClose.changes.map((c) => c.kind)).toEqual(['closed']);
    const stale = evaluateSeries([reading(11.5, 500)], undefined, at(12));
    expect(stale.changes).toEqual([]);
  });

  it('property: at most one episode open at a time, and every close follows its open', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 300, noNaN: true }), { minLength: 1, maxLength: 60 }), (values) => {
        const result = evaluateSeries(
          values.map((v, i) => reading(i, v)),
          undefined,
          undefined,
        );
        let open = 0;
        for (const change of result.changes) {
          if (change.kind === 'opened') open += 1;
          if (change.kind === 'closed') open -= 1;
          expect(open === 0 || open === 1).toBe(true);
        }
        const stillOut = values.length > 0 && standing(values[values.length - 1] as number, limit()) !== 'IN';
        expect(result.open !== undefined).toBe(stillOut && result.changes.some((c) => c.kind === 'opened'));
        for (const episode of result.touched) {
          expect(episode.peakValue).toBeGreaterThanOrEqual(80);
          if (episode.closedAt) expect(episode.closedAt.getTime()).toBeGreaterThan(episode.openedAt.getTime());
        }
      }),
    );
  });
});

describe('which limit applies', () => {
  const kindDefault = limit({ id: 1, validFrom: new Date('2020-01-01T00:00:00Z'), validTo: new Date('2026-01-01T00:00:00Z'), upper: 100 });
  const stricter = limit({ id: 2, validFrom: new Date('2026-01-01T00:00:00Z'), upper: 50 });
  const own = limit({ id: 3, monitorId: 7, monitorKind: null, validFrom: new Date('2025-06-01T00:00:00Z'), upper: 80 });

  it('picks the limit valid at the reading’s own time', () => {
    const monitor = { id: 9, kind: 'WASTEWATER_OUTLET' };
    expect(pickLimit([kindDefault, stricter], monitor, 'w01018', 'RTD', new Date('2025-12-31T23:59:59Z'))?.id).toBe(1);
    expect(pickLimit([kindDefault, stricter], monitor, 'w01018', 'RTD', new Date('2026-01-01T00:00:00Z'))?.id).toBe(2);
    expect(pickLimit([kindDefault, stricter], monitor, 'w01018', 'RTD', new Date('2019-01-01T00:00:00Z'))).toBeUndefined();
  });

  it('prefers the monitor’s own limit over its kind’s default', () => {
    expect(pickLimit([kindDefault, stricter, own], { id: 7, kind: 'WASTEWATER_OUTLET' }, 'w01018', 'RTD', new Date('2026-05-01T00:00:00Z'))?.id).toBe(3);
    expect(pickLimit([kindDefault, stricter, own], { id: 7, kind: 'WASTEWATER_OUTLET' }, 'w01018', 'HOUR', new Date('2026-05-01T00:00:00Z'))).toBeUndefined();
  });
});
