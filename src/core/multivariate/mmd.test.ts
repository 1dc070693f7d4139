import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { seededRng } from '../rng.js';
import { medianHeuristicSigma, mmdExactPValue, mmdTest, unbiasedMmd2 } from './mmd.js';
import vectors from './mmd.vectors.json' with { type: 'json' };

function rel(a: number, b: number): number {
  return Math.abs(a - b) / Math.abs(b);
}

function gaussian(rng: ReturnType<typeof seededRng>): number {
  return Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next());
}

function correlated(rng: ReturnType<typeof seededRng>, n: number, rho: number): number[][] {
  return Array.from({ length: n }, () => {
    const a = gaussian(rng);
    return [a, rho * a + Math.sqrt(1 - rho * rho) * gaussian(rng)];
  });
}

describe('mmd — vector 3.2', () => {
  it('median-heuristic sigma', () => {
    expect(rel(medianHeuristicSigma(vectors.reference), vectors.sigma)).toBeLessThan(1e-9);
  });

  it('unbiased MMD² with the diagonal zeroed', () => {
    const r = mmdTest(vectors.reference, vectors.current, { rng: seededRng(1) });
    expect(rel(r.sigma, vectors.sigma)).toBeLessThan(1e-9);
    expect(rel(r.mmd2, vectors.mmd2)).toBeLessThan(vectors.tolerance.relative);
    expect(rel(unbiasedMmd2(vectors.reference, vectors.current, r.sigma), vectors.mmd2)).toBeLessThan(1e-9);
  });

  it('exhaustive permutation p-value = 1/35', () => {
    const r = mmdExactPValue(vectors.reference, vectors.current);
    expect(r.splits).toBe(35);
    expect(rel(r.pValue, vectors.exactPValue)).toBeLessThan(1e-9);
  });

  it('random permutations: p is a multiple of 1/nPermutations and close to the exact 1/35 on average', () => {
    // with 35 equally likely splits, the share of permutations at least as extreme is Binomial(100, 1/35)/100
    let sum = 0;
    for (let seed = 0; seed < 40; seed++) {
      const r = mmdTest(vectors.reference, vectors.current, { rng: seededRng(seed) });
      expect(Math.abs(r.pValue * 100 - Math.round(r.pValue * 100))).toBeLessThan(1e-9);
      sum += r.pValue;
    }
    expect(Math.abs(sum / 40 - 1 / 35)).toBeLessThan(0.01);
  });
});

describe('mmd — behaviour', () => {
  it('detects a correlation flip with unchanged marginals', () => {
    const rng = seededRng(8);
    const r = mmdTest(correlated(rng, 300, 0.8), correlated(rng, 300, -0.8), { rng: seededRng(9) });
    expect(r.drift).toBe(true);
    expect(r.pValue).toBe(0);
    expect(r.mmd2).toBeGreaterThan(r.distanceThreshold);
  });

  it('finds the change point of a stream of batches (correlation flips at batch 6)', () => {
    const rng = seededRng(31);
    const reference = correlated(rng, 300, 0.7);
    const drifted: number[] = [];
    for (let b = 0; b < 12; b++) {
      const batch = correlated(rng, 150, b < 6 ? 0.7 : -0.7);
      if (mmdTest(reference, batch, { rng: seededRng(100 + b) }).drift) drifted.push(b);
    }
    expect(drifted.filter((b) => b >= 6)).toEqual([6, 7, 8, 9, 10, 11]);
    expect(drifted.filter((b) => b < 6).length).toBeLessThanOrEqual(1);
  });

  it('false-alarm rate over 50 seeded trials on identical distributions is near the nominal 5 %', () => {
    let alarms = 0;
    for (let seed = 0; seed < 50; seed++) {
      const rng = seededRng(500 + seed);
      if (mmdTest(correlated(rng, 100, 0.5), correlated(rng, 100, 0.5), { rng: seededRng(seed) }).drift)
        alarms++;
    }
    // Binomial(50, 0.05): P(X ≥ 8) ≈ 1.2 %
    expect(alarms).toBeLessThanOrEqual(7);
  });

  it('standardize: reference makes a feature on a huge scale count like the others', () => {
    const rng = seededRng(4);
    const scaleRows = (rows: number[][]) => rows.map(([a, b]) => [a! * 1e4, b!]);
    const ref = scaleRows(correlated(rng, 200, 0.8));
    const cur = scaleRows(correlated(rng, 200, -0.8));
    expect(mmdTest(ref, cur, { rng: seededRng(1), standardize: 'reference' }).drift).toBe(true);
  });

  it('names bad input', () => {
    expect(() => mmdTest([[1]], [[1], [2]], { rng: seededRng(1) })).toThrow(/at least 2 rows/);
    expect(() =>
      mmdTest(
        [[1], [2]],
        [
          [1, 2],
          [2, 3],
        ],
        { rng: seededRng(1) },
      ),
    ).toThrow(/2 features, reference rows have 1/);
    expect(() => mmdTest([[1], [2]], [[1], [2]], { rng: seededRng(1), sigma: -1 })).toThrow(/sigma/);
    expect(() => mmdTest([[1], [2]], [[1], [Number.NaN]], { rng: seededRng(1) })).toThrow(
      /mmd current: row 1/,
    );
  });
});

describe('mmd — properties', () => {
  const sampleArb = fc.array(fc.tuple(fc.integer({ min: -20, max: 20 }), fc.integer({ min: -20, max: 20 })), {
    minLength: 2,
    maxLength: 15,
  });

  it('the pooled-kernel statistic equals the direct sums, and is symmetric for a fixed sigma', () => {
    fc.assert(
      fc.property(sampleArb, sampleArb, fc.double({ min: 0.5, max: 20, noNaN: true }), (a, b, sigma) => {
        const x = a.map(([p, q]) => [p, q]);
        const y = b.map(([p, q]) => [p, q]);
        const r = mmdTest(x, y, { rng: seededRng(1), sigma, nPermutations: 5 });
        const direct = unbiasedMmd2(x, y, sigma);
        expect(Math.abs(r.mmd2 - direct)).toBeLessThan(1e-9);
        expect(
          Math.abs(mmdTest(y, x, { rng: seededRng(1), sigma, nPermutations: 5 }).mmd2 - r.mmd2),
        ).toBeLessThan(1e-9);
        expect(r.pValue).toBeGreaterThanOrEqual(0);
        expect(r.pValue).toBeLessThanOrEqual(1);
      }),
      { numRuns: 100 },
    );
  });
});
