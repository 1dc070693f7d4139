/**
 * Ranking metrics for recommenders and search: hit rate@k, NDCG@k and mean reciprocal rank, averaged over the
 * queries (users) of a window. Each query is a ranked list of item ids and the items that were relevant to it
 * (with a graded relevance for NDCG if known).
 */

export interface RankedQuery {
  /** Recommended item ids, best first. */
  ranked: readonly string[];
  /** Relevant item ids (relevance 1) or a map item → graded relevance ≥ 0. */
  relevant: readonly string[] | Readonly<Record<string, number>>;
}

export interface RankingMetric {
  /** Mean over the queries where the metric is defined; null when there are none. */
  value: number | null;
  /** Queries averaged. */
  n: number;
  /** Queries left out because the metric is undefined for them (NDCG with no relevant item). */
  undefinedQueries: number;
}

function relevanceOf(q: RankedQuery): Map<string, number> {
  const m = new Map<string, number>();
  if (Array.isArray(q.relevant)) for (const id of q.relevant as readonly string[]) m.set(id, 1);
  else
    for (const [id, r] of Object.entries(q.relevant)) {
      if (!(r >= 0 && Number.isFinite(r)))
        throw new RangeError(`relevance of item "${id}" must be a finite number ≥ 0, got ${r}.`);
      if (r > 0) m.set(id, r);
    }
  return m;
}

function checkK(k: number, fn: string): void {
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`${fn}: k must be an integer ≥ 1, got ${k}.`);
}

function mean(values: number[], undefinedQueries: number): RankingMetric {
  if (values.length === 0) return { value: null, n: 0, undefinedQueries };
  return { value: values.reduce((a, b) => a + b, 0) / values.length, n: values.length, undefinedQueries };
}

/**
 * Hit rate@k: share of queries with at least one relevant item among the first k recommended. A query with
 * no relevant item counts as a miss. Empty input gives a null value.
 */
export function hitRateAtK(queries: readonly RankedQuery[], k: number): RankingMetric {
  checkK(k, 'hitRateAtK');
  return mean(
    queries.map((q) => {
      const rel = relevanceOf(q);
      return q.ranked.slice(0, k).some((id) => rel.has(id)) ? 1 : 0;
    }),
    0,
  );
}

/**
 * NDCG@k with the `log2(rank + 1)` discount: `DCG@k / IDCG@k`, IDCG from the ideal order of all the query's
 * relevance labels. Gain is the relevance itself (`linear`, as scikit-learn's `ndcg_score`) or `2^rel − 1`
 * (`exponential`, Burges et al. 2005); identical for binary relevance. A query with no relevant item has
 * IDCG = 0: it is left out and counted in `undefinedQueries` (scikit-learn scores it 0 instead).
 * An item listed twice counts once, at its first position.
 */
export function ndcgAtK(
  queries: readonly RankedQuery[],
  k: number,
  gain: 'linear' | 'exponential' = 'linear',
): RankingMetric {
  checkK(k, 'ndcgAtK');
  const g = gain === 'linear' ? (r: number) => r : (r: number) => 2 ** r - 1;
  const values: number[] = [];
  let undefinedQueries = 0;
  for (const q of queries) {
    const rel = relevanceOf(q);
    const ideal = [...rel.values()].sort((a, b) => b - a).slice(0, k);
    let idcg = 0;
    ideal.forEach((r, i) => {
      idcg += g(r) / Math.log2(i + 2);
    });
    if (idcg === 0) {
      undefinedQueries++;
      continue;
    }
    let dcg = 0;
    const seen = new Set<string>();
    q.ranked.slice(0, k).forEach((id, i) => {
      if (seen.has(id)) return;
      seen.add(id);
      dcg += g(rel.get(id) ?? 0) / Math.log2(i + 2);
    });
    values.push(dcg / idcg);
  }
  return mean(values, undefinedQueries);
}

/**
 * Mean reciprocal rank: mean over queries of `1 / rank` of the first relevant item (0 when none appears in the
 * list, or in its first k when `k` is given).
 */
export function meanReciprocalRank(queries: readonly RankedQuery[], k?: number): RankingMetric {
  if (k !== undefined) checkK(k, 'meanReciprocalRank');
  return mean(
    queries.map((q) => {
      const rel = relevanceOf(q);
      const list = k === undefined ? q.ranked : q.ranked.slice(0, k);
      const i = list.findIndex((id) => rel.has(id));
      return i < 0 ? 0 : 1 / (i + 1);
    }),
    0,
  );
}
