import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { kendallExactPValue, kendallTau, mannKendall, olsTrend } from './trend.js';
import vectors from './trend.vectors.json' with { type: 'json' };

const rel = (a: number, b: number) => (b === 0 ? Math.abs(a) : Math.abs(a - b) / Math.abs(b));

describe('olsTrend vs scipy.stats.linregress', () => {
  it.each(vectors.ols)('$name', (v) => {
    const r = olsTrend(v.y);
    expect(rel(r.slope, v.slope)).toBeLessThan(1e-9);
    expect(rel(r.intercept, v.intercept)).toBeLessThan(1e-9);
    expect(rel(r.stderr!, v.stderr)).toBeLessThan(1e-9);
    expect(rel(r.pValue!, v.pValue)).toBeLessThan(1e-6);
  });
  it('methods.md §8: Gini [0.52…0.64] → slope 0.03 per window, p = 3.519224e-4', () => {
    const r = olsTrend([0.52, 0.55, 0.57, 0.61, 0.64]);
    expect(r.slope).toBeCloseTo(0.03, 12);
    expect(r.pValue!).toBeCloseTo(3.519224e-4, 9);
  });
  it('edge cases: two points, an exact line, a constant series', () => {
    expect(olsTrend([1, 2])).toMatchObject({ slope: 1, pValue: null });
    expect(olsTrend([1, 2, 3])).toMatchObject({ slope: 1, stderr: 0, t: null, pValue: 0 });
    expect(olsTrend([2, 2, 2])).toMatchObject({ slope: 0, pValue: 1 });
    expect(() => olsTrend([1, Number.NaN, 2])).toThrow(/y\[1\]/);
  });
});

describe('kendallTau vs scipy.stats.kendalltau', () => {
  it.each(vectors.kendall)('$name', (v) => {
    const r = kendallTau(v.x, v.y);
    expect(rel(r.tau!, v.tau)).toBeLessThan(1e-9);
    expect(rel(r.pValue!, v.pValue)).toBeLessThan(1e-6);
  });
  it('methods.md §8: τ = 1 over 5 windows, exact p = 0.016666666667', () => {
    const r = kendallTau([0, 1, 2, 3, 4], [0.52, 0.55, 0.57, 0.61, 0.64]);
    expect(r.method).toBe('exact');
    expect(r.tau!).toBeCloseTo(1, 14);
    expect(r.pValue!).toBeCloseTo(0.016666666667, 11);
  });
  it('exact p-value: symmetric in c, 1 at the centre, and a probability', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 33 }), fc.double({ min: 0, max: 1, noNaN: true }), (n, u) => {
        const tot = (n * (n - 1)) / 2;
        const c = Math.round(u * tot);
        const p = kendallExactPValue(n, c);
        expect(p).toBeGreaterThan(0);
        expect(p).toBeLessThanOrEqual(1);
        expect(kendallExactPValue(n, tot - c)).toBeCloseTo(p, 14);
      }),
    );
  });
  it('τ is antisymmetric under reversing y', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 3, maxLength: 40 }), (y) => {
        const x = y.map((_, i) => i);
        const a = kendallTau(x, y);
        const b = kendallTau(
          x,
          y.map((v) => -v),
        );
        if (a.tau === null) expect(b.tau).toBeNull();
        else {
          expect(b.tau!).toBeCloseTo(-a.tau, 12);
          expect(b.pValue!).toBeCloseTo(a.pValue!, 12);
        }
      }),
    );
  });
});

describe('mannKendall (textbook formula)', () => {
  it.each(vectors.mannKendall)('$name', (v) => {
    const r = mannKendall(v.y);
    expect(r.s).toBe(v.s);
    expect(rel(r.variance, v.variance)).toBeLessThan(1e-12);
    expect(rel(r.pValue, v.pValue)).toBeLessThan(1e-6);
  });
  it('labels the direction only when significant; a constant series has no trend', () => {
    expect(mannKendall([0.4, 0.36, 0.3, 0.28, 0.2, 0.15, 0.1, 0.08, 0.05]).trend).toBe('decreasing');
    expect(mannKendall([3, 3, 3, 3])).toMatchObject({ s: 0, z: 0, pValue: 1, trend: 'none' });
  });
});
