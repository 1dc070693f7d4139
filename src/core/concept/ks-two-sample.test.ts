import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ksExactPValue, ksTwoSampleExact } from './ks-two-sample.js';
import vectors from './ks-two-sample.vectors.json' with { type: 'json' };

describe('two-sample KS, exact p-value', () => {
  it.each(vectors.cases)('$name matches scipy.stats.ks_2samp(method="exact")', (c) => {
    const r = ksTwoSampleExact(c.a, c.b);
    expect(Math.abs(r.statistic - c.statistic)).toBeLessThan(1e-12);
    expect(Math.abs(r.pValue - c.pValue) / c.pValue).toBeLessThan(1e-9);
  });

  it('p-value is a probability, 1 at D = 0, and falls as D grows', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 40 }), (n, m) => {
        expect(ksExactPValue(0, n, m)).toBe(1);
        let prev = 1;
        for (let d = 0.05; d <= 1; d += 0.05) {
          const p = ksExactPValue(d, n, m);
          expect(p).toBeGreaterThanOrEqual(0);
          expect(p).toBeLessThanOrEqual(prev + 1e-12);
          prev = p;
        }
      }),
    );
  });

  it('is symmetric in its samples', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 20 }), { minLength: 1, maxLength: 25 }),
        fc.array(fc.integer({ min: 0, max: 20 }), { minLength: 1, maxLength: 25 }),
        (a, b) => {
          const x = ksTwoSampleExact(a, b);
          const y = ksTwoSampleExact(b, a);
          expect(x.statistic).toBe(y.statistic);
          expect(x.pValue).toBeCloseTo(y.pValue, 12);
        },
      ),
    );
  });

  it('rejects empty or non-finite samples', () => {
    expect(() => ksTwoSampleExact([], [1])).toThrow(/sample a is empty/);
    expect(() => ksTwoSampleExact([1], [Number.NaN])).toThrow(/sample b/);
  });
});
