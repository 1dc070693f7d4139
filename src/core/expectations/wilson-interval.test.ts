import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { wilsonInterval } from './wilson-interval.js';
import vectors from './wilson-interval.vectors.json' with { type: 'json' };

function close(actual: number, expected: number): void {
  const tol = Math.max(vectors.tolerance.absolute, vectors.tolerance.relative * Math.abs(expected));
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(tol);
}

describe('wilsonInterval', () => {
  it.each(vectors.cases)('$successes of $n at $level matches scipy', (c) => {
    const ci = wilsonInterval(c.successes, c.n, c.level);
    expect(ci).not.toBeNull();
    close(ci!.lower, c.lower);
    close(ci!.upper, c.upper);
  });

  it('has no interval without trials and rejects impossible counts', () => {
    expect(wilsonInterval(0, 0)).toBeNull();
    expect(() => wilsonInterval(3, 2)).toThrow(/successes/);
    expect(() => wilsonInterval(-1, 2)).toThrow(/successes/);
    expect(() => wilsonInterval(1, 2.5)).toThrow(/n must/);
    expect(() => wilsonInterval(1, 2, 1)).toThrow(/level/);
  });

  it('contains the observed share, stays in [0, 1] and widens with the level', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 100_000 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (n, f) => {
          const k = Math.round(f * n);
          const a = wilsonInterval(k, n, 0.9)!;
          const b = wilsonInterval(k, n, 0.99)!;
          const p = k / n;
          expect(a.lower).toBeGreaterThanOrEqual(0);
          expect(a.upper).toBeLessThanOrEqual(1);
          expect(a.lower).toBeLessThanOrEqual(p + 1e-12);
          expect(a.upper).toBeGreaterThanOrEqual(p - 1e-12);
          expect(b.lower).toBeLessThanOrEqual(a.lower + 1e-12);
          expect(b.upper).toBeGreaterThanOrEqual(a.upper - 1e-12);
        },
      ),
    );
  });
});
