/**
 * @module
 * Reads one metric's figure out of a window's figures (or out of one instance's or one slice's), with the
 * count it rests on. Kept apart from the verdict logic so both can be tested on their own.
 */
import { type MetricId, metricDefinition, type PerformanceMetric } from './metrics.js';
import type { MeasuredFigure, OperationalFigures, WindowFigures } from './window-figures.js';

export interface RawFigure {
  value: number | null;
  n: number;
  /** For Wilson intervals: the count the proportion is made of. */
  successes?: number;
  /** For estimated metrics: the estimator's band. */
  band?: { lower: number; upper: number };
}

function share(part: number, whole: number): RawFigure {
  return whole > 0 ? { value: part / whole, n: whole, successes: part } : { value: null, n: 0 };
}

/** An operational metric from request counts and latency quantiles; null when there are no operational figures. */
export function operationalFigure(
  metric: MetricId,
  op: OperationalFigures | undefined,
  durationMs: number,
): RawFigure | null {
  if (op === undefined) return null;
  switch (metric) {
    case 'latency_p50_ms':
      return { value: op.latencyMs?.p50 ?? null, n: op.latencyCount };
    case 'latency_p90_ms':
      return { value: op.latencyMs?.p90 ?? null, n: op.latencyCount };
    case 'latency_p95_ms':
      return { value: op.latencyMs?.p95 ?? null, n: op.latencyCount };
    case 'latency_p99_ms':
      return { value: op.latencyMs?.p99 ?? null, n: op.latencyCount };
    case 'error_rate':
      return share(op.errors + op.timeouts, op.requests);
    case 'timeout_rate':
      return share(op.timeouts, op.requests);
    case 'throughput_rps':
      return { value: durationMs > 0 ? op.requests / (durationMs / 1000) : null, n: op.requests };
    default:
      return null;
  }
}

function measured(m: MeasuredFigure | undefined, proportion: boolean): RawFigure | null {
  if (m === undefined) return null;
  if (m.value === null || !Number.isFinite(m.value)) return { value: null, n: m.n };
  return proportion
    ? { value: m.value, n: m.n, successes: Math.min(m.n, Math.max(0, Math.round(m.value * m.n))) }
    : { value: m.value, n: m.n };
}

/** A realised metric from a bag of realised figures (window or slice). */
export function realisedFigure(
  metric: PerformanceMetric,
  realised: Partial<Record<PerformanceMetric, MeasuredFigure>> | undefined,
): RawFigure | null {
  return measured(realised?.[metric], metricDefinition(metric).interval === 'wilson');
}

/**
 * The figure of `metric` in a window, or null when the section it comes from is absent (no data).
 * A present section with too few samples gives a figure with its n; the verdict applies the minimum.
 */
export function figureFor(metric: MetricId, figures: WindowFigures): RawFigure | null {
  const def = metricDefinition(metric);
  const durationMs = figures.window.endMs - figures.window.startMs;
  switch (def.source) {
    case 'operational':
      return operationalFigure(metric, figures.operational, durationMs);
    case 'realised':
      return realisedFigure(metric as PerformanceMetric, figures.realised);
    case 'estimated': {
      const e = figures.estimated?.[metric.slice('estimated_'.length) as PerformanceMetric];
      if (e === undefined) return null;
      const value = e.value !== null && Number.isFinite(e.value) ? e.value : null;
      return e.lower !== null && e.upper !== null && value !== null
        ? { value, n: e.n, band: { lower: e.lower, upper: e.upper } }
        : { value, n: e.n };
    }
    case 'labels':
      return figures.labels === undefined ? null : share(figures.labels.labelled, figures.labels.predictions);
    case 'drift': {
      if (figures.drift === undefined) return null;
      const tested = figures.drift.features.length;
      return tested > 0
        ? { value: figures.drift.features.filter((f) => f.drifted).length / tested, n: tested }
        : { value: null, n: 0 };
    }
    case 'feedback': {
      const f = figures.feedback;
      if (f === undefined) return null;
      return { value: metric === 'exposure_gini' ? f.exposureGini : f.catalogCoverage, n: f.impressions };
    }
  }
}

/** The share of the window's predictions that have a label; null when the window says nothing about labels. */
export function labelledShareOf(figures: WindowFigures): number | null {
  const l = figures.labels;
  if (l === undefined || l.predictions <= 0) return null;
  return l.labelled / l.predictions;
}
