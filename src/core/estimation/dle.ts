/**
 * DLE — direct loss estimation for regressors (NannyML; methods.md §5.2): estimates MAE, MSE, RMSE and MAPE of a
 * window without labels. A "nanny" model learns, on a labelled reference, the per-row loss of the monitored
 * model from its inputs and its prediction; on a new window the estimated metric is the mean predicted loss
 * (negative predictions clipped at 0; RMSE = √MSE).
 *
 * Nanny model: NannyML uses LightGBM; here it is the compact histogram GBRT of `gbrt.ts` (depth-limited trees,
 * quantile-binned splits), one per loss. Chosen over k-NN on the reference sample because a tree ensemble
 * handles features of different scales and irrelevant features without a distance to tune, and predicts in
 * O(trees · depth) per row instead of a search over the reference.
 *
 * Sampling error: `SE = std(loss on the reference) / √n` (ddof 0), band ±3·SE clipped at 0; RMSE's band is the
 * square root of MSE's. Alert thresholds: realised metric per reference chunk, mean ± 3 std, lower clipped at 0.
 * Assumptions (as NannyML states them): no concept drift, and no covariate shift into regions the reference
 * did not cover — the nanny cannot know how wrong the model is where it has never seen the model be wrong.
 */
import { fitGbrt, type GbrtModel, type GbrtOptions, predictGbrt } from './gbrt.js';

export const DLE_METRICS = ['mae', 'mse', 'rmse', 'mape'] as const;
export type DleMetric = (typeof DLE_METRICS)[number];

type Loss = 'absolute' | 'squared' | 'absolute_percentage';

export interface RegressionInputs {
  /** Model inputs, one numeric row per prediction (encode categories before). */
  features: readonly (readonly number[])[];
  predictions: readonly number[];
}

export interface LabelledRegression extends RegressionInputs {
  targets: readonly number[];
}

export interface DleOptions {
  /** Rows per reference chunk for the alert thresholds. */
  chunkSize: number;
  /** Options of the nanny GBRT. */
  nanny?: Partial<GbrtOptions>;
  /** Fit the MAPE nanny too (targets must be non-zero); default true when no target is 0. */
  mape?: boolean;
}

export interface DleModel {
  nannies: Partial<Record<Loss, GbrtModel>>;
  /** std of each per-row loss on the reference (ddof 0). */
  lossStd: Partial<Record<Loss, number>>;
  thresholds: Record<DleMetric, { lower: number | null; upper: number | null }>;
  features: number;
  referenceRows: number;
}

export interface DleMetricEstimate {
  value: number | null;
  samplingError: number | null;
  lower: number | null;
  upper: number | null;
  alert: boolean;
}

export interface DleEstimate {
  n: number;
  metrics: Record<DleMetric, DleMetricEstimate>;
}

function checkInputs(d: RegressionInputs, fn: string, targets?: readonly number[]): number {
  const n = d.features.length;
  if (d.predictions.length !== n)
    throw new RangeError(`${fn}: ${n} feature rows but ${d.predictions.length} predictions.`);
  if (targets !== undefined && targets.length !== n)
    throw new RangeError(`${fn}: ${n} feature rows but ${targets.length} targets.`);
  const width = d.features[0]?.length ?? 0;
  for (let i = 0; i < n; i++) {
    const row = d.features[i]!;
    if (row.length !== width)
      throw new RangeError(`${fn}: features[${i}] has ${row.length} columns, expected ${width}.`);
    for (let j = 0; j < width; j++)
      if (!Number.isFinite(row[j]!))
        throw new RangeError(`${fn}: features[${i}][${j}] must be finite, got ${row[j]}.`);
    if (!Number.isFinite(d.predictions[i]!))
      throw new RangeError(`${fn}: predictions[${i}] must be finite, got ${d.predictions[i]}.`);
    if (targets !== undefined && !Number.isFinite(targets[i]!))
      throw new RangeError(`${fn}: targets[${i}] must be finite, got ${targets[i]}.`);
  }
  return width;
}

function loss(kind: Loss, y: number, yhat: number): number {
  const e = y - yhat;
  if (kind === 'absolute') return Math.abs(e);
  if (kind === 'squared') return e * e;
  return Math.abs(e / y);
}

function popStd(v: readonly number[]): number {
  const m = v.reduce((a, b) => a + b, 0) / v.length;
  return Math.sqrt(v.reduce((a, b) => a + (b - m) ** 2, 0) / v.length);
}

function metricsFromLosses(
  abs: number[],
  sq: number[],
  ape: number[] | null,
): Record<DleMetric, number | null> {
  const mean = (v: number[]) => (v.length === 0 ? null : v.reduce((a, b) => a + b, 0) / v.length);
  const mse = mean(sq);
  return {
    mae: mean(abs),
    mse,
    rmse: mse === null ? null : Math.sqrt(mse),
    mape: ape === null ? null : mean(ape),
  };
}

const nannyRow = (features: readonly number[], prediction: number) => [...features, prediction];

/** Fits the nanny models, sampling-error components and thresholds on a labelled reference. */
export function fitDle(reference: LabelledRegression, options: DleOptions): DleModel {
  const width = checkInputs(reference, 'fitDle', reference.targets);
  const n = reference.features.length;
  if (n === 0) throw new RangeError('fitDle: the reference is empty.');
  const { chunkSize } = options;
  if (!Number.isInteger(chunkSize) || chunkSize < 1)
    throw new RangeError(`fitDle: chunkSize must be an integer ≥ 1, got ${chunkSize}.`);
  const hasZero = reference.targets.some((t) => t === 0);
  const withMape = options.mape ?? !hasZero;
  if (withMape && hasZero) throw new RangeError('fitDle: MAPE needs non-zero targets; pass mape: false.');
  const kinds: Loss[] = withMape ? ['absolute', 'squared', 'absolute_percentage'] : ['absolute', 'squared'];
  const x = reference.features.map((row, i) => nannyRow(row, reference.predictions[i]!));
  const nannies: DleModel['nannies'] = {};
  const lossStd: DleModel['lossStd'] = {};
  const losses: Partial<Record<Loss, number[]>> = {};
  for (const k of kinds) {
    const l = reference.targets.map((y, i) => loss(k, y, reference.predictions[i]!));
    losses[k] = l;
    lossStd[k] = popStd(l);
    nannies[k] = fitGbrt(x, l, options.nanny);
  }
  const chunks = Math.floor(n / chunkSize);
  const per: Record<DleMetric, number[]> = { mae: [], mse: [], rmse: [], mape: [] };
  for (let c = 0; c < chunks; c++) {
    const lo = c * chunkSize;
    const hi = c === chunks - 1 ? n : lo + chunkSize;
    const m = metricsFromLosses(
      losses.absolute!.slice(lo, hi),
      losses.squared!.slice(lo, hi),
      losses.absolute_percentage?.slice(lo, hi) ?? null,
    );
    for (const k of DLE_METRICS) if (m[k] !== null) per[k].push(m[k]);
  }
  const thresholds = {} as DleModel['thresholds'];
  for (const k of DLE_METRICS) {
    const v = per[k];
    if (v.length < 2) thresholds[k] = { lower: null, upper: null };
    else {
      const mean = v.reduce((a, b) => a + b, 0) / v.length;
      const sd = popStd(v);
      thresholds[k] = { lower: Math.max(0, mean - 3 * sd), upper: mean + 3 * sd };
    }
  }
  return { nannies, lossStd, thresholds, features: width, referenceRows: n };
}

/** Estimates MAE, MSE, RMSE (and MAPE when fitted) of one unlabelled window. */
export function estimateDle(model: DleModel, window: RegressionInputs): DleEstimate {
  const width = checkInputs(window, 'estimateDle');
  const n = window.features.length;
  if (n > 0 && width !== model.features)
    throw new RangeError(
      `estimateDle: rows have ${width} features, the model was fitted on ${model.features}.`,
    );
  const predicted = (k: Loss): number[] | null => {
    const nanny = model.nannies[k];
    if (nanny === undefined) return null;
    return window.features.map((row, i) =>
      Math.max(0, predictGbrt(nanny, nannyRow(row, window.predictions[i]!))),
    );
  };
  const abs = predicted('absolute')!;
  const sq = predicted('squared')!;
  const ape = predicted('absolute_percentage');
  const values = metricsFromLosses(abs, sq, ape);
  const se = (k: Loss) =>
    model.lossStd[k] === undefined || n === 0 ? null : model.lossStd[k] / Math.sqrt(n);
  const band = (v: number | null, s: number | null) =>
    v === null || s === null
      ? { lower: null, upper: null }
      : { lower: Math.max(0, v - 3 * s), upper: v + 3 * s };
  const metrics = {} as Record<DleMetric, DleMetricEstimate>;
  const entries: [DleMetric, number | null, number | null, { lower: number | null; upper: number | null }][] =
    [
      ['mae', values.mae, se('absolute'), band(values.mae, se('absolute'))],
      ['mse', values.mse, se('squared'), band(values.mse, se('squared'))],
      ['mape', values.mape, se('absolute_percentage'), band(values.mape, se('absolute_percentage'))],
    ];
  const mseBand = band(values.mse, se('squared'));
  entries.push([
    'rmse',
    values.rmse,
    values.rmse === null || se('squared') === null || values.rmse === 0
      ? null
      : se('squared')! / (2 * values.rmse),
    {
      lower: mseBand.lower === null ? null : Math.sqrt(mseBand.lower),
      upper: mseBand.upper === null ? null : Math.sqrt(mseBand.upper),
    },
  ]);
  for (const [k, value, samplingError, b] of entries) {
    const th = model.thresholds[k];
    metrics[k] = {
      value,
      samplingError,
      ...b,
      alert:
        value !== null &&
        ((th.lower !== null && value < th.lower) || (th.upper !== null && value > th.upper)),
    };
  }
  return { n, metrics };
}
