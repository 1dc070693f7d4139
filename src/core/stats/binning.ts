/**
 * Binning conventions that turn two numerical samples into two vectors of bin proportions for PSI, KL,
 * Jensen–Shannon and Hellinger (methods.md section 1.3). Each anchor's variant is implemented explicitly
 * and named in the API; nothing switches silently (methods.md 10.1).
 *
 * All functions take **ascending, finite** samples (see `sortFloat64`), so counts are binary searches.
 *
 * @module
 */
import { compensatedSum } from './moments.js';

/**
 * The binning variant:
 * - `'evidently-sturges'` — Evidently `get_binned_data`: when the reference has more than 20 distinct values,
 *   NumPy Sturges edges on the **pooled** sample, counts by `np.histogram`; otherwise one bin per distinct
 *   value of ref ∪ cur. Proportions = count / sample length.
 * - `'evidently-hellinger'` — Evidently `hellinger_distance.py` (numerical): Sturges edges computed on the
 *   **distinct** pooled values.
 * - `'nannyml-doane'` — NannyML continuous methods: Doane edges on the **reference** only, current mass
 *   outside them collected in an extra "leftover" bin (reference 0 there). As NannyML, a column with
 *   <= 50 distinct reference values and a distinct share <= 10 % is binned per reference value instead
 *   (unseen current values go to the leftover bin).
 * - `'reference-quantiles'` (or `{ kind: 'reference-quantiles', bins }`, default 10 = deciles) — edges at the
 *   reference quantiles (NumPy "linear"), duplicates merged, outer bins open to ±∞, bins `[a, b)`.
 * - `{ kind: 'fixed-edges', edges }` — caller-chosen strictly increasing edges with `np.histogram`
 *   semantics (`[a, b)`, last bin closed), plus an underflow / overflow bin when any value falls outside.
 */
export type Binning =
  | 'evidently-sturges'
  | 'evidently-hellinger'
  | 'nannyml-doane'
  | 'reference-quantiles'
  | { kind: 'reference-quantiles'; bins: number }
  | { kind: 'fixed-edges'; edges: readonly number[] };

export type BinningName =
  | 'evidently-sturges'
  | 'evidently-hellinger'
  | 'nannyml-doane'
  | 'reference-quantiles'
  | 'fixed-edges';

export interface BinnedProportions {
  /** Reference proportions per bin (count / reference length). */
  ref: Float64Array;
  /** Current proportions per bin (count / current length). */
  cur: Float64Array;
  binning: BinningName;
  /** `'histogram'`: bins between `edges`; `'distinct-values'`: one bin per entry of `values`. */
  mode: 'histogram' | 'distinct-values';
  /** Histogram edges (bins + 1 entries, ±Infinity for open outer bins); null in distinct-values mode. */
  edges: number[] | null;
  /** The value of each bin in distinct-values mode; null in histogram mode. */
  values: number[] | null;
  /** True when an extra last bin holds current mass outside the reference bins (NannyML leftover). */
  leftover: boolean;
}

/** Number of elements `< x` in ascending `a` (`np.searchsorted(a, x, 'left')`). */
export function lowerBound(a: Float64Array, x: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Number of elements `<= x` in ascending `a` (`np.searchsorted(a, x, 'right')`). */
export function upperBound(a: Float64Array, x: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid]! <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Distinct values of an ascending array, in order. */
export function distinctSorted(a: Float64Array): Float64Array {
  const out: number[] = [];
  for (let i = 0; i < a.length; i++) if (i === 0 || a[i] !== a[i - 1]) out.push(a[i]!);
  return Float64Array.from(out);
}

/** Count of distinct values in an ascending array, stopping early once `cap` is exceeded. */
export function countDistinctSorted(a: Float64Array, cap = Number.POSITIVE_INFINITY): number {
  let k = 0;
  for (let i = 0; i < a.length; i++) {
    if (i === 0 || a[i] !== a[i - 1]) {
      k++;
      if (k > cap) return k;
    }
  }
  return k;
}

/** `np.linspace(first, last, num)` (endpoint included, last element exactly `last`). */
function linspace(first: number, last: number, num: number): number[] {
  const div = num - 1;
  const step = (last - first) / div;
  const out = new Array<number>(num);
  for (let i = 0; i < num; i++) out[i] = i * step + first;
  out[num - 1] = last;
  return out;
}

/**
 * NumPy `np.histogram_bin_edges(a, bins='sturges' | 'doane')` on an ascending, finite, non-empty sample.
 * Sturges width `ptp/(log2 N + 1)`; Doane width `ptp/(1 + log2 N + log2(1 + |g1|/σ_g1))` with `g1` the
 * population skewness and `σ_g1 = sqrt(6(N−2)/((N+1)(N+3)))` (0 width, i.e. one bin, when N <= 2 or the
 * sample is constant); bins = `ceil((max − min)/width)`, equal width over [min, max]
 * (methods.md 1.3). A constant sample gives one bin `[v − 0.5, v + 0.5]` (methods.md 10.3).
 *
 * @example histogramBinEdges(Float64Array.from({ length: 60 }, (_, i) => i < 30 ? i : i - 20), 'sturges')
 * // 8 edges from 0 to 39 (7 bins) — methods.md 1.3 vector
 */
export function histogramBinEdges(sorted: Float64Array, rule: 'sturges' | 'doane'): number[] {
  const n = sorted.length;
  if (n === 0) throw new RangeError('histogram edges of an empty sample');
  const min = sorted[0]!;
  const max = sorted[n - 1]!;
  if (rule === 'sturges') return sturgesEdges(min, max, n);
  let width = 0;
  const ptp = max - min;
  if (n > 2) {
    const sg1 = Math.sqrt((6 * (n - 2)) / ((n + 1) * (n + 3)));
    const mean = compensatedSum(sorted) / n;
    let m2 = 0;
    for (let i = 0; i < n; i++) {
      const d = sorted[i]! - mean;
      m2 += d * d;
    }
    const sigma = Math.sqrt(m2 / n);
    if (sigma > 0) {
      let m3 = 0;
      for (let i = 0; i < n; i++) {
        const z = (sorted[i]! - mean) / sigma;
        m3 += z * z * z;
      }
      const g1 = m3 / n;
      width = ptp / (1 + Math.log2(n) + Math.log2(1 + Math.abs(g1) / sg1));
    }
  }
  return equalWidthEdges(min, max, width);
}

/** NumPy Sturges edges from the sample's min, max and size alone (width `ptp/(log2 N + 1)`). */
function sturgesEdges(min: number, max: number, n: number): number[] {
  return equalWidthEdges(min, max, (max - min) / (Math.log2(n) + 1));
}

/** NumPy: `[min, max]` (widened by ±0.5 when equal), `ceil(range/width)` bins (1 when width is 0). */
function equalWidthEdges(min: number, max: number, width: number): number[] {
  let first = min;
  let last = max;
  if (first === last) {
    first -= 0.5;
    last += 0.5;
  }
  const bins = width ? Math.ceil((last - first) / width) : 1;
  return linspace(first, last, bins + 1);
}

/**
 * `np.histogram(sorted, bins=edges)[0]` for explicit edges: bin i counts `edges[i] <= x < edges[i+1]`,
 * the last bin is closed; values outside `[edges[0], edges[last]]` are not counted.
 */
export function histogramCounts(sorted: Float64Array, edges: readonly number[]): Float64Array {
  const k = edges.length - 1;
  const counts = new Float64Array(k);
  let prev = lowerBound(sorted, edges[0]!);
  for (let i = 0; i < k; i++) {
    const next = i === k - 1 ? upperBound(sorted, edges[k]!) : lowerBound(sorted, edges[i + 1]!);
    counts[i] = next - prev;
    prev = next;
  }
  return counts;
}

/**
 * NumPy `np.quantile(sorted, q)` with the default "linear" method: `h = (n−1)q`,
 * `x[⌊h⌋] + (h − ⌊h⌋)(x[⌊h⌋+1] − x[⌊h⌋])` (methods.md 7.3), using NumPy's monotone lerp.
 * Edge cases: empty sample → RangeError; q outside [0, 1] → RangeError.
 */
export function quantileSorted(sorted: Float64Array, q: number): number {
  const n = sorted.length;
  if (n === 0) throw new RangeError('quantile of an empty sample');
  if (!(q >= 0 && q <= 1)) throw new RangeError(`quantile level must be in [0, 1] (got ${q})`);
  const h = (n - 1) * q;
  const lo = Math.floor(h);
  const t = h - lo;
  const a = sorted[lo]!;
  if (lo + 1 >= n || t === 0) return a;
  const b = sorted[lo + 1]!;
  const diff = b - a;
  return t >= 0.5 ? b - diff * (1 - t) : a + diff * t;
}

function proportions(counts: Float64Array, total: number): Float64Array {
  const out = new Float64Array(counts.length);
  for (let i = 0; i < counts.length; i++) out[i] = counts[i]! / total;
  return out;
}

/** One bin per distinct value of `keys` (ascending); counts of each sample at those values. */
function countAtValues(sorted: Float64Array, keys: Float64Array): Float64Array {
  const counts = new Float64Array(keys.length);
  let i = 0;
  for (let k = 0; k < keys.length; k++) {
    const v = keys[k]!;
    while (i < sorted.length && sorted[i]! < v) i++;
    const start = i;
    while (i < sorted.length && sorted[i] === v) i++;
    counts[k] = i - start;
  }
  return counts;
}

/** Distinct values of ref ∪ cur (both ascending), in order. */
function mergeDistinct(a: Float64Array, b: Float64Array): Float64Array {
  const out = new Float64Array(countDistinctPooled(a, b));
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < a.length || j < b.length) {
    const v = j >= b.length || (i < a.length && a[i]! <= b[j]!) ? a[i]! : b[j]!;
    out[k++] = v;
    while (i < a.length && a[i]! <= v) i++;
    while (j < b.length && b[j]! <= v) j++;
  }
  return out;
}

/** Number of distinct values of ref ∪ cur (both ascending), without materialising the union. */
function countDistinctPooled(a: Float64Array, b: Float64Array): number {
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < a.length || j < b.length) {
    const v = j >= b.length || (i < a.length && a[i]! <= b[j]!) ? a[i]! : b[j]!;
    k++;
    while (i < a.length && a[i]! <= v) i++;
    while (j < b.length && b[j]! <= v) j++;
  }
  return k;
}

function binningName(b: Binning): BinningName {
  return typeof b === 'string' ? b : b.kind;
}

/**
 * Bins two ascending, finite, non-empty samples with the named variant (see {@link Binning}) and returns
 * the per-bin proportions of each. No empty-bin fill is applied here (see `evidentlyZeroFill`).
 *
 * Edge cases: empty sample → RangeError; invalid `fixed-edges` (fewer than 2, not strictly increasing or
 * not finite) → RangeError naming `binning.edges`; `bins` not an integer >= 1 → RangeError.
 *
 * @example binSamples(ref, cur, 'evidently-sturges') // methods.md 1.3 vector: 7 pooled Sturges bins
 */
export function binSamples(ref: Float64Array, cur: Float64Array, binning: Binning): BinnedProportions {
  const n = ref.length;
  const m = cur.length;
  if (n === 0 || m === 0)
    throw new RangeError(`binning needs non-empty samples (ref has ${n}, cur has ${m} values)`);
  const name = binningName(binning);
  const histogram = (edges: number[]): BinnedProportions => ({
    ref: proportions(histogramCounts(ref, edges), n),
    cur: proportions(histogramCounts(cur, edges), m),
    binning: name,
    mode: 'histogram',
    edges,
    values: null,
    leftover: false,
  });
  const min = Math.min(ref[0]!, cur[0]!);
  const max = Math.max(ref[n - 1]!, cur[m - 1]!);
  if (binning === 'evidently-sturges') {
    // Sturges on the pooled sample needs only its min, max and size.
    if (countDistinctSorted(ref, 20) > 20) return histogram(sturgesEdges(min, max, n + m));
    const keys = mergeDistinct(ref, cur);
    return {
      ref: proportions(countAtValues(ref, keys), n),
      cur: proportions(countAtValues(cur, keys), m),
      binning: name,
      mode: 'distinct-values',
      edges: null,
      values: Array.from(keys),
      leftover: false,
    };
  }
  if (binning === 'evidently-hellinger')
    return histogram(sturgesEdges(min, max, countDistinctPooled(ref, cur)));
  if (binning === 'nannyml-doane') return nannymlBins(ref, cur);
  if (
    binning === 'reference-quantiles' ||
    (typeof binning === 'object' && binning.kind === 'reference-quantiles')
  ) {
    const bins = typeof binning === 'object' ? binning.bins : 10;
    if (!(Number.isInteger(bins) && bins >= 1))
      throw new RangeError(`binning.bins must be an integer >= 1 (got ${bins})`);
    const interior: number[] = [];
    for (let i = 1; i < bins; i++) {
      const q = quantileSorted(ref, i / bins);
      if (interior.length === 0 || q > interior[interior.length - 1]!) interior.push(q);
    }
    const edges = [Number.NEGATIVE_INFINITY, ...interior, Number.POSITIVE_INFINITY];
    const openCounts = (a: Float64Array): Float64Array => {
      const counts = new Float64Array(edges.length - 1);
      let prev = 0;
      for (let i = 0; i < counts.length; i++) {
        const next = i === counts.length - 1 ? a.length : lowerBound(a, edges[i + 1]!);
        counts[i] = next - prev;
        prev = next;
      }
      return counts;
    };
    return {
      ref: proportions(openCounts(ref), n),
      cur: proportions(openCounts(cur), m),
      binning: name,
      mode: 'histogram',
      edges,
      values: null,
      leftover: false,
    };
  }
  if (typeof binning === 'object' && binning.kind === 'fixed-edges')
    return fixedEdgeBins(ref, cur, binning.edges);
  throw new RangeError(
    `binning must be one of 'evidently-sturges', 'evidently-hellinger', 'nannyml-doane', 'reference-quantiles', ` +
      `{ kind: 'reference-quantiles', bins } or { kind: 'fixed-edges', edges } (got ${JSON.stringify(binning)})`,
  );
}

function fixedEdgeBins(ref: Float64Array, cur: Float64Array, edgesIn: readonly number[]): BinnedProportions {
  if (edgesIn.length < 2) throw new RangeError('binning.edges needs at least 2 edges');
  for (let i = 0; i < edgesIn.length; i++) {
    if (!Number.isFinite(edgesIn[i]!)) throw new RangeError(`binning.edges[${i}] is not a finite number`);
    if (i > 0 && !(edgesIn[i]! > edgesIn[i - 1]!))
      throw new RangeError(`binning.edges must be strictly increasing (edges[${i}] <= edges[${i - 1}])`);
  }
  const edges = Array.from(edgesIn);
  const lo = edges[0]!;
  const hi = edges[edges.length - 1]!;
  const under = (a: Float64Array) => lowerBound(a, lo);
  const over = (a: Float64Array) => a.length - upperBound(a, hi);
  const withUnder = under(ref) + under(cur) > 0;
  const withOver = over(ref) + over(cur) > 0;
  const build = (a: Float64Array): Float64Array => {
    const inner = histogramCounts(a, edges);
    const parts: number[] = [];
    if (withUnder) parts.push(under(a));
    parts.push(...inner);
    if (withOver) parts.push(over(a));
    return proportions(Float64Array.from(parts), a.length);
  };
  const outEdges = [
    ...(withUnder ? [Number.NEGATIVE_INFINITY] : []),
    ...edges,
    ...(withOver ? [Number.POSITIVE_INFINITY] : []),
  ];
  return {
    ref: build(ref),
    cur: build(cur),
    binning: 'fixed-edges',
    mode: 'histogram',
    edges: outEdges,
    values: null,
    leftover: false,
  };
}

/** NannyML: continuous when nunique(ref) > 50 or nunique/len > 0.1, else per reference value; leftover bin. */
function nannymlBins(ref: Float64Array, cur: Float64Array): BinnedProportions {
  const n = ref.length;
  const m = cur.length;
  const distinct = countDistinctSorted(ref);
  let refP: Float64Array;
  let curCounts: Float64Array;
  let edges: number[] | null = null;
  let values: number[] | null = null;
  if (distinct > 50 || distinct / n > 0.1) {
    edges = histogramBinEdges(ref, 'doane');
    refP = proportions(histogramCounts(ref, edges), n);
    curCounts = histogramCounts(cur, edges);
  } else {
    const keys = distinctSorted(ref);
    values = Array.from(keys);
    refP = proportions(countAtValues(ref, keys), n);
    curCounts = countAtValues(cur, keys);
  }
  let inside = 0;
  for (let i = 0; i < curCounts.length; i++) inside += curCounts[i]!;
  const outside = m - inside;
  const curP = proportions(curCounts, m);
  const base = {
    binning: 'nannyml-doane' as const,
    mode: edges ? ('histogram' as const) : ('distinct-values' as const),
    edges,
    values,
  };
  if (outside > 0) {
    const r = new Float64Array(refP.length + 1);
    r.set(refP);
    const c = new Float64Array(curP.length + 1);
    c.set(curP);
    c[curP.length] = outside / m;
    return { ref: r, cur: c, ...base, leftover: true };
  }
  return { ref: refP, cur: curP, ...base, leftover: false };
}

/**
 * Evidently's empty-bin fill (`get_binned_data(..., feel_zeroes=True)`, used by PSI and KL, not JS):
 * in a copy of `p`, zeros become `min_nonzero / 1e6` when `min_nonzero <= 0.0001`, else `0.0001`.
 * Proportions are not renormalised afterwards (methods.md 1.3). A vector with no non-zero entry is
 * returned unchanged.
 *
 * @example evidentlyZeroFill(Float64Array.of(0.5, 0.3, 0.2, 0)) // [0.5, 0.3, 0.2, 0.0001]
 */
export function evidentlyZeroFill(p: ArrayLike<number>): Float64Array {
  const out = Float64Array.from(p as ArrayLike<number>);
  let minNonZero = Number.POSITIVE_INFINITY;
  for (let i = 0; i < out.length; i++) if (out[i] !== 0 && out[i]! < minNonZero) minNonZero = out[i]!;
  if (minNonZero === Number.POSITIVE_INFINITY) return out;
  const fill = minNonZero <= 0.0001 ? minNonZero / 10 ** 6 : 0.0001;
  for (let i = 0; i < out.length; i++) if (out[i] === 0) out[i] = fill;
  return out;
}
