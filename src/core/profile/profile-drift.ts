/**
 * @module
 * Drift between two profiles, without rows (methods.md section 6, "Drift from two KLL sketches"). Every
 * result has the `ColumnDrift` shape of `core/stats` plus the error the sketches allow:
 *
 * - **KS** from the two KLL sketches: both CDFs are evaluated at the union of retained items (the sketch
 *   CDFs are step functions jumping only there, so this is the exact supremum of |F̂_R − F̂_C|). Each CDF
 *   has rank error ≤ ε (single-sided, 99%), so |D̂ − D| ≤ ε_R + ε_C. The p-value is the conservative one,
 *   computed from max(0, D̂ − ε_R − ε_C) with the true n and m (so p = 1 when D̂ does not exceed the bound).
 * - **Wasserstein** (Evidently's normed W1) integrates |F̂_R − F̂_C| between the retained items;
 *   |Ŵ1 − W1| ≤ (ε_R + ε_C)·(max − min), divided by the reference std like the score.
 * - **PSI / Jensen–Shannon / Hellinger / KL** on bins `[a, b)` cut at the reference sketch's quantiles
 *   (deciles by default), masses from both sketches' PMFs. Each mass is within ε_pmf (double-sided). PSI floors masses
 *   at ε_pmf before the logs (methods.md 6); JS and Hellinger need no floor (their terms are finite at
 *   zero) and use the masses as they are. The bound comes from interval arithmetic over the boxes
 *   [mass ± ε]: each per-bin term is jointly convex, zero on r = c and grows away from it, so its maximum
 *   is at a corner of the box and its minimum is 0 (boxes overlapping the diagonal) or the nearest corner.
 * - **Categorical** (chi-square, z-test, JS, PSI, L∞) from the frequent-items counts (numbers from their
 *   exact counts), with an "(other)" bin for the untracked remainder. Counts are exact while the
 *   summaries are (maxError 0); otherwise each count may be short by up to maxError.
 *
 * When both sketches are exact (n ≤ k for KLL, no purge for frequent items) the results equal the row-based
 * ones of `core/stats` with the same bins, and `errorBound` is 0.
 */

import { seededRng } from '../rng.js';
import type { KllSketch } from '../sketch/kll.js';
import {
  type ColumnDrift,
  type ColumnKind,
  categoricalDrift,
  chooseMethod,
  DEFAULT_THRESHOLDS,
  type DriftMethod,
  hellingerFromProportions,
  jsDistanceFromProportions,
  klFromProportions,
  ksPValue,
  psiFromProportions,
  WASSERSTEIN_STD_FLOOR,
} from '../stats/index.js';
import type { CategoryCounts, ColumnProfile } from './column-profile.js';
import type { DatasetProfile } from './dataset-profile.js';

/** A drift result computed from sketches: `ColumnDrift` plus what the sketches allow it to be off by. */
export interface SketchDrift extends ColumnDrift {
  /**
   * Bound (99% per sketch guarantee) on |statistic − the same statistic computed on the rows|, where the
   * statistic is D for KS, the score for distances, the proportions for L∞. 0 when both sides are exact;
   * null when no bound is known (chi-square and z-test on inexact counts, PSI/KL on inexact categories).
   */
  errorBound: number | null;
  /** Both summaries were exact, so the result equals the row-based one. */
  exact: boolean;
  /** Whether the drift decision holds for every value the error bound allows (false: too close to call). */
  decisionCertain: boolean;
}

/** Drift of one column between two profiles. */
export interface ProfileColumnDrift {
  column: string;
  kind: ColumnKind;
  status: 'tested' | 'not_applicable' | 'insufficient_data';
  /** Why the column was not tested; null when tested. */
  reason: string | null;
  /** The result of the chosen method (Evidently's automatic choice, or the override); null unless tested. */
  drift: SketchDrift | null;
  /** Every measure profiles support for this kind (numerical: ks, wasserstein, psi, jensenshannon). */
  measures: SketchDrift[];
}

export interface ProfileDriftResult {
  referenceRows: number;
  currentRows: number;
  columns: ProfileColumnDrift[];
}

export interface ProfileDriftOptions {
  /** Bins cut at the reference quantiles for PSI/JS/Hellinger/KL on numbers (default 10: deciles). */
  bins?: number;
  /** Per-column method overrides. */
  methods?: Readonly<Record<string, DriftMethod>>;
  /** Per-method thresholds (default `DEFAULT_THRESHOLDS`). */
  thresholds?: Readonly<Partial<Record<DriftMethod, number>>>;
  /** Per-column kind overrides. */
  kinds?: Readonly<Record<string, ColumnKind>>;
  /** Only these columns (default: every column of the reference). */
  columns?: readonly string[];
}

/** Methods a profile can compute for numerical columns. */
export const PROFILE_NUMERICAL_METHODS: readonly DriftMethod[] = [
  'ks',
  'wasserstein',
  'psi',
  'jensenshannon',
  'hellinger',
  'kl',
];
/** Methods a profile can compute for categorical and boolean columns. */
export const PROFILE_CATEGORICAL_METHODS: readonly DriftMethod[] = [
  'chisquare',
  'ztest',
  'jensenshannon',
  'psi',
  'kl',
  'hellinger',
  'linf',
];

const BINNED = new Set<DriftMethod>(['psi', 'jensenshannon', 'kl', 'hellinger']);
const P_VALUE_METHODS = new Set<DriftMethod>(['ks', 'cvm', 'chisquare', 'ztest', 'anderson']);
const OPS: Record<DriftMethod, '<' | '<=' | '>=' | '>'> = {
  ks: '<=',
  cvm: '<=',
  chisquare: '<',
  ztest: '<',
  anderson: '<',
  wasserstein: '>=',
  psi: '>=',
  kl: '>=',
  jensenshannon: '>=',
  hellinger: '>=',
  linf: '>',
};

function decide(method: DriftMethod, score: number, threshold: number): boolean {
  const op = OPS[method];
  return op === '<'
    ? score < threshold
    : op === '<='
      ? score <= threshold
      : op === '>='
        ? score >= threshold
        : score > threshold;
}

function thresholdOf(method: DriftMethod, threshold: number | undefined): number {
  const t = threshold ?? DEFAULT_THRESHOLDS[method];
  if (!Number.isFinite(t)) throw new RangeError(`threshold for ${method} must be a finite number, got ${t}`);
  return t;
}

function sketchResult(
  method: DriftMethod,
  score: number,
  threshold: number,
  n: number,
  m: number,
  errorBound: number | null,
  exact: boolean,
  scoreRange: [number, number] | null,
  detail: Record<string, unknown>,
): SketchDrift {
  const isP = P_VALUE_METHODS.has(method);
  const drifted = decide(method, score, threshold);
  const decisionCertain =
    exact ||
    (scoreRange !== null &&
      decide(method, scoreRange[0], threshold) === drifted &&
      decide(method, scoreRange[1], threshold) === drifted);
  return {
    method,
    score,
    pValue: isP ? score : null,
    threshold,
    drifted,
    statisticKind: isP ? 'p_value' : 'distance',
    n,
    m,
    detail,
    errorBound,
    exact,
    decisionCertain,
  };
}

function requireNonEmpty(ref: KllSketch, cur: KllSketch): void {
  if (ref.isEmpty || cur.isEmpty) {
    throw new RangeError(`drift needs numbers on both sides (reference has ${ref.n}, current has ${cur.n})`);
  }
}

/** The sorted union of retained values of two sketches. */
function unionPoints(a: KllSketch, b: KllSketch): Float64Array {
  const x = a.retainedValues();
  const y = b.retainedValues();
  const out = new Float64Array(x.length + y.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < x.length || j < y.length) {
    const v = j >= y.length || (i < x.length && x[i]! <= y[j]!) ? x[i++]! : y[j++]!;
    if (k === 0 || out[k - 1] !== v) out[k++] = v;
  }
  return out.slice(0, k);
}

/**
 * Two-sample KS from two KLL sketches (see the module comment): D̂ at the union of retained items, the
 * bound ε_R + ε_C and the conservative p-value from max(0, D̂ − bound). `detail.statistic` is D̂,
 * `detail.pValueFrom` the statistic the p-value used. Throws a RangeError if a sketch is empty.
 */
export function ksFromSketches(
  ref: KllSketch,
  cur: KllSketch,
  options: { threshold?: number } = {},
): SketchDrift {
  requireNonEmpty(ref, cur);
  const threshold = thresholdOf('ks', options.threshold);
  const points = unionPoints(ref, cur);
  const fr = ref.cdf(points)!;
  const fc = cur.cdf(points)!;
  let d = 0;
  let location = points[0]!;
  for (let i = 0; i < points.length; i++) {
    const diff = Math.abs(fr[i]! - fc[i]!);
    if (diff > d) {
      d = diff;
      location = points[i]!;
    }
  }
  const bound = ref.normalizedRankError(false) + cur.normalizedRankError(false);
  const exact = bound === 0;
  const conservative = Math.max(0, d - bound);
  const p = ksPValue(conservative, ref.n, cur.n, 'auto');
  const optimistic = bound === 0 ? p.pValue : ksPValue(Math.min(1, d + bound), ref.n, cur.n, 'auto').pValue;
  return sketchResult('ks', p.pValue, threshold, ref.n, cur.n, bound, exact, [p.pValue, optimistic], {
    statistic: d,
    pValueFrom: p.statistic,
    resolvable: d > bound,
    ksMethod: p.method,
    location: Number.isFinite(location) ? location : null,
  });
}

/**
 * Evidently's normed Wasserstein distance W1/max(std_pop(ref), 0.001) from two KLL sketches and the
 * reference std (population, from the moments). W1 integrates |F̂_R − F̂_C| between consecutive retained
 * items; the bound is (ε_R + ε_C)·(max − min)/std. Non-finite values → RangeError.
 */
export function wassersteinFromSketches(
  ref: KllSketch,
  cur: KllSketch,
  refStdPop: number,
  options: { threshold?: number } = {},
): SketchDrift {
  requireNonEmpty(ref, cur);
  const threshold = thresholdOf('wasserstein', options.threshold);
  for (const v of [ref.min!, ref.max!, cur.min!, cur.max!]) {
    if (!Number.isFinite(v))
      throw new RangeError('Wasserstein needs finite values (a sketch holds ±Infinity)');
  }
  const points = unionPoints(ref, cur);
  const fr = ref.cdf(points)!;
  const fc = cur.cdf(points)!;
  let w1 = 0;
  for (let i = 0; i + 1 < points.length; i++) w1 += Math.abs(fr[i]! - fc[i]!) * (points[i + 1]! - points[i]!);
  const std = Math.max(refStdPop, WASSERSTEIN_STD_FLOOR);
  const score = w1 / std;
  const eps = ref.normalizedRankError(false) + cur.normalizedRankError(false);
  const range = points[points.length - 1]! - points[0]!;
  const bound = (eps * range) / std;
  return sketchResult(
    'wasserstein',
    score,
    threshold,
    ref.n,
    cur.n,
    bound,
    eps === 0,
    [Math.max(0, score - bound), score + bound],
    {
      w1,
      refStd: refStdPop,
    },
  );
}

type Term = (r: number, c: number) => number;

const xlog2 = (x: number, y: number) => (x === 0 ? 0 : x * Math.log2(x / y));
const TERMS: Partial<Record<DriftMethod, Term>> = {
  psi: (r, c) => (r - c) * Math.log(r / c),
  jensenshannon: (r, c) => 0.5 * (xlog2(r, (r + c) / 2) + xlog2(c, (r + c) / 2)),
  hellinger: (r, c) => (Math.sqrt(r) - Math.sqrt(c)) ** 2,
};

/**
 * Range of Σ term(r_i, c_i) over the boxes r_i ∈ [rLo, rHi], c_i ∈ [cLo, cHi], for terms jointly convex,
 * zero on r = c and increasing away from it (PSI, JS divergence, squared Hellinger terms).
 */
function sumRange(term: Term, rLo: number[], rHi: number[], cLo: number[], cHi: number[]): [number, number] {
  let lo = 0;
  let hi = 0;
  for (let i = 0; i < rLo.length; i++) {
    hi += Math.max(
      term(rLo[i]!, cLo[i]!),
      term(rLo[i]!, cHi[i]!),
      term(rHi[i]!, cLo[i]!),
      term(rHi[i]!, cHi[i]!),
    );
    if (rLo[i]! > cHi[i]!) lo += term(rLo[i]!, cHi[i]!);
    else if (cLo[i]! > rHi[i]!) lo += term(rHi[i]!, cLo[i]!);
  }
  return [lo, hi];
}

/** Score and its range for a proportion-based distance, given estimated proportions and box half-widths. */
function distanceWithRange(
  method: DriftMethod,
  r: number[],
  c: number[],
  rLo: number[],
  rHi: number[],
  cLo: number[],
  cHi: number[],
  exact: boolean,
): { score: number; range: [number, number] | null } {
  let score: number;
  if (method === 'psi') score = psiFromProportions(r, c, { fill: 'evidently' });
  else if (method === 'jensenshannon') score = jsDistanceFromProportions(r, c, 2);
  else if (method === 'hellinger') score = hellingerFromProportions(r, c);
  else score = klFromProportions(r, c, { fill: 'evidently' });
  if (exact) return { score, range: [score, score] };
  const term = TERMS[method];
  if (!term) return { score, range: null };
  if (method === 'psi' && (rLo.some((x) => x <= 0) || cLo.some((x) => x <= 0))) return { score, range: null };
  const [lo, hi] = sumRange(term, rLo, rHi, cLo, cHi);
  if (method === 'jensenshannon')
    return { score, range: [Math.sqrt(Math.max(0, lo)), Math.min(1, Math.sqrt(hi))] };
  if (method === 'hellinger') return { score, range: [Math.sqrt(lo / 2), Math.min(1, Math.sqrt(hi / 2))] };
  return { score, range: [lo, hi] };
}

function boundFromRange(score: number, range: [number, number] | null): number | null {
  if (range === null) return null;
  return Math.max(0, score - range[0], range[1] - score);
}

/**
 * PSI, Jensen–Shannon distance (base 2), Hellinger or KL on bins cut at the reference sketch's
 * quantiles 1/bins … (bins−1)/bins (duplicates dropped), masses from both sketches' PMFs (module
 * comment). `detail.edges` lists the cut points, `detail.ref`/`detail.cur` the masses used.
 */
export function binnedFromSketches(
  ref: KllSketch,
  cur: KllSketch,
  method: 'psi' | 'jensenshannon' | 'hellinger' | 'kl',
  options: { bins?: number; threshold?: number } = {},
): SketchDrift {
  requireNonEmpty(ref, cur);
  const bins = options.bins ?? 10;
  if (!Number.isInteger(bins) || bins < 2 || bins > 1000)
    throw new RangeError(`bins must be an integer in [2, 1000], got ${bins}`);
  const threshold = thresholdOf(method, options.threshold);
  const edges: number[] = [];
  for (let i = 1; i < bins; i++) {
    const q = ref.quantile(i / bins)!;
    if (edges.length === 0 || q > edges[edges.length - 1]!) edges.push(q);
  }
  // A constant reference gives no interior edge; cut at its value so both sides still have two bins.
  if (edges.length === 0) edges.push(ref.min!);
  const epsR = ref.normalizedRankError(true);
  const epsC = cur.normalizedRankError(true);
  const exact = epsR === 0 && epsC === 0;
  const rawR = ref.pmf(edges, { inclusive: false })!.map((x) => Math.max(0, x));
  const rawC = cur.pmf(edges, { inclusive: false })!.map((x) => Math.max(0, x));
  const floorR = method === 'psi' || method === 'kl' ? epsR : 0;
  const floorC = method === 'psi' || method === 'kl' ? epsC : 0;
  const r = rawR.map((x) => Math.max(x, floorR));
  const c = rawC.map((x) => Math.max(x, floorC));
  const rLo = rawR.map((x) => Math.max(floorR, x - epsR));
  const rHi = rawR.map((x) => Math.min(1, Math.max(floorR, x + epsR)));
  const cLo = rawC.map((x) => Math.max(floorC, x - epsC));
  const cHi = rawC.map((x) => Math.min(1, Math.max(floorC, x + epsC)));
  const { score, range } = distanceWithRange(method, r, c, rLo, rHi, cLo, cHi, exact);
  return sketchResult(
    method,
    score,
    threshold,
    ref.n,
    cur.n,
    exact ? 0 : boundFromRange(score, range),
    exact,
    range,
    {
      binning: 'reference-quantiles',
      bins: edges.length + 1,
      edges,
      ref: r,
      cur: c,
      massError: { ref: epsR, cur: epsC },
    },
  );
}

const OTHER = '(other)';

/**
 * Categorical drift from two category-count summaries (`ColumnProfile.categoryCounts`): chisquare (Evidently
 * goodness of fit), ztest, jensenshannon, psi, kl, hellinger or linf, through `categoricalDrift` of
 * `core/stats`. Untracked values form an "(other)" bin. Each count may be short by its side's maxError.
 */
export function categoricalFromCounts(
  ref: CategoryCounts,
  cur: CategoryCounts,
  method: DriftMethod,
  options: { threshold?: number } = {},
): SketchDrift {
  if (!PROFILE_CATEGORICAL_METHODS.includes(method)) {
    throw new RangeError(
      `method ${method} is not available for categories; use one of ${PROFILE_CATEGORICAL_METHODS.join(', ')}`,
    );
  }
  if (ref.total === 0 || cur.total === 0) {
    throw new RangeError(
      `drift needs values on both sides (reference has ${ref.total}, current has ${cur.total})`,
    );
  }
  const threshold = thresholdOf(method, options.threshold);
  const r = new Map(ref.counts);
  const c = new Map(cur.counts);
  for (const m of [r, c]) for (const [k, v] of m) if (v === 0) m.delete(k);
  if (ref.untracked > 0 || cur.untracked > 0) {
    if (ref.untracked > 0) r.set(OTHER, (r.get(OTHER) ?? 0) + ref.untracked);
    if (cur.untracked > 0) c.set(OTHER, (c.get(OTHER) ?? 0) + cur.untracked);
  }
  const base = categoricalDrift(r, c, method, { threshold });
  const exact = ref.maxError === 0 && cur.maxError === 0;
  const keys = [...new Set([...r.keys(), ...c.keys()])].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const nR = ref.total;
  const nC = cur.total;
  const box = (counts: Map<string, number>, n: number, err: number, k: string): [number, number] => {
    const x = (counts.get(k) ?? 0) / n;
    if (k === OTHER) return [Math.max(0, x - ((keys.length - 1) * err) / n), x];
    return [x, Math.min(1, x + err / n)];
  };
  let range: [number, number] | null = null;
  let errorBound: number | null = exact ? 0 : null;
  if (!exact && method === 'linf') {
    let worst = 0;
    for (const k of keys) {
      const [a, b] = box(r, nR, ref.maxError, k);
      const [x, y] = box(c, nC, cur.maxError, k);
      worst = Math.max(worst, b - a + (y - x));
    }
    errorBound = worst;
    range = [Math.max(0, base.score - worst), base.score + worst];
  } else if (!exact && (method === 'jensenshannon' || method === 'hellinger')) {
    const rb = keys.map((k) => box(r, nR, ref.maxError, k));
    const cb = keys.map((k) => box(c, nC, cur.maxError, k));
    const p = keys.map((k) => (r.get(k) ?? 0) / nR);
    const q = keys.map((k) => (c.get(k) ?? 0) / nC);
    const res = distanceWithRange(
      method,
      p,
      q,
      rb.map((b) => b[0]),
      rb.map((b) => b[1]),
      cb.map((b) => b[0]),
      cb.map((b) => b[1]),
      false,
    );
    range = res.range;
    errorBound = boundFromRange(base.score, range);
  }
  return sketchResult(
    method,
    base.score,
    threshold,
    base.n,
    base.m,
    errorBound,
    exact,
    exact ? [base.score, base.score] : range,
    {
      ...base.detail,
      maxError: { ref: ref.maxError, cur: cur.maxError },
      otherBin: ref.untracked > 0 || cur.untracked > 0,
    },
  );
}

/** Both sides merged (to read joint counts), or null when their settings do not allow a merge. */
function mergedOf(ref: ColumnProfile, cur: ColumnProfile): ColumnProfile | null {
  try {
    // A fixed seed: the merged copy only answers kind and distinct-count questions.
    return ref.clone(seededRng(0)).merge(cur);
  } catch {
    return null;
  }
}

/** Reference std (population) from the moments. */
function stdPop(c: ColumnProfile): number {
  const n = c.moments.count;
  return n === 0 ? 0 : Math.sqrt(c.moments.m2 / n);
}

/** Exact counts per distinct number as category counts, or null past the distinct-number limit. */
function numberCategories(c: ColumnProfile): CategoryCounts | null {
  const m = c.exactNumberCounts();
  if (!m) return null;
  const counts = new Map<string, number>();
  let total = 0;
  for (const [x, n] of m) {
    counts.set(String(x), n);
    total += n;
  }
  return { counts, maxError: 0, total, untracked: 0 };
}

/** A method on numbers with one bin per distinct value, from the exact number counts. */
function perValueMeasure(
  ref: ColumnProfile,
  cur: ColumnProfile,
  method: DriftMethod,
  threshold: number | undefined,
): SketchDrift {
  const rc = numberCategories(ref);
  const cc = numberCategories(cur);
  if (!rc || !cc) {
    throw new RangeError(
      `${method} on numbers needs their exact counts (more than the distinct-number limit here)`,
    );
  }
  const d = categoricalFromCounts(rc, cc, method, { threshold });
  return { ...d, detail: { ...d.detail, binning: 'distinct-values' } };
}

function numericalMeasure(
  ref: ColumnProfile,
  cur: ColumnProfile,
  method: DriftMethod,
  options: ProfileDriftOptions,
): SketchDrift {
  const threshold = options.thresholds?.[method];
  switch (method) {
    case 'ks':
      return ksFromSketches(ref.kll, cur.kll, { threshold });
    case 'wasserstein':
      return wassersteinFromSketches(ref.kll, cur.kll, stdPop(ref), { threshold });
    case 'psi':
    case 'jensenshannon':
    case 'hellinger':
    case 'kl':
      return binnedFromSketches(ref.kll, cur.kll, method, { bins: options.bins, threshold });
    case 'chisquare':
    case 'ztest':
    case 'linf':
      return perValueMeasure(ref, cur, method, threshold);
    default:
      throw new RangeError(
        `method ${method} cannot be computed from profiles; for numbers use one of ${[...PROFILE_NUMERICAL_METHODS, 'chisquare', 'ztest', 'linf'].join(', ')}`,
      );
  }
}

/**
 * Drift of one column between two column profiles: the kind (override, declared, or inferred from both),
 * Evidently's automatic method choice (`chooseMethod` with the reference row count and the distinct count
 * of both sides) or the override, and the standard measures for the kind.
 */
export function columnProfileDrift(
  ref: ColumnProfile,
  cur: ColumnProfile,
  options: ProfileDriftOptions = {},
): ProfileColumnDrift {
  const column = ref.name;
  const merged = mergedOf(ref, cur);
  const kind = options.kinds?.[column] ?? (merged ?? ref).kind();
  const distinct = Math.round(
    merged ? merged.distinct().estimate : Math.max(ref.distinct().estimate, cur.distinct().estimate),
  );
  const notTested = (status: ProfileColumnDrift['status'], reason: string): ProfileColumnDrift => ({
    column,
    kind,
    status,
    reason,
    drift: null,
    measures: [],
  });
  if (kind !== 'numerical' && kind !== 'categorical' && kind !== 'boolean') {
    return notTested('not_applicable', `${kind} columns have no univariate drift test`);
  }
  const override = options.methods?.[column];
  if (kind === 'numerical') {
    if (ref.kll.isEmpty || cur.kll.isEmpty) {
      return notTested(
        'insufficient_data',
        `no numbers in the ${ref.kll.isEmpty ? 'reference' : 'current'} profile`,
      );
    }
    const chosen = override ?? chooseMethod('numerical', ref.count, distinct);
    const finite = [ref.kll.min!, ref.kll.max!, cur.kll.min!, cur.kll.max!].every(Number.isFinite);
    const standard: DriftMethod[] = finite ? ['ks', 'wasserstein', 'psi', 'jensenshannon'] : ['ks'];
    const measures = standard.map((m) => numericalMeasure(ref, cur, m, options));
    // Evidently bins numbers with at most 20 distinct values one bin per value; the exact number counts
    // reproduce that exactly.
    const perValue =
      distinct <= 20 &&
      BINNED.has(chosen) &&
      numberCategories(ref) !== null &&
      numberCategories(cur) !== null;
    const drift = perValue
      ? perValueMeasure(ref, cur, chosen, options.thresholds?.[chosen])
      : (measures.find((m) => m.method === chosen) ?? numericalMeasure(ref, cur, chosen, options));
    return { column, kind, status: 'tested', reason: null, drift, measures };
  }
  const rc = ref.categoryCounts();
  const cc = cur.categoryCounts();
  if (rc.total === 0 || cc.total === 0) {
    return notTested(
      'insufficient_data',
      `no values in the ${rc.total === 0 ? 'reference' : 'current'} profile`,
    );
  }
  const chosen = override ?? chooseMethod(kind, ref.count, distinct);
  const standard: DriftMethod[] = ['chisquare', 'jensenshannon', 'psi', 'linf'];
  const measures = standard.map((m) =>
    categoricalFromCounts(rc, cc, m, { threshold: options.thresholds?.[m] }),
  );
  const drift =
    measures.find((m) => m.method === chosen) ??
    categoricalFromCounts(rc, cc, chosen, { threshold: options.thresholds?.[chosen] });
  return { column, kind, status: 'tested', reason: null, drift, measures };
}

/**
 * Drift of every reference column between two dataset profiles (for `faultline report
 * --reference-profile A.flp --current-profile B.flp`). Columns absent from the current profile are
 * `insufficient_data`.
 */
export function profileDrift(
  reference: DatasetProfile,
  current: DatasetProfile,
  options: ProfileDriftOptions = {},
): ProfileDriftResult {
  const names = options.columns ?? reference.columnNames();
  const columns = names.map((name): ProfileColumnDrift => {
    const ref = reference.column(name);
    const cur = current.column(name);
    if (!ref || !cur) {
      return {
        column: name,
        kind: options.kinds?.[name] ?? (ref ?? cur)?.kind() ?? 'categorical',
        status: 'insufficient_data',
        reason: `column "${name}" is missing from the ${ref ? 'current' : 'reference'} profile`,
        drift: null,
        measures: [],
      };
    }
    return columnProfileDrift(ref, cur, options);
  });
  return { referenceRows: reference.rowCount, currentRows: current.rowCount, columns };
}
