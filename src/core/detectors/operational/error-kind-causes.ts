/**
 * @module
 * The two error kinds that name their cause: `oom` errors (the process ran out of memory: hardware_failure) and
 * `crash` errors (the process died under the request: downtime). Every other kind (timeout, client_error,
 * server_error) is a symptom only and stays in `measureErrorRates`.
 *
 * A kind is reported per instance (model-wide only when the collector keeps no per-instance series) when its
 * rate shifted over its baseline or exceeded its limit as `error-rate.ts` defines it. These errors should not
 * happen at all in a healthy service, so the baseline floor is low (1 in 10 000) and 3 errors are enough.
 */
import type { Cause, DetectorOutcome, Subject } from '../../findings/finding.js';
import type { SoftwareDetector } from '../software/detector.js';
import { formatShare } from '../software/format.js';
import type { SoftwareWindowInput } from '../software/inputs.js';
import { scoreAbove } from '../software/score.js';
import { ERROR_RATE_DEFAULTS, type ErrorRateConfig, measureErrorRates } from './error-rate.js';
import { isAbnormal } from './symptom.js';

export interface ErrorKindCausesConfig {
  /** The error-rate test applied to the kinds below. */
  errorRate: ErrorRateConfig;
  /** A rate at or above this makes the finding critical (else warning). */
  criticalRate: number;
}

export const ERROR_KIND_CAUSES_DEFAULTS: Readonly<ErrorKindCausesConfig> = {
  errorRate: {
    ...ERROR_RATE_DEFAULTS,
    alpha: 1e-4,
    minErrors: 3,
    baselineFloorRate: 1e-4,
    limits: { ...ERROR_RATE_DEFAULTS.limits, oom: 0.001, crash: 0.001 },
    kinds: ['oom', 'crash'],
  },
  criticalRate: 0.01,
};

const CAUSE_OF: Record<'oom' | 'crash', { cause: Cause; meaning: string }> = {
  oom: { cause: 'hardware_failure', meaning: 'the process ran out of memory' },
  crash: { cause: 'downtime', meaning: 'the process crashed while serving' },
};

const ID = 'error_kind_causes';

function run(input: SoftwareWindowInput, config: ErrorKindCausesConfig): DetectorOutcome[] {
  const subject: Subject = { model: input.model };
  const perInstance = input.operational.instances.length > 0;
  if (!perInstance && !input.operational.overall)
    return [
      { kind: 'insufficient_data', detector: ID, subject, reason: 'no operational counters for the window' },
    ];
  const symptoms = measureErrorRates(input, config.errorRate).filter(
    (s) => (perInstance ? s.subject.instance !== undefined : true) && s.metric !== 'error_rate',
  );
  const out: DetectorOutcome[] = [];
  for (const s of symptoms) {
    if (!isAbnormal(s) || s.value === null) continue;
    const kind = s.metric === 'error_rate_oom' ? 'oom' : s.metric === 'error_rate_crash' ? 'crash' : null;
    if (!kind) continue;
    const { cause, meaning } = CAUSE_OF[kind];
    const baseRate = Math.max(s.baseline ?? 0, config.errorRate.baselineFloorRate);
    out.push({
      kind: 'finding',
      finding: {
        detector: ID,
        cause,
        subject: s.subject,
        window: input.window,
        severity: s.value >= config.criticalRate ? 'critical' : 'warning',
        score: scoreAbove(s.value, Math.max(baseRate * config.errorRate.minRatio, 1e-6)),
        evidence: {
          summary: `${s.summary.replace(/\.$/, '')}: ${meaning}.`,
          figures: [
            {
              name: `${kind} error rate`,
              value: s.value,
              unit: 'share',
              baseline: s.baseline,
              threshold: s.limit,
            },
          ],
          detail: { kind, statistic: s.statistic, baselineWindows: s.baselineWindows },
        },
      },
    });
  }
  if (out.length === 0)
    out.push({
      kind: 'clear',
      detector: ID,
      subject,
      evidence: {
        summary: `No abnormal oom or crash errors (${symptoms.length} rates checked, at most ${formatShare(
          Math.max(0, ...symptoms.map((s) => s.value ?? 0)),
        )}).`,
        figures: [],
      },
    });
  return out;
}

export const errorKindCauses: SoftwareDetector<typeof ID, ErrorKindCausesConfig> = {
  id: ID,
  family: 'operational',
  causes: ['hardware_failure', 'downtime'],
  defaults: ERROR_KIND_CAUSES_DEFAULTS,
  run,
};
