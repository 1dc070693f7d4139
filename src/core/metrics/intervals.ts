/**
 * Confidence intervals for a performance metric computed on one window, so a finding can say
 * "accuracy 0.91 [0.89, 0.93], n=1200, labelled 40 %" rather than a bare number (methods.md §10.4: report n
 * with every metric).
 *
 * - Proportions (accuracy, error rate, precision and recall as shares of their denominators): the Wilson score
 *   interval — well behaved at 0, 1 and small n, unlike the Wald interval.
 * - Any other metric (F1, ROC AUC, MAE…): the percentile bootstrap over rows, driven by an injected `Rng`, so
 *   the same data and seed give the same interval.
 */
import normalQuantile from '@stdlib/stats-base-dists-normal-quantile';
import type { Rng } from '../rng.js';

export type IntervalMethod = 'wilson' | 'bootstrap_percentile';

/** A metric with its confidence interval on one window. `null` where it cannot be computed (no rows). */
export interface MetricInterval {
  metric: string;
  estimate: number | null;
  lower: number | null;
  upper: number | null;
  /** Two-sided confidence level, e.g. 0.95. */
  confidence: number;
  method: IntervalMethod;
  /** Rows the metric was computed on (the labelled ones). */
  n: number;
}

function checkConfidence(confidence: number, fn: string): void {
  if (!(confidence > 0 && confidence < 1))
    throw new RangeError(`${fn}: confidence must be in (0, 1), got ${String(confidence)}.`);
}

/**
 * Wilson score interval for a binomial proportion `successes / n` at two-sided `confidence` (default 0.95),
 * as `scipy.stats.binomtest(k, n).proportion_ci(method='wilson')`. Edge cases: n = 0 gives null estimate and
 * bounds; k = 0 gives lower 0 and k = n upper 1 exactly.
 */
export function wilsonInterval(
  successes: number,
  n: number,
  confidence = 0.95,
  metric = 'proportion',
): MetricInterval {
  checkConfidence(confidence, 'wilsonInterval');
  if (!Number.isInteger(n) || n < 0)
    throw new RangeError(`wilsonInterval: n must be an integer ≥ 0, got ${n}.`);
  if (!Number.isInteger(successes) || successes < 0 || successes > n)
    throw new RangeError(
      `wilsonInterval: successes must be an integer in [0, n], got ${successes} with n = ${n}.`,
    );
  if (n === 0) return { metric, estimate: null, lower: null, upper: null, confidence, method: 'wilson', n };
  const z = normalQuantile(1 - (1 - confidence) / 2, 0, 1);
  const p = successes / n;
  const z2 = z * z;
  const denom = 1 + z2 / n;
  const center = (p + z2 / (2 * n)) / denom;
  const half = (z / denom) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return {
    metric,
    estimate: p,
    lower: successes === 0 ? 0 : Math.max(0, center - half),
    upper: successes === n ? 1 : Math.min(1, center + half),
    confidence,
    method: 'wilson',
    n,
  };
}

export interface BootstrapOptions {
  /** Number of bootstrap resamples (default 1000). */
  resamples?: number;
  /** Two-sided confidence level (default 0.95). */
  confidence?: number;
}

export interface BootstrapInterval extends MetricInterval {
  resamples: number;
  /** Resamples on which the statistic was undefined (e.g. AUC of a resample holding one class), left out. */
  undefinedResamples: number;
}

/** Linear-interpolation quantile of sorted values (numpy's default `linear` method). */
function quantileSorted(sorted: Float64Array, q: number): number {
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

/**
 * Percentile bootstrap interval of a statistic over `n` rows: draws `resamples` sets of n row indices with
 * replacement from `rng`, evaluates `statistic(indices)` on each, and takes the (1−c)/2 and (1+c)/2 quantiles
 * (linear interpolation). `statistic` returns null (or a non-finite number) when it is undefined on a resample;
 * those are counted and left out. The estimate is the statistic on all rows. n = 0, or every resample
 * undefined, gives null bounds.
 */
export function bootstrapInterval(
  n: number,
  statistic: (indices: Int32Array) => number | null,
  rng: Rng,
  options: BootstrapOptions = {},
  metric = 'statistic',
): BootstrapInterval {
  const resamples = options.resamples ?? 1000;
  const confidence = options.confidence ?? 0.95;
  checkConfidence(confidence, 'bootstrapInterval');
  if (!Number.isInteger(resamples) || resamples < 1)
    throw new RangeError(`bootstrapInterval: resamples must be an integer ≥ 1, got ${resamples}.`);
  if (!Number.isInteger(n) || n < 0)
    throw new RangeError(`bootstrapInterval: n must be an integer ≥ 0, got ${n}.`);
  const base = { metric, confidence, method: 'bootstrap_percentile' as const, n, resamples };
  if (n === 0) return { ...base, estimate: null, lower: null, upper: null, undefinedResamples: resamples };

  const all = Int32Array.from({ length: n }, (_, i) => i);
  const full = statistic(all);
  const values: number[] = [];
  const idx = new Int32Array(n);
  for (let b = 0; b < resamples; b++) {
    for (let i = 0; i < n; i++) idx[i] = rng.nextInt(n);
    const v = statistic(idx);
    if (v !== null && Number.isFinite(v)) values.push(v);
  }
  const estimate = full !== null && Number.isFinite(full) ? full : null;
  if (values.length === 0)
    return { ...base, estimate, lower: null, upper: null, undefinedResamples: resamples };
  const sorted = Float64Array.from(values).sort();
  return {
    ...base,
    estimate,
    lower: quantileSorted(sorted, (1 - confidence) / 2),
    upper: quantileSorted(sorted, (1 + confidence) / 2),
    undefinedResamples: resamples - values.length,
  };
}

/**
 * Bootstrap interval of a metric of paired arrays (labels and predictions or scores), e.g. F1 or ROC AUC:
 * rows are resampled together. `metricFn` receives the resampled arrays.
 */
export function pairedBootstrapInterval<A, B>(
  labels: readonly A[],
  predictions: readonly B[],
  metricFn: (labels: A[], predictions: B[]) => number | null,
  rng: Rng,
  options: BootstrapOptions = {},
  metric = 'metric',
): BootstrapInterval {
  if (labels.length !== predictions.length)
    throw new RangeError(
      `pairedBootstrapInterval: labels and predictions must have the same length, got ${labels.length} and ${predictions.length}.`,
    );
  return bootstrapInterval(
    labels.length,
    (idx) => {
      const y: A[] = new Array(idx.length);
      const p: B[] = new Array(idx.length);
      for (let i = 0; i < idx.length; i++) {
        y[i] = labels[idx[i]!]!;
        p[i] = predictions[idx[i]!]!;
      }
      return metricFn(y, p);
    },
    rng,
    options,
    metric,
  );
}

/** A window metric with its interval and how much of the window was labelled. */
export interface WindowMetric extends MetricInterval {
  /** Predictions in the window, labelled or not. */
  total: number;
  /** n / total, null when the window is empty. */
  labelledShare: number | null;
}

/** Attaches the window size to an interval: `labelledShare = n / total`. Throws if total < n. */
export function withCoverage(interval: MetricInterval, total: number): WindowMetric {
  if (!Number.isInteger(total) || total < interval.n)
    throw new RangeError(`withCoverage: total must be an integer ≥ n (${interval.n}), got ${total}.`);
  return { ...interval, total, labelledShare: total === 0 ? null : interval.n / total };
}

/**
 * One readable line: `accuracy 0.91 [0.89, 0.93], n=1200, labelled 40 %` (the labelled share only when known;
 * `no labelled rows` when the estimate is null).
 */
export function formatMetric(m: MetricInterval | WindowMetric, digits = 2): string {
  const share =
    'labelledShare' in m && m.labelledShare !== null
      ? `, labelled ${Math.round(m.labelledShare * 100)} %`
      : '';
  if (m.estimate === null) return `${m.metric} n/a (no labelled rows), n=${m.n}${share}`;
  const f = (x: number | null) => (x === null ? 'n/a' : x.toFixed(digits));
  return `${m.metric} ${f(m.estimate)} [${f(m.lower)}, ${f(m.upper)}], n=${m.n}${share}`;
}
