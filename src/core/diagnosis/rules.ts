/**
 * @module
 * Gates: causes that explain a violation only when other causes are absent. A gated cause's score is multiplied
 * by `gateFactor` when a finding of one of the causes that hold it down supports the same violation (support ≥
 * `gateSupport`), and its explanation says so.
 */
import type { Cause } from '../findings/finding.js';

export interface GateRule {
  cause: Cause;
  heldDownBy: readonly Cause[];
  /** Why, in words, completed with the finding that holds it down. */
  reason: string;
}

export const GATE_RULES: readonly GateRule[] = [
  {
    // Concept drift is a change of P(y | x) with the inputs holding still (architecture.md: "performance decay
    // … while inputs hold still"); when the inputs drifted, the drift explains the decay first.
    cause: 'concept_drift',
    heldDownBy: ['covariate_shift'],
    reason: 'concept drift ranks only when the inputs did not drift',
  },
  {
    // Poor hyperparameters / overfitting: a generalisation gap "with no drift and no skew" — and with the right
    // model and sound data, which explain the same gap more directly.
    cause: 'poor_hyperparameters',
    heldDownBy: ['covariate_shift', 'train_serving_skew', 'deployment_wrong_model', 'data_quality'],
    reason: 'a generalisation gap counts only with no drift, no skew, the intended model and sound data',
  },
];

export function gateRuleFor(cause: Cause): GateRule | undefined {
  return GATE_RULES.find((r) => r.cause === cause);
}
