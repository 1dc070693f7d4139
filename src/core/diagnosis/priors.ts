/**
 * @module
 * The prior of the diagnosis: how plausibly each cause produces each symptom, in [0, 1]. A cause with prior 0
 * cannot explain the symptom and is set aside whatever its findings say (a feedback loop does not make requests
 * slow). The values are a documented judgement, not fitted; docs/expectations.md repeats the table and the
 * reasons, and the table test in diagnose.test.ts pins the behaviour they are meant to produce.
 */

import type { Symptom } from '../expectations/metrics.js';
import type { Cause } from '../findings/finding.js';

export type PriorTable = Record<Symptom, Partial<Record<Cause, number>>>;

export const CAUSE_PRIORS: PriorTable = {
  // Slow answers: hosts (CPU, memory pressure, throttling), slow upstreams, instances restarting under load; a
  // different artifact may be a heavier model; unusual inputs can hit slow paths.
  latency: {
    hardware_failure: 1,
    dependency_failure: 0.9,
    downtime: 0.7,
    deployment_wrong_model: 0.5,
    edge_cases: 0.3,
    data_quality: 0.2,
    deployment_permissions: 0.2,
    covariate_shift: 0.1,
  },
  // Failed answers: upstreams and libraries first, then crashes and permissions. Inputs raise errors too, and
  // unusual ones as often as malformed ones: values far outside what the service was built and tested on reach
  // parsers, lookups, guards and numeric code that never saw them (an unseen key, an overflow, a forecast the
  // service's own check refuses) — so edge cases weigh as much as data quality, and the findings decide between
  // them (outliers and range tails, or missing, mistyped and out-of-range values).
  errors: {
    dependency_failure: 1,
    downtime: 0.9,
    deployment_permissions: 0.9,
    hardware_failure: 0.7,
    deployment_wrong_model: 0.6,
    data_quality: 0.6,
    edge_cases: 0.6,
    train_serving_skew: 0.1,
  },
  // Traffic falling away: instances down, a broken upstream or router, hosts failing.
  throughput: {
    downtime: 1,
    dependency_failure: 0.7,
    hardware_failure: 0.6,
    deployment_permissions: 0.4,
    deployment_wrong_model: 0.2,
  },
  // Heartbeats stop: the instance is down or its host is failing; a dependency can hang the process.
  availability: {
    downtime: 1,
    hardware_failure: 0.8,
    dependency_failure: 0.5,
    deployment_permissions: 0.4,
    deployment_wrong_model: 0.2,
  },
  // Wrong answers: every ML cause, with the wrong artifact first because it is decisive when present; concept
  // drift and poor hyperparameters are gated (see rules.ts). A changed library can change numerics.
  ml_performance: {
    deployment_wrong_model: 1,
    train_serving_skew: 0.9,
    data_quality: 0.9,
    concept_drift: 0.9,
    covariate_shift: 0.8,
    label_shift: 0.7,
    poor_hyperparameters: 0.7,
    dependency_failure: 0.5,
    edge_cases: 0.5,
    feedback_loop: 0.4,
    deployment_permissions: 0.2,
    hardware_failure: 0.1,
    downtime: 0.1,
  },
  // Labels stop arriving: the label pipeline (an upstream) broke, or the join keys changed.
  label_coverage: {
    dependency_failure: 1,
    data_quality: 0.6,
    downtime: 0.5,
    deployment_permissions: 0.4,
  },
  // Many features drift: the world changed, or the pipeline feeding the model did.
  input_drift: {
    covariate_shift: 1,
    data_quality: 0.9,
    train_serving_skew: 0.7,
    dependency_failure: 0.5,
    deployment_wrong_model: 0.4,
    feedback_loop: 0.4,
    edge_cases: 0.3,
    label_shift: 0.3,
  },
  // Exposure concentrates: the recommend → feedback → retrain loop, or a model that favours the head.
  concentration: {
    feedback_loop: 1,
    deployment_wrong_model: 0.5,
    covariate_shift: 0.4,
    poor_hyperparameters: 0.3,
    label_shift: 0.3,
    data_quality: 0.3,
    train_serving_skew: 0.2,
  },
  integrity_artifact: {
    deployment_wrong_model: 1,
    dependency_failure: 0.3,
    downtime: 0.2,
  },
  integrity_checks: {
    deployment_permissions: 1,
    dependency_failure: 0.6,
    hardware_failure: 0.4,
    deployment_wrong_model: 0.3,
  },
  integrity_schema: {
    data_quality: 1,
    dependency_failure: 0.6,
    train_serving_skew: 0.5,
    deployment_wrong_model: 0.4,
  },
};

/** The prior of `cause` for `symptom` (0 when the table has no entry). */
export function priorOf(symptom: Symptom, cause: Cause, table: PriorTable = CAUSE_PRIORS): number {
  return table[symptom][cause] ?? 0;
}
