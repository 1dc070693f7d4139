/**
 * @module
 * Mahalanobis distance of rows to a reference (methods.md §7.2).
 *
 * When to use: numeric features that are roughly elliptical (Gaussian-like) in the reference; it flags
 * rows far from the reference centre in units of its covariance. Assumptions: one mode, no heavy tails
 * (the χ² cut-off assumes Gaussianity). Minimum sample: several rows per feature (n ≥ 5·p is a sane floor).
 * Singular covariances (constant or collinear features) are handled by a pseudo-inverse (default) or a
 * ridge `Σ + λI`; the χ² degrees of freedom are then the rank that was kept.
 */
import chisquareQuantile from '@stdlib/stats-base-dists-chisquare-quantile';
import {
  assertNumericRows,
  type CovarianceConvention,
  columnMeans,
  covarianceMatrix,
  type Matrix,
  pseudoInverseSymmetric,
} from '../multivariate/linalg.js';

/** How Σ⁻¹ is formed: a Moore–Penrose pseudo-inverse, or the inverse of `Σ + ridge·I`. */
export type MahalanobisInverse = { kind: 'pseudo'; rcond?: number } | { kind: 'ridge'; ridge: number };

export interface MahalanobisOptions {
  /** `mle` divides by n (sklearn `EmpiricalCovariance`), `unbiased` by n − 1 (NumPy `np.cov`). Default `mle`. */
  covariance?: CovarianceConvention;
  /** Default `{ kind: 'pseudo' }` (rcond 1e-10). */
  inverse?: MahalanobisInverse;
  /** Rows with `d² > chi2.ppf(1 − alpha, df)` are outliers. Default 0.025 (methods.md: the 0.975 quantile). */
  alpha?: number;
}

export interface MahalanobisScore {
  /** d(x) = sqrt((x − μ)ᵀ Σ⁻¹ (x − μ)). */
  distance: number;
  squared: number;
  outlier: boolean;
}

export interface MahalanobisModel {
  mean: number[];
  covariance: number[][];
  precision: number[][];
  convention: CovarianceConvention;
  /** Rank of the inverse (p unless the pseudo-inverse dropped directions); the χ² degrees of freedom. */
  rank: number;
  /** Cut-off on d²: `chi2.ppf(1 − alpha, rank)`. */
  thresholdSquared: number;
  nReference: number;
  /** Distance of one row. Throws if the row has the wrong length or a non-finite value. */
  distance(row: readonly number[]): number;
  /** Distances and outlier flags for many rows. */
  score(rows: Matrix): MahalanobisScore[];
}

/**
 * Fits mean and covariance on `reference` rows and returns a scorer of Mahalanobis distances
 * (methods.md §7.2). Edge cases: a constant feature gets a zero-variance direction dropped by the
 * pseudo-inverse (distances then ignore it); a ridge must be > 0; `unbiased` needs ≥ 2 rows.
 */
export function fitMahalanobis(reference: Matrix, options: MahalanobisOptions = {}): MahalanobisModel {
  const p = assertNumericRows(reference, 'mahalanobis reference');
  const convention = options.covariance ?? 'mle';
  const alpha = options.alpha ?? 0.025;
  if (!(alpha > 0 && alpha < 1)) throw new Error(`mahalanobis: alpha must be in (0, 1), got ${alpha}`);
  const mean = columnMeans(reference);
  const covariance = covarianceMatrix(reference, convention, mean);
  const inv = options.inverse ?? { kind: 'pseudo' };
  let precision: number[][];
  let rank: number;
  if (inv.kind === 'ridge') {
    if (!(inv.ridge > 0)) throw new Error(`mahalanobis: ridge must be > 0, got ${inv.ridge}`);
    const ridged = covariance.map((row, i) => row.map((x, j) => (i === j ? x + inv.ridge : x)));
    ({ inverse: precision, rank } = pseudoInverseSymmetric(ridged, 0));
  } else {
    ({ inverse: precision, rank } = pseudoInverseSymmetric(covariance, inv.rcond ?? 1e-10));
  }
  const thresholdSquared = rank > 0 ? chisquareQuantile(1 - alpha, rank) : Number.POSITIVE_INFINITY;
  const centred = new Float64Array(p);
  const squaredOf = (row: readonly number[]): number => {
    if (row.length !== p) throw new Error(`mahalanobis: row has ${row.length} features, expected ${p}`);
    for (let j = 0; j < p; j++) {
      const x = row[j]!;
      if (!Number.isFinite(x)) throw new Error(`mahalanobis: feature ${j} is not a finite number (${x})`);
      centred[j] = x - mean[j]!;
    }
    let s = 0;
    for (let a = 0; a < p; a++) {
      const pa = precision[a]!;
      let t = 0;
      for (let b = 0; b < p; b++) t += pa[b]! * centred[b]!;
      s += centred[a]! * t;
    }
    // the quadratic form is ≥ 0 in exact arithmetic; clip rounding noise
    return Math.max(0, s);
  };
  return {
    mean,
    covariance,
    precision,
    convention,
    rank,
    thresholdSquared,
    nReference: reference.length,
    distance: (row) => Math.sqrt(squaredOf(row)),
    score: (rows) =>
      rows.map((row) => {
        const squared = squaredOf(row);
        return { distance: Math.sqrt(squared), squared, outlier: squared > thresholdSquared };
      }),
  };
}
