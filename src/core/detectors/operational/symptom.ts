/**
 * @module
 * Symptoms: what expectations measure (latency, throughput, error rate), measured per window and per instance
 * against a robust baseline and against fixed limits.
 *
 * Symptoms are not causes (architecture.md). A latency rise or a traffic drop does not by itself say why, so the
 * operational measures return `Symptom` figures, not findings: the diagnosis uses them for scope and timing, and
 * the hardware and dependency detectors use them to tell "a hot host whose latency also rose" from "a hot host".
 * Only two error kinds imply a cause directly and become findings (`error-kind-causes.ts`): `oom` errors
 * (hardware_failure: memory) and `crash` errors (downtime).
 */
import type { Subject, TimeWindow } from '../../findings/finding.js';
import type { ErrorKind } from '../software/inputs.js';

export type SymptomMetric =
  | 'latency_p50_ms'
  | 'latency_p95_ms'
  | 'latency_p99_ms'
  | 'throughput_per_s'
  | 'traffic_share'
  | 'error_rate'
  | `error_rate_${ErrorKind}`;

export interface SymptomStatistic {
  /** `robust_z`: (value − median)/scale over previous windows; `binomial_tail_p`: one-sided binomial tail. */
  name: 'robust_z' | 'binomial_tail_p';
  value: number;
}

export interface Symptom {
  /** Id of the measure that produced it ('latency', 'throughput', 'error_rate'). */
  measure: string;
  metric: SymptomMetric;
  /** `{ model }` for the model as a whole, `{ model, instance }` for one instance. */
  subject: Subject;
  window: TimeWindow;
  value: number | null;
  unit: string;
  /** The baseline it was compared with (median of previous windows, previous window, or pooled rate). */
  baseline: number | null;
  /** How many previous windows the baseline used. */
  baselineWindows: number;
  statistic: SymptomStatistic | null;
  limit: number | null;
  /** Departs from its baseline beyond the configured thresholds. */
  shifted: boolean;
  /** Beyond its fixed limit. */
  overLimit: boolean;
  /** Which way it departs ('up' for latency and errors, 'down' for traffic), null when normal. */
  direction: 'up' | 'down' | null;
  /** One sentence with the numbers. */
  summary: string;
}

/** True when a symptom departs from its baseline or exceeds its limit. */
export function isAbnormal(s: Symptom): boolean {
  return s.shifted || s.overLimit;
}
