/**
 * @module
 * Regression metrics with scikit-learn's definitions (sklearn.metrics 1.2–1.5): MAE, RMSE, MAPE and R².
 *
 * - MAPE is `mean(|y − ŷ| / max(|y|, ε))` with ε the float64 machine epsilon (2.220446049250313e-16), as
 *   `mean_absolute_percentage_error`: a fraction (0.1 = 10%), huge when some actual values are 0.
 * - R² is `1 − SS_res / SS_tot`; when SS_tot is 0 (constant actual values) it is 1 for a perfect fit and 0
 *   otherwise (`r2_score(force_finite=True)`).
 * - All are null for no rows (scikit-learn raises).
 */

export interface RegressionMetrics {
  task: 'regression';
  rows: number;
  mae: number | null;
  rmse: number | null;
  mape: number | null;
  r2: number | null;
}

const EPSILON = 2.220446049250313e-16;

/**
 * MAE, RMSE, MAPE and R² of `predicted` against `actual` (same length, no NaN: the caller drops such rows).
 * @example regressionMetrics(Float64Array.of(3, -0.5, 2, 7), Float64Array.of(2.5, 0, 2, 8)).mae // 0.5
 */
export function regressionMetrics(actual: Float64Array, predicted: Float64Array): RegressionMetrics {
  const n = actual.length;
  if (n === 0) return { task: 'regression', rows: 0, mae: null, rmse: null, mape: null, r2: null };
  let abs = 0;
  let sq = 0;
  let ape = 0;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += actual[i]!;
  mean /= n;
  let tot = 0;
  for (let i = 0; i < n; i++) {
    const y = actual[i]!;
    const e = y - predicted[i]!;
    abs += Math.abs(e);
    sq += e * e;
    ape += Math.abs(e) / Math.max(Math.abs(y), EPSILON);
    tot += (y - mean) * (y - mean);
  }
  const r2 = tot === 0 ? (sq === 0 ? 1 : 0) : 1 - sq / tot;
  return { task: 'regression', rows: n, mae: abs / n, rmse: Math.sqrt(sq / n), mape: ape / n, r2 };
}
