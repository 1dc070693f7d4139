/**
 * @module
 * Maximum Mean Discrepancy two-sample test with a Gaussian RBF kernel and a permutation p-value
 * (alibi-detect `MMDDrift`, methods.md §3.2).
 *
 * When to use: a batch of rows against a reference batch, when any change of the joint distribution
 * matters (means, spreads, correlations, new modes). Assumptions: rows are exchangeable under no drift;
 * features are on comparable scales (alibi-detect does not scale; pass `standardize: 'reference'` to
 * divide each feature by its reference std first). Minimum sample: ~50 rows per side for useful power;
 * cost is O((n + m)²·d) memory and time (the pooled kernel matrix), so keep batches to a few thousand rows.
 *
 * Kernel `k(x,y) = exp(−‖x−y‖²/(2σ²))`, σ by the median heuristic on the reference (alibi-detect
 * `sigma_median`: σ = sqrt(0.5 · sorted(D²_ref)[n + (n² − n)//2 − 1])). Statistic: unbiased MMD² with the
 * kernel diagonal zeroed. p-value: share of `nPermutations` random relabelings whose MMD² is ≥ the observed
 * one (ties count against drift). Drift when p < `pValue` (0.05).
 */
import type { Rng } from '../rng.js';
import { assertNumericRows, columnMeans, covarianceMatrix, type Matrix } from './linalg.js';

export interface MmdOptions {
  /** Random source for the permutations (e.g. `seededRng(seed)`). */
  rng: Rng;
  /** Default 100 (alibi-detect). */
  nPermutations?: number;
  /** Significance level; default 0.05. */
  pValue?: number;
  /** Kernel bandwidth; default: median heuristic on the reference. */
  sigma?: number;
  /** `none` (default, as alibi-detect) or `reference`: divide every feature by its reference std (ddof 0). */
  standardize?: 'none' | 'reference';
}

export interface MmdResult {
  /** Unbiased MMD² of reference vs current. */
  mmd2: number;
  /** Share of permutations with MMD² ≥ the observed one. */
  pValue: number;
  drift: boolean;
  /** The permuted MMD² at index ⌊pValue·nPermutations⌋ in descending order (alibi-detect's threshold). */
  distanceThreshold: number;
  sigma: number;
  nReference: number;
  nCurrent: number;
  nPermutations: number;
}

/** Squared Euclidean distance of rows i and j of a flat row-major matrix with d columns. */
function sqDist(data: Float64Array, d: number, i: number, j: number): number {
  let s = 0;
  const a = i * d;
  const b = j * d;
  for (let k = 0; k < d; k++) {
    const t = data[a + k]! - data[b + k]!;
    s += t * t;
  }
  return s;
}

/**
 * Median-heuristic bandwidth of alibi-detect (`sigma_median` with x = y = reference): all n² squared
 * distances (diagonal zeros included) sorted, σ = sqrt(0.5 · sorted[n + (n² − n)//2 − 1]) (methods.md §3.2).
 * Edge case: a reference whose rows are all equal gives σ = 0, which is replaced by 1 (any σ separates
 * nothing there).
 */
export function medianHeuristicSigma(reference: Matrix): number {
  const d = assertNumericRows(reference, 'mmd reference');
  const n = reference.length;
  const data = flatten(reference, d);
  const all = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = i + 1; j < n; j++) {
      const v = sqDist(data, d, i, j);
      all[i * n + j] = v;
      all[j * n + i] = v;
    }
  all.sort();
  const idx = n + Math.floor((n * n - n) / 2) - 1;
  const sigma = Math.sqrt(0.5 * all[Math.min(Math.max(idx, 0), all.length - 1)]!);
  return sigma > 0 ? sigma : 1;
}

function flatten(rows: Matrix, d: number, scale?: readonly number[]): Float64Array {
  const out = new Float64Array(rows.length * d);
  rows.forEach((row, i) => {
    for (let j = 0; j < d; j++) out[i * d + j] = scale ? row[j]! / scale[j]! : row[j]!;
  });
  return out;
}

/** The pooled kernel matrix and what every relabeling needs. */
interface PooledKernel {
  K: Float64Array;
  N: number;
  n: number;
  /** Off-diagonal row sums of K. */
  rowSums: Float64Array;
  /** Sum of all off-diagonal entries. */
  total: number;
  sigma: number;
}

/**
 * Unbiased MMD² for the split whose reference side is `xSide` (n indices into the pooled sample):
 * `Σ_{i≠j∈X} K/(n(n−1)) + Σ_{i≠j∈Y} K/(m(m−1)) − 2·mean(K_XY)`. Only the smaller side's block is summed
 * explicitly; the rest follows from the row sums and the total.
 */
function splitMmd2(pk: PooledKernel, xSide: ArrayLike<number>, ySide: ArrayLike<number>): number {
  const { K, N, n, rowSums, total } = pk;
  const m = N - n;
  const smallIsX = n <= m;
  const members = smallIsX ? xSide : ySide;
  let block = 0;
  for (let a = 0; a < members.length; a++) {
    const row = members[a]! * N;
    for (let b = a + 1; b < members.length; b++) block += K[row + members[b]!]!;
  }
  block *= 2;
  let sideRowSum = 0;
  for (let a = 0; a < members.length; a++) sideRowSum += rowSums[members[a]!]!;
  // sideRowSum = block + cross, total = sumXX + sumYY + 2·cross
  const cross = sideRowSum - block;
  const other = total - block - 2 * cross;
  const sumXX = smallIsX ? block : other;
  const sumYY = smallIsX ? other : block;
  return sumXX / (n * (n - 1)) + sumYY / (m * (m - 1)) - (2 * cross) / (n * m);
}

function pool(
  reference: Matrix,
  current: Matrix,
  sigmaOption: number | undefined,
  standardize: MmdOptions['standardize'],
): PooledKernel {
  const d = assertNumericRows(reference, 'mmd reference');
  const dc = assertNumericRows(current, 'mmd current');
  if (dc !== d) throw new Error(`mmd: current rows have ${dc} features, reference rows have ${d}`);
  const n = reference.length;
  const m = current.length;
  if (n < 2 || m < 2) throw new Error(`mmd: each side needs at least 2 rows (reference ${n}, current ${m})`);
  let scale: number[] | undefined;
  let refRows: Matrix = reference;
  if (standardize === 'reference') {
    const cov = covarianceMatrix(reference, 'mle', columnMeans(reference));
    scale = cov.map((row, j) => (row[j]! > 0 ? Math.sqrt(row[j]!) : 1));
    refRows = reference.map((r) => r.map((x, j) => x / scale![j]!));
  }
  const sigma = sigmaOption ?? medianHeuristicSigma(refRows);
  if (!(sigma > 0 && Number.isFinite(sigma)))
    throw new Error(`mmd: sigma must be a positive number, got ${sigma}`);
  const N = n + m;
  const data = new Float64Array(N * d);
  data.set(flatten(reference, d, scale), 0);
  data.set(flatten(current, d, scale), n * d);
  const gamma = 1 / (2 * sigma * sigma);
  const K = new Float64Array(N * N);
  const rowSums = new Float64Array(N);
  let total = 0;
  for (let i = 0; i < N; i++)
    for (let j = i + 1; j < N; j++) {
      const k = Math.exp(-gamma * sqDist(data, d, i, j));
      K[i * N + j] = k;
      K[j * N + i] = k;
      rowSums[i]! += k;
      rowSums[j]! += k;
      total += 2 * k;
    }
  return { K, N, n, rowSums, total, sigma };
}

/**
 * MMD two-sample test of `current` against `reference` (methods.md §3.2, alibi-detect semantics).
 * Errors name the side and the row of bad input; both sides need ≥ 2 rows and the same feature count.
 */
export function mmdTest(reference: Matrix, current: Matrix, options: MmdOptions): MmdResult {
  const nPermutations = options.nPermutations ?? 100;
  if (!Number.isInteger(nPermutations) || nPermutations < 1)
    throw new Error(`mmd: nPermutations must be a positive integer, got ${nPermutations}`);
  const alpha = options.pValue ?? 0.05;
  if (!(alpha > 0 && alpha < 1)) throw new Error(`mmd: pValue must be in (0, 1), got ${alpha}`);
  const pk = pool(reference, current, options.sigma, options.standardize);
  const { N, n } = pk;
  const perm = Int32Array.from({ length: N }, (_, i) => i);
  const mmd2 = splitMmd2(pk, perm.subarray(0, n), perm.subarray(n));
  const permuted = new Float64Array(nPermutations);
  let atLeast = 0;
  for (let t = 0; t < nPermutations; t++) {
    // Fisher–Yates shuffle of the pooled indices; the first n form the reference side
    for (let i = N - 1; i > 0; i--) {
      const j = options.rng.nextInt(i + 1);
      const tmp = perm[i]!;
      perm[i] = perm[j]!;
      perm[j] = tmp;
    }
    const v = splitMmd2(pk, perm.subarray(0, n), perm.subarray(n));
    permuted[t] = v;
    if (mmd2 <= v) atLeast++;
  }
  const pValue = atLeast / nPermutations;
  const descending = Array.from(permuted).sort((a, b) => b - a);
  return {
    mmd2,
    pValue,
    drift: pValue < alpha,
    distanceThreshold: descending[Math.min(Math.floor(alpha * nPermutations), nPermutations - 1)]!,
    sigma: pk.sigma,
    nReference: n,
    nCurrent: N - n,
    nPermutations,
  };
}

/**
 * Exact permutation p-value over all C(n+m, n) splits, for small samples and tests (methods.md §3.2
 * gives 1/35 for its vector). Ties within 1e-12 count against drift. Throws above 200 000 splits.
 */
export function mmdExactPValue(
  reference: Matrix,
  current: Matrix,
  options: { sigma?: number; standardize?: MmdOptions['standardize'] } = {},
): { mmd2: number; pValue: number; splits: number } {
  const pk = pool(reference, current, options.sigma, options.standardize);
  const { N, n } = pk;
  let splits = 1;
  for (let i = 1; i <= n; i++) splits = (splits * (N - n + i)) / i;
  if (splits > 200_000)
    throw new Error(`mmd exact p-value: ${Math.round(splits)} splits is too many (max 200000)`);
  const identity = Int32Array.from({ length: N }, (_, i) => i);
  const mmd2 = splitMmd2(pk, identity.subarray(0, n), identity.subarray(n));
  const x = new Int32Array(n);
  const inX = new Uint8Array(N);
  const y = new Int32Array(N - n);
  let atLeast = 0;
  let count = 0;
  const visit = (start: number, depth: number): void => {
    if (depth === n) {
      let k = 0;
      for (let i = 0; i < N; i++) if (!inX[i]) y[k++] = i;
      count++;
      if (mmd2 <= splitMmd2(pk, x, y) + 1e-12) atLeast++;
      return;
    }
    for (let i = start; i <= N - (n - depth); i++) {
      x[depth] = i;
      inX[i] = 1;
      visit(i + 1, depth + 1);
      inX[i] = 0;
    }
  };
  visit(0, 0);
  return { mmd2, pValue: atLeast / count, splits: count };
}

/** Unbiased MMD² of two samples with a fixed σ by direct O((n+m)²) sums (methods.md §3.2); a reference
 * implementation for tests and small inputs. */
export function unbiasedMmd2(x: Matrix, y: Matrix, sigma: number): number {
  const gamma = 1 / (2 * sigma * sigma);
  const k = (a: readonly number[], b: readonly number[]): number => {
    let s = 0;
    for (let j = 0; j < a.length; j++) s += (a[j]! - b[j]!) ** 2;
    return Math.exp(-gamma * s);
  };
  let xx = 0;
  for (let i = 0; i < x.length; i++) for (let j = 0; j < x.length; j++) if (i !== j) xx += k(x[i]!, x[j]!);
  let yy = 0;
  for (let i = 0; i < y.length; i++) for (let j = 0; j < y.length; j++) if (i !== j) yy += k(y[i]!, y[j]!);
  let xy = 0;
  for (const a of x) for (const b of y) xy += k(a, b);
  const n = x.length;
  const m = y.length;
  return xx / (n * (n - 1)) + yy / (m * (m - 1)) - (2 * xy) / (n * m);
}
