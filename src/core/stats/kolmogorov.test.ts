import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { kolmogorovCdf, kolmogorovSf, kstwoCdf, kstwoSf, smirnovSf } from './kolmogorov.js';
import scipy from './kolmogorov.scipy.vectors.json' with { type: 'json' };
import methods from './ks.vectors.json' with { type: 'json' };
import { expectClose } from './stats.suite.js';

describe('kstwo (exact two-sided one-sample KS distribution)', () => {
  it.each(methods.kstwoSf)('methods.md $id: kstwo.sf($d, $n) = $sf', (v) => {
    expectClose(kstwoSf(v.d, v.n), v.sf, 1e-6);
  });

  it(`matches SciPy ${scipy.scipy} kstwo.sf/cdf on ${scipy.kstwo.length} points across every region`, () => {
    for (const v of scipy.kstwo) {
      expectClose(kstwoSf(v.d, v.n), v.sf, 1e-9, 1e-14, `sf(${v.d}, ${v.n})`);
      expectClose(kstwoCdf(v.d, v.n), v.cdf, 1e-9, 1e-14, `cdf(${v.d}, ${v.n})`);
    }
  });

  it('is a distribution: sf + cdf = 1, both in [0, 1], sf non-increasing in d', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 3000 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 0.2, noNaN: true }),
        (n, d, step) => {
          const sf = kstwoSf(d, n);
          const cdf = kstwoCdf(d, n);
          expect(sf).toBeGreaterThanOrEqual(0);
          expect(sf).toBeLessThanOrEqual(1);
          // Where n·d² is near 2.2 and n > 140, SciPy (and this port) takes the survival function from the
          // Smirnov sum and the CDF from the Pelz–Good expansion; the two agree to about 1e-7, not to rounding.
          // Counterexample that showed it: n = 289, d = 0.08724939396583134 (sf + cdf = 1 − 9.9e-8).
          expect(Math.abs(sf + cdf - 1)).toBeLessThan(1e-6);
          expect(kstwoSf(Math.min(d + step, 1), n)).toBeLessThanOrEqual(sf + 1e-6);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('sf and cdf agree to 1e-6 across the Smirnov / Pelz–Good switch (n = 289)', () => {
    const d = 0.08724939396583134;
    expect(Math.abs(kstwoSf(d, 289) + kstwoCdf(d, 289) - 1)).toBeLessThan(1e-6);
  });

  it('handles the edges: d <= 0 → 1, d >= 1 → 0, invalid n → NaN', () => {
    expect(kstwoSf(0, 10)).toBe(1);
    expect(kstwoSf(-1, 10)).toBe(1);
    expect(kstwoSf(1, 10)).toBe(0);
    expect(kstwoSf(0.2, 0)).toBeNaN();
    expect(kstwoSf(0.2, 2.5)).toBeNaN();
  });
});

describe('kstwobign (Kolmogorov limit)', () => {
  it.each(methods.kolmogorovSf)('methods.md $id: kstwobign.sf($x) = $sf', (v) => {
    expectClose(kolmogorovSf(v.x), v.sf, 1e-9);
  });

  it('matches SciPy on both series (below and above the 0.82 cut-over)', () => {
    for (const v of scipy.kstwobign) {
      expectClose(kolmogorovSf(v.x), v.sf, 1e-9, 1e-15, `sf(${v.x})`);
      expectClose(kolmogorovCdf(v.x), v.cdf, 1e-9, 1e-15, `cdf(${v.x})`);
    }
  });

  it('differs from kstwo by the size methods.md 1.1-d quotes for n = 500', () => {
    const exact = kstwoSf(0.05, 500);
    const limit = kolmogorovSf(0.05 * Math.sqrt(500));
    expectClose(limit - exact, 0.164079197727 - 0.158662602238, 1e-6);
  });
});

describe('smirnov (one-sided)', () => {
  it('matches SciPy smirnov, including the large-n grid sum and the n > 10^6 approximation', () => {
    for (const v of scipy.smirnov)
      expectClose(smirnovSf(v.n, v.x), v.sf, 1e-9, 1e-15, `smirnov(${v.n}, ${v.x})`);
  });

  it('rejects invalid arguments with NaN and has exact ends', () => {
    expect(smirnovSf(0, 0.5)).toBeNaN();
    expect(smirnovSf(10, 1.5)).toBeNaN();
    expect(smirnovSf(10, 0)).toBe(1);
    expect(smirnovSf(10, 1)).toBe(0);
    expect(smirnovSf(1, 0.3)).toBeCloseTo(0.7, 15);
  });
});
