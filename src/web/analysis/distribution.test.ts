import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DatasetProfile } from '../../core/profile/dataset-profile.js';
import { type ColumnSummary, summarizeProfile } from '../../core/profile/profile-summary.js';
import { seededRng } from '../../core/rng.js';
import {
  type CategoricalDist,
  cdfAt,
  cdfBelow,
  distOf,
  driftLevel,
  driftScore,
  mergeDists,
  type NumericDist,
  outOfRangeShare,
  quantileOf,
  unseenCategories,
} from './distribution.js';
import { normals } from './window-fixtures.js';

function column(values: readonly (number | string | null)[], name = 'x'): ColumnSummary {
  const p = DatasetProfile.empty({ rng: seededRng(3), settings: { sampleRows: 0 } });
  for (const v of values) p.addRow({ [name]: v });
  return summarizeProfile(p).columns.find((c) => c.name === name)!;
}

const numeric = (values: readonly number[]) => distOf(column(values)) as NumericDist;
const repeat = (counts: Record<string, number>) =>
  Object.entries(counts).flatMap(([k, n]) => Array<string>(n).fill(k));

describe('distributions from profile summaries', () => {
  it('rebuilds a numeric CDF through the sketch quantiles', () => {
    const d = numeric(Array.from({ length: 1001 }, (_, i) => i));
    expect(d.kind).toBe('numeric');
    expect(cdfAt(d, -1)).toBe(0);
    expect(cdfAt(d, 1000)).toBe(1);
    expect(cdfAt(d, 500)).toBeCloseTo(0.5, 2);
    expect(quantileOf(d, 0.9)).toBeCloseTo(900, -1);
  });

  it('pools parts as the count-weighted mixture of their CDFs', () => {
    const a = numeric(Array.from({ length: 100 }, (_, i) => i / 100));
    const b = numeric(Array.from({ length: 300 }, (_, i) => 1 + i / 300));
    const m = mergeDists([a, b, null]) as NumericDist;
    expect(m.n).toBe(400);
    expect(cdfAt(m, 1)).toBeCloseTo(0.25, 2);
    expect(cdfAt(m, 1.5)).toBeCloseTo(0.25 + 0.75 * cdfAt(b, 1.5), 12);
  });

  it('the CDF is non-decreasing and the quantile inverts it (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -1e3, max: 1e3, noNaN: true }), { minLength: 2, maxLength: 200 }),
        (xs) => {
          const d = numeric(xs);
          // Ten or fewer distinct values are all listed and read as categories instead.
          fc.pre(d.kind === 'numeric');
          let prev = -1;
          for (const x of [-2e3, ...xs.toSorted((p, q) => p - q), 2e3]) {
            const f = cdfAt(d, x);
            expect(f).toBeGreaterThanOrEqual(prev - 1e-12);
            expect(cdfBelow(d, x)).toBeLessThanOrEqual(f + 1e-12);
            prev = f;
          }
          for (const q of [0.1, 0.5, 0.9])
            expect(cdfAt(d, quantileOf(d, q))).toBeGreaterThanOrEqual(q - 1e-6);
        },
      ),
      { numRuns: 50 },
    );
  });

  it('keeps the order of F at subnormal spacings (a case fast-check found)', () => {
    const d = numeric([
      -5e-324, 5e-324, 0, -1e-323, -2.5e-323, 1e-323, -1.5e-323, -2e-323, 1.5e-323, 2e-323, -3e-323,
    ]);
    for (const x of [-3e-323, -1e-323, 0, 5e-324, 2e-323])
      expect(cdfBelow(d, x)).toBeLessThanOrEqual(cdfAt(d, x));
  });

  it('treats a small-count column whose values are all listed as categories (exact counts beat interpolation)', () => {
    const d = distOf(column([0, 0, 0, 1, 1, 2, 3, 0, 1, 0]));
    expect(d?.kind).toBe('categorical');
    expect((d as CategoricalDist).counts.get('0')).toBe(5);
  });

  it('keeps an all-missing column, so its missing share counts', () => {
    const d = distOf(column([null, null, null]))!;
    expect(d.n).toBe(0);
    expect(d.missing).toBe(3);
    expect(driftScore(d, d).level).toBe('unknown');
  });
});

describe('drift score (PSI, methods.md 1.4)', () => {
  it('matches the categorical vector of methods.md 1.4: 3.089923365701', () => {
    const ref = distOf(column(repeat({ a: 50, b: 30, c: 20 })));
    const cur = distOf(column(repeat({ a: 40, b: 40, d: 20 })));
    expect(driftScore(ref, cur).psi).toBeCloseTo(3.089923365701, 9);
    expect(driftScore(ref, cur).level).toBe('significant');
  });

  it('is zero for the same distribution and grows with a shift', () => {
    const base = normals(2000, 0, 1, 1);
    const ref = numeric(base);
    expect(driftScore(ref, ref).psi).toBeCloseTo(0, 12);
    const same = driftScore(ref, numeric(normals(2000, 0, 1, 2))).psi!;
    const small = driftScore(ref, numeric(normals(2000, 0.3, 1, 3))).psi!;
    const large = driftScore(ref, numeric(normals(2000, 1.5, 1, 4))).psi!;
    expect(same).toBeLessThan(0.05);
    expect(small).toBeGreaterThan(same);
    expect(large).toBeGreaterThan(0.25);
  });

  it('pools rare reference categories, so a handful of rows does not swing the score', () => {
    const ref = distOf(column(repeat({ a: 500, b: 480, rare1: 2, rare2: 1 })));
    const cur = distOf(column(repeat({ a: 50, b: 48, rare3: 1 })));
    expect(driftScore(ref, cur).psi!).toBeLessThan(0.01);
  });

  it('says unknown when either side is missing or the kinds differ', () => {
    const n = numeric([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    const c = distOf(column(['a', 'b']));
    expect(driftScore(null, n)).toEqual({ psi: null, level: 'unknown' });
    expect(driftScore(n, c).level).toBe('unknown');
    expect(driftLevel(0.05)).toBe('stable');
    expect(driftLevel(0.1)).toBe('moderate');
    expect(driftLevel(0.25)).toBe('significant');
  });
});

describe('data quality from summaries', () => {
  it('out-of-range share is about 2 % when nothing changed, and catches values in cents', () => {
    const ref = numeric(normals(5000, 50, 10, 5));
    expect(outOfRangeShare(ref, numeric(normals(5000, 50, 10, 6)))).toBeCloseTo(0.02, 1);
    const cents = numeric(normals(1000, 50, 10, 7).map((v, i) => (i % 5 === 0 ? v * 100 : v)));
    expect(outOfRangeShare(ref, cents)).toBeGreaterThan(0.19);
  });

  it('reads P(X < lo) at tied values, not P(X ≤ lo)', () => {
    const values = [...Array<number>(500).fill(0), ...Array.from({ length: 500 }, (_, i) => 1 + (i % 97))];
    const d = numeric(values);
    expect(cdfBelow(d, 0)).toBe(0);
    expect(cdfAt(d, 0)).toBeGreaterThan(0.4);
  });

  it('lists unseen categories only when the reference list is complete', () => {
    const ref = distOf(column(repeat({ a: 5, b: 5 }))) as CategoricalDist;
    const cur = distOf(column(repeat({ a: 5, z: 2 }))) as CategoricalDist;
    expect(unseenCategories(ref, cur)).toEqual([{ item: 'z', count: 2 }]);
    const many = distOf(column(Array.from({ length: 40 }, (_, i) => `c${i}`))) as CategoricalDist;
    expect(unseenCategories(many, cur)).toBeNull();
  });
});
