import { describe, expect, it } from 'vitest';
import { DatasetProfile } from '../../profile/dataset-profile.js';
import { type Rng, seededRng } from '../../rng.js';
import { chiSquareContingency, jsDistanceFromProportions } from '../../stats/index.js';
import { compareColumn, pooledCategories } from './drift-tests.js';

function normal(rng: Rng, mean = 0, sd = 1): number {
  const u = Math.max(rng.next(), 1e-12);
  return mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.next());
}

function profileOf(rows: Record<string, unknown>[], seed = 1): DatasetProfile {
  return DatasetProfile.empty({ rng: seededRng(seed) }).addRows(rows);
}

describe('compareColumn', () => {
  it('keeps a numeric column of the same distribution quiet and sees a shift of its bulk', () => {
    const rng = seededRng(3);
    const ref = profileOf(Array.from({ length: 5000 }, () => ({ x: normal(rng) })));
    const same = profileOf(
      Array.from({ length: 1000 }, () => ({ x: normal(rng) })),
      2,
    );
    const moved = profileOf(
      Array.from({ length: 1000 }, () => ({ x: normal(rng, 1) })),
      3,
    );
    const a = compareColumn(ref.column('x')!, same.column('x')!);
    const b = compareColumn(ref.column('x')!, moved.column('x')!);
    if (a.status !== 'tested' || b.status !== 'tested') throw new Error('expected tested');
    expect(a.test.test.method).toBe('ks');
    expect(a.test.test.pValue).toBeGreaterThan(0.01);
    expect(a.test.effect.score).toBeLessThan(0.05);
    expect(b.test.test.pValue).toBeLessThan(1e-20);
    expect(b.test.effect.score).toBeGreaterThan(0.5);
    expect(b.test.chosen.method).toBe('wasserstein');
    if (b.test.moved.kind !== 'numbers') throw new Error('numbers expected');
    expect(b.test.moved.after.p50 - b.test.moved.before.p50).toBeGreaterThan(0.8);
  });

  it('is robust to a few extreme values: outliers move PSI on deciles little', () => {
    const rng = seededRng(5);
    const ref = profileOf(Array.from({ length: 5000 }, () => ({ x: normal(rng) })));
    const cur = profileOf(
      Array.from({ length: 1000 }, (_, i) => ({ x: i % 20 === 0 ? 1e6 : normal(rng) })),
      2,
    );
    const r = compareColumn(ref.column('x')!, cur.column('x')!);
    if (r.status !== 'tested') throw new Error('expected tested');
    expect(r.test.effect.score).toBeLessThan(0.1);
  });

  it('pools rare categories, tests homogeneity on the 2×K table and measures JS distance', () => {
    const ref = profileOf([
      ...Array.from({ length: 600 }, () => ({ c: 'a' })),
      ...Array.from({ length: 395 }, () => ({ c: 'b' })),
      ...Array.from({ length: 5 }, (_, i) => ({ c: `rare${i}` })),
    ]);
    const cur = profileOf([
      ...Array.from({ length: 300 }, () => ({ c: 'a' })),
      ...Array.from({ length: 290 }, () => ({ c: 'b' })),
      ...Array.from({ length: 10 }, () => ({ c: 'new' })),
    ]);
    const pooled = pooledCategories(ref.column('c')!, cur.column('c')!, 0.01);
    expect(pooled).toEqual({ keys: ['a', 'b', '(other)'], ref: [600, 395, 5], cur: [300, 290, 10] });
    const r = compareColumn(ref.column('c')!, cur.column('c')!, { kind: 'categorical' });
    if (r.status !== 'tested') throw new Error('expected tested');
    expect(r.test.test.pValue).toBeCloseTo(chiSquareContingency([600, 395, 5], [300, 290, 10]).pValue, 12);
    expect(r.test.effect.score).toBeCloseTo(
      jsDistanceFromProportions([0.6, 0.395, 0.005], [0.5, 290 / 600, 10 / 600], 2),
      12,
    );
    expect(r.test.moved).toMatchObject({ kind: 'categories', category: 'a', before: 0.6, after: 0.5 });
  });

  it('says when a side is too small and when a kind has no univariate test', () => {
    const ref = profileOf(Array.from({ length: 500 }, (_, i) => ({ x: i, t: `free text number ${i} here` })));
    const cur = profileOf(Array.from({ length: 20 }, (_, i) => ({ x: i, t: `more text ${i} to read` })));
    expect(compareColumn(ref.column('x')!, cur.column('x')!)).toMatchObject({
      status: 'insufficient_data',
      reason: expect.stringContaining('fewer than 100'),
    });
    expect(compareColumn(ref.column('t')!, cur.column('t')!, { kind: undefined })).toMatchObject({
      status: 'not_applicable',
    });
  });
});
