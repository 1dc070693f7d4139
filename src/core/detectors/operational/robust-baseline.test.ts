import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAD_TO_SD, median, robustBaseline, robustZ } from './robust-baseline.js';

const values = fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 60 });

describe('robust baseline', () => {
  it('computes the median and MAD of known series (numpy.median, scipy.stats.median_abs_deviation)', () => {
    expect(median([3, 1, 2, 10])).toBe(2.5);
    expect(median([5])).toBe(5);
    expect(median([])).toBeNull();
    expect(median([Number.NaN, 1, Number.POSITIVE_INFINITY, 3])).toBe(2);
    // numpy.median([10, 11, 9, 10, 100]) = 10; median_abs_deviation(...) = 1
    expect(robustBaseline([10, 11, 9, 10, 100])).toEqual({ median: 10, mad: 1, n: 5 });
    // median_abs_deviation([1, 2, 3, 4, 100]) = 1
    expect(robustBaseline([1, 2, 3, 4, 100])).toEqual({ median: 3, mad: 1, n: 5 });
    expect(robustBaseline([7, 7, 7])).toEqual({ median: 7, mad: 0, n: 3 });
    expect(robustBaseline([])).toBeNull();
  });

  it('floors the robust scale so a flat history cannot make z explode', () => {
    const flat = { median: 100, mad: 0, n: 12 };
    expect(robustZ(110, flat, 0.05)).toBeCloseTo(10 / 5, 12);
    expect(robustZ(30, { median: 10, mad: 2, n: 12 }, 0.05)).toBeCloseTo(20 / (2 * MAD_TO_SD), 12);
    expect(Number.isFinite(robustZ(1, { median: 0, mad: 0, n: 3 }, 0.05))).toBe(true);
  });

  it('median lies between min and max; MAD ≥ 0; both move with a shift and the median scales', () => {
    fc.assert(
      fc.property(values, fc.double({ min: -1e3, max: 1e3, noNaN: true }), (xs, c) => {
        const b = robustBaseline(xs)!;
        expect(b.median).toBeGreaterThanOrEqual(Math.min(...xs));
        expect(b.median).toBeLessThanOrEqual(Math.max(...xs));
        expect(b.mad).toBeGreaterThanOrEqual(0);
        const shifted = robustBaseline(xs.map((x) => x + c))!;
        expect(shifted.median).toBeCloseTo(b.median + c, 6);
        expect(shifted.mad).toBeCloseTo(b.mad, 6);
        expect(median(xs.map((x) => 2 * x))).toBeCloseTo(2 * b.median, 6);
      }),
    );
  });

  it('one wild value in the history barely moves the baseline', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 90, max: 110, noNaN: true }), { minLength: 7, maxLength: 30 }),
        (xs) => {
          const clean = robustBaseline(xs)!;
          const spiked = robustBaseline([...xs, 1e9])!;
          expect(Math.abs(spiked.median - clean.median)).toBeLessThanOrEqual(20);
        },
      ),
    );
  });
});
