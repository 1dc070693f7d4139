/**
 * Findings: what every detector produces, and the one vocabulary of causes used everywhere — findings, incidents,
 * the API, the CLI, the dashboard and the demo's scoring (architecture.md, "Cause identifiers").
 *
 * Symptoms are not causes: latency, throughput, error rate and ML performance are what expectations measure; the
 * causes below are what the diagnosis ranks.
 */

export const CAUSES = [
  'dependency_failure',
  'deployment_wrong_model',
  'deployment_permissions',
  'hardware_failure',
  'downtime',
  'data_quality',
  'poor_hyperparameters',
  'train_serving_skew',
  'covariate_shift',
  'label_shift',
  'concept_drift',
  'edge_cases',
  'feedback_loop',
] as const;

export type Cause = (typeof CAUSES)[number];

/** The family of a cause: software failures are loud, ML failures are often silent. */
export const CAUSE_FAMILY: Record<Cause, 'software' | 'ml'> = {
  dependency_failure: 'software',
  deployment_wrong_model: 'software',
  deployment_permissions: 'software',
  hardware_failure: 'software',
  downtime: 'software',
  data_quality: 'ml',
  poor_hyperparameters: 'ml',
  train_serving_skew: 'ml',
  covariate_shift: 'ml',
  label_shift: 'ml',
  concept_drift: 'ml',
  edge_cases: 'ml',
  feedback_loop: 'ml',
};

export function isCause(value: string): value is Cause {
  return (CAUSES as readonly string[]).includes(value);
}

export type Severity = 'info' | 'warning' | 'critical';

/** What a finding is about. Every field but `model` is optional: a finding names as much scope as it knows. */
export interface Subject {
  model: string;
  version?: string;
  instance?: string;
  feature?: string;
  dependency?: string;
  slice?: string;
}

/** A half-open event-time interval [startMs, endMs). `kind` says whether a detector looked at a sliding window or
 * at everything since a start (cumulative). */
export interface TimeWindow {
  startMs: number;
  endMs: number;
  kind?: 'sliding' | 'cumulative';
}

/** One number behind a finding, with its name and unit, so evidence is readable and chartable. */
export interface Figure {
  name: string;
  value: number | string | null;
  unit?: string;
  /** The figure it is compared with (a baseline, a limit, the reference). */
  baseline?: number | string | null;
  threshold?: number | null;
}

export interface Evidence {
  /** One or two plain sentences a person on call can read, with the numbers in them. */
  summary: string;
  figures: Figure[];
  /** Optional structured detail (samples, before/after quantiles, changed packages). Must be JSON-serialisable. */
  detail?: Record<string, unknown>;
}

export interface Finding {
  /** Stable id of the detector that produced it, e.g. 'heartbeat_gap', 'feature_drift'. */
  detector: string;
  cause: Cause;
  subject: Subject;
  window: TimeWindow;
  severity: Severity;
  /** Strength in [0, 1]: how strongly the signal departs from normal (not a probability). */
  score: number;
  evidence: Evidence;
  /** Event time (ms) from which the condition is first seen, when known. */
  sinceMs?: number;
}

/**
 * The result of running one detector: a finding, a clear result, or an explicit "can't tell".
 * Where a signal is missing (no heartbeats sent, no probes configured) a detector says so rather than reporting health.
 */
export type DetectorOutcome =
  | { kind: 'finding'; finding: Finding }
  | { kind: 'clear'; detector: string; subject: Subject; evidence: Evidence }
  | { kind: 'insufficient_data'; detector: string; subject: Subject; reason: string }
  | { kind: 'not_applicable'; detector: string; subject: Subject; reason: string };

/** Clamps a raw strength into [0, 1]; NaN becomes 0. */
export function clampScore(x: number): number {
  if (!Number.isFinite(x)) return x > 0 ? 1 : 0;
  return Math.min(1, Math.max(0, x));
}
