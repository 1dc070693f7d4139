import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { andersonKSampleSorted } from './anderson.js';
import scipy from './anderson-cvm.scipy.vectors.json' with { type: 'json' };
import methods from './anderson-cvm.vectors.json' with { type: 'json' };
import { sortFloat64 } from './sort.js';
import { expectClose, lattice } from './stats.suite.js';

const sorted = (xs: ArrayLike<number>) => sortFloat64(Float64Array.from(xs));

describe('Anderson–Darling k-sample', () => {
  it('methods.md 1.11: A2 = 2.005814126830, p = 0.048467144272', () => {
    const r = andersonKSampleSorted([sorted(methods.x), sorted(methods.y)]);
    expectClose(r.statistic, methods.anderson.statistic, 1e-9);
    expectClose(r.pValue, methods.anderson.pValue, 1e-6);
    expect(r.capped).toBe(false);
  });

  it.each(scipy.anderson)(`matches SciPy ${scipy.scipy} anderson_ksamp(midrank): $name`, (v) => {
    const r = andersonKSampleSorted(v.samples.map((s) => sortFloat64(lattice(s))));
    expectClose(r.statistic, v.statistic, 1e-9, 1e-12);
    expectClose(r.pValue, v.pValue, 1e-6);
  });

  it('caps p to [0.001, 0.25] and says so', () => {
    const same = andersonKSampleSorted([sorted([1, 2, 3, 4, 5]), sorted([1, 2, 3, 4, 5])]);
    expect(same.pValue).toBe(0.25);
    expect(same.capped).toBe(true);
    const apart = andersonKSampleSorted([
      sorted(Array.from({ length: 20 }, (_, i) => i)),
      sorted(Array.from({ length: 20 }, (_, i) => i + 30)),
    ]);
    expect(apart.pValue).toBe(0.001);
  });

  it('is symmetric in the order of the samples and p stays in [0.001, 0.25]', () => {
    const sample = fc
      .array(fc.integer({ min: 0, max: 30 }), { minLength: 2, maxLength: 40 })
      .map((xs) => sorted(xs));
    fc.assert(
      fc.property(sample, sample, (a, b) => {
        const lo = Math.min(a[0]!, b[0]!);
        const hi = Math.max(a[a.length - 1]!, b[b.length - 1]!);
        if (lo === hi) return;
        const ab = andersonKSampleSorted([a, b]);
        const ba = andersonKSampleSorted([b, a]);
        expect(ba.statistic).toBeCloseTo(ab.statistic, 9);
        expect(ab.pValue).toBeGreaterThanOrEqual(0.001);
        expect(ab.pValue).toBeLessThanOrEqual(0.25);
      }),
      { numRuns: 200 },
    );
  });

  it('rejects degenerate input: one sample, an empty sample, < 4 observations, one distinct value', () => {
    expect(() => andersonKSampleSorted([sorted([1, 2])])).toThrow(/two samples/);
    expect(() => andersonKSampleSorted([sorted([1, 2]), new Float64Array(0)])).toThrow(/sample 1 is empty/);
    expect(() => andersonKSampleSorted([sorted([1]), sorted([2, 3])])).toThrow(/at least 4/);
    expect(() => andersonKSampleSorted([sorted([2, 2]), sorted([2, 2, 2])])).toThrow(/distinct/);
  });
});
