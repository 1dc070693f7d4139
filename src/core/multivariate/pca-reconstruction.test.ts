import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { seededRng } from '../rng.js';
import { fitPcaReconstruction, rowsToColumns } from './pca-reconstruction.js';
import vectors from './pca-reconstruction.vectors.json' with { type: 'json' };

function rel(a: number, b: number): number {
  return Math.abs(a - b) / Math.abs(b);
}

function gaussian(rng: ReturnType<typeof seededRng>): number {
  return Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next());
}

/** Rows of (x, y) standard normal marginals with correlation rho. */
function correlated(rng: ReturnType<typeof seededRng>, n: number, rho: number): number[][] {
  return Array.from({ length: n }, () => {
    const a = gaussian(rng);
    const b = gaussian(rng);
    return [a, rho * a + Math.sqrt(1 - rho * rho) * b];
  });
}

describe('pca reconstruction — vector 3.1', () => {
  const model = fitPcaReconstruction(rowsToColumns(vectors.reference), { chunkSize: 2 });

  it('keeps one component with the stated explained-variance ratio', () => {
    expect(model.nComponents).toBe(1);
    expect(rel(model.explainedVarianceRatio[0]!, vectors.explainedVarianceRatioPc1)).toBeLessThan(1e-9);
  });

  it('reproduces the per-row reference errors and their mean', () => {
    const errors = model.rowErrors(rowsToColumns(vectors.reference));
    errors.forEach((e, i) => {
      expect(rel(e, vectors.referenceRowErrors[i]!)).toBeLessThan(vectors.tolerance.relative);
    });
    const mean = errors.reduce((s, x) => s + x, 0) / errors.length;
    expect(rel(mean, vectors.referenceMeanError)).toBeLessThan(vectors.tolerance.relative);
  });

  it('reproduces the query errors and the chunk mean, which alerts', () => {
    const q = rowsToColumns(vectors.query);
    model.rowErrors(q).forEach((e, i) => {
      expect(rel(e, vectors.queryRowErrors[i]!)).toBeLessThan(1e-9);
    });
    const r = model.evaluate(q);
    expect(rel(r.meanError!, vectors.queryMeanError)).toBeLessThan(1e-9);
    expect(r.alert).toBe(true);
    expect(r.n).toBe(2);
  });
});

describe('pca reconstruction — thresholds and chunks', () => {
  it('thresholds are mean ± 3·std (ddof 0) of the reference chunk metrics, lower clipped at 0', () => {
    const rng = seededRng(3);
    const ref = rowsToColumns(correlated(rng, 1000, 0.8));
    const m = fitPcaReconstruction(ref, { chunkSize: 100 });
    expect(m.referenceChunks).toHaveLength(10);
    const mu = m.referenceChunks.reduce((s, x) => s + x, 0) / 10;
    const sd = Math.sqrt(m.referenceChunks.reduce((s, x) => s + (x - mu) ** 2, 0) / 10);
    expect(m.upper).toBeCloseTo(mu + 3 * sd, 12);
    expect(m.lower).toBeCloseTo(Math.max(0, mu - 3 * sd), 12);
    const sd1 = Math.sqrt(m.referenceChunks.reduce((s, x) => s + (x - mu) ** 2, 0) / 9);
    expect(fitPcaReconstruction(ref, { chunkSize: 100, ddof: 1 }).upper).toBeCloseTo(mu + 3 * sd1, 12);
  });

  it('finds the change point of a stream whose correlation flips sign with marginals unchanged', () => {
    // reference: ρ = +0.8; windows 0–9 keep it, windows 10–19 have ρ = −0.8 (same N(0,1) marginals)
    const rng = seededRng(21);
    const model = fitPcaReconstruction(rowsToColumns(correlated(rng, 2000, 0.8)), { chunkSize: 200 });
    expect(model.nComponents).toBe(1);
    const alerts: number[] = [];
    for (let w = 0; w < 20; w++) {
      const window = rowsToColumns(correlated(rng, 200, w < 10 ? 0.8 : -0.8));
      if (model.evaluate(window).alert) alerts.push(w);
    }
    expect(alerts).toEqual([10, 11, 12, 13, 14, 15, 16, 17, 18, 19]);
  });

  it('false-alarm rate over 50 seeded trials with no change stays below 10 %', () => {
    let alarms = 0;
    for (let seed = 0; seed < 50; seed++) {
      const rng = seededRng(1000 + seed);
      const model = fitPcaReconstruction(rowsToColumns(correlated(rng, 2000, 0.6)), { chunkSize: 200 });
      if (model.evaluate(rowsToColumns(correlated(rng, 200, 0.6))).alert) alarms++;
    }
    // mean ± 3 std from 10 chunks: nominally ~0.3 %, wider in practice because the std is estimated
    expect(alarms / 50).toBeLessThanOrEqual(0.1);
  });

  it('handles categorical features (frequency encoding), missing values and unseen categories', () => {
    const ref = {
      x: [1, 2, 3, 4, null, 6, 7, 8, 9, 10],
      c: ['a', 'a', 'b', 'a', 'b', null, 'a', 'b', 'a', 'a'],
    };
    const m = fitPcaReconstruction(ref, { chunkSize: 5 });
    expect(m.continuous).toEqual(['x']);
    expect(m.categorical).toEqual(['c']);
    const errors = m.rowErrors({ x: [5, Number.NaN], c: ['zzz', ''] });
    expect(errors.every((e) => Number.isFinite(e) && e >= 0)).toBe(true);
  });

  it('names bad input', () => {
    expect(() => fitPcaReconstruction({})).toThrow(/no feature columns/);
    expect(() => fitPcaReconstruction({ a: [1, 2], b: [1] })).toThrow(/column 'b' has 1 rows, expected 2/);
    expect(() => fitPcaReconstruction({ a: [1, 2, 3] }, { continuous: ['zz'], categorical: [] })).toThrow(
      /no column 'zz'/,
    );
    const m = fitPcaReconstruction({ a: [1, 2, 3, 4], b: [2, 1, 4, 3] }, { chunkSize: 2 });
    expect(() => m.rowErrors({ a: [1] } as never)).toThrow(/no column 'b'/);
    expect(() => m.rowErrors({ a: ['x'], b: [1] })).toThrow(/column 'a', row 0: not a finite number/);
    expect(() => fitPcaReconstruction({ a: [1, 2, 3] }, { chunkSize: 9 })).toThrow(/chunkSize/);
  });
});

describe('pca reconstruction — properties', () => {
  const rowsArb = fc.array(
    fc.tuple(
      fc.integer({ min: -100, max: 100 }),
      fc.integer({ min: -100, max: 100 }),
      fc.integer({ min: -100, max: 100 }),
    ),
    { minLength: 4, maxLength: 40 },
  );

  it('errors are ≥ 0 and unchanged when a feature is rescaled and shifted (standardisation)', () => {
    fc.assert(
      fc.property(
        rowsArb,
        fc.integer({ min: 1, max: 50 }),
        fc.integer({ min: -1000, max: 1000 }),
        (rows, a, b) => {
          const m1 = fitPcaReconstruction(rowsToColumns(rows), { chunkSize: 2 });
          const moved = rows.map((r) => [r[0] * a + b, r[1], r[2]]);
          const m2 = fitPcaReconstruction(rowsToColumns(moved), { chunkSize: 2 });
          if (m1.nComponents !== m2.nComponents) return; // a ratio exactly at 0.65 may tip either way
          const e1 = m1.rowErrors(rowsToColumns(rows));
          const e2 = m2.rowErrors(rowsToColumns(moved));
          e1.forEach((e, i) => {
            expect(e).toBeGreaterThanOrEqual(0);
            expect(Math.abs(e - e2[i]!)).toBeLessThan(1e-6 * Math.max(1, e));
          });
        },
      ),
      { numRuns: 100 },
    );
  });

  it('a single feature is always fully reconstructed (error 0)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -1000, max: 1000 }), { minLength: 2, maxLength: 30 }), (xs) => {
        const m = fitPcaReconstruction({ x: xs }, { chunkSize: 1 });
        for (const e of m.rowErrors({ x: xs })) expect(e).toBeLessThan(1e-9);
      }),
    );
  });
});
