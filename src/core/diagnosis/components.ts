/**
 * @module
 * The three per-finding components of the diagnosis score, each in [0, 1]:
 *
 * - **timing** — a cause precedes its effect, closely. A finding that began at or before the violation was
 *   observed (onset ≤ end of the violating window) scores `2^(−lead / halfLife)`, where lead is how long before
 *   the violation began it started (0 when it started inside the violating stretch). The half-life is tied to
 *   the window the violation was judged on, `max(4 × window length, 1 h)`: a condition one window older than the
 *   violation keeps most of its weight (0.84), one 4 windows older half, one 24 windows older (a day, for hourly
 *   windows) 1/64. There is no floor: a condition that had been there for many windows without breaking
 *   anything is a poor explanation of why it broke now, and old findings kept at a constant weight add up through
 *   the noisy-OR to rival the change that did break it. A finding that began after the violation scores
 *   `afterFactor · 2^(−lag / halfLife)`: it is rarely the cause. The score never increases as the finding's onset
 *   moves away from the violation, in either direction.
 * - **scope** — the same version, instances and slices. The product of three factors: version (same or not
 *   named: 1, different: `otherVersion`), instance (finding on a breaching instance: 1; on an instance that does
 *   not breach: `otherInstance`; a model-wide finding for a violation confined to some instances:
 *   `modelWideForLocal`; an instance finding for a violation without a per-instance breakdown: `instanceOfWhole`),
 *   slice (same: 1, another: `otherSlice`, a slice finding for a violation without slices: `sliceOfWhole`, a
 *   finding across all slices for a violation confined to some: `wholeForSliced`).
 * - **strength** — the finding's score times a severity weight.
 */
import type { Evaluation } from '../expectations/evaluate.js';
import type { Finding, Severity } from '../findings/finding.js';
import { clampScore } from '../findings/finding.js';

export interface DiagnosisConfig {
  /** Half-life of the timing score; null → max(4 × the violating window's length, 1 h). */
  halfLifeMs: number | null;
  afterFactor: number;
  otherVersion: number;
  otherInstance: number;
  modelWideForLocal: number;
  instanceOfWhole: number;
  otherSlice: number;
  sliceOfWhole: number;
  wholeForSliced: number;
  severityWeight: Record<Severity, number>;
  /** A gated cause (rules.ts) is multiplied by this when its gate holds. */
  gateFactor: number;
  /** A finding supports a gate only with support (timing × scope × strength) at least this. */
  gateSupport: number;
  /** Findings whose window ended more than this before the violation began are not gathered; null → max(24 h,
   * 2 × the window's length). */
  lookbackMs: number | null;
  /** Findings kept as evidence per cause. */
  maxEvidence: number;
  /** Causes without findings but with at least this prior are listed as unexplored, with how to check them. */
  unexploredPrior: number;
}

export const DIAGNOSIS_DEFAULTS: Readonly<DiagnosisConfig> = {
  halfLifeMs: null,
  afterFactor: 0.1,
  otherVersion: 0.3,
  otherInstance: 0.2,
  modelWideForLocal: 0.5,
  instanceOfWhole: 0.7,
  otherSlice: 0.3,
  sliceOfWhole: 0.8,
  wholeForSliced: 0.7,
  severityWeight: { critical: 1, warning: 0.8, info: 0.5 },
  gateFactor: 0.15,
  gateSupport: 0.2,
  lookbackMs: null,
  maxEvidence: 5,
  unexploredPrior: 0.5,
};

const HOUR = 3_600_000;

/** The violation as the diagnosis sees it: the evaluation and when the violation began (the incident's first
 * violating window start, or this window's start). */
export interface ViolationContext {
  evaluation: Evaluation;
  onsetMs: number;
  halfLifeMs: number;
}

export function violationContext(
  evaluation: Evaluation,
  onsetMs: number | undefined,
  config: DiagnosisConfig,
): ViolationContext {
  const lengthMs = evaluation.window.endMs - evaluation.window.startMs;
  return {
    evaluation,
    onsetMs: Math.min(onsetMs ?? evaluation.window.startMs, evaluation.window.startMs),
    halfLifeMs: config.halfLifeMs ?? Math.max(4 * lengthMs, HOUR),
  };
}

/** When a finding's condition began: `sinceMs` when the detector knows it, else its window's start. */
export function onsetOf(finding: Finding): number {
  return finding.sinceMs ?? finding.window.startMs;
}

export interface TimingScore {
  value: number;
  relation: 'before' | 'during' | 'after';
  /** How long before (before) or after (after) the violation began the finding's condition began; 0 during. */
  distanceMs: number;
}

/** Timing component of a finding against a violation (see the module comment). */
export function timingScore(finding: Finding, v: ViolationContext, config: DiagnosisConfig): TimingScore {
  const onset = onsetOf(finding);
  const endMs = v.evaluation.window.endMs;
  if (onset > endMs) {
    const lag = onset - endMs;
    return {
      value: config.afterFactor * 2 ** (-lag / v.halfLifeMs),
      relation: 'after',
      distanceMs: onset - v.onsetMs,
    };
  }
  const lead = Math.max(0, v.onsetMs - onset);
  return {
    value: 2 ** (-lead / v.halfLifeMs),
    relation: lead > 0 ? 'before' : 'during',
    distanceMs: lead,
  };
}

export type InstanceMatch = 'same' | 'other' | 'model_wide_for_local' | 'instance_of_whole' | 'whole';
export type VersionMatch = 'same' | 'other' | 'unspecified';
export type SliceMatch = 'same' | 'other' | 'slice_of_whole' | 'whole_for_sliced' | 'whole';

export interface ScopeScore {
  value: number;
  version: VersionMatch;
  instance: InstanceMatch;
  slice: SliceMatch;
}

/** Scope component of a finding against a violation (see the module comment). */
export function scopeScore(finding: Finding, v: ViolationContext, config: DiagnosisConfig): ScopeScore {
  const scope = v.evaluation.scope;
  const fv = finding.subject.version;
  const version: VersionMatch =
    fv === undefined || scope.version === null ? 'unspecified' : fv === scope.version ? 'same' : 'other';
  const localised = scope.instances.length > 0 && scope.instances.length < scope.instancesSeen.length;
  const fi = finding.subject.instance;
  let instance: InstanceMatch;
  if (fi !== undefined) {
    if (scope.instances.length > 0) instance = scope.instances.includes(fi) ? 'same' : 'other';
    else instance = scope.instancesSeen.length > 1 ? 'instance_of_whole' : 'same';
  } else instance = localised ? 'model_wide_for_local' : 'whole';
  const fs = finding.subject.slice;
  const slice: SliceMatch =
    fs === undefined
      ? scope.slices.length > 0
        ? 'whole_for_sliced'
        : 'whole'
      : scope.slices.length === 0
        ? 'slice_of_whole'
        : scope.slices.includes(fs)
          ? 'same'
          : 'other';
  const vf = version === 'other' ? config.otherVersion : 1;
  const inf =
    instance === 'other'
      ? config.otherInstance
      : instance === 'model_wide_for_local'
        ? config.modelWideForLocal
        : instance === 'instance_of_whole'
          ? config.instanceOfWhole
          : 1;
  const sf =
    slice === 'other'
      ? config.otherSlice
      : slice === 'slice_of_whole'
        ? config.sliceOfWhole
        : slice === 'whole_for_sliced'
          ? config.wholeForSliced
          : 1;
  return { value: vf * inf * sf, version, instance, slice };
}

/** Strength component: the finding's score (clamped to [0, 1]) times the weight of its severity. */
export function strengthScore(finding: Finding, config: DiagnosisConfig): number {
  return clampScore(finding.score) * config.severityWeight[finding.severity];
}
