import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bars, categoricalSummary, histogram, numericSummary } from './summaries.js';

const sorted = (a: number[]) => Float64Array.from(a).sort();

describe('numericSummary', () => {
  it('gives count, mean, population std and NumPy-linear quartiles', () => {
    // [1, 2, 3, 4]: mean 2.5, population variance 1.25, quartiles at h = 0.75, 1.5, 2.25.
    const s = numericSummary(sorted([4, 1, 3, 2]))!;
    expect(s).toMatchObject({ count: 4, mean: 2.5, min: 1, p25: 1.75, median: 2.5, p75: 3.25, max: 4 });
    expect(s.std).toBeCloseTo(Math.sqrt(1.25), 14);
    expect(numericSummary(new Float64Array(0))).toBeNull();
  });
});

describe('histogram', () => {
  it('draws one bar per value when there are few', () => {
    const h = histogram(sorted([0, 0, 1, 1]), sorted([0, 1, 1, 1]))!;
    expect(h.values).toEqual([0, 1]);
    expect(h.reference).toEqual([0.5, 0.5]);
    expect(h.current).toEqual([0.25, 0.75]);
  });

  it('bins on shared edges whose shares sum to 1 per file (property)', () => {
    const sample = fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), {
      minLength: 1,
      maxLength: 200,
    });
    fc.assert(
      fc.property(sample, sample, (a, b) => {
        const h = histogram(sorted(a), sorted(b))!;
        const sum = (x: number[]) => x.reduce((s, v) => s + v, 0);
        expect(sum(h.reference)).toBeCloseTo(1, 9);
        expect(sum(h.current)).toBeCloseTo(1, 9);
        expect(h.reference.length).toBe(h.current.length);
        if (h.edges) expect(h.edges.length).toBe(h.reference.length + 1);
      }),
    );
  });

  it('keeps a far outlier from squashing the bins, and says so', () => {
    const ref = sorted([...Array.from({ length: 1000 }, (_, i) => i / 10), 1e9]);
    const h = histogram(ref, ref)!;
    expect(h.clippedHigh).toBe(true);
    expect(h.edges![h.edges!.length - 1]).toBeLessThan(200);
  });
});

describe('bars and categoricalSummary', () => {
  it('shows the most frequent categories over both files and pools the rest', () => {
    const ref = new Map([
      ['a', 6],
      ['b', 3],
      ['c', 1],
    ]);
    const cur = new Map([
      ['a', 1],
      ['d', 9],
    ]);
    const b = bars(ref, cur, 2)!;
    expect(b.categories).toEqual(['d', 'a']);
    expect(b.reference).toEqual([0, 0.6]);
    expect(b.current).toEqual([0.9, 0.1]);
    expect(b.otherReference).toBeCloseTo(0.4, 14);
    expect(b.otherCurrent).toBe(0);
    expect(categoricalSummary(ref)).toEqual({ count: 10, distinct: 3, top: 'a', topShare: 0.6 });
  });
});
