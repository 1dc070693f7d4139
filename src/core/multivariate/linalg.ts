/**
 * @module
 * Small dense linear algebra for the multivariate detectors: a cyclic Jacobi eigen-decomposition of a
 * symmetric matrix, the pseudo-inverse built on it, column means and covariance matrices.
 * Matrices are row arrays (`number[][]`); sizes are feature counts (tens, not thousands), so clarity wins
 * over blocking tricks.
 */

/** A matrix as an array of rows. */
export type Matrix = readonly (readonly number[])[];

/** Eigenvalues sorted descending and the matching unit eigenvectors (`vectors[k]` belongs to `values[k]`). */
export interface SymmetricEigen {
  values: number[];
  vectors: number[][];
}

/** Which divisor a covariance uses: `mle` divides by n (NumPy `bias=True`, sklearn), `unbiased` by n − 1. */
export type CovarianceConvention = 'mle' | 'unbiased';

function assertSquareSymmetric(a: Matrix): number {
  const n = a.length;
  for (let i = 0; i < n; i++) {
    const row = a[i]!;
    if (row.length !== n)
      throw new Error(`matrix: row ${i} has ${row.length} entries, expected ${n} (square)`);
    for (let j = 0; j < n; j++) {
      const v = row[j]!;
      if (!Number.isFinite(v)) throw new Error(`matrix: entry [${i}][${j}] is not a finite number`);
    }
  }
  for (let i = 0; i < n; i++)
    for (let j = i + 1; j < n; j++) {
      const x = a[i]![j]!;
      const y = a[j]![i]!;
      if (Math.abs(x - y) > 1e-9 * Math.max(1, Math.abs(x), Math.abs(y)))
        throw new Error(`matrix: not symmetric at [${i}][${j}] (${x} vs ${y})`);
    }
  return n;
}

/**
 * Eigen-decomposition of a real symmetric matrix by the cyclic Jacobi method (rotations zero the
 * off-diagonal entries sweep by sweep until their norm is below `1e-15` of the matrix norm).
 * Supports methods.md §3.1 (PCA) and §7.2 (pseudo-inverse). Edge cases: a 0×0 matrix gives empty results;
 * a diagonal matrix is returned as is (sorted); eigenvectors have an arbitrary sign.
 */
export function symmetricEigen(a: Matrix, maxSweeps = 100): SymmetricEigen {
  const n = assertSquareSymmetric(a);
  const m = new Float64Array(n * n);
  const v = new Float64Array(n * n);
  let norm = 0;
  for (let i = 0; i < n; i++) {
    v[i * n + i] = 1;
    for (let j = 0; j < n; j++) {
      // symmetrise so that rounding noise in the input cannot leak into the rotations
      const x = (a[i]![j]! + a[j]![i]!) / 2;
      m[i * n + j] = x;
      norm += x * x;
    }
  }
  const tol = 1e-30 * norm;
  for (let sweep = 0; sweep < maxSweeps; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += m[p * n + q]! ** 2;
    if (off <= tol || off === 0) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = m[p * n + q]!;
        if (apq === 0) continue;
        const app = m[p * n + p]!;
        const aqq = m[q * n + q]!;
        const theta = (aqq - app) / (2 * apq);
        const t = (theta >= 0 ? 1 : -1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        // A ← Jᵀ A J with J the rotation in the (p, q) plane
        for (let k = 0; k < n; k++) {
          const akp = m[k * n + p]!;
          const akq = m[k * n + q]!;
          m[k * n + p] = c * akp - s * akq;
          m[k * n + q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = m[p * n + k]!;
          const aqk = m[q * n + k]!;
          m[p * n + k] = c * apk - s * aqk;
          m[q * n + k] = s * apk + c * aqk;
        }
        m[p * n + q] = 0;
        m[q * n + p] = 0;
        for (let k = 0; k < n; k++) {
          const vkp = v[k * n + p]!;
          const vkq = v[k * n + q]!;
          v[k * n + p] = c * vkp - s * vkq;
          v[k * n + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => m[j * n + j]! - m[i * n + i]!);
  return {
    values: order.map((i) => m[i * n + i]!),
    vectors: order.map((i) => Array.from({ length: n }, (_, k) => v[k * n + i]!)),
  };
}

/** The result of a symmetric pseudo-inverse: the matrix and the number of eigenvalues that were kept. */
export interface PseudoInverse {
  inverse: number[][];
  rank: number;
}

/**
 * Moore–Penrose pseudo-inverse of a symmetric matrix: `V diag(1/λ) Vᵀ` over eigenvalues with
 * `|λ| > rcond · max|λ|`; the others (constant or collinear directions) are dropped.
 * methods.md §7.2 ("use a pseudo-inverse when Σ is singular"). Default `rcond = 1e-10`. A zero matrix
 * gives a zero inverse of rank 0.
 */
export function pseudoInverseSymmetric(a: Matrix, rcond = 1e-10): PseudoInverse {
  const n = a.length;
  const { values, vectors } = symmetricEigen(a);
  const maxAbs = values.reduce((mx, x) => Math.max(mx, Math.abs(x)), 0);
  const inverse = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  let rank = 0;
  for (let k = 0; k < n; k++) {
    const lambda = values[k]!;
    // the second test catches subnormal eigenvalues whose reciprocal overflows
    if (maxAbs === 0 || Math.abs(lambda) <= rcond * maxAbs || !Number.isFinite(1 / lambda)) continue;
    rank++;
    const vec = vectors[k]!;
    for (let i = 0; i < n; i++) {
      const vi = vec[i]! / lambda;
      const row = inverse[i]!;
      for (let j = 0; j < n; j++) row[j]! += vi * vec[j]!;
    }
  }
  return { inverse, rank };
}

/**
 * Checks that `rows` is a non-empty rectangular matrix of finite numbers and returns its column count.
 * `what` names the input in the error message (e.g. "reference").
 */
export function assertNumericRows(rows: Matrix, what: string): number {
  if (rows.length === 0) throw new Error(`${what}: needs at least one row`);
  const d = rows[0]!.length;
  if (d === 0) throw new Error(`${what}: rows have no features`);
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    if (row.length !== d) throw new Error(`${what}: row ${i} has ${row.length} features, expected ${d}`);
    for (let j = 0; j < d; j++)
      if (typeof row[j] !== 'number' || !Number.isFinite(row[j]))
        throw new Error(`${what}: row ${i}, feature ${j} is not a finite number (${String(row[j])})`);
  }
  return d;
}

/** Column means of a rectangular matrix (running mean, stable for long inputs). */
export function columnMeans(rows: Matrix): number[] {
  const d = rows[0]?.length ?? 0;
  const mean = new Array<number>(d).fill(0);
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    for (let j = 0; j < d; j++) mean[j]! += (row[j]! - mean[j]!) / (i + 1);
  }
  return mean;
}

/**
 * Covariance matrix of the columns of `rows` (two-pass: centre first, then accumulate).
 * methods.md §7.2: `mle` divides by n, `unbiased` by n − 1. Needs n ≥ 1 (`mle`) or n ≥ 2 (`unbiased`).
 */
export function covarianceMatrix(
  rows: Matrix,
  convention: CovarianceConvention,
  mean = columnMeans(rows),
): number[][] {
  const n = rows.length;
  const d = mean.length;
  const divisor = convention === 'mle' ? n : n - 1;
  if (divisor <= 0)
    throw new Error(`covariance (${convention}): needs at least ${convention === 'mle' ? 1 : 2} rows`);
  const cov = Array.from({ length: d }, () => new Array<number>(d).fill(0));
  const centred = new Float64Array(d);
  for (const row of rows) {
    for (let j = 0; j < d; j++) centred[j] = row[j]! - mean[j]!;
    for (let a = 0; a < d; a++) {
      const ca = centred[a]!;
      const out = cov[a]!;
      for (let b = a; b < d; b++) out[b]! += ca * centred[b]!;
    }
  }
  for (let a = 0; a < d; a++)
    for (let b = a; b < d; b++) {
      const x = cov[a]![b]! / divisor;
      cov[a]![b] = x;
      cov[b]![a] = x;
    }
  return cov;
}
