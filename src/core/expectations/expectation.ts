/**
 * @module
 * Expectations: what a model in production is expected to do. A small closed set of kinds — a metric threshold
 * over a duration, and four integrity kinds (artifact, heartbeat, self-checks, schema) whose failure opens an
 * incident before any metric moves. These are the normalised shapes the evaluator uses (durations in ms, every
 * default filled in); `schema.ts` holds the file/API input schema that produces them.
 */
import type { Severity } from '../findings/finding.js';
import type { MetricId } from './metrics.js';

export type Comparator = '<' | '<=' | '>' | '>=';
export const COMPARATORS: readonly Comparator[] = ['<', '<=', '>', '>='];

/** `point`: decide on the figure alone. `interval`: violated only when the whole confidence interval breaks the
 * threshold; a point that breaks it with an interval that straddles it is `unknown` (inconclusive). */
export type Decision = 'point' | 'interval';

export type ExpectationKind = 'threshold' | 'heartbeat' | 'artifact' | 'self_checks' | 'schema';
export const EXPECTATION_KINDS: readonly ExpectationKind[] = [
  'threshold',
  'heartbeat',
  'artifact',
  'self_checks',
  'schema',
];

interface ExpectationBase {
  /** Unique per model; also the expectation's part of the incident dedupe key. */
  id: string;
  description?: string;
  severity: Severity;
  /** The length of the event-time window the figure is computed over. */
  overMs: number;
}

/** `metric comparator threshold` over a window, e.g. `latency_p99_ms < 1000` over 5 min. */
export interface ThresholdExpectation extends ExpectationBase {
  kind: 'threshold';
  metric: MetricId;
  comparator: Comparator;
  threshold: number;
  minSamples: number;
  decideOn: Decision;
  /** Evaluate only while the share of labelled predictions is below this (e.g. estimated metrics while labels are
   * missing); otherwise the evaluation is `unknown` with reason `condition_not_met`. */
  whenLabelledShareBelow?: number;
}

/** Every serving instance sends a heartbeat every `everyMs`; violated when an instance's longest gap in the window
 * exceeds `everyMs × (missedBeats + 1)`. */
export interface HeartbeatExpectation extends ExpectationBase {
  kind: 'heartbeat';
  everyMs: number;
  missedBeats: number;
}

/** Every instance serves the registered artifact of the intended version. */
export interface ArtifactExpectation extends ExpectationBase {
  kind: 'artifact';
}

/** Every instance's start-up self-checks pass (can read the model, can write its paths, …). */
export interface SelfChecksExpectation extends ExpectationBase {
  kind: 'self_checks';
}

/** The schema holds: the share of rows violating it is at most `maxViolatingShare`. */
export interface SchemaExpectation extends ExpectationBase {
  kind: 'schema';
  maxViolatingShare: number;
  minSamples: number;
}

export type Expectation =
  | ThresholdExpectation
  | HeartbeatExpectation
  | ArtifactExpectation
  | SelfChecksExpectation
  | SchemaExpectation;

/** Whether `value comparator threshold` holds. */
export function compare(value: number, comparator: Comparator, threshold: number): boolean {
  switch (comparator) {
    case '<':
      return value < threshold;
    case '<=':
      return value <= threshold;
    case '>':
      return value > threshold;
    case '>=':
      return value >= threshold;
  }
}

/** Reads a comparator as people write it: the symbol, or `lt`/`lte`/`gt`/`gte` (YAML reads a bare `>` as a
 * folded block, so the words avoid quoting). Returns null for anything else. */
export function parseComparator(text: string): Comparator | null {
  const words: Record<string, Comparator> = {
    '<': '<',
    '<=': '<=',
    '>': '>',
    '>=': '>=',
    lt: '<',
    lte: '<=',
    gt: '>',
    gte: '>=',
  };
  return words[text.trim()] ?? null;
}
