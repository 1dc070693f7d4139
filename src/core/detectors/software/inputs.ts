/**
 * @module
 * The input of the software and operational detectors: plain data the collector assembles from its store for one
 * (model, window). Field names follow the HTTP contract (`src/core/contract/events.ts`): `fingerprint`, `host`,
 * `checks`, `artifactHash`, `errorKind`, `intervalMs`. Times are epoch milliseconds of EVENT time.
 *
 * Lookback: heartbeats, events and probe results are passed from `window.startMs − lookback` (one hour is what the
 * detectors' defaults assume) to `window.endMs`, so that gaps, restarts and baselines that straddle the window
 * start can be seen. Operational stats come as the current window plus the windows before it.
 */
import type { Fingerprint, SelfCheck } from '../../contract/events.js';
import type { TimeWindow } from '../../findings/finding.js';
import { type ProbeSpec, probeSpecProblem } from './probe-spec.js';

/**
 * Error kinds counted per window. `errorKind` on a prediction is free text on the wire; the collector maps the
 * known words here and everything else to `other`. A `timeout` status without an `errorKind` counts as `timeout`.
 */
export const ERROR_KINDS = ['timeout', 'client_error', 'server_error', 'oom', 'crash', 'other'] as const;
export type ErrorKind = (typeof ERROR_KINDS)[number];

/** Latency quantiles of one window, read from its quantile sketch (KLL) by the collector. */
export interface LatencyQuantiles {
  p50: number;
  p95: number;
  p99: number;
}

/** Operational counters of one window (for one instance, or for the whole model). */
export interface WindowStats {
  startMs: number;
  endMs: number;
  /** Predictions received in the window, whatever their status. */
  count: number;
  /** Null when nothing in the window carried `latencyMs`. */
  latencyMs: LatencyQuantiles | null;
  /** Non-ok predictions by kind; a missing key means 0. */
  errors: Partial<Record<ErrorKind, number>>;
}

/**
 * The current window and the windows before it (oldest first, contiguous, ending just before `current`). A window
 * with no traffic is present with `count: 0`, not left out, so that a silent instance shows as a drop.
 */
export interface OperationalSeries {
  current: WindowStats;
  previous: WindowStats[];
}

export interface InstanceOperational extends OperationalSeries {
  instance: string;
}

/** A heartbeat as the contract defines it, with its event time resolved and the process start time lifted out. */
export interface HeartbeatRecord {
  instance: string;
  timestampMs: number;
  version?: string;
  artifactHash?: string;
  /** The interval the SDK says it sends heartbeats at. */
  intervalMs?: number;
  /** When the serving process started (the SDK sends it as `host.processStartMs`); a change means a restart. */
  processStartMs?: number;
  fingerprint?: Fingerprint;
  /** Flat host metrics; keys read are listed in `HOST_METRIC_KEYS` (`host-metrics.ts`). */
  host?: Record<string, number | null>;
  checks?: SelfCheck[];
}

/** A free-form event (`POST /v1/events`): deploy, rollback, crash, restart, oom, config_change, stop, … */
export interface ServingEvent {
  kind: string;
  timestampMs: number;
  instance?: string;
  version?: string;
  message?: string;
  attributes?: Record<string, string | number | boolean | null>;
}

/**
 * Traffic of one (version, artifactHash, instance) triple in the current window. `firstSeenMs` is when the triple
 * was first seen in the contiguous run of windows that ends in this one (or in this window, if the collector does
 * not track runs); `lastSeenMs` is its latest event in this window.
 */
export interface TrafficSlice {
  version: string;
  artifactHash: string | null;
  instance: string | null;
  count: number;
  firstSeenMs: number;
  lastSeenMs: number;
}

/** A model version as the registry holds it when the window is evaluated. */
export interface RegisteredVersion {
  version: string;
  artifactHash: string | null;
  intended: boolean;
  /** When it became the intended deployment (to let the previous version drain). */
  intendedSinceMs?: number;
  /** When it was registered; older versions coming back into traffic are named as such. */
  createdAtMs?: number;
  /** The environment it was validated in. */
  fingerprint: Fingerprint | null;
}

/** One result of probing an upstream dependency. */
export interface ProbeResult {
  /** The `ProbeSpec.name` it belongs to. */
  dependency: string;
  timestampMs: number;
  ok: boolean;
  /** Null when the probe timed out or could not connect. */
  latencyMs: number | null;
  status?: number;
  error?: string;
}

/** Everything the software detectors look at for one model and one window. */
export interface SoftwareWindowInput {
  model: string;
  window: TimeWindow;
  operational: {
    /** Model-wide stats (all instances merged); null when the collector does not keep them. */
    overall: OperationalSeries | null;
    instances: InstanceOperational[];
  };
  /** Heartbeats from the lookback and the window, any order. */
  heartbeats: HeartbeatRecord[];
  /** Events from the lookback and the window, any order. */
  events: ServingEvent[];
  /** Traffic of the current window by (version, artifactHash, instance). */
  traffic: TrafficSlice[];
  registry: RegisteredVersion[];
  probes: { specs: ProbeSpec[]; results: ProbeResult[] };
}

function finite(x: unknown): x is number {
  return typeof x === 'number' && Number.isFinite(x);
}

function statsProblems(s: WindowStats, path: string, out: string[]): void {
  if (!finite(s.startMs) || !finite(s.endMs) || s.endMs <= s.startMs)
    out.push(`${path}: startMs and endMs must be finite with endMs > startMs, got ${s.startMs}…${s.endMs}`);
  if (!finite(s.count) || s.count < 0) out.push(`${path}.count: must be a number ≥ 0, got ${s.count}`);
  if (s.latencyMs !== null) {
    for (const q of ['p50', 'p95', 'p99'] as const)
      if (!finite(s.latencyMs[q]) || s.latencyMs[q] < 0)
        out.push(`${path}.latencyMs.${q}: must be a number ≥ 0, got ${s.latencyMs[q]}`);
  }
  for (const [k, v] of Object.entries(s.errors)) {
    if (!(ERROR_KINDS as readonly string[]).includes(k))
      out.push(`${path}.errors.${k}: unknown error kind; use one of ${ERROR_KINDS.join(', ')}`);
    else if (!finite(v) || v < 0) out.push(`${path}.errors.${k}: must be a number ≥ 0, got ${v}`);
  }
}

/**
 * Lists every problem of a detector input as `field: reason` (empty when it is valid). The runner throws on a
 * non-empty list; the checks are cheap (linear in the input) so the collector can afford them every window.
 */
export function softwareInputProblems(input: SoftwareWindowInput): string[] {
  const out: string[] = [];
  if (typeof input.model !== 'string' || input.model.length === 0)
    out.push('model: must be a non-empty string');
  const w = input.window;
  if (!w || !finite(w.startMs) || !finite(w.endMs) || w.endMs <= w.startMs)
    out.push(`window: startMs and endMs must be finite with endMs > startMs, got ${w?.startMs}…${w?.endMs}`);
  const series = (s: OperationalSeries, path: string) => {
    statsProblems(s.current, `${path}.current`, out);
    s.previous.forEach((p, i) => {
      statsProblems(p, `${path}.previous[${i}]`, out);
    });
  };
  if (input.operational.overall) series(input.operational.overall, 'operational.overall');
  input.operational.instances.forEach((s, i) => {
    if (typeof s.instance !== 'string' || s.instance.length === 0)
      out.push(`operational.instances[${i}].instance: must be a non-empty string`);
    series(s, `operational.instances[${i}]`);
  });
  input.heartbeats.forEach((h, i) => {
    if (typeof h.instance !== 'string' || h.instance.length === 0)
      out.push(`heartbeats[${i}].instance: must be a non-empty string`);
    if (!finite(h.timestampMs))
      out.push(`heartbeats[${i}].timestampMs: must be a finite number, got ${h.timestampMs}`);
    if (h.intervalMs !== undefined && !(finite(h.intervalMs) && h.intervalMs >= 0))
      out.push(`heartbeats[${i}].intervalMs: must be a number ≥ 0, got ${h.intervalMs}`);
  });
  input.events.forEach((e, i) => {
    if (typeof e.kind !== 'string' || e.kind.length === 0)
      out.push(`events[${i}].kind: must be a non-empty string`);
    if (!finite(e.timestampMs))
      out.push(`events[${i}].timestampMs: must be a finite number, got ${e.timestampMs}`);
  });
  input.traffic.forEach((t, i) => {
    if (typeof t.version !== 'string' || t.version.length === 0)
      out.push(`traffic[${i}].version: must be a non-empty string`);
    if (t.artifactHash !== null && (typeof t.artifactHash !== 'string' || t.artifactHash.length === 0))
      out.push(
        `traffic[${i}].artifactHash: must be a non-empty string or null, got ${JSON.stringify(t.artifactHash)}`,
      );
    if (t.instance !== null && (typeof t.instance !== 'string' || t.instance.length === 0))
      out.push(
        `traffic[${i}].instance: must be a non-empty string or null, got ${JSON.stringify(t.instance)}`,
      );
    if (!finite(t.count) || t.count < 0)
      out.push(`traffic[${i}].count: must be a number ≥ 0, got ${t.count}`);
    if (!finite(t.firstSeenMs) || !finite(t.lastSeenMs) || t.lastSeenMs < t.firstSeenMs)
      out.push(`traffic[${i}]: firstSeenMs and lastSeenMs must be finite with lastSeenMs ≥ firstSeenMs`);
  });
  input.registry.forEach((r, i) => {
    if (typeof r.version !== 'string' || r.version.length === 0)
      out.push(`registry[${i}].version: must be a non-empty string`);
    if (r.artifactHash !== null && typeof r.artifactHash !== 'string')
      out.push(
        `registry[${i}].artifactHash: must be a string or null, got ${JSON.stringify(r.artifactHash)}`,
      );
    if (typeof r.intended !== 'boolean') out.push(`registry[${i}].intended: must be true or false`);
  });
  input.probes.specs.forEach((s, i) => {
    const p = probeSpecProblem(s, `probes.specs[${i}]`);
    if (p) out.push(p);
  });
  input.probes.results.forEach((r, i) => {
    if (!finite(r.timestampMs))
      out.push(`probes.results[${i}].timestampMs: must be a finite number, got ${r.timestampMs}`);
    if (r.latencyMs !== null && !(finite(r.latencyMs) && r.latencyMs >= 0))
      out.push(`probes.results[${i}].latencyMs: must be null or a number ≥ 0, got ${r.latencyMs}`);
  });
  return out;
}
