/**
 * @module
 * "What would confirm it": for each cause, a concrete check a person on call can run, filled in with the
 * instance, version, feature, dependency or slice the strongest finding names.
 */
import type { Evaluation } from '../expectations/evaluate.js';
import type { Cause, Finding } from '../findings/finding.js';
import { timeInWords } from './words.js';

function instanceOf(f: Finding | null, ev: Evaluation): string {
  const i = f?.subject.instance ?? ev.scope.instances[0];
  return i === undefined ? 'the affected instances' : `instance ${i}`;
}

function versionOf(f: Finding | null, ev: Evaluation): string {
  const v = f?.subject.version ?? ev.scope.version;
  return v === undefined || v === null ? 'the serving version' : `version ${v}`;
}

function featureOf(f: Finding | null): string {
  return f?.subject.feature === undefined ? 'the drifted features' : `feature ${f.subject.feature}`;
}

/** A concrete check that would confirm `cause` as the explanation of the violation. */
export function howToConfirm(cause: Cause, finding: Finding | null, ev: Evaluation): string {
  const since = timeInWords(finding?.sinceMs ?? finding?.window.startMs ?? ev.window.startMs);
  const what = ev.metric ?? ev.expectationId;
  switch (cause) {
    case 'dependency_failure':
      return finding?.subject.dependency !== undefined
        ? `Probe ${finding.subject.dependency} directly and read its error log from ${since}; restoring it (or failing over) should end the ${what} violation.`
        : `Diff the environment fingerprint of ${instanceOf(finding, ev)} with the one ${versionOf(finding, ev)} was validated in; pinning the changed packages back should end the ${what} violation.`;
    case 'deployment_wrong_model':
      return `Compare the artifact hash ${instanceOf(finding, ev)} serves with the registry's hash for the intended version; redeploying the registered artifact should end the ${what} violation.`;
    case 'deployment_permissions':
      return `Re-run the start-up self-checks on ${instanceOf(finding, ev)} and read the failed check's detail: the paths it needs and the rights of the account it runs as.`;
    case 'hardware_failure':
      return `Look at CPU, memory, throttling and OOM kills on ${instanceOf(finding, ev)} since ${since}; moving traffic off it should bring ${what} back within the limit.`;
    case 'downtime':
      return `Check the heartbeats, restarts and exit codes of ${instanceOf(finding, ev)} since ${since}; the gaps should line up with the violating windows.`;
    case 'data_quality':
      return `Inspect the rows logged since ${since} for ${featureOf(finding)}: missing, out-of-range or wrongly typed values should trace back to a change in the pipeline that produces them.`;
    case 'poor_hyperparameters':
      return `Compare the production ${what} of ${versionOf(finding, ev)} with its stored validation figure from the first window on; a gap from day one with no drift and no skew points to overfitting — re-validate on a fresh hold-out.`;
    case 'train_serving_skew':
      return `Join serving rows to training rows by entity id and compare ${featureOf(finding)} value by value; a mismatch rate above zero confirms the pipelines differ.`;
    case 'covariate_shift':
      return `Compare the distribution of ${featureOf(finding)} in the violating window with the reference; labelling a sample from the new region should show the errors concentrate there.`;
    case 'label_shift':
      return `Compare the class balance of recent labels and predictions with the reference; re-weighting by the new class priors should recover most of the ${what}.`;
    case 'concept_drift':
      return `With the inputs unchanged, compare the error rate per input region before and after ${since} on labelled data; a model retrained on recent labels should recover.`;
    case 'edge_cases':
      return `Read the outlier rows${finding?.subject.slice === undefined ? '' : ` and slice ${finding.subject.slice}`}: their share of the errors should far exceed their share of the traffic.`;
    case 'feedback_loop':
      return `Plot exposure Gini and catalogue coverage per window and per model version; a rise that follows each retraining, absent from a randomised exploration slice, confirms the loop.`;
  }
}
