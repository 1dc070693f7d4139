import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { binomialLowerTail, binomialUpperTail } from './binomial-tail.js';
import vectors from './binomial-tail.vectors.json' with { type: 'json' };

function expectRelClose(actual: number, expected: number, rel: number): void {
  if (expected === 0) expect(actual).toBe(0);
  else expect(Math.abs(actual - expected) / Math.abs(expected)).toBeLessThanOrEqual(rel);
}

describe('binomial tails', () => {
  it.each(vectors.cases)('$name matches scipy.stats.binom', (c) => {
    const f = c.tail === 'upper' ? binomialUpperTail : binomialLowerTail;
    expectRelClose(f(c.k, c.n, c.p), c.expected, 1e-9);
  });

  it('has the edge values written in its doc', () => {
    expect(binomialUpperTail(0, 10, 0.3)).toBe(1);
    expect(binomialUpperTail(11, 10, 0.3)).toBe(0);
    expect(binomialUpperTail(1, 10, 0)).toBe(0);
    expect(binomialUpperTail(3, 10, 1)).toBe(1);
    expect(binomialLowerTail(-1, 10, 0.3)).toBe(0);
    expect(binomialLowerTail(10, 10, 0.3)).toBe(1);
  });

  it('P(X ≥ k) + P(X ≤ k − 1) = 1, and both tails are monotone in k', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 400 }),
        fc.double({ min: 0.001, max: 0.999, noNaN: true }),
        fc.integer({ min: 0, max: 400 }),
        (n, p, k0) => {
          const k = k0 % (n + 1);
          expect(binomialUpperTail(k, n, p) + binomialLowerTail(k - 1, n, p)).toBeCloseTo(1, 9);
          expect(binomialUpperTail(k + 1, n, p)).toBeLessThanOrEqual(binomialUpperTail(k, n, p) + 1e-15);
          expect(binomialLowerTail(k + 1, n, p)).toBeGreaterThanOrEqual(binomialLowerTail(k, n, p) - 1e-15);
        },
      ),
    );
  });
});
