import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hitRateAtK, meanReciprocalRank, ndcgAtK, type RankedQuery } from './ranking.js';

/*
 * Hand-computed vectors, from the definitions:
 *   q1: ranked [a, b, c, d], relevant {c}      → first hit at rank 3
 *   q2: ranked [e, f, g],    relevant {e, g}   → hits at ranks 1 and 3
 *   q3: ranked [h, i],       relevant {z}      → no hit
 * HR@1 = (0 + 1 + 0)/3 = 1/3; HR@3 = (1 + 1 + 0)/3 = 2/3.
 * MRR = (1/3 + 1 + 0)/3 = 4/9.
 * NDCG@3: q1 DCG = 1/log2(4) = 0.5, IDCG = 1 → 0.5;
 *         q2 DCG = 1/log2(2) + 1/log2(4) = 1.5, IDCG = 1 + 1/log2(3) → 0.9197207891481876;
 *         q3 DCG = 0, IDCG = 1 → 0. Mean = 0.47324026304939587.
 * Graded: ranked [a, b, c], relevance {a: 3, b: 0, c: 2, d: 3}:
 *   linear      DCG@3 = 3 + 0 + 2/log2(4) = 4; IDCG@3 = 3 + 3/log2(3) + 2/2 = 5.892789260714372 → 0.6787956981029196
 *   exponential DCG@3 = 7 + 0 + 3/2 = 8.5;    IDCG@3 = 7 + 7/log2(3) + 3/2                 → 0.6580725857971756
 */
const queries: RankedQuery[] = [
  { ranked: ['a', 'b', 'c', 'd'], relevant: ['c'] },
  { ranked: ['e', 'f', 'g'], relevant: ['e', 'g'] },
  { ranked: ['h', 'i'], relevant: ['z'] },
];
const graded: RankedQuery = { ranked: ['a', 'b', 'c'], relevant: { a: 3, b: 0, c: 2, d: 3 } };

describe('ranking metrics (hand-computed vectors)', () => {
  it('hit rate@k', () => {
    expect(hitRateAtK(queries, 1).value).toBeCloseTo(1 / 3, 15);
    expect(hitRateAtK(queries, 3)).toEqual({ value: 2 / 3, n: 3, undefinedQueries: 0 });
  });
  it('MRR', () => {
    expect(meanReciprocalRank(queries).value).toBeCloseTo(4 / 9, 15);
    expect(meanReciprocalRank(queries, 2).value).toBeCloseTo(1 / 3, 15);
  });
  it('NDCG@3 binary and graded, linear and exponential gain', () => {
    expect(ndcgAtK(queries, 3).value).toBeCloseTo(0.47324026304939587, 14);
    expect(ndcgAtK([graded], 3).value).toBeCloseTo(0.6787956981029196, 14);
    expect(ndcgAtK([graded], 3, 'exponential').value).toBeCloseTo(0.6580725857971756, 14);
  });
  it('NDCG leaves out queries with nothing relevant, and says so', () => {
    expect(ndcgAtK([...queries, { ranked: ['a'], relevant: [] }], 3)).toMatchObject({
      n: 3,
      undefinedQueries: 1,
    });
    expect(ndcgAtK([], 3).value).toBeNull();
  });
});

describe('ranking metric invariants', () => {
  const query = fc.record({
    ranked: fc.uniqueArray(fc.constantFrom(...'abcdefghij'), { maxLength: 10 }),
    relevant: fc.uniqueArray(fc.constantFrom(...'abcdefghij'), { minLength: 1, maxLength: 5 }),
  });
  it('all lie in [0, 1]; HR@k and NDCG@k never fall as k grows; MRR ≤ HR', () => {
    fc.assert(
      fc.property(
        fc.array(query, { minLength: 1, maxLength: 20 }),
        fc.integer({ min: 1, max: 9 }),
        (qs, k) => {
          const hr = hitRateAtK(qs, k).value!;
          const hr2 = hitRateAtK(qs, k + 1).value!;
          const mrr = meanReciprocalRank(qs, k).value!;
          const ndcg = ndcgAtK(qs, k).value!;
          for (const v of [hr, mrr, ndcg]) {
            expect(v).toBeGreaterThanOrEqual(0);
            expect(v).toBeLessThanOrEqual(1 + 1e-12);
          }
          expect(hr2).toBeGreaterThanOrEqual(hr);
          expect(mrr).toBeLessThanOrEqual(hr + 1e-12);
        },
      ),
    );
  });
  it('NDCG is 1 for the ideal ranking', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.constantFrom(...'abcdefghij'), { minLength: 1 }), (rel) => {
        expect(ndcgAtK([{ ranked: rel, relevant: rel }], rel.length).value).toBeCloseTo(1, 12);
      }),
    );
  });
  it('rejects k < 1 and negative relevance', () => {
    expect(() => hitRateAtK(queries, 0)).toThrow(/k must be/);
    expect(() => ndcgAtK([{ ranked: ['a'], relevant: { a: -1 } }], 1)).toThrow(/relevance of item "a"/);
  });
});
