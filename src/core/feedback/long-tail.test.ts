import { describe, expect, it } from 'vitest';
import {
  averagePercentageLongTail,
  averageRecommendationPopularity,
  hitRateByPopularity,
  longTailCoverage,
  splitHeadTail,
} from './long-tail.js';
import { ctrByPosition } from './position.js';

describe('long tail (methods.md §8 vector)', () => {
  const popularity = { A: 100, B: 80, C: 60, D: 5, E: 3, F: 2 };
  const tail = new Set(['D', 'E', 'F']);
  const lists = [
    ['A', 'B', 'D'],
    ['A', 'E', 'F'],
    ['B', 'C', 'A'],
  ];
  it('APLT 0.333333333333, ARP 58.888888888889, LT coverage 1.0', () => {
    expect(averagePercentageLongTail(lists, tail)).toBeCloseTo(0.333333333333, 11);
    expect(averageRecommendationPopularity(lists, popularity)).toBeCloseTo(58.888888888889, 10);
    expect(longTailCoverage(lists, tail)).toBe(1);
  });
  it('the Pareto split puts A, B, C (240 of 250 interactions) in the head and D, E, F in the tail', () => {
    const s = splitHeadTail(popularity);
    expect([...s.head].sort()).toEqual(['A', 'B', 'C']);
    expect([...s.tail].sort()).toEqual(['D', 'E', 'F']);
  });
  it('hit rate by popularity bucket: a recommender that only shows the head misses every tail target', () => {
    const pop = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`i${i}`, i + 1]));
    const ranked = ['i19', 'i18', 'i17'];
    const cases = Array.from({ length: 20 }, (_, i) => ({ target: `i${i}`, ranked }));
    const b = hitRateByPopularity(cases, pop, 3, 4);
    expect(b.map((x) => x.n)).toEqual([5, 5, 5, 5]);
    expect(b.map((x) => x.hitRate)).toEqual([0, 0, 0, 0.6]);
    expect(b[0]).toMatchObject({ minPopularity: 1, maxPopularity: 5 });
  });
  it('rejects an empty list and negative popularity, naming them', () => {
    expect(() => averagePercentageLongTail([[]], tail)).toThrow(/lists\[0\] is empty/);
    expect(() => splitHeadTail({ A: -1 })).toThrow(/item "A"/);
  });
});

describe('position bias (methods.md §8 vector)', () => {
  it('CTR [0.12, 0.06, 0.04, 0.03], relative [1, 0.5, 0.333333, 0.25]', () => {
    const r = ctrByPosition([1000, 1000, 1000, 1000], [120, 60, 40, 30]);
    expect(r.map((p) => p.ctr)).toEqual([0.12, 0.06, 0.04, 0.03]);
    const rel = r.map((p) => p.relativeBias!);
    [1, 0.5, 0.333333, 0.25].forEach((v, i) => {
      expect(rel[i]!).toBeCloseTo(v, 6);
    });
  });
  it('undefined CTR is null, never NaN; clicks above impressions are rejected', () => {
    expect(ctrByPosition([0, 10], [0, 1])[1]!.relativeBias).toBeNull();
    expect(() => ctrByPosition([10], [11])).toThrow(/clicks\[0\]/);
  });
});
