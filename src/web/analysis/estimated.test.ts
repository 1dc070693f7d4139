import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { seededRng } from '../../core/rng.js';
import { chosenProbability, estimatedAccuracySeries } from './estimated.js';
import { windowOf } from './window-fixtures.js';

describe('accuracy estimated from scores', () => {
  it('reads the probability of the chosen class', () => {
    expect(chosenProbability({ class: 'yes', probabilities: { yes: 0.8, no: 0.2 } })).toBe(0.8);
    expect(chosenProbability({ probabilities: { a: 0.2, b: 0.5, c: 0.3 } })).toBe(0.5);
    expect(chosenProbability({ probabilities: { '1': 0.3 } })).toBe(0.7);
    expect(chosenProbability({ class: '0', probabilities: { '1': 0.3 } })).toBe(0.7);
    expect(chosenProbability({ class: '1', probabilities: { '1': 0.3 } })).toBe(0.3);
    expect(chosenProbability({ class: 'x' })).toBeNull();
    expect(chosenProbability(null)).toBeNull();
  });

  it('is the mean chosen probability with a ± 3 SE band, and tracks realised accuracy of calibrated scores', () => {
    const rng = seededRng(11);
    const rows = Array.from({ length: 2000 }, () => {
      const p = 0.6 + 0.4 * rng.next();
      const right = rng.next() < p;
      return {
        features: {},
        output: { class: 'a', probabilities: { a: p, b: 1 - p } },
        label: right ? 'a' : 'b',
      };
    });
    const s = estimatedAccuracySeries([[windowOf(rows, 0)], []]);
    const realised = rows.filter((r) => r.label === 'a').length / rows.length;
    expect(s.n).toEqual([2000, 0]);
    expect(s.value[1]).toBeNull();
    expect(s.value[0]!).toBeCloseTo(0.8, 1);
    expect(realised).toBeGreaterThan(s.lower[0]!);
    expect(realised).toBeLessThan(s.upper[0]!);
    const half = 3 * Math.sqrt((s.value[0]! * (1 - s.value[0]!)) / 2000);
    expect(s.upper[0]! - s.value[0]!).toBeCloseTo(half, 12);
  });

  it('stays in [0, 1] with the estimate inside its band (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 50 }),
        (ps) => {
          const rows = ps.map((p) => ({ features: {}, output: { probabilities: { a: p, b: 1 - p } } }));
          const s = estimatedAccuracySeries([[windowOf(rows, 0)]]);
          expect(s.lower[0]!).toBeGreaterThanOrEqual(0);
          expect(s.upper[0]!).toBeLessThanOrEqual(1);
          expect(s.value[0]!).toBeGreaterThanOrEqual(s.lower[0]!);
          expect(s.value[0]!).toBeLessThanOrEqual(s.upper[0]!);
        },
      ),
      { numRuns: 50 },
    );
  });
});
