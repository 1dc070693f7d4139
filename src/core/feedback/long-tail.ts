/**
 * Popularity bias of recommendations (methods.md §8; Abdollahpouri, Burke & Mobasher, FLAIRS 2019): how much of
 * what is recommended comes from the long tail, and how well the long tail is served (hit rate by popularity
 * bucket, RecList's "slice by popularity").
 */

export type Popularity = ReadonlyMap<string, number> | Readonly<Record<string, number>>;

function toMap(p: Popularity): Map<string, number> {
  const m = p instanceof Map ? new Map(p) : new Map(Object.entries(p));
  for (const [id, v] of m)
    if (!(v >= 0 && Number.isFinite(v)))
      throw new RangeError(`popularity of item "${id}" must be a finite number ≥ 0, got ${v}.`);
  return m;
}

export interface HeadTailSplit {
  head: Set<string>;
  tail: Set<string>;
}

/**
 * Splits items by training popularity φ(i) into the short head H and the long tail T: H is the most popular
 * items, taken in decreasing popularity until they cover `headShare` of all interactions (default 0.8, the
 * Pareto split: the few items that take 80 % of interactions); the rest is T. Ties at the boundary go to the
 * head in id order, so the split is deterministic.
 */
export function splitHeadTail(popularity: Popularity, headShare = 0.8): HeadTailSplit {
  if (!(headShare > 0 && headShare < 1))
    throw new RangeError(`splitHeadTail: headShare must be in (0, 1), got ${headShare}.`);
  const m = toMap(popularity);
  const items = [...m.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const total = items.reduce((s, [, v]) => s + v, 0);
  const head = new Set<string>();
  const tail = new Set<string>();
  let acc = 0;
  for (const [id, v] of items) {
    if (total > 0 && acc < headShare * total) {
      head.add(id);
      acc += v;
    } else tail.add(id);
  }
  return { head, tail };
}

function checkLists(lists: readonly (readonly string[])[], fn: string): void {
  lists.forEach((l, u) => {
    if (l.length === 0)
      throw new RangeError(`${fn}: lists[${u}] is empty; a recommendation list needs at least one item.`);
  });
}

/** Average percentage of long-tail items `APLT = (1/|U|) Σ_u |L_u ∩ T| / |L_u|`. Null without lists. */
export function averagePercentageLongTail(
  lists: readonly (readonly string[])[],
  tail: ReadonlySet<string>,
): number | null {
  checkLists(lists, 'averagePercentageLongTail');
  if (lists.length === 0) return null;
  return lists.reduce((s, l) => s + l.filter((i) => tail.has(i)).length / l.length, 0) / lists.length;
}

/**
 * Average recommendation popularity `ARP = (1/|U|) Σ_u Σ_{i∈L_u} φ(i) / |L_u|` (items without a known
 * popularity count 0). Null without lists.
 */
export function averageRecommendationPopularity(
  lists: readonly (readonly string[])[],
  popularity: Popularity,
): number | null {
  checkLists(lists, 'averageRecommendationPopularity');
  const m = toMap(popularity);
  if (lists.length === 0) return null;
  return lists.reduce((s, l) => s + l.reduce((a, i) => a + (m.get(i) ?? 0), 0) / l.length, 0) / lists.length;
}

/** Long-tail coverage `|∪_u L_u ∩ T| / |T|`: share of tail items recommended at least once. Null if T is empty. */
export function longTailCoverage(
  lists: readonly (readonly string[])[],
  tail: ReadonlySet<string>,
): number | null {
  if (tail.size === 0) return null;
  const shown = new Set<string>();
  for (const l of lists) for (const i of l) if (tail.has(i)) shown.add(i);
  return shown.size / tail.size;
}

export interface PopularityBucket {
  /** 0 = least popular bucket. */
  bucket: number;
  /** Popularity range [min, max] of the items in the bucket. */
  minPopularity: number;
  maxPopularity: number;
  /** Test cases whose target item falls in the bucket. */
  n: number;
  hits: number;
  hitRate: number | null;
}

/** One evaluated case: the item the user actually wanted, and what was recommended to them. */
export interface HitCase {
  target: string;
  ranked: readonly string[];
}

/**
 * Hit rate@k by popularity bucket: items are ranked by training popularity and cut into `buckets` groups of
 * (nearly) equal item count, least popular first (deciles by default); each case counts for its target's bucket,
 * a hit when the target is in the first k recommended. Targets without a known popularity go to bucket 0.
 * A loop shows as a rising head-bucket and a falling tail-bucket hit rate over windows.
 */
export function hitRateByPopularity(
  cases: readonly HitCase[],
  popularity: Popularity,
  k: number,
  buckets = 10,
): PopularityBucket[] {
  if (!Number.isInteger(k) || k < 1)
    throw new RangeError(`hitRateByPopularity: k must be an integer ≥ 1, got ${k}.`);
  if (!Number.isInteger(buckets) || buckets < 1)
    throw new RangeError(`hitRateByPopularity: buckets must be an integer ≥ 1, got ${buckets}.`);
  const m = toMap(popularity);
  const items = [...m.entries()].sort((a, b) => a[1] - b[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const nb = Math.max(1, Math.min(buckets, items.length));
  const bucketOf = new Map<string, number>();
  const out: PopularityBucket[] = Array.from({ length: nb }, (_, b) => ({
    bucket: b,
    minPopularity: Number.POSITIVE_INFINITY,
    maxPopularity: Number.NEGATIVE_INFINITY,
    n: 0,
    hits: 0,
    hitRate: null,
  }));
  items.forEach(([id, v], r) => {
    const b = Math.min(nb - 1, Math.floor((r * nb) / items.length));
    bucketOf.set(id, b);
    const o = out[b]!;
    o.minPopularity = Math.min(o.minPopularity, v);
    o.maxPopularity = Math.max(o.maxPopularity, v);
  });
  for (const c of cases) {
    const o = out[bucketOf.get(c.target) ?? 0]!;
    o.n += 1;
    if (c.ranked.slice(0, k).includes(c.target)) o.hits += 1;
  }
  for (const o of out) {
    o.hitRate = o.n === 0 ? null : o.hits / o.n;
    if (!Number.isFinite(o.minPopularity)) {
      o.minPopularity = 0;
      o.maxPopularity = 0;
    }
  }
  return out;
}
