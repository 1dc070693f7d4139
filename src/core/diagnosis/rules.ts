/**
 * @module
 * Gates: causes that explain a violation only when other causes are absent. A gated cause's score is multiplied
 * by `gateFactor` when a finding that holds it down supports the same violation (support ≥ `gateSupport`), and
 * its explanation says so, with that finding's evidence. A cause is held down once, by the first of its rules
 * that applies, so the order of the rules below says which reason is given.
 *
 * "The inputs moved" is answered by more than drift: rows the reference never held — an isolation forest's
 * outlier share, a tail of values beyond the reference's quantiles, values systematically out of its range — are
 * the inputs moving too, even when the bulk of each feature's distribution stays put and no drift test fires.
 * "The labels moved" is a label-drift finding (the class balance of the joined labels against the reference's).
 */
import type { Cause, Finding } from '../findings/finding.js';

/** Detectors whose findings say the inputs moved, whatever cause they name, besides every covariate-shift
 * finding: outliers and range tails (edge cases) and systematic out-of-range values (data quality). */
export const INPUTS_MOVED_DETECTORS: readonly string[] = ['outlier_share', 'range_tail', 'out_of_range'];

/** True when `f` says the serving inputs moved away from what the model was built on. */
export function movesInputs(f: Finding): boolean {
  return f.cause === 'covariate_shift' || INPUTS_MOVED_DETECTORS.includes(f.detector);
}

/** True when `f` says the labels moved: their class balance against the reference's. */
export function movesLabels(f: Finding): boolean {
  return f.detector === 'label_drift';
}

export interface GateRule {
  cause: Cause;
  /** Findings of these causes hold it down. */
  heldDownBy: readonly Cause[];
  /** Findings that say the inputs moved (`movesInputs`) hold it down too. */
  byInputsMoving?: boolean;
  /** Findings that say the labels moved (`movesLabels`) hold it down too. */
  byLabelsMoving?: boolean;
  /** Only a finding on the violation's version (or naming none) holds it down. */
  sameVersion?: boolean;
  /** The rule applies only while no finding says the labels moved. */
  labelsStill?: boolean;
  /** Why, in words, completed with the finding that holds it down. */
  reason: string;
}

/** The rules, in the order they are tried: a cause is held down once, by the first rule that applies. */
export const GATE_RULES: readonly GateRule[] = [
  {
    // Concept drift is a change of P(y | x) with the inputs holding still (architecture.md: "performance decay
    // … while inputs hold still"); when the inputs moved — drift, outliers, out-of-range values — that
    // explains the decay first.
    cause: 'concept_drift',
    heldDownBy: ['covariate_shift'],
    byInputsMoving: true,
    reason:
      'concept drift ranks only when the inputs did not move (no drift, outliers or out-of-range values)',
  },
  {
    // An overfit release: its reference (training rows, outputs it memorised) scores far above anything it does
    // in production, so the concept-drift test sees a fall "while the inputs held still" from its first window
    // on. The generalisation gap of the same version says why: the model never generalised, the world did not
    // change under it. (Tried after the rule above: with the inputs moved, that one gives the reason.)
    cause: 'concept_drift',
    heldDownBy: ['poor_hyperparameters'],
    sameVersion: true,
    reason:
      'the version has fallen short of its validation figures since its first window while the inputs held still: ' +
      'a model that does not generalise falls against its reference without any change of concept',
  },
  {
    // The same release seen through its outputs: on the rows it memorised they are near 0 or 1, in production
    // they are not, and prediction drift reads that as a shifted class balance. With the labels themselves
    // unchanged, the gap of the version explains it.
    cause: 'label_shift',
    heldDownBy: ['poor_hyperparameters'],
    sameVersion: true,
    labelsStill: true,
    reason:
      'the version has fallen short of its validation figures since its first window while the labels held still: ' +
      'its outputs differ from those on its reference because it does not generalise, not because the class ' +
      'balance moved',
  },
  {
    // Poor hyperparameters / overfitting: a generalisation gap "with no drift and no skew" — and with the right
    // model and sound data, which explain the same gap more directly. A shifted class balance moves the metrics
    // of a sound model too.
    cause: 'poor_hyperparameters',
    heldDownBy: ['covariate_shift', 'train_serving_skew', 'deployment_wrong_model', 'data_quality'],
    byInputsMoving: true,
    byLabelsMoving: true,
    reason:
      'a generalisation gap counts only with inputs and labels that did not move, no skew, the intended model and ' +
      'sound data',
  },
];

/** The rules that can hold `cause` down, in order. */
export function gateRulesFor(cause: Cause): GateRule[] {
  return GATE_RULES.filter((r) => r.cause === cause);
}

/** True when `f` is a finding `rule` lets hold its cause down (before support and version are weighed). */
export function holdsDown(rule: GateRule, f: Finding): boolean {
  return (
    rule.heldDownBy.includes(f.cause) ||
    (rule.byInputsMoving === true && movesInputs(f)) ||
    (rule.byLabelsMoving === true && movesLabels(f))
  );
}
