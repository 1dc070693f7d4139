/**
 * @module
 * Performance without labels in the offline report (methods.md 5): CBPE for a binary classifier with one
 * probability column, DLE for a regressor (its nanny model reads the numerical features and the
 * prediction). Fitted on a seeded sample of the labelled reference; estimated on the current file, shown
 * beside the reference's realised metrics and, when the current file has the target, its realised ones.
 */

import { estimateCbpe, fitCbpe } from '../estimation/cbpe.js';
import { estimateDle, fitDle } from '../estimation/dle.js';
import type { ClassificationMetrics } from '../metrics/classification.js';
import type { RegressionMetrics } from '../metrics/regression.js';
import { seededRng } from '../rng.js';
import { categoryAt } from '../schema/column-values.js';
import { columnByName, type Table } from '../schema/table.js';
import { numericFeatures, sampleOf } from './input-detectors.js';
import { REPORT_SEED, type ReportPlan } from './plan.js';
import type { EstimatedMetric, EstimatedPerformanceReport, PerformanceReport } from './types.js';

const finite = (x: number | null | undefined) =>
  x !== null && x !== undefined && Number.isFinite(x) ? x : null;

/** Reference rows sampled for the fit, current rows estimated on. */
export const ESTIMATION_LIMITS = { cbpeReference: 5000, dleReference: 2000, current: 20000 } as const;

const CBPE_NAMES = [
  ['accuracy', 'accuracy'],
  ['precision', 'precision'],
  ['recall', 'recall'],
  ['f1', 'f1'],
  ['roc_auc', 'rocAuc'],
] as const;

/**
 * The estimated performance section, or null when it does not apply: no target and prediction, a reference
 * without the target, or a current file with the target while `force` is false. A case the estimators do
 * not cover (multiclass, no single probability column, too few rows) gives a section with no metrics and a
 * note saying why.
 */
export function estimatePerformance(
  reference: Table,
  current: Table,
  plan: ReportPlan,
  performance: PerformanceReport | null,
  force: boolean,
  seed: number = REPORT_SEED,
): EstimatedPerformanceReport | null {
  const { target, prediction, proba } = plan.settings;
  if (!target || !prediction || !performance) return null;
  const refY = columnByName(reference, target);
  if (!refY) return null;
  const curY = columnByName(current, target);
  if (curY && !force) return null;
  const refP = columnByName(reference, prediction);
  const curP = columnByName(current, prediction);
  const rng = seededRng(seed + 3);
  const base = {
    task: performance.task,
    referenceRows: 0,
    currentRows: 0,
    chunkSize: 0,
    currentLabelled: curY !== undefined,
    metrics: [] as EstimatedMetric[],
    notes: [] as string[],
  };
  if (!refP || !curP)
    return {
      ...base,
      method: performance.task === 'classification' ? 'cbpe' : 'dle',
      notes: [`the prediction column "${prediction}" is missing from a file`],
    };

  if (performance.task === 'classification') {
    const refM = performance.reference as ClassificationMetrics | null;
    const curM = performance.current as ClassificationMetrics | null;
    const positive = refM?.positiveLabel ?? null;
    const out = { ...base, method: 'cbpe' as const };
    if (positive === null || (refM?.labels.length ?? 0) !== 2)
      return { ...out, notes: ['CBPE estimates binary classification only'] };
    if (proba.length !== 1)
      return { ...out, notes: ['CBPE needs one probability column (--proba) holding P(positive label)'] };
    const refS = columnByName(reference, proba[0]!)?.numbers;
    const curS = columnByName(current, proba[0]!)?.numbers;
    if (!refS || !curS)
      return { ...out, notes: [`probability column "${proba[0]}" is not numeric in both files`] };
    const yKind = plan.kinds.get(target) ?? 'categorical';
    const pKind = plan.kinds.get(prediction) ?? 'categorical';
    const usable = (t: Table, s: Float64Array, p: typeof refP, y?: typeof refY) =>
      Array.from({ length: t.rows }, (_, i) => i).filter(
        (i) =>
          s[i]! >= 0 &&
          s[i]! <= 1 &&
          categoryAt(p, pKind, i) !== null &&
          (y === undefined || categoryAt(y, yKind, i) !== null),
      );
    const refRows = sampleOf(usable(reference, refS, refP, refY), ESTIMATION_LIMITS.cbpeReference, rng);
    const curRows = sampleOf(usable(current, curS, curP), ESTIMATION_LIMITS.current, rng);
    if (refRows.length < 100 || curRows.length === 0)
      return {
        ...out,
        notes: [`${refRows.length} usable reference and ${curRows.length} current rows: needs 100 and 1`],
      };
    const chunkSize = Math.max(10, Math.min(500, Math.floor(refRows.length / 10)));
    const model = fitCbpe(
      {
        scores: refRows.map((i) => refS[i]!),
        predictions: refRows.map((i) => (categoryAt(refP, pKind, i) === positive ? 1 : 0)),
        labels: refRows.map((i) => (categoryAt(refY, yKind, i) === positive ? 1 : 0)),
      },
      rng,
      { chunkSize },
    );
    const e = estimateCbpe(model, {
      scores: curRows.map((i) => curS[i]!),
      predictions: curRows.map((i) => (categoryAt(curP, pKind, i) === positive ? 1 : 0)),
    });
    return {
      ...out,
      referenceRows: refRows.length,
      currentRows: e.n,
      chunkSize,
      metrics: CBPE_NAMES.map(([k, realised]) => ({
        metric: realised,
        estimate: finite(e.metrics[k].value),
        lower: finite(e.metrics[k].lower),
        upper: finite(e.metrics[k].upper),
        alert: e.metrics[k].alert,
        reference: finite(refM?.[realised]),
        currentRealised: finite(curM?.[realised]),
      })),
      notes: model.calibrated ? ['scores were calibrated on the reference (isotonic) before estimating'] : [],
    };
  }

  const refM = performance.reference as RegressionMetrics | null;
  const curM = performance.current as RegressionMetrics | null;
  const out = { ...base, method: 'dle' as const };
  const features = numericFeatures(plan, reference, current);
  const ry = refY.numbers;
  const rp = refP.numbers;
  const cp = curP.numbers;
  if (!ry || !rp || !cp) return { ...out, notes: ['DLE needs a numeric target and prediction'] };
  const rowsOf = (t: Table, extra: Float64Array[]) => {
    const cols = [...features.map((f) => columnByName(t, f)!.numbers!), ...extra];
    return Array.from({ length: t.rows }, (_, i) => i).filter((i) =>
      cols.every((c) => Number.isFinite(c[i]!)),
    );
  };
  const matrix = (t: Table, rows: number[]) => {
    const cols = features.map((f) => columnByName(t, f)!.numbers!);
    return rows.map((i) => cols.map((c) => c[i]!));
  };
  const refRows = sampleOf(rowsOf(reference, [ry, rp]), ESTIMATION_LIMITS.dleReference, rng);
  const curRows = sampleOf(rowsOf(current, [cp]), ESTIMATION_LIMITS.current, rng);
  if (refRows.length < 100 || curRows.length === 0)
    return {
      ...out,
      notes: [`${refRows.length} usable reference and ${curRows.length} current rows: needs 100 and 1`],
    };
  const chunkSize = Math.max(10, Math.min(200, Math.floor(refRows.length / 10)));
  const model = fitDle(
    {
      features: matrix(reference, refRows),
      predictions: refRows.map((i) => rp[i]!),
      targets: refRows.map((i) => ry[i]!),
    },
    { chunkSize, mape: false, nanny: { trees: 60 } },
  );
  const e = estimateDle(model, {
    features: matrix(current, curRows),
    predictions: curRows.map((i) => cp[i]!),
  });
  return {
    ...out,
    referenceRows: refRows.length,
    currentRows: e.n,
    chunkSize,
    metrics: (['mae', 'rmse'] as const).map((k) => ({
      metric: k,
      estimate: finite(e.metrics[k].value),
      lower: finite(e.metrics[k].lower),
      upper: finite(e.metrics[k].upper),
      alert: e.metrics[k].alert,
      reference: finite(refM?.[k]),
      currentRealised: finite(curM?.[k]),
    })),
    notes: features.length === 0 ? ['no numerical feature: the nanny model reads the prediction only'] : [],
  };
}
