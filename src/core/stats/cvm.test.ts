import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import scipy from './anderson-cvm.scipy.vectors.json' with { type: 'json' };
import methods from './anderson-cvm.vectors.json' with { type: 'json' };
import { cramerVonMisesSorted, cvmLimitCdf, scaledBesselK } from './cvm.js';
import { sortFloat64 } from './sort.js';
import { expectClose, lattice } from './stats.suite.js';

const sorted = (xs: ArrayLike<number>) => sortFloat64(Float64Array.from(xs));

describe('Cramér–von Mises two-sample', () => {
  const x = sorted(methods.x);
  const y = sorted(methods.y);

  it('methods.md 1.12: T = 0.420751633987, exact p = 0.069436445907, asymptotic p = 0.064209449151', () => {
    const exact = cramerVonMisesSorted(x, y, { method: 'exact' });
    expectClose(exact.statistic, methods.cvm.statistic, 1e-9);
    expectClose(exact.pValue, methods.cvm.exactPValue, 1e-9);
    const asymp = cramerVonMisesSorted(x, y, { method: 'asymptotic' });
    expectClose(asymp.pValue, methods.cvm.asymptoticPValue, 1e-6);
  });

  it("auto follows Evidently (exact only when max(n, m) <= 10) unless SciPy's 20 is asked for", () => {
    expect(cramerVonMisesSorted(x, y).method).toBe('exact');
    const a = sortFloat64(lattice({ n: 15, a: 7, c: 1, p: 17, q: 10 }));
    const b = sortFloat64(lattice({ n: 12, a: 3, c: 2, p: 13, q: 10 }));
    expect(cramerVonMisesSorted(a, b).method).toBe('asymptotic');
    expect(cramerVonMisesSorted(a, b, { exactMaxN: 20 }).method).toBe('exact');
  });

  it.each(scipy.cvm)(`matches SciPy ${scipy.scipy} cramervonmises_2samp: $name`, (v) => {
    const r = cramerVonMisesSorted(sortFloat64(lattice(v.ref)), sortFloat64(lattice(v.cur)), {
      method: v.method as 'exact' | 'asymptotic',
    });
    expectClose(r.statistic, v.statistic, 1e-9, 1e-12);
    expectClose(r.pValue, v.pValue, 1e-6, 1e-12);
  });

  it('exact p is the share of rank splits with U′ >= U: brute force over all splits agrees', () => {
    // 5 vs 4 without ties: enumerate all C(9, 5) = 126 splits.
    const a = sorted([0.3, 1.1, 2.5, 4.0, 4.2]);
    const b = sorted([0.9, 1.7, 3.3, 5.1]);
    const r = cramerVonMisesSorted(a, b, { method: 'exact' });
    const pooled = sorted([...a, ...b]);
    const u = (xs: number[], ys: number[]) => {
      const rank = (v: number) => pooled.indexOf(v) + 1;
      let s = 0;
      xs.forEach((v, i) => {
        s += 5 * (rank(v) - (i + 1)) ** 2;
      });
      ys.forEach((v, i) => {
        s += 4 * (rank(v) - (i + 1)) ** 2;
      });
      return s;
    };
    const observed = u(Array.from(a), Array.from(b));
    let hits = 0;
    let total = 0;
    for (let mask = 0; mask < 1 << 9; mask++) {
      if (popcount(mask) !== 5) continue;
      const xs = Array.from(pooled).filter((_, i) => mask & (1 << i));
      const ys = Array.from(pooled).filter((_, i) => !(mask & (1 << i)));
      total++;
      if (u(xs, ys) >= observed - 1e-9) hits++;
    }
    expectClose(r.pValue, hits / total, 1e-12);
  });

  it('is symmetric in the two samples; p in [0, 1]; identical samples give T at its minimum and p = 1 (asymptotic)', () => {
    const sample = fc
      .array(fc.integer({ min: 0, max: 40 }), { minLength: 2, maxLength: 60 })
      .map((xs) => sorted(xs));
    fc.assert(
      fc.property(sample, sample, (a, b) => {
        const method = 'asymptotic' as const;
        const ab = cramerVonMisesSorted(a, b, { method });
        const ba = cramerVonMisesSorted(b, a, { method });
        expect(ba.statistic).toBeCloseTo(ab.statistic, 9);
        expect(ab.pValue).toBeGreaterThanOrEqual(0);
        expect(ab.pValue).toBeLessThanOrEqual(1);
        expect(cramerVonMisesSorted(a, a, { method }).pValue).toBe(1);
      }),
      { numRuns: 150 },
    );
  });

  it('needs two observations per sample', () => {
    expect(() => cramerVonMisesSorted(sorted([1]), sorted([1, 2]))).toThrow(/at least 2/);
  });
});

describe('special functions behind the asymptotic CvM p-value', () => {
  it.each(scipy.kve)('e^q K_{1/4}(q) matches SciPy kve(0.25, $q)', (v) => {
    expectClose(scaledBesselK(0.25, v.q), v.kve, 1e-12);
  });

  it.each(scipy.cvmLimitCdf)('limiting CDF at $x matches SciPy _cdf_cvm_inf', (v) => {
    expectClose(cvmLimitCdf(v.x), v.cdf, 1e-9, 1e-15);
  });
});

function popcount(x: number): number {
  let c = 0;
  for (let v = x; v; v &= v - 1) c++;
  return c;
}
