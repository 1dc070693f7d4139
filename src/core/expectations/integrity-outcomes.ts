/**
 * @module
 * Integrity facts from detector outcomes. The artifact, heartbeat and self-check expectations read two sources:
 * the per-instance facts in `WindowFigures.instances` (served artifacts, heartbeat gaps, self-check results), and
 * the outcomes of the software detectors that watch the same things (`WindowFigures.integrityOutcomes`). A
 * finding of the matching cause is a breach; a `clear` outcome of a matching detector is evidence of health; the
 * detectors' `insufficient_data` and `not_applicable` outcomes say nothing.
 */
import type { Cause, DetectorOutcome } from '../findings/finding.js';

export type IntegrityKind = 'artifact' | 'heartbeat' | 'self_checks';

/** Which cause and which detectors speak for each integrity kind. */
export const INTEGRITY_SOURCES: Record<IntegrityKind, { cause: Cause; detectors: readonly string[] }> = {
  artifact: {
    cause: 'deployment_wrong_model',
    detectors: ['artifact_mismatch', 'unintended_version', 'mixed_versions'],
  },
  heartbeat: { cause: 'downtime', detectors: ['heartbeat_gap', 'crash_loop'] },
  self_checks: { cause: 'deployment_permissions', detectors: ['self_checks'] },
};

export interface OutcomeVerdict {
  /** true: a finding breaches; false: only clear outcomes; null: the outcomes say nothing. */
  breached: boolean | null;
  /** Instances the findings name, sorted; a finding without an instance adds nothing here. */
  instances: string[];
  /** The findings' summaries, for the evaluation's detail. */
  findings: { detector: string; instance: string | null; summary: string }[];
}

/** Reads the detector outcomes that speak for an integrity kind. */
export function outcomeVerdict(
  kind: IntegrityKind,
  outcomes: readonly DetectorOutcome[] | undefined,
): OutcomeVerdict {
  const source = INTEGRITY_SOURCES[kind];
  const findings: OutcomeVerdict['findings'] = [];
  let clear = false;
  for (const o of outcomes ?? []) {
    if (o.kind === 'finding') {
      if (o.finding.cause !== source.cause || o.finding.severity === 'info') continue;
      findings.push({
        detector: o.finding.detector,
        instance: o.finding.subject.instance ?? null,
        summary: o.finding.evidence.summary,
      });
    } else if (o.kind === 'clear' && source.detectors.includes(o.detector)) clear = true;
  }
  const instances = [...new Set(findings.flatMap((f) => (f.instance === null ? [] : [f.instance])))].sort();
  return { breached: findings.length > 0 ? true : clear ? false : null, instances, findings };
}
