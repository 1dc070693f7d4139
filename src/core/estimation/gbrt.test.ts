import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { seededRng } from '../rng.js';
import { fitGbrt, predictGbrt } from './gbrt.js';

describe('gradient-boosted regression trees', () => {
  it('learns a non-linear function much better than the mean', () => {
    const rng = seededRng(1);
    const x = Array.from({ length: 2000 }, () => [rng.next() * 4 - 2, rng.next() * 4 - 2, rng.next()]);
    const f = (r: number[]) => Math.abs(r[0]!) + (r[1]! > 0 ? 1 : 0) * r[0]! ** 2;
    const y = x.map((r) => f(r) + (rng.next() - 0.5) * 0.2);
    const model = fitGbrt(x.slice(0, 1500), y.slice(0, 1500));
    const test = x.slice(1500);
    const mse = test.reduce((s, r) => s + (predictGbrt(model, r) - f(r)) ** 2, 0) / test.length;
    const mean = y.slice(0, 1500).reduce((a, b) => a + b, 0) / 1500;
    const varF = test.reduce((s, r) => s + (f(r) - mean) ** 2, 0) / test.length;
    expect(mse).toBeLessThan(0.05 * varF);
  });

  it('is deterministic, and a constant target gives that constant', () => {
    fc.assert(
      fc.property(fc.double({ min: -100, max: 100, noNaN: true }), (c) => {
        const x = Array.from({ length: 50 }, (_, i) => [i, i % 3]);
        const m = fitGbrt(
          x,
          x.map(() => c),
          { trees: 5 },
        );
        expect(predictGbrt(m, [10, 1])).toBeCloseTo(c, 9);
      }),
      { numRuns: 20 },
    );
    const x = Array.from({ length: 100 }, (_, i) => [i % 7, i % 11]);
    const y = x.map((r) => r[0]! * r[1]!);
    expect(fitGbrt(x, y)).toEqual(fitGbrt(x, y));
  });

  it('survives a JSON round trip', () => {
    const x = Array.from({ length: 100 }, (_, i) => [i]);
    const m = fitGbrt(
      x,
      x.map((r) => r[0]! ** 2),
      { trees: 10 },
    );
    const back = JSON.parse(JSON.stringify(m));
    expect(predictGbrt(back, [42])).toBe(predictGbrt(m, [42]));
  });

  it('names the bad cell', () => {
    expect(() => fitGbrt([[1], [Number.NaN]], [1, 2])).toThrow(/x\[1\]\[0\]/);
    expect(() => fitGbrt([[1], [2, 3]], [1, 2])).toThrow(/row 1 has 2 columns/);
  });
});
