import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { columnMeans, covarianceMatrix, pseudoInverseSymmetric, symmetricEigen } from './linalg.js';

function matMul(a: number[][], b: number[][]): number[][] {
  return a.map((row) => b[0]!.map((_, j) => row.reduce((s, x, k) => s + x * b[k]![j]!, 0)));
}

const symmetricArb = fc
  .integer({ min: 1, max: 6 })
  .chain((n) =>
    fc
      .array(fc.double({ min: -100, max: 100, noNaN: true }), { minLength: n * n, maxLength: n * n })
      .map((xs) =>
        Array.from({ length: n }, (_, i) =>
          Array.from({ length: n }, (_, j) => (xs[i * n + j]! + xs[j * n + i]!) / 2),
        ),
      ),
  );

describe('symmetricEigen', () => {
  it('diagonalises a known 2×2 matrix', () => {
    // [[2,1],[1,2]] has eigenvalues 3 and 1 with vectors (1,1)/√2 and (1,−1)/√2
    const { values, vectors } = symmetricEigen([
      [2, 1],
      [1, 2],
    ]);
    expect(values[0]).toBeCloseTo(3, 12);
    expect(values[1]).toBeCloseTo(1, 12);
    expect(Math.abs(vectors[0]![0]!)).toBeCloseTo(Math.SQRT1_2, 12);
    expect(vectors[0]![0]! * vectors[0]![1]!).toBeGreaterThan(0);
    expect(vectors[1]![0]! * vectors[1]![1]!).toBeLessThan(0);
  });

  it('rejects non-square and non-symmetric input', () => {
    expect(() => symmetricEigen([[1, 2]])).toThrow(/square/);
    expect(() =>
      symmetricEigen([
        [1, 2],
        [3, 1],
      ]),
    ).toThrow(/symmetric/);
  });

  it('property: A·v = λ·v, V orthonormal, trace preserved, values descending', () => {
    fc.assert(
      fc.property(symmetricArb, (a) => {
        const n = a.length;
        const { values, vectors } = symmetricEigen(a);
        const scale = Math.max(1, ...a.flat().map(Math.abs));
        for (let k = 0; k < n; k++) {
          const v = vectors[k]!;
          for (let i = 0; i < n; i++) {
            const av = a[i]!.reduce((s, x, j) => s + x * v[j]!, 0);
            expect(Math.abs(av - values[k]! * v[i]!)).toBeLessThan(1e-9 * scale);
          }
          for (let l = 0; l < n; l++) {
            const dot = v.reduce((s, x, i) => s + x * vectors[l]![i]!, 0);
            expect(Math.abs(dot - (k === l ? 1 : 0))).toBeLessThan(1e-9);
          }
          if (k > 0) expect(values[k]!).toBeLessThanOrEqual(values[k - 1]!);
        }
        const trace = a.reduce((s, row, i) => s + row[i]!, 0);
        expect(Math.abs(values.reduce((s, x) => s + x, 0) - trace)).toBeLessThan(1e-9 * scale * n);
      }),
      { numRuns: 200 },
    );
  });
});

describe('pseudoInverseSymmetric', () => {
  it('inverts a regular matrix', () => {
    const a = [
      [4, 1],
      [1, 3],
    ];
    const { inverse, rank } = pseudoInverseSymmetric(a);
    expect(rank).toBe(2);
    const id = matMul(a, inverse);
    expect(id[0]![0]).toBeCloseTo(1, 12);
    expect(id[0]![1]).toBeCloseTo(0, 12);
    expect(id[1]![1]).toBeCloseTo(1, 12);
  });

  it('drops the null direction of a singular (collinear) covariance', () => {
    // second column = 2 × first: rank 1
    const rows = [
      [1, 2],
      [2, 4],
      [3, 6],
      [5, 10],
    ];
    const cov = covarianceMatrix(rows, 'mle');
    const { inverse, rank } = pseudoInverseSymmetric(cov);
    expect(rank).toBe(1);
    // Moore–Penrose condition A·A⁺·A = A
    const back = matMul(matMul(cov, inverse), cov);
    for (let i = 0; i < 2; i++) for (let j = 0; j < 2; j++) expect(back[i]![j]).toBeCloseTo(cov[i]![j]!, 9);
  });

  it('gives a zero inverse of rank 0 for a zero matrix', () => {
    const { inverse, rank } = pseudoInverseSymmetric([
      [0, 0],
      [0, 0],
    ]);
    expect(rank).toBe(0);
    expect(inverse.flat().every((x) => x === 0)).toBe(true);
  });
});

describe('covarianceMatrix', () => {
  it('names both conventions: mle divides by n, unbiased by n − 1', () => {
    const rows = [
      [1, 2],
      [2, 3],
      [3, 5],
      [4, 4],
      [5, 7],
    ];
    expect(columnMeans(rows)).toEqual([3, 4.2]);
    const mle = covarianceMatrix(rows, 'mle');
    const unbiased = covarianceMatrix(rows, 'unbiased');
    // var(x) = 10/5 = 2 (mle), 10/4 = 2.5 (unbiased); cov(x,y) = 11/5, 11/4
    expect(mle[0]![0]).toBeCloseTo(2, 12);
    expect(unbiased[0]![0]).toBeCloseTo(2.5, 12);
    expect(mle[0]![1]).toBeCloseTo(2.2, 12);
    expect(unbiased[1]![0]).toBeCloseTo(2.75, 12);
    expect(() => covarianceMatrix([[1, 2]], 'unbiased')).toThrow(/at least 2 rows/);
  });
});
