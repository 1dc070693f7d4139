/**
 * Two-sample Kolmogorov–Smirnov test, exactly as SciPy `ks_2samp` (two-sided), methods.md section 1.1.
 *
 * @module
 */
import { kstwoSf } from './kolmogorov.js';
import { sortFloat64 } from './sort.js';

/** `'auto'`: exact when max(n, m) <= 10 000, else asymptotic (SciPy's MAX_AUTO_N). */
export type KsMethod = 'auto' | 'exact' | 'asymp';

export interface KsResult {
  /** D = max |F_ref − F_cur| over the pooled sample (snapped to the lattice h/lcm(n,m) on the exact path). */
  statistic: number;
  /** Two-sided p-value in [0, 1]. */
  pValue: number;
  /** The method actually used (`'exact'` falls back to `'asymp'` on floating-point trouble). */
  method: 'exact' | 'asymp';
  /** Sample value where D is attained (SciPy `statistic_location`). */
  location: number;
  /** +1 when D = max(F_ref − F_cur), −1 when D = max(F_cur − F_ref) (SciPy `statistic_sign`; ties → +1). */
  sign: 1 | -1;
}

const MAX_AUTO_N = 10_000;
const INT32_MAX = 2 ** 31 - 1;

function gcd(a: number, b: number): number {
  let x = a;
  let y = b;
  while (y) [x, y] = [y, x % y];
  return x;
}

/** NumPy's `np.round`: round half to even. */
function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/**
 * D, its location and sign from two ascending samples in one merge pass (SciPy semantics). The ECDF
 * difference is computed exactly as NumPy does (`i/n1 − j/n2` in doubles), so that which of several
 * (mathematically) tied extremes is reported matches SciPy bit for bit.
 */
export function ksStatisticSorted(
  ref: Float64Array,
  cur: Float64Array,
): { statistic: number; location: number; sign: 1 | -1 } {
  const n1 = ref.length;
  const n2 = cur.length;
  let i = 0;
  let j = 0;
  // SciPy takes argmax/argmin over concat(sorted ref, sorted cur): the first ref value attaining the
  // extreme wins, else the first cur value.
  let maxD = Number.NEGATIVE_INFINITY;
  let maxLocRef = Number.NaN;
  let maxLocCur = Number.NaN;
  let minD = Number.POSITIVE_INFINITY;
  let minLocRef = Number.NaN;
  let minLocCur = Number.NaN;
  while (i < n1 || j < n2) {
    let v: number;
    if (j >= n2) v = ref[i]!;
    else if (i >= n1) v = cur[j]!;
    else {
      const x = ref[i]!;
      const y = cur[j]!;
      v = x <= y ? x : y;
    }
    const i0 = i;
    const j0 = j;
    while (i < n1 && ref[i]! <= v) i++;
    while (j < n2 && cur[j]! <= v) j++;
    const d = i / n1 - j / n2;
    if (d >= maxD) {
      if (d > maxD) {
        maxD = d;
        maxLocRef = Number.NaN;
        maxLocCur = Number.NaN;
      }
      if (i > i0 && Number.isNaN(maxLocRef)) maxLocRef = v;
      if (j > j0 && Number.isNaN(maxLocCur)) maxLocCur = v;
    }
    if (d <= minD) {
      if (d < minD) {
        minD = d;
        minLocRef = Number.NaN;
        minLocCur = Number.NaN;
      }
      if (i > i0 && Number.isNaN(minLocRef)) minLocRef = v;
      if (j > j0 && Number.isNaN(minLocCur)) minLocCur = v;
    }
  }
  const maxS = maxD;
  const negMin = Math.min(Math.max(-minD, 0), 1);
  if (negMin > maxS) {
    return { statistic: negMin, location: Number.isNaN(minLocRef) ? minLocCur : minLocRef, sign: -1 };
  }
  return { statistic: maxS, location: Number.isNaN(maxLocRef) ? maxLocCur : maxLocRef, sign: 1 };
}

/** Two-sided exact p for n == m: Hodges' reflection recursion (SciPy `_compute_prob_outside_square`). */
function probOutsideSquare(n: number, h: number): number {
  let P = 0;
  for (let k = Math.floor(n / h); k >= 0; k--) {
    let p1 = 1;
    for (let j = 0; j < h; j++) p1 = ((n - k * h - j) * p1) / (n + k * h + j + 1);
    P = p1 * (1 - P);
  }
  return 2 * P;
}

/**
 * Two-sided exact p for n != m: probability that the lattice path leaves the band |i/m − j/n| < h/lcm,
 * computed column by column with a sliding window (Hodges 1957 "inside method", carrying 1 − P).
 */
function outerProbInside(a: number, b: number, g: number, h: number): number {
  const m = Math.max(a, b);
  const n = Math.min(a, b);
  const mg = m / g;
  const ng = n / g;
  let minj = 0;
  let maxj = Math.min(Math.ceil(h / mg), n + 1);
  let curlen = maxj - minj;
  const lenA = Math.min(2 * maxj + 2, n + 1);
  const A = new Float64Array(lenA).fill(1);
  A.fill(0, minj, maxj);
  for (let i = 1; i <= m; i++) {
    const lastminj = minj;
    const lastlen = curlen;
    minj = Math.min(Math.max(Math.floor((ng * i - h) / mg) + 1, 0), n);
    maxj = Math.min(Math.ceil((ng * i + h) / mg), n + 1);
    if (maxj <= minj) return 1;
    let val = minj === 0 ? 0 : 1;
    for (let jj = 0; jj < maxj - minj; jj++) {
      const j = jj + minj;
      const src = jj + minj - lastminj;
      if (src >= lenA) return Number.NaN; // window outgrew the buffer: let the caller fall back
      val = (A[src]! * i + val * j) / (i + j);
      A[jj] = val;
    }
    curlen = maxj - minj;
    if (lastlen > curlen) A.fill(1, maxj - minj, Math.min(maxj - minj + (lastlen - curlen), lenA));
  }
  return A[maxj - minj - 1]!;
}

/** SciPy `_attempt_exact_2kssamp` (two-sided): snaps D to the lattice; null on floating-point trouble. */
function attemptExact(n1: number, n2: number, g: number, d: number): { d: number; p: number | null } {
  const lcm = (n1 / g) * n2;
  const h = roundHalfEven(d * lcm);
  const snapped = h / lcm;
  if (h === 0) return { d: snapped, p: 1 };
  const p = n1 === n2 ? probOutsideSquare(n1, h) : outerProbInside(n1, n2, g, h);
  if (!Number.isFinite(p) || p < 0 || p > 1) return { d: snapped, p: null };
  return { d: snapped, p };
}

/**
 * p-value of the two-sided two-sample KS statistic `d` for sample sizes n1, n2 (methods.md 1.1 steps 1–4).
 * Exact (n == m recursion or Hodges' inside method) when `method` resolves to exact, else
 * `kstwo.sf(d, round(n1 n2 / (n1 + n2)))`. Exposed so that sketch-based drift can reuse it with a D̂.
 *
 * Edge cases: sizes must be positive integers (RangeError otherwise); `d <= 0` → p = 1.
 */
export function ksPValue(
  d: number,
  n1: number,
  n2: number,
  method: KsMethod = 'auto',
): { statistic: number; pValue: number; method: 'exact' | 'asymp' } {
  if (!(Number.isInteger(n1) && n1 > 0 && Number.isInteger(n2) && n2 > 0))
    throw new RangeError(`KS sample sizes must be positive integers (got ${n1} and ${n2})`);
  const g = gcd(n1, n2);
  let mode: 'exact' | 'asymp';
  if (method === 'auto') mode = Math.max(n1, n2) <= MAX_AUTO_N ? 'exact' : 'asymp';
  else if (method === 'exact') mode = n1 / g >= INT32_MAX / (n2 / g) ? 'asymp' : 'exact';
  else mode = 'asymp';
  let stat = d;
  if (mode === 'exact') {
    const res = attemptExact(n1, n2, g, d);
    stat = res.d;
    if (res.p !== null) return { statistic: stat, pValue: res.p, method: 'exact' };
    mode = 'asymp';
  }
  const en = (Math.max(n1, n2) * Math.min(n1, n2)) / (n1 + n2);
  // round(en) is 0 only for n1 = n2 = 1 (en = 0.5); kstwo needs n >= 1.
  const p = kstwoSf(stat, Math.max(1, roundHalfEven(en)));
  return { statistic: stat, pValue: Math.min(Math.max(p, 0), 1), method: 'asymp' };
}

/**
 * Two-sample two-sided Kolmogorov–Smirnov test on **ascending** samples (no copy, no check).
 * See {@link ks2samp}.
 */
export function ks2sampSorted(ref: Float64Array, cur: Float64Array, method: KsMethod = 'auto'): KsResult {
  if (ref.length === 0 || cur.length === 0)
    throw new RangeError(`KS needs non-empty samples (ref has ${ref.length}, cur has ${cur.length} values)`);
  const { statistic, location, sign } = ksStatisticSorted(ref, cur);
  const p = ksPValue(statistic, ref.length, cur.length, method);
  return { statistic: p.statistic, pValue: p.pValue, method: p.method, location, sign };
}

/**
 * Two-sample two-sided Kolmogorov–Smirnov test: `D = max_z |F_ref(z) − F_cur(z)|` over the pooled sample
 * with right-continuous ECDFs, and its p-value — SciPy `ks_2samp(ref, cur, method=…)` (methods.md 1.1).
 * O((n+m) log(n+m)) for the sorts, then one merge pass; the asymptotic path costs at most ~1 ms more, the
 * exact path O(n) for n == m and O(n·window) otherwise (only for max(n,m) <= 10 000 under `'auto'`).
 *
 * The inputs are copied before sorting (use {@link ks2sampSorted} on already sorted data). NaN must be
 * dropped by the caller; ±Infinity are ordinary values.
 *
 * Edge cases: an empty sample → RangeError; identical samples → D = 0, p = 1.
 *
 * @example ks2samp(Float64Array.from({ length: 10 }, (_, i) => i + 1), Float64Array.from({ length: 12 }, (_, i) => i + 3))
 * // { statistic: 0.3333…, pValue: 0.476956480052, method: 'exact', location: 10, sign: 1 }
 */
export function ks2samp(ref: Float64Array, cur: Float64Array, opts: { method?: KsMethod } = {}): KsResult {
  return ks2sampSorted(sortFloat64(Float64Array.from(ref)), sortFloat64(Float64Array.from(cur)), opts.method);
}
