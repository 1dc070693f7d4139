/**
 * The pure decision behind "is it concept drift?" (architecture.md: concept drift is "performance decay … while
 * inputs hold still"). It takes the change of a performance metric with its confidence intervals and the
 * summary of input drift for the same window, and returns a typed verdict with its reasons in plain words:
 *
 * - performance did not fall significantly → `no_performance_drop`;
 * - it fell and the inputs did not drift → `concept_drift` (the relation between inputs and label changed);
 * - it fell and the inputs drifted → `covariate_shift` explains it — unless a label-free estimate for the
 *   current window (CBPE/DLE, which follows covariate shift but assumes no concept drift) is significantly
 *   above the realised value: then the drifted inputs do not account for the fall, and it is `concept_drift`
 *   on top of the shift;
 * - no input-drift result available → `inconclusive`.
 *
 * "Fell significantly" means the intervals do not overlap (or, when the difference is given with its own
 * interval, that interval lies entirely on the worse side of 0), and the drop is at least `minDrop`.
 */
import type { Cause } from '../findings/index.js';

/** A metric value with its confidence interval (e.g. a `MetricInterval`). */
export interface IntervalLike {
  estimate: number | null;
  lower: number | null;
  upper: number | null;
  n?: number;
}

export interface PerformanceChange {
  metric: string;
  /** true for accuracy, F1, AUC; false for MAE, RMSE, log loss (default true). */
  higherIsBetter?: boolean;
  reference: IntervalLike;
  current: IntervalLike;
  /** current − reference with its own interval, when available (sharper than comparing two intervals). */
  difference?: IntervalLike;
  /** Label-free estimate of the metric on the current window (CBPE, DLE), with its band. */
  estimated?: IntervalLike;
  /** Streaming detectors that fired on the error stream in the window (e.g. ['adwin', 'ddm']). */
  streamDetectors?: readonly string[];
}

export interface InputDriftSummary {
  /** Features tested for drift; 0 means no input-drift result is available. */
  featuresTested: number;
  driftedFeatures: readonly string[];
  /** Dataset-level drift (share of drifted features ≥ the drift share, or a multivariate test). */
  datasetDrift: boolean;
}

export type ConceptVerdictKind = 'concept_drift' | 'covariate_shift' | 'no_performance_drop' | 'inconclusive';

export interface ConceptVerdict {
  kind: ConceptVerdictKind;
  /** The cause to rank, when the verdict names one. */
  cause: Extract<Cause, 'concept_drift' | 'covariate_shift'> | null;
  confidence: 'high' | 'medium' | 'low';
  performanceFell: boolean;
  inputsDrifted: boolean;
  reasons: string[];
}

const f = (x: number | null) => (x === null ? 'n/a' : x.toFixed(3));
const show = (m: IntervalLike) =>
  `${f(m.estimate)} [${f(m.lower)}, ${f(m.upper)}]${m.n !== undefined ? ` (n=${m.n})` : ''}`;

function checkInterval(name: string, m: IntervalLike | undefined): void {
  if (m === undefined) return;
  for (const k of ['estimate', 'lower', 'upper'] as const) {
    const v = m[k];
    if (v !== null && !Number.isFinite(v))
      throw new RangeError(`conceptVerdict: ${name}.${k} must be a finite number or null, got ${v}.`);
  }
  if (m.lower !== null && m.upper !== null && m.lower > m.upper)
    throw new RangeError(`conceptVerdict: ${name}.lower (${m.lower}) is above ${name}.upper (${m.upper}).`);
}

/** True when `worse` is significantly worse than `better` (non-overlapping intervals) by at least minDrop. */
function significantlyWorse(
  worse: IntervalLike,
  better: IntervalLike,
  higherIsBetter: boolean,
  minDrop: number,
): boolean {
  if (worse.estimate === null || better.estimate === null) return false;
  const drop = higherIsBetter ? better.estimate - worse.estimate : worse.estimate - better.estimate;
  if (drop < minDrop) return false;
  if (higherIsBetter) return worse.upper !== null && better.lower !== null && worse.upper < better.lower;
  return worse.lower !== null && better.upper !== null && worse.lower > better.upper;
}

/**
 * Decides between concept drift and covariate shift for one window (see the module comment). `minDrop` is
 * the smallest fall worth a verdict, in the metric's units (default 0).
 */
export function conceptVerdict(
  performance: PerformanceChange,
  inputs: InputDriftSummary | null,
  options: { minDrop?: number } = {},
): ConceptVerdict {
  const minDrop = options.minDrop ?? 0;
  const hib = performance.higherIsBetter ?? true;
  checkInterval('reference', performance.reference);
  checkInterval('current', performance.current);
  checkInterval('difference', performance.difference);
  checkInterval('estimated', performance.estimated);
  const { metric, reference, current, difference, estimated } = performance;
  const reasons: string[] = [];

  let fell: boolean;
  if (difference?.estimate != null && difference.lower !== null && difference.upper !== null) {
    const drop = hib ? -difference.estimate : difference.estimate;
    fell = drop >= minDrop && (hib ? difference.upper < 0 : difference.lower > 0);
    reasons.push(
      `${metric} ${fell ? 'fell' : 'did not fall significantly'}: ${show(current)} against ${show(reference)} on the reference, change ${show(difference)}.`,
    );
  } else {
    fell = significantlyWorse(current, reference, hib, minDrop);
    reasons.push(
      `${metric} ${fell ? 'fell' : 'did not fall significantly'}: ${show(current)} against ${show(reference)} on the reference${fell ? ' (the intervals do not overlap)' : ''}.`,
    );
  }
  const streams = performance.streamDetectors ?? [];
  if (streams.length > 0) reasons.push(`Change detectors on the error stream fired: ${streams.join(', ')}.`);

  const available = inputs !== null && inputs.featuresTested > 0;
  const drifted = available && (inputs.datasetDrift || inputs.driftedFeatures.length > 0);
  if (!fell)
    return {
      kind: 'no_performance_drop',
      cause: null,
      confidence: streams.length > 0 ? 'medium' : 'high',
      performanceFell: false,
      inputsDrifted: drifted,
      reasons,
    };
  if (!available) {
    reasons.push(
      'No input-drift result for this window: concept drift and covariate shift cannot be told apart.',
    );
    return {
      kind: 'inconclusive',
      cause: null,
      confidence: 'low',
      performanceFell: true,
      inputsDrifted: false,
      reasons,
    };
  }
  const names =
    inputs.driftedFeatures.slice(0, 5).join(', ') + (inputs.driftedFeatures.length > 5 ? ', …' : '');
  if (!drifted) {
    reasons.push(
      `None of the ${inputs.featuresTested} input features drifted: the inputs held still while performance fell.`,
    );
    return {
      kind: 'concept_drift',
      cause: 'concept_drift',
      confidence: streams.length > 0 ? 'high' : 'medium',
      performanceFell: true,
      inputsDrifted: false,
      reasons,
    };
  }
  reasons.push(
    `Inputs drifted: ${inputs.driftedFeatures.length} of ${inputs.featuresTested} features${names ? ` (${names})` : ''}${inputs.datasetDrift ? ', dataset-level drift' : ''}.`,
  );
  if (estimated !== undefined && significantlyWorse(current, estimated, hib, minDrop)) {
    reasons.push(
      `The label-free estimate for these inputs, ${show(estimated)}, is well above the realised ${f(current.estimate)}: the input shift does not account for the fall, the input–label relation changed too.`,
    );
    return {
      kind: 'concept_drift',
      cause: 'concept_drift',
      confidence: 'medium',
      performanceFell: true,
      inputsDrifted: true,
      reasons,
    };
  }
  if (estimated !== undefined)
    reasons.push(
      `The label-free estimate for these inputs, ${show(estimated)}, agrees with the realised fall.`,
    );
  return {
    kind: 'covariate_shift',
    cause: 'covariate_shift',
    confidence: inputs.datasetDrift ? 'high' : estimated !== undefined ? 'medium' : 'low',
    performanceFell: true,
    inputsDrifted: true,
    reasons,
  };
}
