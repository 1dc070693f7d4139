/**
 * Gradient-boosted regression trees, written compactly for DLE's "nanny" model (methods.md §5.2 uses LightGBM,
 * which is not available here). Squared loss; each tree is grown depth-first to `maxDepth` on histogram splits:
 * every feature is cut once into at most `bins` quantile bins of the training data, and a node's best split is
 * found from per-bin sums in O(rows + bins) per feature — LightGBM's idea, without its leaf-wise growth,
 * regularisation terms or sampling. Deterministic (no randomness), so no `Rng`. The fitted model is plain
 * JSON-serialisable data.
 */

export interface GbrtOptions {
  /** Boosting rounds (default 150). */
  trees: number;
  /** Shrinkage per tree (default 0.08). */
  learningRate: number;
  /** Maximum depth of each tree (default 4). */
  maxDepth: number;
  /** Minimum rows in a leaf (default 20). */
  minLeaf: number;
  /** Histogram bins per feature (default 32). */
  bins: number;
}

export const GBRT_DEFAULTS: Readonly<GbrtOptions> = {
  trees: 150,
  learningRate: 0.08,
  maxDepth: 4,
  minLeaf: 20,
  bins: 32,
};

/** A tree as flat arrays: node i splits on `feature[i]` at `threshold[i]` (go left when x ≤ threshold), or is a
 * leaf when `feature[i] = -1` with value `value[i]`. */
export interface GbrtTree {
  feature: number[];
  threshold: number[];
  left: number[];
  right: number[];
  value: number[];
}

export interface GbrtModel {
  base: number;
  learningRate: number;
  features: number;
  trees: GbrtTree[];
}

/** Upper edges of at most `bins` quantile bins of one feature (distinct values; the last bin is open). */
function binEdges(values: Float64Array, bins: number): number[] {
  const sorted = Float64Array.from(values).sort();
  const edges: number[] = [];
  for (let b = 1; b < bins; b++) {
    const v = sorted[Math.min(sorted.length - 1, Math.floor((b * sorted.length) / bins))]!;
    // Edges are data values: x ≤ edge goes left, on the training rows and on new rows alike.
    if (edges.length === 0 || v > edges[edges.length - 1]!) edges.push(v);
  }
  // Drop an edge equal to the maximum: it would leave the right side empty.
  const max = sorted[sorted.length - 1]!;
  return edges.filter((e) => e < max);
}

function binIndex(edges: number[], x: number): number {
  let lo = 0;
  let hi = edges.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (x <= edges[mid]!) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/**
 * Fits boosted trees to `y` from rows `x` (row-major, all rows the same length, finite values).
 * Throws naming the row and column of a bad value.
 */
export function fitGbrt(
  x: readonly (readonly number[])[],
  y: readonly number[],
  options: Partial<GbrtOptions> = {},
): GbrtModel {
  const o = { ...GBRT_DEFAULTS, ...options };
  const n = x.length;
  if (n === 0) throw new RangeError('fitGbrt: needs at least one row.');
  if (y.length !== n) throw new RangeError(`fitGbrt: x has ${n} rows but y has ${y.length}.`);
  const d = x[0]!.length;
  for (let i = 0; i < n; i++) {
    const row = x[i]!;
    if (row.length !== d) throw new RangeError(`fitGbrt: row ${i} has ${row.length} columns, expected ${d}.`);
    for (let j = 0; j < d; j++)
      if (!Number.isFinite(row[j]!))
        throw new RangeError(`fitGbrt: x[${i}][${j}] must be finite, got ${row[j]}.`);
    if (!Number.isFinite(y[i]!)) throw new RangeError(`fitGbrt: y[${i}] must be finite, got ${y[i]}.`);
  }
  // Column-wise bins.
  const edges: number[][] = [];
  const binned: Uint8Array[] = [];
  for (let j = 0; j < d; j++) {
    const col = Float64Array.from({ length: n }, (_, i) => x[i]![j]!);
    const e = binEdges(col, Math.min(o.bins, 255));
    edges.push(e);
    binned.push(Uint8Array.from(col, (v) => binIndex(e, v)));
  }
  const base = y.reduce((a, b) => a + b, 0) / n;
  const pred = new Float64Array(n).fill(base);
  const resid = new Float64Array(n);
  const trees: GbrtTree[] = [];
  const sum = new Float64Array(256);
  const cnt = new Float64Array(256);

  for (let t = 0; t < o.trees; t++) {
    for (let i = 0; i < n; i++) resid[i] = y[i]! - pred[i]!;
    const tree: GbrtTree = { feature: [], threshold: [], left: [], right: [], value: [] };
    const grow = (rows: Int32Array, depth: number): number => {
      const id = tree.feature.length;
      tree.feature.push(-1);
      tree.threshold.push(0);
      tree.left.push(-1);
      tree.right.push(-1);
      let total = 0;
      for (const i of rows) total += resid[i]!;
      tree.value.push((total / rows.length) * o.learningRate);
      if (depth >= o.maxDepth || rows.length < 2 * o.minLeaf) return id;
      let bestGain = 1e-12;
      let bestF = -1;
      let bestB = -1;
      const parentScore = (total * total) / rows.length;
      for (let j = 0; j < d; j++) {
        const nb = edges[j]!.length + 1;
        if (nb < 2) continue;
        sum.fill(0, 0, nb);
        cnt.fill(0, 0, nb);
        const bj = binned[j]!;
        for (const i of rows) {
          sum[bj[i]!]! += resid[i]!;
          cnt[bj[i]!]! += 1;
        }
        let ls = 0;
        let lc = 0;
        for (let b = 0; b < nb - 1; b++) {
          ls += sum[b]!;
          lc += cnt[b]!;
          const rc = rows.length - lc;
          if (lc < o.minLeaf || rc < o.minLeaf) continue;
          const rs = total - ls;
          const gain = (ls * ls) / lc + (rs * rs) / rc - parentScore;
          if (gain > bestGain) {
            bestGain = gain;
            bestF = j;
            bestB = b;
          }
        }
      }
      if (bestF < 0) return id;
      const bj = binned[bestF]!;
      const leftRows = rows.filter((i) => bj[i]! <= bestB);
      const rightRows = rows.filter((i) => bj[i]! > bestB);
      tree.feature[id] = bestF;
      tree.threshold[id] = edges[bestF]![bestB]!;
      tree.left[id] = grow(leftRows, depth + 1);
      tree.right[id] = grow(rightRows, depth + 1);
      return id;
    };
    grow(
      Int32Array.from({ length: n }, (_, i) => i),
      0,
    );
    trees.push(tree);
    for (let i = 0; i < n; i++) pred[i]! += leafValue(tree, x[i]!);
  }
  return { base, learningRate: o.learningRate, features: d, trees };
}

function leafValue(tree: GbrtTree, row: readonly number[]): number {
  let k = 0;
  while (tree.feature[k]! >= 0)
    k = row[tree.feature[k]!]! <= tree.threshold[k]! ? tree.left[k]! : tree.right[k]!;
  return tree.value[k]!;
}

/** Prediction of a fitted model for one row (the row must have the model's number of features). */
export function predictGbrt(model: GbrtModel, row: readonly number[]): number {
  if (row.length !== model.features)
    throw new RangeError(`predictGbrt: row has ${row.length} features, the model expects ${model.features}.`);
  let s = model.base;
  for (const t of model.trees) s += leafValue(t, row);
  return s;
}
