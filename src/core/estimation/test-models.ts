/**
 * Simple reference models the tests, the benchmark and the demo train on real data to have something to
 * monitor: ridge regression and L2-regularised logistic regression, both fitted exactly (normal equations,
 * Newton–Raphson) on standardised features, deterministic. Not a modelling library: no feature handling beyond
 * standardisation, dense d×d solves (fine for tens of features).
 */

export interface LinearModel {
  /** Per-feature mean and scale used to standardise. */
  mean: number[];
  scale: number[];
  /** Intercept first, then one weight per standardised feature. */
  weights: number[];
}

function standardise(x: readonly (readonly number[])[]): { mean: number[]; scale: number[] } {
  const d = x[0]?.length ?? 0;
  const mean = new Array(d).fill(0);
  const scale = new Array(d).fill(0);
  for (const row of x) for (let j = 0; j < d; j++) mean[j] += row[j]! / x.length;
  for (const row of x) for (let j = 0; j < d; j++) scale[j] += (row[j]! - mean[j]) ** 2 / x.length;
  return { mean, scale: scale.map((s) => (s > 0 ? Math.sqrt(s) : 1)) };
}

function design(row: readonly number[], m: { mean: number[]; scale: number[] }): number[] {
  return [1, ...row.map((v, j) => (v - m.mean[j]!) / m.scale[j]!)];
}

/** Solves the symmetric positive-definite system A·x = b by Cholesky decomposition. */
function solveSpd(a: number[][], b: number[]): number[] {
  const n = b.length;
  const l = a.map(() => new Array(n).fill(0) as number[]);
  for (let i = 0; i < n; i++)
    for (let j = 0; j <= i; j++) {
      let s = a[i]![j]!;
      for (let k = 0; k < j; k++) s -= l[i]![k]! * l[j]![k]!;
      if (i === j) {
        if (s <= 0) throw new RangeError('solveSpd: matrix is not positive definite; raise the L2 penalty.');
        l[i]![i] = Math.sqrt(s);
      } else l[i]![j] = s / l[j]![j]!;
    }
  const y = new Array(n).fill(0);
  for (let i = 0; i < n; i++) {
    let s = b[i]!;
    for (let k = 0; k < i; k++) s -= l[i]![k]! * y[k];
    y[i] = s / l[i]![i]!;
  }
  const x = new Array(n).fill(0);
  for (let i = n - 1; i >= 0; i--) {
    let s = y[i];
    for (let k = i + 1; k < n; k++) s -= l[k]![i]! * x[k];
    x[i] = s / l[i]![i]!;
  }
  return x;
}

/** Ridge regression `min Σ(y − Xβ)² + λ‖β‖²` (intercept not penalised) on standardised features. */
export function fitRidge(x: readonly (readonly number[])[], y: readonly number[], lambda = 1): LinearModel {
  if (x.length === 0 || x.length !== y.length)
    throw new RangeError('fitRidge: x and y must be non-empty and of equal length.');
  const m = standardise(x);
  const d = x[0]!.length + 1;
  const a = Array.from({ length: d }, (_, i) =>
    Array.from({ length: d }, (_, j) => (i === j && i > 0 ? lambda : 0)),
  );
  const b = new Array(d).fill(0);
  x.forEach((row, r) => {
    const z = design(row, m);
    for (let i = 0; i < d; i++) {
      b[i] += z[i]! * y[r]!;
      for (let j = 0; j < d; j++) a[i]![j]! += z[i]! * z[j]!;
    }
  });
  return { ...m, weights: solveSpd(a, b) };
}

/** Linear prediction `β·[1, z]` of a ridge model. */
export function predictLinear(model: LinearModel, row: readonly number[]): number {
  const z = design(row, model);
  return z.reduce((s, v, i) => s + v * model.weights[i]!, 0);
}

/** L2-regularised logistic regression fitted by Newton–Raphson (IRLS), labels 0/1. */
export function fitLogistic(
  x: readonly (readonly number[])[],
  y: readonly number[],
  lambda = 1,
  iterations = 25,
): LinearModel {
  if (x.length === 0 || x.length !== y.length)
    throw new RangeError('fitLogistic: x and y must be non-empty and of equal length.');
  const m = standardise(x);
  const d = x[0]!.length + 1;
  const z = x.map((row) => design(row, m));
  let w = new Array(d).fill(0) as number[];
  for (let it = 0; it < iterations; it++) {
    const h = Array.from({ length: d }, (_, i) =>
      Array.from({ length: d }, (_, j) => (i === j && i > 0 ? lambda : 0)),
    );
    const g = w.map((wi, i) => (i > 0 ? lambda * wi : 0));
    z.forEach((zi, r) => {
      const p = 1 / (1 + Math.exp(-zi.reduce((s, v, k) => s + v * w[k]!, 0)));
      const q = p * (1 - p);
      for (let i = 0; i < d; i++) {
        g[i]! += (p - y[r]!) * zi[i]!;
        for (let j = 0; j < d; j++) h[i]![j]! += q * zi[i]! * zi[j]!;
      }
    });
    const step = solveSpd(h, g);
    w = w.map((wi, i) => wi - step[i]!);
    if (Math.max(...step.map(Math.abs)) < 1e-10) break;
  }
  return { ...m, weights: w };
}

/** Probability of class 1 under a logistic model. */
export function predictLogistic(model: LinearModel, row: readonly number[]): number {
  return 1 / (1 + Math.exp(-predictLinear(model, row)));
}
