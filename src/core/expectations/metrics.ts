/**
 * @module
 * The closed list of metric ids an expectation may name. Each entry says what the figure is, its unit, where the
 * collector takes it from, which symptom a violation of it is (the diagnosis ranks causes per symptom), how its
 * confidence is stated, and the minimum sample size below which an evaluation is `unknown`.
 * docs/expectations.md lists the same table for people.
 */

/** The unit of a figure. `share` is a fraction in [0, 1]; `value` is in the unit of the model's target. */
export type MetricUnit = 'ms' | 'share' | 'per_second' | 'value';

/**
 * What a violation looks like from outside: the diagnosis keeps a prior of which causes can produce which symptom.
 * Integrity symptoms come from the integrity expectation kinds, not from metric ids.
 */
export type Symptom =
  | 'latency'
  | 'errors'
  | 'throughput'
  | 'availability'
  | 'ml_performance'
  | 'label_coverage'
  | 'input_drift'
  | 'concentration'
  | 'integrity_artifact'
  | 'integrity_checks'
  | 'integrity_schema';

export const SYMPTOMS: readonly Symptom[] = [
  'latency',
  'errors',
  'throughput',
  'availability',
  'ml_performance',
  'label_coverage',
  'input_drift',
  'concentration',
  'integrity_artifact',
  'integrity_checks',
  'integrity_schema',
];

/** How the confidence of a figure is stated: a 95 % Wilson score interval for a proportion (metrics/intervals.ts), the estimator's own
 * band (CBPE ± 3 SE, methods.md 5.1), or none (the figure is reported with its n only). */
export type IntervalMethod = 'wilson' | 'band' | 'none';

/** Where the collector takes the figure from (a section of `WindowFigures`). */
export type MetricSource = 'operational' | 'realised' | 'estimated' | 'labels' | 'drift' | 'feedback';

/** The performance metrics that exist both realised (from labels) and estimated (before labels arrive). */
export const PERFORMANCE_METRICS = [
  'accuracy',
  'precision',
  'recall',
  'f1',
  'roc_auc',
  'mae',
  'rmse',
] as const;
export type PerformanceMetric = (typeof PERFORMANCE_METRICS)[number];

export type LatencyMetricId = 'latency_p50_ms' | 'latency_p90_ms' | 'latency_p95_ms' | 'latency_p99_ms';
export type EstimatedMetricId = `estimated_${PerformanceMetric}`;
/** Every metric id an expectation may name. */
export type MetricId =
  | LatencyMetricId
  | 'error_rate'
  | 'timeout_rate'
  | 'throughput_rps'
  | PerformanceMetric
  | EstimatedMetricId
  | 'labelled_share'
  | 'drifted_feature_share'
  | 'exposure_gini'
  | 'catalog_coverage';

export interface MetricDefinition {
  id: MetricId;
  description: string;
  unit: MetricUnit;
  source: MetricSource;
  symptom: Symptom;
  interval: IntervalMethod;
  /** Fewer samples than this give `unknown` (methods.md 10.4: report n with every metric, suppress below a minimum). */
  minSamples: number;
  /** What `n` counts for this metric. */
  samples: string;
  /** Whether a larger figure is better; used for wording and for the default comparator. */
  higherIsBetter: boolean;
}

const OPERATIONAL: MetricDefinition[] = [
  ...(
    [
      ['latency_p50_ms', 'median', 10],
      ['latency_p90_ms', '90th percentile', 30],
      ['latency_p95_ms', '95th percentile', 50],
      // The 99th percentile of fewer than 100 requests is just the slowest one.
      ['latency_p99_ms', '99th percentile', 100],
    ] as const
  ).map(
    ([id, what, minSamples]): MetricDefinition => ({
      id,
      description: `${what} of request latency, in milliseconds, from the window's quantile sketch`,
      unit: 'ms',
      source: 'operational',
      symptom: 'latency',
      interval: 'none',
      minSamples,
      samples: 'requests with a latency',
      higherIsBetter: false,
    }),
  ),
  {
    id: 'error_rate',
    description: 'share of requests whose status is error or timeout',
    unit: 'share',
    source: 'operational',
    symptom: 'errors',
    interval: 'wilson',
    minSamples: 100,
    samples: 'requests',
    higherIsBetter: false,
  },
  {
    id: 'timeout_rate',
    description: 'share of requests whose status is timeout',
    unit: 'share',
    source: 'operational',
    symptom: 'errors',
    interval: 'wilson',
    minSamples: 100,
    samples: 'requests',
    higherIsBetter: false,
  },
  {
    id: 'throughput_rps',
    description: 'requests per second over the window',
    unit: 'per_second',
    source: 'operational',
    symptom: 'throughput',
    interval: 'none',
    // No traffic at all is a figure (0 rps), not missing data.
    minSamples: 0,
    samples: 'requests',
    higherIsBetter: true,
  },
];

const PERFORMANCE_TEXT: Record<PerformanceMetric, { text: string; unit: MetricUnit; higher: boolean }> = {
  accuracy: { text: 'accuracy (share of correct predictions)', unit: 'share', higher: true },
  precision: { text: 'precision of the positive class', unit: 'share', higher: true },
  recall: { text: 'recall of the positive class', unit: 'share', higher: true },
  f1: { text: 'F1 score of the positive class', unit: 'share', higher: true },
  roc_auc: { text: 'ROC AUC', unit: 'share', higher: true },
  mae: { text: 'mean absolute error', unit: 'value', higher: false },
  rmse: { text: 'root mean squared error', unit: 'value', higher: false },
};

/** Proportions with a binomial denominator get a Wilson interval; F1, AUC and errors do not have one here. */
const WILSON: ReadonlySet<PerformanceMetric> = new Set(['accuracy', 'precision', 'recall']);

const REALISED: MetricDefinition[] = PERFORMANCE_METRICS.map((m) => ({
  id: m,
  description: `realised ${PERFORMANCE_TEXT[m].text}, from predictions joined to their labels`,
  unit: PERFORMANCE_TEXT[m].unit,
  source: 'realised',
  symptom: 'ml_performance',
  interval: WILSON.has(m) ? 'wilson' : 'none',
  minSamples: 100,
  samples:
    m === 'precision'
      ? 'labelled predictions of the positive class'
      : m === 'recall'
        ? 'labelled actual positives'
        : 'labelled predictions',
  higherIsBetter: PERFORMANCE_TEXT[m].higher,
}));

const ESTIMATED: MetricDefinition[] = PERFORMANCE_METRICS.map((m) => ({
  id: `estimated_${m}` as const,
  description: `estimated ${PERFORMANCE_TEXT[m].text} before labels arrive (CBPE for classifiers, DLE for regressors; methods.md 5)`,
  unit: PERFORMANCE_TEXT[m].unit,
  source: 'estimated',
  symptom: 'ml_performance',
  interval: 'band',
  minSamples: 100,
  samples: 'predictions',
  higherIsBetter: PERFORMANCE_TEXT[m].higher,
}));

const OTHER: MetricDefinition[] = [
  {
    id: 'labelled_share',
    description: 'share of the window’s predictions that have a label so far',
    unit: 'share',
    source: 'labels',
    symptom: 'label_coverage',
    interval: 'wilson',
    minSamples: 1,
    samples: 'predictions',
    higherIsBetter: true,
  },
  {
    id: 'drifted_feature_share',
    description: 'share of tested features whose drift test fired (methods.md 1.13, 2)',
    unit: 'share',
    source: 'drift',
    symptom: 'input_drift',
    interval: 'none',
    minSamples: 1,
    samples: 'features tested',
    higherIsBetter: false,
  },
  {
    id: 'exposure_gini',
    description: 'Gini index of item exposure, zero-exposure catalogue items included (methods.md 8)',
    unit: 'share',
    source: 'feedback',
    symptom: 'concentration',
    interval: 'none',
    minSamples: 100,
    samples: 'impressions',
    higherIsBetter: false,
  },
  {
    id: 'catalog_coverage',
    description: 'share of the catalogue recommended at least once (methods.md 8)',
    unit: 'share',
    source: 'feedback',
    symptom: 'concentration',
    interval: 'none',
    minSamples: 100,
    samples: 'impressions',
    higherIsBetter: true,
  },
];

/** Every metric id, in documentation order. */
export const METRICS: readonly MetricDefinition[] = [...OPERATIONAL, ...REALISED, ...ESTIMATED, ...OTHER];

export const METRIC_IDS: readonly MetricId[] = METRICS.map((m) => m.id);

const BY_ID = new Map<string, MetricDefinition>(METRICS.map((m) => [m.id, m]));

export function isMetricId(id: string): id is MetricId {
  return BY_ID.has(id);
}

/** The definition of a metric id (every `MetricId` has one). */
export function metricDefinition(id: MetricId): MetricDefinition {
  const d = BY_ID.get(id);
  if (d === undefined) throw new Error(`metric: no definition for "${id}"`);
  return d;
}
