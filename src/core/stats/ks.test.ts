import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ks2samp, ks2sampSorted, ksPValue } from './ks.js';
import scipy from './ks.scipy.vectors.json' with { type: 'json' };
import methods from './ks.vectors.json' with { type: 'json' };
import { sortFloat64 } from './sort.js';
import { expectClose, lattice, seeded, shuffled } from './stats.suite.js';

const f64 = (xs: number[]) => Float64Array.from(xs);

describe('ks2samp: methods.md 1.1 vectors', () => {
  it.each(methods.ks2samp)('$id auto (exact) and asymp', (v) => {
    const auto = ks2samp(f64(v.ref), f64(v.cur));
    expectClose(auto.statistic, v.statistic, 1e-9);
    expectClose(auto.pValue, v.auto.pValue, 1e-6);
    expect(auto.method).toBe(v.auto.method);
    const asymp = ks2samp(f64(v.ref), f64(v.cur), { method: 'asymp' });
    expectClose(asymp.pValue, v.asymp.pValue, 1e-6);
    expect(asymp.method).toBe('asymp');
  });

  it('1.1-a reports SciPy statistic_location 10 and sign +1', () => {
    const r = ks2samp(f64(methods.ks2samp[0]!.ref), f64(methods.ks2samp[0]!.cur));
    expect(r.location).toBe(10);
    expect(r.sign).toBe(1);
  });
});

describe(`ks2samp: SciPy ${scipy.scipy} ks_2samp on lattice samples`, () => {
  it.each(scipy.cases)('$name', (v) => {
    const r = ks2samp(lattice(v.ref), lattice(v.cur), { method: v.method as 'auto' | 'exact' | 'asymp' });
    expectClose(r.statistic, v.statistic, 1e-12, 1e-15, 'statistic');
    expectClose(r.pValue, v.pValue, 1e-6, 1e-300, 'pValue');
    expect(r.location).toBe(v.location);
    expect(r.sign).toBe(v.sign);
  });
});

describe('ks2samp: invariants', () => {
  const sample = fc.array(
    fc.integer({ min: -20, max: 20 }).map((i) => i / 4),
    { minLength: 1, maxLength: 60 },
  );

  it('D and p are symmetric in the two samples; D and p lie in [0, 1]', () => {
    fc.assert(
      fc.property(sample, sample, (a, b) => {
        const ab = ks2samp(f64(a), f64(b));
        const ba = ks2samp(f64(b), f64(a));
        expect(ab.statistic).toBeCloseTo(ba.statistic, 12);
        expect(ab.pValue).toBeCloseTo(ba.pValue, 9);
        expect(ab.pValue).toBeGreaterThanOrEqual(0);
        expect(ab.pValue).toBeLessThanOrEqual(1);
        expect(ab.statistic).toBeGreaterThanOrEqual(0);
        expect(ab.statistic).toBeLessThanOrEqual(1);
      }),
      { numRuns: 300 },
    );
  });

  it('identical samples give D = 0 and p = 1 on both paths', () => {
    fc.assert(
      fc.property(sample, (a) => {
        for (const method of ['auto', 'asymp'] as const) {
          const r = ks2samp(f64(a), f64(a), { method });
          expect(r.statistic).toBe(0);
          expect(r.pValue).toBe(1);
        }
      }),
    );
  });

  it('is invariant to row order and does not modify its inputs', () => {
    const rand = seeded(42);
    const a = lattice({ n: 500, a: 37, c: 3, p: 101, q: 101 });
    const b = lattice({ n: 400, a: 41, c: 7, p: 103, q: 103, shift: 0.05 });
    const before = Float64Array.from(a);
    const r1 = ks2samp(a, b);
    const r2 = ks2samp(shuffled(a, rand), shuffled(b, rand));
    expect(r2).toEqual(r1);
    expect(a).toEqual(before);
  });

  it('exact and asymptotic p-values agree closely for moderate sizes', () => {
    const a = sortFloat64(lattice({ n: 2000, a: 7919, c: 1, p: 2003, q: 2003 }));
    const b = sortFloat64(lattice({ n: 1500, a: 7907, c: 3, p: 1499, q: 1499, shift: 0.03 }));
    const exact = ks2sampSorted(a, b, 'exact');
    const asymp = ks2sampSorted(a, b, 'asymp');
    expect(exact.method).toBe('exact');
    expect(Math.abs(exact.pValue - asymp.pValue)).toBeLessThan(0.01);
  });

  it('takes the asymptotic path for 10^6 vs 10^6 values and detects a shift of 0.5 % of the range', () => {
    const a = sortFloat64(lattice({ n: 1_000_000, a: 7919, c: 1, p: 1_000_003, q: 1_000_003 }));
    const b = sortFloat64(lattice({ n: 1_000_000, a: 7907, c: 3, p: 999_983, q: 999_983, shift: 0.005 }));
    const r = ks2sampSorted(a, b);
    expect(r.method).toBe('asymp');
    expectClose(r.statistic, 0.005, 0.01);
    expect(r.pValue).toBeLessThan(1e-6);
  });

  it('rejects empty samples and invalid sizes with a RangeError naming them', () => {
    expect(() => ks2samp(new Float64Array(0), f64([1]))).toThrow(/ref has 0/);
    expect(() => ksPValue(0.1, 0, 5)).toThrow(RangeError);
    expect(ksPValue(0, 7, 9).pValue).toBe(1);
  });
});
