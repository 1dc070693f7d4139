import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fitMahalanobis } from './mahalanobis.js';
import vectors from './mahalanobis.vectors.json' with { type: 'json' };

function rel(actual: number, expected: number): number {
  return Math.abs(actual - expected) / Math.max(Math.abs(expected), 1e-300);
}

describe('fitMahalanobis — vector 7.2', () => {
  it('matches the MLE (divide by n) distance', () => {
    const m = fitMahalanobis(vectors.reference, { covariance: 'mle' });
    expect(rel(m.distance(vectors.query), vectors.distance.mle)).toBeLessThan(vectors.tolerance.relative);
  });

  it('matches the unbiased (divide by n − 1) distance', () => {
    const m = fitMahalanobis(vectors.reference, { covariance: 'unbiased' });
    expect(rel(m.distance(vectors.query), vectors.distance.unbiased)).toBeLessThan(
      vectors.tolerance.relative,
    );
  });

  it('uses chi2.ppf(0.975, p) as the cut-off on d²', () => {
    const m = fitMahalanobis(vectors.reference);
    expect(rel(m.thresholdSquared, vectors.chi2Ppf0975.value)).toBeLessThan(1e-9);
    // d² = 8.963 > 7.378 with MLE: flagged; unbiased d² = 7.170: not flagged
    expect(m.score([vectors.query])[0]!.outlier).toBe(true);
    expect(
      fitMahalanobis(vectors.reference, { covariance: 'unbiased' }).score([vectors.query])[0]!.outlier,
    ).toBe(false);
  });
});

describe('fitMahalanobis — singular covariance', () => {
  const reference = [
    [1, 5, 2],
    [2, 5, 4],
    [3, 5, 6.5],
    [4, 5, 7.5],
    [5, 5, 10],
  ];

  it('pseudo-inverse drops the constant feature and counts the kept rank', () => {
    const m = fitMahalanobis(reference);
    expect(m.rank).toBe(2);
    // moving only the constant feature does not change the distance
    expect(m.distance([3, 5, 6])).toBeCloseTo(m.distance([3, 99, 6]), 9);
  });

  it('ridge gives a full-rank inverse and a finite distance', () => {
    const m = fitMahalanobis(reference, { inverse: { kind: 'ridge', ridge: 1e-3 } });
    expect(m.rank).toBe(3);
    expect(Number.isFinite(m.distance([3, 6, 6]))).toBe(true);
    expect(m.distance([3, 6, 6])).toBeGreaterThan(10);
  });

  it('names bad input', () => {
    expect(() => fitMahalanobis([])).toThrow(/at least one row/);
    expect(() => fitMahalanobis([[1, 2], [3]])).toThrow(/row 1 has 1 features/);
    expect(() => fitMahalanobis([[1, Number.NaN]])).toThrow(/row 0, feature 1/);
    expect(() => fitMahalanobis([[1, 2]], { inverse: { kind: 'ridge', ridge: 0 } })).toThrow(/ridge/);
    expect(() => fitMahalanobis([[1, 2]]).distance([1])).toThrow(/expected 2/);
  });
});

describe('fitMahalanobis — properties', () => {
  // values on a 0.01 grid: realistic measurements, no subnormal variances
  const valueArb = fc.integer({ min: -5000, max: 5000 }).map((k) => k / 100);
  const rowsArb = fc.array(fc.tuple(valueArb, valueArb), { minLength: 4, maxLength: 30 });

  it('distance is 0 at the mean, ≥ 0 everywhere, and invariant to translating the data and the query', () => {
    fc.assert(
      fc.property(rowsArb, fc.integer({ min: -1000, max: 1000 }), (rows, shift) => {
        const ref = rows.map((r) => [r[0], r[1]]);
        const m = fitMahalanobis(ref);
        expect(m.distance(m.mean)).toBeLessThan(1e-6);
        const q = [ref[0]![0]! + 1, ref[0]![1]! - 2];
        const d = m.distance(q);
        expect(d).toBeGreaterThanOrEqual(0);
        const moved = fitMahalanobis(ref.map((r) => [r[0]! + shift, r[1]! + shift]));
        const d2 = moved.distance([q[0]! + shift, q[1]! + shift]);
        expect(Math.abs(d - d2)).toBeLessThan(1e-5 * Math.max(1, d));
      }),
      { numRuns: 100 },
    );
  });

  it('on Gaussian reference rows the share of flagged fresh rows is near alpha', () => {
    // deterministic Box–Muller from a fixed LCG: the χ²(2) cut-off at 0.975 flags about 2.5 %
    let state = 12345;
    const u = () => {
      state = (Math.imul(state, 1103515245) + 12345) >>> 0;
      return (state + 0.5) / 4294967296;
    };
    const gauss = () => Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u());
    const draw = () => {
      const a = gauss();
      const b = gauss();
      return [a, 0.8 * a + 0.6 * b];
    };
    const ref = Array.from({ length: 5000 }, draw);
    const fresh = Array.from({ length: 5000 }, draw);
    const share =
      fitMahalanobis(ref)
        .score(fresh)
        .filter((s) => s.outlier).length / fresh.length;
    expect(share).toBeGreaterThan(0.015);
    expect(share).toBeLessThan(0.035);
  });
});
