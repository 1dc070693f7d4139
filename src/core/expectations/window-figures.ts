/**
 * @module
 * The figures the collector computes per model (and optionally per version) and window, handed to `evaluate`.
 * Every section is optional: a model without labels has no `realised`, a classifier has no `feedback`, an SDK
 * that sends no heartbeats has no heartbeat facts. A missing section makes the expectations that need it
 * `unknown` (no data), never `met`.
 */
import type { DetectorOutcome } from '../findings/finding.js';
import type { PerformanceMetric } from './metrics.js';

/** Request counts and latency for a window (from the window's profile and quantile sketch). */
export interface OperationalFigures {
  /** Requests in the window, all statuses. */
  requests: number;
  /** Requests with status `error`. */
  errors: number;
  /** Requests with status `timeout`. */
  timeouts: number;
  /** Latency quantiles in ms; null when no request carried a latency. */
  latencyMs: { p50: number; p90: number; p95: number; p99: number } | null;
  /** Requests that carried a latency (the n of the quantiles). */
  latencyCount: number;
}

/** A self-check result as the SDK reports it with heartbeats. */
export interface SelfCheck {
  name: string;
  ok: boolean;
  detail?: string;
}

/** What one serving instance did in the window. */
export interface InstanceFigures {
  instance: string;
  operational?: OperationalFigures;
  /** Event time of the instance's last heartbeat at or before the window end; null when it never sent one. */
  lastHeartbeatMs?: number | null;
  /** Longest stretch without a heartbeat inside the window: between consecutive heartbeats, and from the last
   * one to the window end (from the window start to the first one when the previous one is unknown). */
  longestHeartbeatGapMs?: number | null;
  /** Which version and artifact the instance served, from predictions and heartbeats. */
  served?: { version: string; artifactHash: string; predictions: number }[];
  /** The instance's latest self-check results. */
  checks?: SelfCheck[];
}

/** A realised metric and the count it is computed over (see `MetricDefinition.samples`). */
export interface MeasuredFigure {
  value: number | null;
  n: number;
}

/** An estimated metric with the estimator's band (CBPE/DLE ± 3 SE, methods.md 5). */
export interface EstimatedFigure {
  value: number | null;
  lower: number | null;
  upper: number | null;
  n: number;
}

export interface FeatureDriftFigure {
  feature: string;
  /** Method id as the detectors spell it ('ks', 'psi', 'jensenshannon', …). */
  method: string;
  score: number | null;
  drifted: boolean;
}

export interface WindowFigures {
  model: string;
  /** Set when the figures are for one version; absent or null when they merge every version of the model. */
  version?: string | null;
  /** Half-open event-time interval [startMs, endMs); its length is what an expectation's `over` is matched to. */
  window: { startMs: number; endMs: number };
  operational?: OperationalFigures;
  instances?: InstanceFigures[];
  /** Predictions in the window and how many of them have a label so far. */
  labels?: { predictions: number; labelled: number };
  /** Every version with predictions in the window, sorted; absent when the window does not say. */
  versionsServed?: string[];
  realised?: Partial<Record<PerformanceMetric, MeasuredFigure>>;
  estimated?: Partial<Record<PerformanceMetric, EstimatedFigure>>;
  /** Realised metrics per slice, so a violation can name the slices that breach. */
  slices?: { slice: string; realised: Partial<Record<PerformanceMetric, MeasuredFigure>> }[];
  drift?: { features: FeatureDriftFigure[] };
  feedback?: { impressions: number; exposureGini: number | null; catalogCoverage: number | null };
  /**
   * The registry's view during the window: the version intended at its end, every version intended at some moment
   * of it (a window that straddles a deploy has two; absent means only `intendedVersion`), and the registered
   * artifact hash of each version.
   */
  deployment?: {
    intendedVersion: string | null;
    intendedInWindow?: string[];
    registeredArtifacts: Record<string, string>;
  };
  /** Outcomes of the software detectors for the window (artifact_mismatch, unintended_version, mixed_versions,
   * heartbeat_gap, crash_loop, self_checks): integrity facts from findings, read next to the per-instance facts
   * (integrity-outcomes.ts). */
  integrityOutcomes?: DetectorOutcome[];
  /** Schema checks of the window's logged rows. */
  schema?: {
    rowsChecked: number;
    rowsViolating: number;
    violations?: { field: string; reason: string; count: number }[];
  };
}

/** The window's length in ms. */
export function windowDurationMs(figures: WindowFigures): number {
  return figures.window.endMs - figures.window.startMs;
}
