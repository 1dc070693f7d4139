/**
 * @module
 * Concept drift (cause `concept_drift`; architecture.md: "performance decay … while inputs hold still"): the
 * window's realised headline metric (accuracy, or MAE for a regressor) against the reference's, decided by
 * `conceptVerdict` (`core/concept/verdict.ts`). The inputs summary carries the drifted input features AND a
 * label drift, when there was one: a fall that a prior shift explains is not concept drift.
 *
 * A fall needs non-overlapping intervals and at least `minDrop` (classification, absolute) or `minRelativeRise`
 * of the reference error (regression). Fewer than `minLabelled` labelled rows → insufficient data.
 */
import {
  type ConceptVerdict,
  conceptVerdict,
  type InputDriftSummary,
  type IntervalLike,
} from '../../concept/verdict.js';
import type { DetectorOutcome, Subject, TimeWindow } from '../../findings/finding.js';
import { formatNumber } from '../software/format.js';

export interface ConceptDriftConfig {
  minLabelled: number;
  minDrop: number;
  minRelativeRise: number;
}

export const CONCEPT_DRIFT_DEFAULTS: Readonly<ConceptDriftConfig> = {
  minLabelled: 100,
  minDrop: 0.05,
  minRelativeRise: 0.2,
};

export interface ConceptDriftInput {
  metric: string;
  higherIsBetter: boolean;
  current: IntervalLike | null;
  /** The baseline performance with its interval, and where it comes from. */
  reference: IntervalLike | null;
  referenceSource: 'reference' | 'previous_windows';
  /** Label-free estimate for the window (CBPE/DLE), when there is one. */
  estimated?: IntervalLike | undefined;
  inputs: InputDriftSummary | null;
}

export interface ConceptDriftContext {
  model: string;
  version?: string | undefined;
  window: TimeWindow;
}

/** The `concept_drift` outcome of one window, with the verdict's reasons as the evidence. */
export function conceptDriftOutcome(
  input: ConceptDriftInput,
  ctx: ConceptDriftContext,
  config: ConceptDriftConfig = CONCEPT_DRIFT_DEFAULTS,
): { outcome: DetectorOutcome; verdict: ConceptVerdict | null } {
  const subject: Subject = {
    model: ctx.model,
    ...(ctx.version !== undefined ? { version: ctx.version } : {}),
  };
  const detector = 'concept_drift';
  if (input.reference === null || input.reference.estimate === null)
    return {
      outcome: {
        kind: 'not_applicable',
        detector,
        subject,
        reason:
          'no baseline performance: the reference has no target and prediction columns and no earlier window was labelled',
      },
      verdict: null,
    };
  const n = input.current?.n ?? 0;
  if (input.current === null || input.current.estimate === null || n < config.minLabelled)
    return {
      outcome: {
        kind: 'insufficient_data',
        detector,
        subject,
        reason: `${n} labelled predictions in the window, fewer than ${config.minLabelled}`,
      },
      verdict: null,
    };
  const minDrop = input.higherIsBetter
    ? config.minDrop
    : config.minRelativeRise * Math.abs(input.reference.estimate);
  const verdict = conceptVerdict(
    {
      metric: input.metric,
      higherIsBetter: input.higherIsBetter,
      reference: input.reference,
      current: input.current,
      ...(input.estimated ? { estimated: input.estimated } : {}),
    },
    input.inputs,
    { minDrop },
  );
  const figures = [
    {
      name: `realised ${input.metric}`,
      value: input.current.estimate,
      baseline: input.reference.estimate,
    },
    { name: 'labelled rows', value: n },
    ...(input.estimated?.estimate != null
      ? [{ name: `estimated ${input.metric}`, value: input.estimated.estimate }]
      : []),
  ];
  if (verdict.kind === 'concept_drift') {
    const drop = Math.abs(input.current.estimate - input.reference.estimate);
    return {
      outcome: {
        kind: 'finding',
        finding: {
          detector,
          cause: 'concept_drift',
          subject,
          window: ctx.window,
          severity: verdict.confidence === 'high' ? 'critical' : 'warning',
          score: Math.min(1, 0.5 + drop / Math.max(4 * minDrop, 1e-9)),
          evidence: {
            summary: `${input.metric} ${input.higherIsBetter ? 'fell' : 'rose'} from ${formatNumber(input.reference.estimate, 3)} (${input.referenceSource === 'reference' ? 'reference' : 'earlier windows'}) to ${formatNumber(input.current.estimate, 3)} while the inputs held still. ${verdict.reasons.join(' ')}`,
            figures,
            detail: { verdict, referenceSource: input.referenceSource, window: ctx.window.kind ?? 'sliding' },
          },
        },
      },
      verdict,
    };
  }
  if (verdict.kind === 'inconclusive')
    return {
      outcome: { kind: 'insufficient_data', detector, subject, reason: verdict.reasons.join(' ') },
      verdict,
    };
  return {
    outcome: { kind: 'clear', detector, subject, evidence: { summary: verdict.reasons.join(' '), figures } },
    verdict,
  };
}
