/**
 * @module
 * Distributions rebuilt from profile summaries (no rows needed), and the drift score between two of them.
 *
 * A numerical column's summary lists min, max and nine quantiles (0.01 … 0.99) read from its KLL sketch; its
 * CDF is taken as piecewise linear through those points. Summaries of several windows or versions combine as the
 * count-weighted mixture of their CDFs, which is exactly the CDF of the pooled data when each part is exact.
 * A categorical column's summary lists its most frequent items with counts; the remainder is one "other" bucket.
 *
 * The drift score is the Population Stability Index (methods.md 1.4) on reference-quantile bins (methods.md 1.3,
 * `reference-quantiles`) for numbers, and on categories (common ones, the rest pooled as "other") for categories,
 * with Evidently's empty-bin fill. One score for both kinds gives one colour scale: < 0.1 stable, 0.1–0.25 moderate, ≥ 0.25
 * significant (the industry rule of thumb quoted in methods.md 1.4).
 */
import type { ColumnSummary } from '../../core/profile/profile-summary.js';
import { psiFromProportions } from '../../core/stats/divergence.js';

/** One piecewise-linear CDF through (x, F) points, non-decreasing in both, weighted by its count. */
export interface CdfPart {
  weight: number;
  points: { x: number; f: number }[];
}

export interface NumericDist {
  kind: 'numeric';
  parts: CdfPart[];
  /** Values counted (missing excluded). */
  n: number;
  missing: number;
  count: number;
}

export interface CategoricalDist {
  kind: 'categorical';
  counts: Map<string, number>;
  /** Non-missing values not in `counts` (outside the listed top items). */
  other: number;
  n: number;
  missing: number;
  count: number;
}

export type Dist = NumericDist | CategoricalDist;

/** Thresholds of the colour scale (PSI). */
export const PSI_MODERATE = 0.1;
export const PSI_SIGNIFICANT = 0.25;

function cdfPointsOf(c: ColumnSummary): { x: number; f: number }[] | null {
  const s = c.numbers;
  if (!s || s.min === null || s.max === null || s.count === 0) return null;
  const pts = [{ x: s.min, f: 0 }];
  for (const q of s.quantiles) pts.push({ x: q.value, f: q.q });
  pts.push({ x: s.max, f: 1 });
  // Sketch quantiles are monotone; guard against rounding so the CDF stays non-decreasing in x.
  for (let i = 1; i < pts.length; i++) if (pts[i]!.x < pts[i - 1]!.x) pts[i]!.x = pts[i - 1]!.x;
  return pts;
}

/**
 * Whether a column is treated as numerical: the profile says so and it has numbers — unless every distinct value
 * is listed with an exact count (a code or a small count such as 0–9), where the exact counts beat a CDF
 * interpolated between quantiles (ties make that interpolation arbitrary).
 */
function isNumeric(c: ColumnSummary): boolean {
  if (c.kind !== 'numerical' || c.numbers === null || c.numbers.count === 0) return false;
  const fullyListed =
    c.itemsMaxError === 0 &&
    c.topItems.length > 0 &&
    c.distinct.exact &&
    c.distinct.estimate <= c.topItems.length;
  return !fullyListed;
}

/** A column's distribution from one summary; null for a column with no rows. An all-missing column is an
 * empty categorical distribution (n = 0) so that its missing share still counts. */
export function distOf(c: ColumnSummary): Dist | null {
  const nonMissing = c.count - c.missing;
  if (isNumeric(c)) {
    const points = cdfPointsOf(c);
    if (!points) return null;
    return {
      kind: 'numeric',
      parts: [{ weight: c.numbers!.count, points }],
      n: c.numbers!.count,
      missing: c.missing,
      count: c.count,
    };
  }
  if (c.count === 0) return null;
  const counts = new Map<string, number>();
  let listed = 0;
  for (const t of c.topItems) {
    counts.set(t.item, t.count);
    listed += t.count;
  }
  return {
    kind: 'categorical',
    counts,
    other: Math.max(0, nonMissing - listed),
    n: nonMissing,
    missing: c.missing,
    count: c.count,
  };
}

/** Pools distributions of the same column (count-weighted); null when none, or when their kinds differ. */
export function mergeDists(dists: readonly (Dist | null)[]): Dist | null {
  const ds = dists.filter((d): d is Dist => d !== null);
  if (ds.length === 0) return null;
  const kind = ds[0]!.kind;
  if (ds.some((d) => d.kind !== kind)) {
    // Mixed kinds (a numeric column that turned categorical): compare what is comparable — the majority kind.
    const numeric = ds.filter((d) => d.kind === 'numeric');
    const cat = ds.filter((d) => d.kind === 'categorical');
    const keep = numeric.reduce((s, d) => s + d.n, 0) >= cat.reduce((s, d) => s + d.n, 0) ? numeric : cat;
    const merged = mergeDists(keep)!;
    merged.missing = ds.reduce((s, d) => s + d.missing, 0);
    merged.count = ds.reduce((s, d) => s + d.count, 0);
    return merged;
  }
  const missing = ds.reduce((s, d) => s + d.missing, 0);
  const count = ds.reduce((s, d) => s + d.count, 0);
  const n = ds.reduce((s, d) => s + d.n, 0);
  if (kind === 'numeric')
    return { kind, parts: ds.flatMap((d) => (d as NumericDist).parts), n, missing, count };
  const counts = new Map<string, number>();
  let other = 0;
  for (const d of ds as CategoricalDist[]) {
    for (const [k, v] of d.counts) counts.set(k, (counts.get(k) ?? 0) + v);
    other += d.other;
  }
  return { kind, counts, other, n, missing, count };
}

/** F at x on the segment a–b; the fraction is taken first and clamped, so tiny (subnormal) spans stay exact. */
function lerp(a: { x: number; f: number }, b: { x: number; f: number }, x: number): number {
  const t = Math.min(1, Math.max(0, (x - a.x) / (b.x - a.x)));
  return a.f + (b.f - a.f) * t;
}

function partCdf(points: readonly { x: number; f: number }[], x: number): number {
  const first = points[0]!;
  const last = points[points.length - 1]!;
  if (x < first.x) return 0;
  if (x >= last.x) return 1;
  let f = 0;
  for (let i = 0; i + 1 < points.length; i++) {
    const a = points[i]!;
    const b = points[i + 1]!;
    if (x >= b.x) {
      f = b.f;
      continue;
    }
    if (x >= a.x) f = b.x > a.x ? lerp(a, b, x) : b.f;
    break;
  }
  return f;
}

/** The (mixture) CDF of a numeric distribution at x, in [0, 1]. */
export function cdfAt(d: NumericDist, x: number): number {
  let w = 0;
  let f = 0;
  for (const p of d.parts) {
    w += p.weight;
    f += p.weight * partCdf(p.points, x);
  }
  return w > 0 ? f / w : 0;
}

function partCdfBelow(points: readonly { x: number; f: number }[], x: number): number {
  if (x <= points[0]!.x) return 0;
  for (let i = 1; i < points.length; i++) {
    const b = points[i]!;
    if (b.x >= x) {
      const a = points[i - 1]!;
      return b.x > a.x ? lerp(a, b, x) : a.f;
    }
  }
  return 1;
}

/** The left limit P(X < x) of a numeric distribution (differs from `cdfAt` at tied values). */
export function cdfBelow(d: NumericDist, x: number): number {
  let w = 0;
  let f = 0;
  for (const p of d.parts) {
    w += p.weight;
    f += p.weight * partCdfBelow(p.points, x);
  }
  return w > 0 ? f / w : 0;
}

/** The q-quantile of a numeric distribution, by bisection on its CDF. */
export function quantileOf(d: NumericDist, q: number): number {
  let lo = Math.min(...d.parts.map((p) => p.points[0]!.x));
  let hi = Math.max(...d.parts.map((p) => p.points[p.points.length - 1]!.x));
  for (let i = 0; i < 60 && hi - lo > 0; i++) {
    const mid = (lo + hi) / 2;
    if (cdfAt(d, mid) < q) lo = mid;
    else hi = mid;
  }
  return hi;
}

/** Reference-quantile bin edges used by the drift score (deciles of the reference). */
export const DRIFT_QUANTILES = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9];

/** Bin proportions of `d` on `edges` (bins (−∞, e0], (e0, e1], …, (e_last, ∞)). */
export function binProportions(d: NumericDist, edges: readonly number[]): number[] {
  const out: number[] = [];
  let prev = 0;
  for (const e of edges) {
    const f = cdfAt(d, e);
    out.push(Math.max(0, f - prev));
    prev = Math.max(prev, f);
  }
  out.push(Math.max(0, 1 - prev));
  return out;
}

/** Distinct, increasing edges at the reference's deciles (ties collapse, e.g. for a column of few values). */
export function referenceEdges(ref: NumericDist): number[] {
  const edges: number[] = [];
  for (const q of DRIFT_QUANTILES) {
    const e = quantileOf(ref, q);
    if (edges.length === 0 || e > edges[edges.length - 1]!) edges.push(e);
  }
  return edges;
}

export interface DriftScore {
  /** PSI; null when either side has no values or the kinds differ. */
  psi: number | null;
  level: 'stable' | 'moderate' | 'significant' | 'unknown';
}

export function driftLevel(psi: number | null): DriftScore['level'] {
  if (psi === null) return 'unknown';
  return psi >= PSI_SIGNIFICANT ? 'significant' : psi >= PSI_MODERATE ? 'moderate' : 'stable';
}

/** The drift score between a reference and a current distribution of one column. */
export function driftScore(ref: Dist | null, cur: Dist | null): DriftScore {
  if (!ref || !cur || ref.kind !== cur.kind || ref.n === 0 || cur.n === 0)
    return { psi: null, level: 'unknown' };
  let r: number[];
  let c: number[];
  if (ref.kind === 'numeric') {
    const edges = referenceEdges(ref);
    r = binProportions(ref, edges);
    c = binProportions(cur as NumericDist, edges);
  } else {
    // Bins are the reference's listed categories plus one leftover bin; anything else the current window holds
    // (new categories, or ones the reference only had in its unlisted remainder) falls in the leftover. Rare
    // reference categories (expected fewer than 5 current values, or under 1 %) join the leftover too: PSI's
    // empty-bin fill makes a rare bin swing the score on a handful of rows.
    const cd = cur as CategoricalDist;
    const minShare = Math.max(0.01, 5 / Math.min(ref.n, cd.n));
    const keys = [...ref.counts.keys()].filter((k) => (ref.counts.get(k) ?? 0) / ref.n >= minShare).sort();
    r = keys.map((k) => (ref.counts.get(k) ?? 0) / ref.n);
    c = keys.map((k) => (cd.counts.get(k) ?? 0) / cd.n);
    r.push(Math.max(0, 1 - r.reduce((s, v) => s + v, 0)));
    c.push(Math.max(0, 1 - c.reduce((s, v) => s + v, 0)));
  }
  const psi = psiFromProportions(r, c);
  const value = Number.isFinite(psi) ? psi : null;
  return { psi: value, level: driftLevel(value) };
}

/**
 * Share of a current numeric distribution outside the reference's [q_lo, q_hi] range (methods.md 7.3 applied to
 * CDFs): P_cur(X < lo) + 1 − F_cur(hi); under no change it is about q_lo + 1 − q_hi.
 */
export function outOfRangeShare(ref: NumericDist, cur: NumericDist, qLo = 0.01, qHi = 0.99): number {
  const lo = quantileOf(ref, qLo);
  const hi = quantileOf(ref, qHi);
  return Math.min(1, Math.max(0, cdfBelow(cur, lo) + (1 - cdfAt(cur, hi))));
}

/**
 * Categories of the current distribution that the reference never had, with their counts; null when the
 * reference's list is incomplete (it had more categories than its summary lists), so "unseen" cannot be told.
 */
export function unseenCategories(
  ref: CategoricalDist,
  cur: CategoricalDist,
): { item: string; count: number }[] | null {
  if (ref.other > 0) return null;
  return [...cur.counts.entries()]
    .filter(([k]) => !ref.counts.has(k))
    .map(([item, count]) => ({ item, count }))
    .sort((a, b) => b.count - a.count || (a.item < b.item ? -1 : 1));
}
