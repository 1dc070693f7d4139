import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  catalogueCounts,
  catalogueCoverage,
  exposureEntropy,
  exposureGini,
  exposureHhi,
  exposureSummary,
  topShare,
} from './exposure.js';

describe('exposure concentration (methods.md §8 vector)', () => {
  // Exposures over 10 items {50,25,10,10,5,0,0,0,0,0}.
  const counts = [50, 25, 10, 10, 5, 0, 0, 0, 0, 0];
  it('Gini 0.71, coverage 0.5, entropy 1.880482023722 bits, HHI 0.335, top-2 (20 %) share 0.75', () => {
    expect(exposureGini(counts)).toBeCloseTo(0.71, 12);
    expect(catalogueCoverage(counts)).toBe(0.5);
    expect(exposureEntropy(counts)).toBeCloseTo(1.880482023722, 11);
    expect(exposureHhi(counts)).toBeCloseTo(0.335, 12);
    expect(topShare(counts, 0.2)).toBeCloseTo(0.75, 12);
  });
  it('zero-exposure catalogue items count: the same exposures over 5 shown items only give a lower Gini', () => {
    const shownOnly = catalogueCounts({ a: 50, b: 25, c: 10, d: 10, e: 5 }, ['a', 'b', 'c', 'd', 'e']);
    const full = catalogueCounts({ a: 50, b: 25, c: 10, d: 10, e: 5 }, [...'abcdefghij']);
    expect(full).toEqual(counts);
    expect(exposureGini(shownOnly)!).toBeLessThan(exposureGini(full)!);
    expect(catalogueCounts(new Map([['x', 3]]), ['a'])).toEqual([0, 3]);
  });
  it('invariants: Gini in [0, (n−1)/n], 0 when uniform; entropy ≤ log2 n; 1/n ≤ HHI ≤ 1; order does not matter', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: 1, maxLength: 60 }), (xs) => {
        const s = exposureSummary(xs);
        if (s.impressions === 0) {
          expect(s.gini).toBeNull();
          return;
        }
        const n = xs.length;
        expect(s.gini!).toBeGreaterThanOrEqual(-1e-12);
        expect(s.gini!).toBeLessThanOrEqual((n - 1) / n + 1e-12);
        expect(s.entropyBits!).toBeLessThanOrEqual(Math.log2(n) + 1e-9);
        expect(s.hhi!).toBeGreaterThanOrEqual(1 / n - 1e-12);
        expect(s.hhi!).toBeLessThanOrEqual(1 + 1e-12);
        expect(exposureGini([...xs].reverse())).toBeCloseTo(s.gini!, 12);
        expect(exposureGini(xs.map(() => 7))).toBeCloseTo(0, 12);
      }),
    );
  });
  it('top 1 % of 300 items is 3 items; empty or negative input', () => {
    const xs = Array.from({ length: 300 }, (_, i) => (i < 4 ? 100 : 0));
    expect(topShare(xs, 0.01)).toBeCloseTo(0.75, 12);
    expect(exposureGini([0, 0])).toBeNull();
    expect(() => exposureGini([1, -1])).toThrow(/counts\[1\]/);
  });
});
