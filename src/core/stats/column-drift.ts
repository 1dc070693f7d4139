/**
 * Column-level drift: one call per column and method, returning a typed, JSON-safe {@link ColumnDrift}
 * (methods.md sections 1.1–1.13). This is what the report and the collector call.
 *
 * Drift rules (methods.md 1.13; Evidently unless stated):
 *
 * | method | score | default threshold | drift when |
 * |---|---|---|---|
 * | `ks` | p-value | 0.05 | p <= t |
 * | `cvm` | p-value | 0.1 | p <= t |
 * | `chisquare`, `ztest` | p-value | 0.05 | p < t |
 * | `anderson` | p-value | 0.1 | p < t |
 * | `wasserstein` (normed), `psi`, `kl`, `jensenshannon`, `hellinger` | distance | 0.1 | score >= t |
 * | `linf` (NannyML / TFDV) | distance | 0.1 | score > t |
 *
 * @module
 */
import { andersonKSampleSorted } from './anderson.js';
import { type BinnedProportions, type Binning, binSamples } from './binning.js';
import { chiSquareContingency, chiSquareGoodnessOfFit, zTestProportions } from './chisquare.js';
import { CVM_EXACT_MAX_N_EVIDENTLY, type CvmMethod, cramerVonMisesSorted } from './cvm.js';
import {
  hellingerFromProportions,
  jsDistanceFromProportions,
  klFromProportions,
  linfFromProportions,
  psiFromProportions,
} from './divergence.js';
import { type KsMethod, ks2sampSorted } from './ks.js';
import { sortFloat64 } from './sort.js';
import { assertFiniteSorted, wassersteinNormedSorted } from './wasserstein.js';

export type ColumnKind = 'numerical' | 'categorical' | 'boolean' | 'datetime' | 'text' | 'id';

export type DriftMethod =
  | 'ks'
  | 'wasserstein'
  | 'psi'
  | 'jensenshannon'
  | 'kl'
  | 'hellinger'
  | 'chisquare'
  | 'ztest'
  | 'linf'
  | 'anderson'
  | 'cvm';

/** Every drift method, in a stable order (for validation messages and UIs). */
export const DRIFT_METHODS: readonly DriftMethod[] = [
  'ks',
  'wasserstein',
  'psi',
  'jensenshannon',
  'kl',
  'hellinger',
  'chisquare',
  'ztest',
  'linf',
  'anderson',
  'cvm',
];

export interface ColumnDrift {
  method: DriftMethod;
  /** The p-value for p-value tests (as Evidently's drift score), the distance otherwise. Always finite. */
  score: number;
  /** p-value for p-value tests, null for distances. */
  pValue: number | null;
  threshold: number;
  drifted: boolean;
  statisticKind: 'p_value' | 'distance';
  /** Reference and current sample sizes (non-missing values). */
  n: number;
  m: number;
  /** Method-specific evidence: the raw statistic, binning, category attaining L∞, new categories… */
  detail?: Record<string, unknown>;
}

/** Default thresholds (methods.md 1.13: Evidently; `linf` from NannyML's ConstantThreshold(upper=0.1)). */
export const DEFAULT_THRESHOLDS: Record<DriftMethod, number> = {
  ks: 0.05,
  wasserstein: 0.1,
  psi: 0.1,
  jensenshannon: 0.1,
  kl: 0.1,
  hellinger: 0.1,
  chisquare: 0.05,
  ztest: 0.05,
  linf: 0.1,
  anderson: 0.1,
  cvm: 0.1,
};

const DRIFT_RULE: Record<DriftMethod, { kind: 'p_value' | 'distance'; op: '<' | '<=' | '>=' | '>' }> = {
  ks: { kind: 'p_value', op: '<=' },
  cvm: { kind: 'p_value', op: '<=' },
  chisquare: { kind: 'p_value', op: '<' },
  ztest: { kind: 'p_value', op: '<' },
  anderson: { kind: 'p_value', op: '<' },
  wasserstein: { kind: 'distance', op: '>=' },
  psi: { kind: 'distance', op: '>=' },
  kl: { kind: 'distance', op: '>=' },
  jensenshannon: { kind: 'distance', op: '>=' },
  hellinger: { kind: 'distance', op: '>=' },
  linf: { kind: 'distance', op: '>' },
};

/** Default binning per binned method: Evidently's conventions. */
const DEFAULT_BINNING: Partial<Record<DriftMethod, Binning>> = {
  psi: 'evidently-sturges',
  kl: 'evidently-sturges',
  jensenshannon: 'evidently-sturges',
  hellinger: 'evidently-hellinger',
};

export interface NumericalDriftOptions {
  /** Overrides {@link DEFAULT_THRESHOLDS}. */
  threshold?: number;
  /** psi, kl, jensenshannon, hellinger: bins (default Evidently's: `'evidently-sturges'`, hellinger `'evidently-hellinger'`). */
  binning?: Binning;
  /** ks: `'auto'` (default), `'exact'` or `'asymp'`. */
  ksMethod?: KsMethod;
  /** cvm: `'auto'` (default), `'exact'` or `'asymptotic'`. */
  cvmMethod?: CvmMethod;
  /** cvm `'auto'`: exact when max(n, m) <= this (default 10 = Evidently; SciPy uses 20). */
  cvmExactMaxN?: number;
}

export interface CategoricalDriftOptions {
  threshold?: number;
  /**
   * Rows with a missing value in each sample. Evidently divides categorical PSI/KL/JS proportions by the
   * full column length including missing rows (methods.md 1.3); pass the counts to reproduce it.
   * Other methods ignore them.
   */
  refMissing?: number;
  curMissing?: number;
  /** chisquare: Evidently goodness of fit (default) or the 2×K contingency test (NannyML / alibi-detect). */
  chisquare?: 'goodness-of-fit' | 'contingency';
  /**
   * psi, kl, jensenshannon, hellinger, linf: categories are the union of both samples (Evidently, default),
   * or the reference categories plus one "leftover" bin for unseen current ones (NannyML).
   */
  categories?: 'union' | 'reference-leftover';
}

function decide(method: DriftMethod, score: number, threshold: number): boolean {
  const op = DRIFT_RULE[method].op;
  if (op === '<') return score < threshold;
  if (op === '<=') return score <= threshold;
  if (op === '>=') return score >= threshold;
  return score > threshold;
}

function result(
  method: DriftMethod,
  score: number,
  threshold: number,
  n: number,
  m: number,
  detail: Record<string, unknown>,
): ColumnDrift {
  const kind = DRIFT_RULE[method].kind;
  return {
    method,
    score,
    pValue: kind === 'p_value' ? score : null,
    threshold,
    drifted: decide(method, score, threshold),
    statisticKind: kind,
    n,
    m,
    detail,
  };
}

function resolveThreshold(method: DriftMethod, threshold: number | undefined): number {
  const t = threshold ?? DEFAULT_THRESHOLDS[method];
  if (!Number.isFinite(t)) throw new RangeError(`threshold must be a finite number (got ${t})`);
  return t;
}

function assertMethod(method: string): asserts method is DriftMethod {
  if (!(DRIFT_METHODS as readonly string[]).includes(method))
    throw new RangeError(`method must be one of ${DRIFT_METHODS.join(', ')} (got ${JSON.stringify(method)})`);
}

function assertNotEmpty(values: Float64Array, field: string): Float64Array {
  if (values.length === 0)
    throw new RangeError(`${field} is empty: drift needs at least one value per sample`);
  return values;
}

function prepareNumeric(values: Float64Array, field: string): Float64Array {
  const n = assertNotEmpty(values, field).length;
  // One pass answers "sorted and NaN-free" (any comparison with NaN is false); otherwise find the NaN, or sort.
  let ordered = !Number.isNaN(values[0]!);
  for (let i = 1; ordered && i < n; i++) ordered = values[i - 1]! <= values[i]!;
  if (ordered) return values;
  for (let i = 0; i < n; i++)
    if (Number.isNaN(values[i]!)) throw new RangeError(`${field}[${i}] is NaN: drop missing values first`);
  return sortFloat64(values);
}

function binDetail(b: BinnedProportions): Record<string, unknown> {
  return {
    binning: b.binning,
    mode: b.mode,
    bins: b.ref.length,
    edges: b.edges?.map((e) => (Number.isFinite(e) ? e : null)) ?? null,
    values: b.values,
    leftover: b.leftover,
  };
}

/**
 * Drift of one numerical column between a reference and a current sample with the given method.
 *
 * **Sorts `ref` and `cur` in place** (ascending) unless they already are; sort once and call several
 * methods to pay for the sort once (or call {@link numericalDriftSorted} on samples known to be sorted). NaN
 * must be dropped by the caller (RangeError naming the index otherwise); ±Infinity are accepted by ks,
 * anderson, cvm, chisquare, ztest and linf, and rejected by the distance and binned methods.
 *
 * `chisquare`, `ztest` and `linf` treat each distinct value as a category (what Evidently's automatic
 * choice does for numerical columns with <= 5 distinct values); `ztest` maps the smallest value to 0 and
 * all others to 1.
 *
 * Edge cases: an empty sample → RangeError; identical samples → no drift; `anderson` on samples that are
 * all one identical value → p = 1 (every permutation gives the same statistic).
 *
 * @example numericalDrift(Float64Array.of(0, 1, 2, 3, 4), Float64Array.of(1, 2, 3, 4, 8), 'wasserstein')
 * // { method: 'wasserstein', score: 1.131370849898, drifted: true, threshold: 0.1, … }
 */
export function numericalDrift(
  ref: Float64Array,
  cur: Float64Array,
  method: DriftMethod,
  opts: NumericalDriftOptions = {},
): ColumnDrift {
  assertMethod(method);
  resolveThreshold(method, opts.threshold);
  return numericalDriftSorted(prepareNumeric(ref, 'ref'), prepareNumeric(cur, 'cur'), method, opts);
}

/**
 * {@link numericalDrift} on samples the caller has already sorted ascending and freed of NaN (such as the
 * output of `sortFloat64` on a column's numbers): the same result without the linear pass that checks
 * the order, so a column sorted once for its summaries and chart is not scanned again. Unsorted input
 * gives wrong numbers, not an error. Empty samples, a bad method or threshold, and infinities where the
 * method rejects them still throw the same RangeErrors.
 */
export function numericalDriftSorted(
  ref: Float64Array,
  cur: Float64Array,
  method: DriftMethod,
  opts: NumericalDriftOptions = {},
): ColumnDrift {
  assertMethod(method);
  const threshold = resolveThreshold(method, opts.threshold);
  const r = assertNotEmpty(ref, 'ref');
  const c = assertNotEmpty(cur, 'cur');
  const n = r.length;
  const m = c.length;
  switch (method) {
    case 'ks': {
      const res = ks2sampSorted(r, c, opts.ksMethod ?? 'auto');
      return result(method, res.pValue, threshold, n, m, {
        statistic: res.statistic,
        ksMethod: res.method,
        location: Number.isFinite(res.location) ? res.location : null,
        sign: res.sign,
      });
    }
    case 'wasserstein': {
      assertFiniteSorted(r, 'ref');
      assertFiniteSorted(c, 'cur');
      const res = wassersteinNormedSorted(r, c);
      return result(method, res.score, threshold, n, m, { w1: res.w1, refStd: res.refStd });
    }
    case 'psi':
    case 'kl':
    case 'jensenshannon':
    case 'hellinger': {
      assertFiniteSorted(r, 'ref');
      assertFiniteSorted(c, 'cur');
      const b = binSamples(r, c, opts.binning ?? DEFAULT_BINNING[method]!);
      return result(method, divergenceOf(method, b.ref, b.cur), threshold, n, m, binDetail(b));
    }
    case 'anderson': {
      if (r[0] === r[n - 1] && c[0] === c[m - 1] && r[0] === c[0])
        return result(method, 1, threshold, n, m, { statistic: null, degenerate: 'one distinct value' });
      const res = andersonKSampleSorted([r, c]);
      return result(method, res.pValue, threshold, n, m, {
        statistic: res.statistic,
        criticalValues: res.criticalValues,
        pValueCapped: res.capped,
      });
    }
    case 'cvm': {
      const res = cramerVonMisesSorted(r, c, {
        method: opts.cvmMethod ?? 'auto',
        exactMaxN: opts.cvmExactMaxN ?? CVM_EXACT_MAX_N_EVIDENTLY,
      });
      return result(method, res.pValue, threshold, n, m, { statistic: res.statistic, cvmMethod: res.method });
    }
    case 'chisquare':
    case 'ztest':
    case 'linf': {
      const { keys, refCounts, curCounts } = countDistinctNumeric(r, c);
      return categoricalCore(keys.map(String), refCounts, curCounts, method, threshold, {});
    }
  }
}

function divergenceOf(method: DriftMethod, p: Float64Array, q: Float64Array): number {
  if (method === 'psi') return psiFromProportions(p, q, { fill: 'evidently' });
  if (method === 'kl') return klFromProportions(p, q, { fill: 'evidently' });
  if (method === 'jensenshannon') return jsDistanceFromProportions(p, q, 2);
  return hellingerFromProportions(p, q);
}

function countDistinctNumeric(
  r: Float64Array,
  c: Float64Array,
): { keys: number[]; refCounts: number[]; curCounts: number[] } {
  const keys: number[] = [];
  const refCounts: number[] = [];
  const curCounts: number[] = [];
  let i = 0;
  let j = 0;
  while (i < r.length || j < c.length) {
    const v = j >= c.length || (i < r.length && r[i]! <= c[j]!) ? r[i]! : c[j]!;
    const i0 = i;
    const j0 = j;
    while (i < r.length && r[i]! <= v) i++;
    while (j < c.length && c[j]! <= v) j++;
    keys.push(v);
    refCounts.push(i - i0);
    curCounts.push(j - j0);
  }
  return { keys, refCounts, curCounts };
}

/** Code-unit order, matching Python's `sorted()` on BMP strings. */
function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function validateCounts(map: Map<string, number>, field: string): number {
  let total = 0;
  for (const [key, count] of map) {
    if (!(Number.isFinite(count) && count >= 0))
      throw new RangeError(
        `${field} count of ${JSON.stringify(key)} must be a finite number >= 0 (got ${count})`,
      );
    total += count;
  }
  if (total === 0)
    throw new RangeError(`${field} has no non-missing values: drift needs at least one per sample`);
  return total;
}

/**
 * Drift of one categorical (or boolean) column from category → count maps (missing values excluded;
 * pass their counts in `opts` where a method needs the full length). Categories are ordered
 * lexicographically; `ztest` maps the first category to 0 and every other to 1 (Evidently).
 *
 * Supported methods: chisquare, ztest, jensenshannon, psi, kl, hellinger, linf (`detail.category` names the
 * category attaining L∞, ties to the last key as TFDV). Numerical-only methods → RangeError.
 *
 * Edge cases: an empty or all-zero map → RangeError naming it; a category present only in the current
 * sample makes `chisquare` (goodness of fit) report p = 0 with `detail.newCategories`.
 *
 * @example categoricalDrift(new Map([['a', 50], ['b', 30], ['c', 20]]), new Map([['a', 40], ['b', 40], ['d', 20]]), 'psi')
 * // score 3.089923365701 (methods.md 1.4)
 */
export function categoricalDrift(
  ref: Map<string, number>,
  cur: Map<string, number>,
  method: DriftMethod,
  opts: CategoricalDriftOptions = {},
): ColumnDrift {
  assertMethod(method);
  const threshold = resolveThreshold(method, opts.threshold);
  validateCounts(ref, 'ref');
  validateCounts(cur, 'cur');
  const keys = [...new Set([...ref.keys(), ...cur.keys()])].sort(compareKeys);
  const refCounts = keys.map((k) => ref.get(k) ?? 0);
  const curCounts = keys.map((k) => cur.get(k) ?? 0);
  return categoricalCore(keys, refCounts, curCounts, method, threshold, opts);
}

function sumOf(a: readonly number[]): number {
  let s = 0;
  for (const x of a) s += x;
  return s;
}

function categoricalCore(
  keys: string[],
  refCounts: number[],
  curCounts: number[],
  method: DriftMethod,
  threshold: number,
  opts: CategoricalDriftOptions,
): ColumnDrift {
  const n = sumOf(refCounts);
  const m = sumOf(curCounts);
  switch (method) {
    case 'chisquare': {
      if (opts.chisquare === 'contingency') {
        const res = chiSquareContingency(refCounts, curCounts);
        return result(method, res.pValue, threshold, n, m, {
          variant: 'contingency',
          statistic: res.statistic,
          df: res.df,
        });
      }
      const res = chiSquareGoodnessOfFit(refCounts, curCounts);
      const newCategories = keys.filter((_, i) => refCounts[i] === 0 && curCounts[i]! > 0);
      return result(method, res.pValue, threshold, n, m, {
        variant: 'goodness-of-fit',
        statistic: res.statistic,
        df: res.df,
        newCategories,
      });
    }
    case 'ztest': {
      // First sorted key → 0, everything else → 1.
      const res = zTestProportions(n - refCounts[0]!, n, m - curCounts[0]!, m);
      return result(method, res.pValue, threshold, n, m, { statistic: res.statistic, zeroCategory: keys[0] });
    }
    case 'jensenshannon':
    case 'psi':
    case 'kl':
    case 'hellinger':
    case 'linf': {
      let labels = keys;
      let r = refCounts;
      let c = curCounts;
      if (opts.categories === 'reference-leftover') {
        const inRef = keys.map((_, i) => refCounts[i]! > 0);
        labels = keys.filter((_, i) => inRef[i]);
        r = refCounts.filter((_, i) => inRef[i]);
        c = curCounts.filter((_, i) => inRef[i]);
        const unseen = m - sumOf(c);
        if (unseen > 0) {
          labels = [...labels, '(leftover)'];
          r = [...r, 0];
          c = [...c, unseen];
        }
      }
      // Evidently divides JS/PSI/KL proportions by the full length, missing rows included.
      const withMissing = method === 'psi' || method === 'kl' || method === 'jensenshannon';
      const refLen = n + (withMissing ? (opts.refMissing ?? 0) : 0);
      const curLen = m + (withMissing ? (opts.curMissing ?? 0) : 0);
      const p = Float64Array.from(r, (x) => x / refLen);
      const q = Float64Array.from(c, (x) => x / curLen);
      const detail: Record<string, unknown> = { categories: labels.length };
      let score: number;
      if (method === 'linf') {
        const res = linfFromProportions(p, q);
        score = res.distance;
        detail.category = labels[res.index];
      } else score = divergenceOf(method, p, q);
      return result(method, score, threshold, n, m, detail);
    }
    default:
      throw new RangeError(
        `method ${method} needs numerical samples; categorical columns support chisquare, ztest, jensenshannon, psi, kl, hellinger, linf`,
      );
  }
}

/** Column kinds the univariate drift tests apply to. */
export const DRIFT_TESTABLE_KINDS: readonly ColumnKind[] = ['numerical', 'categorical', 'boolean'];

/**
 * Evidently's automatic test choice (`registry.py` `_get_default_stattest`, methods.md 1.13 table), with
 * `nUnique` the number of distinct non-missing values of ref ∪ cur:
 *
 * - numerical, refRows <= 1000: nUnique <= 2 → `ztest`; 3–5 → `chisquare`; > 5 → `ks`
 * - numerical, refRows > 1000: nUnique <= 5 → `jensenshannon`; > 5 → `wasserstein` (normed)
 * - categorical / boolean: refRows <= 1000 → `ztest` (nUnique <= 2) or `chisquare`; > 1000 → `jensenshannon`
 *
 * Per-column overrides are the caller's plain map from column to method.
 *
 * Edge cases: `datetime`, `text` and `id` columns are not tested by univariate drift (text drift needs a
 * domain classifier; ids are unique by design) → RangeError; negative or non-integer counts → RangeError.
 *
 * @example chooseMethod('numerical', 5000, 1200) // 'wasserstein'
 */
export function chooseMethod(kind: ColumnKind, refRows: number, nUnique: number): DriftMethod {
  if (!(Number.isInteger(refRows) && refRows >= 0))
    throw new RangeError(`refRows must be an integer >= 0 (got ${refRows})`);
  if (!(Number.isInteger(nUnique) && nUnique >= 0))
    throw new RangeError(`nUnique must be an integer >= 0 (got ${nUnique})`);
  if (kind === 'numerical') {
    if (refRows <= 1000) return nUnique <= 2 ? 'ztest' : nUnique <= 5 ? 'chisquare' : 'ks';
    return nUnique <= 5 ? 'jensenshannon' : 'wasserstein';
  }
  if (kind === 'categorical' || kind === 'boolean') {
    if (refRows <= 1000) return nUnique <= 2 ? 'ztest' : 'chisquare';
    return 'jensenshannon';
  }
  throw new RangeError(
    `column kind ${JSON.stringify(kind)} has no univariate drift test; only ${DRIFT_TESTABLE_KINDS.join(', ')} columns are tested`,
  );
}
