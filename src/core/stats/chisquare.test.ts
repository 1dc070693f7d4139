import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chi2Sf, chiSquareContingency, chiSquareGoodnessOfFit, zTestProportions } from './chisquare.js';
import scipy from './chisquare.scipy.vectors.json' with { type: 'json' };
import methods from './chisquare.vectors.json' with { type: 'json' };
import { expectClose } from './stats.suite.js';

describe('chi-square: methods.md 1.8 vectors', () => {
  it('Evidently goodness of fit: χ² 16.75, p 2.30559867592e-4', () => {
    const v = methods.goodnessOfFit;
    const r = chiSquareGoodnessOfFit(v.ref, v.cur);
    expectClose(r.statistic!, v.statistic, 1e-9);
    expectClose(r.pValue, v.pValue, 1e-9);
    expect(r.df).toBe(2);
  });

  it.each(methods.contingency)('contingency $ref / $cur (yates $yates)', (v) => {
    const r = chiSquareContingency(v.ref, v.cur, { yates: v.yates ?? true });
    expectClose(r.statistic!, v.statistic, 1e-9);
    expectClose(r.pValue, v.pValue, 1e-9);
    expect(r.df).toBe(v.df);
  });

  it('chi2.sf(3.5, 2) = e^{-1.75}', () => {
    expectClose(chi2Sf(methods.chi2Sf.x, methods.chi2Sf.df), methods.chi2Sf.sf, 1e-9);
    expectClose(chi2Sf(3.5, 2), Math.exp(-1.75), 1e-14);
  });
});

describe(`chi-square: SciPy ${scipy.scipy} vectors`, () => {
  it.each(scipy.contingency)('chi2_contingency $ref / $cur', (v) => {
    const r = chiSquareContingency(v.ref, v.cur);
    expectClose(r.statistic!, v.statistic, 1e-9, 1e-12);
    expectClose(r.pValue, v.pValue, 1e-9);
    expect(r.df).toBe(v.df);
  });

  it.each(scipy.goodnessOfFit)('chisquare $cur against $ref', (v) => {
    const r = chiSquareGoodnessOfFit(v.ref, v.cur);
    expectClose(r.statistic!, v.statistic, 1e-9);
    expectClose(r.pValue, v.pValue, 1e-9);
  });

  it.each(scipy.chi2Sf)('chi2.sf($x, $df)', (v) => {
    expectClose(chi2Sf(v.x, v.df), v.sf, 1e-9, 1e-300);
  });
});

describe('chi-square edge cases and invariants', () => {
  it('a category new in the current sample is drift: statistic null (∞), p 0', () => {
    const r = chiSquareGoodnessOfFit([10, 10, 0], [10, 10, 1]);
    expect(r).toEqual({ statistic: null, pValue: 0, df: 2 });
  });

  it('one category only: no test possible, p = 1; zero totals are rejected', () => {
    expect(chiSquareGoodnessOfFit([5], [7])).toEqual({ statistic: 0, pValue: 1, df: 0 });
    expect(chiSquareContingency([5, 0], [7, 0])).toEqual({ statistic: 0, pValue: 1, df: 0 });
    expect(() => chiSquareGoodnessOfFit([0, 0], [1, 2])).toThrow(/reference counts sum to 0/);
    expect(() => chiSquareContingency([1, 2], [1])).toThrow(/differ in length/);
    expect(() => chi2Sf(1, 0)).toThrow(/degrees of freedom/);
  });

  it('identical proportions give p = 1; the contingency test is symmetric in the two rows; p in [0, 1]', () => {
    const counts = fc.array(fc.integer({ min: 1, max: 500 }), { minLength: 2, maxLength: 8 });
    fc.assert(
      fc.property(counts, counts, fc.integer({ min: 1, max: 5 }), (a, b, k) => {
        const scaled = a.map((x) => x * k);
        expect(chiSquareGoodnessOfFit(a, scaled).pValue).toBeCloseTo(1, 9);
        const len = Math.min(a.length, b.length);
        const x = a.slice(0, len);
        const y = b.slice(0, len);
        const ab = chiSquareContingency(x, y);
        const ba = chiSquareContingency(y, x);
        expect(ab.pValue).toBeCloseTo(ba.pValue, 12);
        expect(ab.pValue).toBeGreaterThanOrEqual(0);
        expect(ab.pValue).toBeLessThanOrEqual(1);
      }),
      { numRuns: 200 },
    );
  });
});

describe('z-test for two proportions (methods.md 1.9)', () => {
  it('40/100 vs 55/100: z = −2.123976976214, p = 0.033672068856 (= uncorrected 2×2 chi-square p)', () => {
    const v = methods.zTest;
    const r = zTestProportions(v.k1, v.n1, v.k2, v.n2);
    expectClose(r.statistic!, v.statistic, 1e-9);
    expectClose(r.pValue, v.pValue, 1e-9);
    const chi = chiSquareContingency([60, 40], [45, 55], { yates: false });
    expectClose(r.pValue, chi.pValue, 1e-9);
  });

  it('guards a pooled proportion of 0 or 1: p = 1 when equal, 0 otherwise', () => {
    expect(zTestProportions(0, 10, 0, 20)).toEqual({ statistic: null, pValue: 1 });
    expect(zTestProportions(10, 10, 20, 20)).toEqual({ statistic: null, pValue: 1 });
  });

  it('z² equals the uncorrected chi-square statistic; z is antisymmetric under swapping samples', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 400 }),
        fc.integer({ min: 2, max: 400 }),
        fc.double({ min: 0.05, max: 0.95, noNaN: true }),
        fc.double({ min: 0.05, max: 0.95, noNaN: true }),
        (n1, n2, f1, f2) => {
          const k1 = Math.round(n1 * f1);
          const k2 = Math.round(n2 * f2);
          const z = zTestProportions(k1, n1, k2, n2);
          const swapped = zTestProportions(k2, n2, k1, n1);
          if (z.statistic === null) return;
          expect(swapped.statistic).toBeCloseTo(-z.statistic, 9);
          const chi = chiSquareContingency([k1, n1 - k1], [k2, n2 - k2], { yates: false });
          if (chi.df === 1) expectClose(z.statistic ** 2, chi.statistic!, 1e-9, 1e-12);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('rejects counts outside [0, n] and empty samples', () => {
    expect(() => zTestProportions(11, 10, 1, 10)).toThrow(/reference count 11/);
    expect(() => zTestProportions(1, 10, 1, 0)).toThrow(/current size/);
  });
});
