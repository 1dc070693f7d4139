/**
 * @module
 * Isolation Forest (Liu, Ting & Zhou 2008) with scikit-learn `IsolationForest` semantics (methods.md §7.1).
 *
 * When to use: numeric features of any shape (multi-modal, skewed), to rank rows by how easily random
 * axis-aligned cuts isolate them; no distribution is assumed. Assumptions: anomalies are few and different;
 * features on wildly different scales are fine (cuts are uniform within each node's range). Minimum sample:
 * a few dozen reference rows; ψ = min(256, n) rows feed each tree.
 *
 * Defaults follow sklearn 1.2: 100 trees, `max_samples='auto'` (ψ = min(256, n)), `max_features=1.0`, no
 * bootstrap, depth limit ceil(log2 ψ), `contamination='auto'` (offset −0.5, so a row is an outlier when
 * s(x) > 0.5). Randomness comes from the `Rng` argument; the same seed gives the same forest.
 */

import { assertNumericRows, type Matrix } from '../multivariate/linalg.js';
import type { Rng } from '../rng.js';
import { quantileSorted } from '../stats/binning.js';
import { sortFloat64 } from '../stats/sort.js';

const EULER_GAMMA = 0.5772156649015329;

/**
 * Average path length of an unsuccessful search in a binary search tree of `n` points, exactly as
 * scikit-learn's `_average_path_length`: `c(n) = 2(ln(n−1) + γ) − 2(n−1)/n` for n > 2, `c(2) = 1`,
 * `c(n ≤ 1) = 0` (methods.md §7.1). Vector: c(256) = 10.244770920120.
 */
export function averagePathLength(n: number): number {
  if (n <= 1) return 0;
  if (n === 2) return 1;
  return 2 * (Math.log(n - 1) + EULER_GAMMA) - (2 * (n - 1)) / n;
}

/**
 * Anomaly score `s(x) = 2^(−E[h(x)]/c(ψ))` for a mean path length `E[h]` over trees grown on ψ samples
 * (methods.md §7.1). ≈ 1: anomalous, ≤ 0.5: normal. Edge case: c(ψ) = 0 (ψ ≤ 1) gives 1, as sklearn does.
 */
export function anomalyScore(meanPathLength: number, psi: number): number {
  const c = averagePathLength(psi);
  return c === 0 ? 1 : 2 ** (-meanPathLength / c);
}

export interface IsolationForestOptions {
  /** Random source (e.g. `seededRng(seed)`); required so results are reproducible. */
  rng: Rng;
  /** Default 100. */
  nEstimators?: number;
  /** `'auto'` → ψ = min(256, n); an integer is capped at n; a fraction in (0, 1] takes that share of n. */
  maxSamples?: 'auto' | number;
  /**
   * `'auto'`: offset −0.5 (outlier when s > 0.5). A number in (0, 0.5]: the offset is that quantile of the
   * reference's `scoreSamples`, so about that share of the reference is flagged.
   */
  contamination?: 'auto' | number;
}

/** One fitted tree in flat arrays: node k splits on `feature[k]` at `threshold[k]` (x ≤ t → left). */
interface Tree {
  feature: Int32Array;
  threshold: Float64Array;
  left: Int32Array;
  right: Int32Array;
  /** depth (edges from root) + c(leaf size) for leaves; unused for split nodes. */
  leafPath: Float64Array;
}

export interface IsolationForest {
  /** Samples per tree. */
  psi: number;
  nEstimators: number;
  nFeatures: number;
  /** sklearn `offset_`: −0.5 with contamination 'auto'. */
  offset: number;
  /** Mean path length E[h(x)] over trees for each row (depth + c(leaf size)). */
  pathLengths(rows: Matrix): number[];
  /** s(x) ∈ (0, 1] for each row (the positive anomaly score; sklearn's `score_samples` is −s). */
  scores(rows: Matrix): number[];
  /** sklearn `decision_function`: −s(x) − offset; < 0 ⇒ outlier. */
  decisionFunction(rows: Matrix): number[];
  /** true where `decisionFunction < 0`. */
  predictOutlier(rows: Matrix): boolean[];
}

/** Picks `k` distinct indices of [0, n) uniformly (partial Fisher–Yates). */
function sampleWithoutReplacement(n: number, k: number, rng: Rng): Int32Array {
  const idx = new Int32Array(n);
  for (let i = 0; i < n; i++) idx[i] = i;
  for (let i = 0; i < k; i++) {
    const j = i + rng.nextInt(n - i);
    const t = idx[i]!;
    idx[i] = idx[j]!;
    idx[j] = t;
  }
  return idx.slice(0, k);
}

function growTree(data: Float64Array, d: number, sample: Int32Array, maxDepth: number, rng: Rng): Tree {
  const feature: number[] = [];
  const threshold: number[] = [];
  const left: number[] = [];
  const right: number[] = [];
  const leafPath: number[] = [];
  const order = Array.from(sample);
  const features = new Int32Array(d);
  // depth-first: each stack entry is [node id, start, end, depth] over `order`
  const newNode = (): number => {
    feature.push(-1);
    threshold.push(0);
    left.push(-1);
    right.push(-1);
    leafPath.push(0);
    return feature.length - 1;
  };
  const stack: [number, number, number, number][] = [[newNode(), 0, order.length, 0]];
  while (stack.length > 0) {
    const [node, start, end, depth] = stack.pop()!;
    const size = end - start;
    let split = -1;
    let lo = 0;
    let hi = 0;
    if (size > 1 && depth < maxDepth) {
      // like sklearn's random splitter: draw features without replacement until one is not constant here
      for (let i = 0; i < d; i++) features[i] = i;
      for (let remaining = d; remaining > 0 && split < 0; remaining--) {
        const pick = rng.nextInt(remaining);
        const f = features[pick]!;
        features[pick] = features[remaining - 1]!;
        features[remaining - 1] = f;
        lo = Number.POSITIVE_INFINITY;
        hi = Number.NEGATIVE_INFINITY;
        for (let i = start; i < end; i++) {
          const x = data[order[i]! * d + f]!;
          if (x < lo) lo = x;
          if (x > hi) hi = x;
        }
        if (hi > lo) split = f;
      }
    }
    if (split < 0) {
      leafPath[node] = depth + averagePathLength(size);
      continue;
    }
    let t = lo + rng.next() * (hi - lo);
    if (t >= hi) t = lo; // sklearn: a draw equal to the max falls back to the min
    // partition order[start:end) so that x ≤ t comes first
    let i = start;
    let j = end - 1;
    while (i <= j) {
      if (data[order[i]! * d + split]! <= t) i++;
      else {
        const tmp = order[i]!;
        order[i] = order[j]!;
        order[j] = tmp;
        j--;
      }
    }
    feature[node] = split;
    threshold[node] = t;
    const l = newNode();
    const r = newNode();
    left[node] = l;
    right[node] = r;
    stack.push([r, i, end, depth + 1], [l, start, i, depth + 1]);
  }
  return {
    feature: Int32Array.from(feature),
    threshold: Float64Array.from(threshold),
    left: Int32Array.from(left),
    right: Int32Array.from(right),
    leafPath: Float64Array.from(leafPath),
  };
}

/**
 * Fits an isolation forest on `reference` rows (methods.md §7.1, sklearn semantics). Errors name the bad
 * option or row. Edge cases: a single reference row gives ψ = 1 and every score 1 (as sklearn); constant
 * features are never split on; a node whose features are all constant becomes a leaf.
 */
export function fitIsolationForest(reference: Matrix, options: IsolationForestOptions): IsolationForest {
  const d = assertNumericRows(reference, 'isolation forest reference');
  const n = reference.length;
  const nEstimators = options.nEstimators ?? 100;
  if (!Number.isInteger(nEstimators) || nEstimators < 1)
    throw new Error(`isolation forest: nEstimators must be a positive integer, got ${nEstimators}`);
  const ms = options.maxSamples ?? 'auto';
  let psi: number;
  if (ms === 'auto') psi = Math.min(256, n);
  else if (Number.isInteger(ms) && ms >= 1) psi = Math.min(ms, n);
  else if (ms > 0 && ms <= 1) psi = Math.max(1, Math.floor(ms * n));
  else
    throw new Error(
      `isolation forest: maxSamples must be 'auto', an integer ≥ 1 or a fraction in (0, 1], got ${ms}`,
    );
  const contamination = options.contamination ?? 'auto';
  if (contamination !== 'auto' && !(contamination > 0 && contamination <= 0.5))
    throw new Error(`isolation forest: contamination must be 'auto' or in (0, 0.5], got ${contamination}`);

  const data = new Float64Array(n * d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) data[i * d + j] = reference[i]![j]!;
  const maxDepth = Math.ceil(Math.log2(Math.max(psi, 2)));
  const trees: Tree[] = [];
  for (let t = 0; t < nEstimators; t++)
    trees.push(growTree(data, d, sampleWithoutReplacement(n, psi, options.rng), maxDepth, options.rng));

  const pathLengths = (rows: Matrix): number[] => {
    if (rows.length > 0) {
      const dq = assertNumericRows(rows, 'isolation forest rows');
      if (dq !== d)
        throw new Error(`isolation forest: rows have ${dq} features, the forest was fitted on ${d}`);
    }
    const m = rows.length;
    const flat = new Float64Array(m * d);
    for (let i = 0; i < m; i++) {
      const row = rows[i]!;
      for (let j = 0; j < d; j++) flat[i * d + j] = row[j]!;
    }
    // tree-major: one tree's arrays stay in cache while every row descends it
    const totals = new Float64Array(m);
    for (const { feature, threshold, left, right, leafPath } of trees)
      for (let i = 0; i < m; i++) {
        const base = i * d;
        let node = 0;
        while (left[node]! >= 0)
          node = flat[base + feature[node]!]! <= threshold[node]! ? left[node]! : right[node]!;
        totals[i]! += leafPath[node]!;
      }
    return Array.from(totals, (t) => t / trees.length);
  };
  const scores = (rows: Matrix): number[] => pathLengths(rows).map((h) => anomalyScore(h, psi));
  const offset =
    contamination === 'auto'
      ? -0.5
      : quantileSorted(sortFloat64(Float64Array.from(scores(reference), (s) => -s)), contamination);
  const decisionFunction = (rows: Matrix): number[] => scores(rows).map((s) => -s - offset);
  return {
    psi,
    nEstimators,
    nFeatures: d,
    offset,
    pathLengths,
    scores,
    decisionFunction,
    predictOutlier: (rows) => decisionFunction(rows).map((x) => x < 0),
  };
}
