/**
 * @module
 * What a person needs to see of one column's distribution in each file: summary statistics and the data
 * for an overlaid chart (reference vs current). Numerical columns get a histogram on shared bins; categorical
 * and boolean columns the share of their most frequent categories.
 *
 * Histogram bins: 30 equal-width bins over the pooled 0.5%–99.5% quantile range (so one far outlier does
 * not squash the chart into a single bar); values beyond it fall into the first or last bin, flagged
 * `clippedLow`/`clippedHigh`. Columns with at most 30 distinct values get one bar per value instead.
 * Proportions are shares of each file's present values, so files of different sizes compare directly.
 */
import { quantileSorted } from '../stats/index.js';

export interface NumericSummary {
  count: number;
  mean: number;
  std: number;
  min: number;
  p25: number;
  median: number;
  p75: number;
  max: number;
}

export interface CategoricalSummary {
  count: number;
  distinct: number;
  /** The most frequent category and its share. */
  top: string | null;
  topShare: number | null;
}

export interface HistogramChart {
  type: 'histogram';
  /** Bin edges (length bins + 1), or null when `values` label one bar per distinct value. */
  edges: number[] | null;
  /** One bar per distinct value (when few), else null. */
  values: number[] | null;
  reference: number[];
  current: number[];
  clippedLow: boolean;
  clippedHigh: boolean;
}

export interface BarsChart {
  type: 'bars';
  categories: string[];
  reference: number[];
  current: number[];
  /** Share of all other categories, per file (0 when every category is shown). */
  otherReference: number;
  otherCurrent: number;
}

export type Chart = HistogramChart | BarsChart;

/** Summary statistics of sorted, NaN-free values (population std); null for no values. */
export function numericSummary(sorted: Float64Array): NumericSummary | null {
  const n = sorted.length;
  if (n === 0) return null;
  // Two plain passes (mean, then squared deviations): these figures are for reading; the drift statistics
  // use the compensated sums of core/stats.
  let sum = 0;
  for (let i = 0; i < n; i++) sum += sorted[i]!;
  const mean = sum / n;
  let m2 = 0;
  for (let i = 0; i < n; i++) {
    const d = sorted[i]! - mean;
    m2 += d * d;
  }
  const std = Math.sqrt(m2 / n);
  return {
    count: n,
    mean,
    std,
    min: sorted[0]!,
    p25: quantileSorted(sorted, 0.25),
    median: quantileSorted(sorted, 0.5),
    p75: quantileSorted(sorted, 0.75),
    max: sorted[n - 1]!,
  };
}

/** Count, distinct count and top category of a category → count map; null when empty. */
export function categoricalSummary(counts: ReadonlyMap<string, number>): CategoricalSummary | null {
  let total = 0;
  let top: string | null = null;
  let topCount = -1;
  for (const [k, v] of counts) {
    total += v;
    if (v > topCount || (v === topCount && top !== null && k < top)) {
      top = k;
      topCount = v;
    }
  }
  if (total === 0) return null;
  return { count: total, distinct: counts.size, top, topShare: topCount / total };
}

const BINS = 30;

function countDistinctUpTo(a: Float64Array, cap: number, into: Set<number>): boolean {
  for (let i = 0; i < a.length; i++) {
    if (i > 0 && a[i] === a[i - 1]) continue;
    into.add(a[i]!);
    if (into.size > cap) return false;
  }
  return true;
}

/** Lower bound: first index with a[i] >= x. */
function lowerBound(a: Float64Array, x: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Overlaid histogram data for two sorted, NaN-free samples (see the module comment for the binning).
 * Null when either sample is empty.
 */
export function histogram(ref: Float64Array, cur: Float64Array): HistogramChart | null {
  if (ref.length === 0 || cur.length === 0) return null;
  const distinct = new Set<number>();
  if (countDistinctUpTo(ref, BINS, distinct) && countDistinctUpTo(cur, BINS, distinct)) {
    const values = [...distinct].sort((a, b) => a - b);
    // Share of each exact value: upper bound minus lower bound.
    const exact = (a: Float64Array) => values.map((v) => (upperBound(a, v) - lowerBound(a, v)) / a.length);
    return {
      type: 'histogram',
      edges: null,
      values,
      reference: exact(ref),
      current: exact(cur),
      clippedLow: false,
      clippedHigh: false,
    };
  }
  const lo = Math.min(quantileSorted(ref, 0.005), quantileSorted(cur, 0.005));
  const hi = Math.max(quantileSorted(ref, 0.995), quantileSorted(cur, 0.995));
  const min = Math.min(ref[0]!, cur[0]!);
  const max = Math.max(ref[ref.length - 1]!, cur[cur.length - 1]!);
  const a = lo < hi ? lo : min;
  const b = lo < hi ? hi : max > min ? max : min + 1;
  const width = (b - a) / BINS;
  const edges = Array.from({ length: BINS + 1 }, (_, i) => (i === BINS ? b : a + i * width));
  const shares = (s: Float64Array) => {
    const out: number[] = [];
    let prev = 0;
    for (let i = 1; i <= BINS; i++) {
      const next = i === BINS ? s.length : lowerBound(s, edges[i]!);
      out.push((next - prev) / s.length);
      prev = next;
    }
    return out;
  };
  return {
    type: 'histogram',
    edges,
    values: null,
    reference: shares(ref),
    current: shares(cur),
    clippedLow: min < a,
    clippedHigh: max > b,
  };
}

/** Upper bound: first index with a[i] > x. */
function upperBound(a: Float64Array, x: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid]! <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Bars for the `limit` categories most frequent over both files (by the sum of their two shares), with
 * the rest pooled as "other". Null when either file has no values.
 */
export function bars(
  ref: ReadonlyMap<string, number>,
  cur: ReadonlyMap<string, number>,
  limit = 12,
): BarsChart | null {
  const total = (m: ReadonlyMap<string, number>) => [...m.values()].reduce((s, v) => s + v, 0);
  const nr = total(ref);
  const nc = total(cur);
  if (nr === 0 || nc === 0) return null;
  const keys = [...new Set([...ref.keys(), ...cur.keys()])];
  const weight = (k: string) => (ref.get(k) ?? 0) / nr + (cur.get(k) ?? 0) / nc;
  keys.sort((x, y) => weight(y) - weight(x) || (x < y ? -1 : x > y ? 1 : 0));
  const shown = keys.slice(0, limit);
  const reference = shown.map((k) => (ref.get(k) ?? 0) / nr);
  const current = shown.map((k) => (cur.get(k) ?? 0) / nc);
  const sum = (a: number[]) => a.reduce((s, v) => s + v, 0);
  return {
    type: 'bars',
    categories: shown,
    reference,
    current,
    otherReference: rest(sum(reference)),
    otherCurrent: rest(sum(current)),
  };
}

/** 1 − shown, with rounding noise (|x| < 1e-12) read as 0. */
function rest(shown: number): number {
  const r = 1 - shown;
  return r < 1e-12 ? 0 : r;
}
