/**
 * @module
 * Estimated performance figures (methods.md 5): CBPE estimates of a classifier's window and DLE estimates of a
 * regressor's window as `WindowFigures.estimated`, each with its ± 3 SE band and n. A figure without a value is
 * null, never NaN.
 */
import type { CbpeEstimate } from '../../estimation/cbpe.js';
import type { DleEstimate } from '../../estimation/dle.js';
import type { PerformanceMetric } from '../../expectations/metrics.js';
import type { EstimatedFigure } from '../../expectations/window-figures.js';

const finite = (x: number | null | undefined) =>
  x !== null && x !== undefined && Number.isFinite(x) ? x : null;

/** CBPE estimates as figures: accuracy, precision, recall, F1, ROC AUC. */
export function cbpeFigures(e: CbpeEstimate): Partial<Record<PerformanceMetric, EstimatedFigure>> {
  const out: Partial<Record<PerformanceMetric, EstimatedFigure>> = {};
  for (const m of ['accuracy', 'precision', 'recall', 'f1', 'roc_auc'] as const) {
    const x = e.metrics[m];
    out[m] = { value: finite(x.value), lower: finite(x.lower), upper: finite(x.upper), n: e.n };
  }
  return out;
}

/** DLE estimates as figures: MAE and RMSE. */
export function dleFigures(e: DleEstimate): Partial<Record<PerformanceMetric, EstimatedFigure>> {
  const out: Partial<Record<PerformanceMetric, EstimatedFigure>> = {};
  for (const m of ['mae', 'rmse'] as const) {
    const x = e.metrics[m];
    out[m] = { value: finite(x.value), lower: finite(x.lower), upper: finite(x.upper), n: e.n };
  }
  return out;
}
