import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Evaluation } from '../expectations/evaluate.js';
import type { Finding } from '../findings/finding.js';
import {
  DIAGNOSIS_DEFAULTS as C,
  scopeScore,
  strengthScore,
  timingScore,
  violationContext,
} from './components.js';
import { diagnose, gatherFindings } from './diagnose.js';
import { CAUSE_PRIORS, priorOf } from './priors.js';
import { durationInWords, timeInWords } from './words.js';

const T = Date.UTC(2025, 2, 3, 12, 0);
const MIN = 60_000;
const HOUR = 60 * MIN;

function violation(partial: Partial<Evaluation> = {}): Evaluation {
  return {
    model: 'churn',
    expectationId: 'latency_p99',
    kind: 'threshold',
    metric: 'latency_p99_ms',
    symptom: 'latency',
    severity: 'critical',
    window: { startMs: T, endMs: T + 5 * MIN },
    evaluatedAtMs: T + 5 * MIN,
    status: 'violated',
    reason: null,
    figure: {
      value: 1450,
      unit: 'ms',
      n: 3000,
      minSamples: 100,
      interval: null,
      threshold: 1000,
      comparator: '<',
      labelledShare: null,
    },
    scope: { version: 'v3', instances: ['i-3'], instancesSeen: ['i-1', 'i-2', 'i-3', 'i-4'], slices: [] },
    summary: 'latency_p99 violated',
    detail: null,
    dedupeKey: 'churn|latency_p99|v3',
    ...partial,
  };
}

function finding(partial: Partial<Finding> & Pick<Finding, 'cause'>): Finding {
  return {
    detector: `${partial.cause}_detector`,
    subject: { model: 'churn' },
    window: { startMs: T - 5 * MIN, endMs: T + 5 * MIN },
    severity: 'warning',
    score: 0.8,
    evidence: { summary: `${partial.cause} finding.`, figures: [] },
    ...partial,
  };
}

const v = violationContext(violation(), undefined, C);

describe('timing', () => {
  it('scores 1 for a finding that began with the violation and halves per half-life before it', () => {
    expect(v.halfLifeMs).toBe(HOUR); // max(4 × 5 min, 1 h)
    expect(timingScore(finding({ cause: 'downtime', sinceMs: T + 2 * MIN }), v, C)).toEqual({
      value: 1,
      relation: 'during',
      distanceMs: 0,
    });
    const before = timingScore(finding({ cause: 'downtime', sinceMs: T - HOUR }), v, C);
    expect(before.value).toBeCloseTo(0.5, 12);
    expect(before.relation).toBe('before');
  });

  it('gives a finding a day older than an hourly violation little weight', () => {
    const hourly = violationContext(violation({ window: { startMs: T, endMs: T + HOUR } }), undefined, C);
    expect(hourly.halfLifeMs).toBe(4 * HOUR);
    const dayOld = timingScore(finding({ cause: 'downtime', sinceMs: T - 24 * HOUR }), hourly, C);
    expect(dayOld.value).toBeCloseTo(1 / 64, 12);
    expect(timingScore(finding({ cause: 'downtime', sinceMs: T - 30 * HOUR }), v, C).value).toBeLessThan(
      1e-6,
    );
    // The half-life follows the window: a day-long violation still counts yesterday's finding strongly.
    const daily = violationContext(violation({ window: { startMs: T, endMs: T + 24 * HOUR } }), undefined, C);
    expect(timingScore(finding({ cause: 'downtime', sinceMs: T - 24 * HOUR }), daily, C).value).toBeCloseTo(
      2 ** -0.25,
      12,
    );
  });

  it('never rises as the onset moves away from the violation, before or after it', () => {
    const arbWindow = fc.constantFrom(5 * MIN, HOUR, 6 * HOUR, 24 * HOUR);
    const arbOffset = fc.integer({ min: -7 * 24 * HOUR, max: 7 * 24 * HOUR });
    fc.assert(
      fc.property(arbWindow, arbOffset, arbOffset, (length, a, b) => {
        const ctx = violationContext(violation({ window: { startMs: T, endMs: T + length } }), undefined, C);
        const at = (offset: number) =>
          timingScore(finding({ cause: 'downtime', sinceMs: T + offset }), ctx, C).value;
        // Both before the violation: the older one weighs no more. Both after its window: the later one.
        if (a <= b && b <= 0) expect(at(a)).toBeLessThanOrEqual(at(b));
        if (length < a && a <= b) expect(at(b)).toBeLessThanOrEqual(at(a));
        for (const x of [a, b]) {
          expect(at(x)).toBeGreaterThanOrEqual(0);
          expect(at(x)).toBeLessThanOrEqual(1);
        }
        // Many half-lives before, a finding weighs next to nothing.
        expect(at(-10 * ctx.halfLifeMs)).toBeLessThan(0.001);
      }),
    );
  });

  it('heavily discounts a finding that began after the violating window', () => {
    const t = timingScore(finding({ cause: 'downtime', sinceMs: T + 5 * MIN + HOUR }), v, C);
    expect(t.relation).toBe('after');
    expect(t.value).toBeCloseTo(C.afterFactor * 0.5, 12);
    expect(t.distanceMs).toBe(HOUR + 5 * MIN);
  });

  it('uses the window start when the finding has no sinceMs, and the incident onset when given', () => {
    const f = finding({ cause: 'downtime', window: { startMs: T - HOUR, endMs: T } });
    expect(timingScore(f, v, C).value).toBeCloseTo(0.5, 12);
    const later = violationContext(
      violation({ window: { startMs: T + HOUR, endMs: T + HOUR + 5 * MIN } }),
      T,
      C,
    );
    expect(later.onsetMs).toBe(T);
    expect(timingScore(finding({ cause: 'downtime', sinceMs: T }), later, C).value).toBe(1);
  });
});

describe('scope', () => {
  it('rewards the same instance and discounts another instance', () => {
    const same = scopeScore(
      finding({ cause: 'hardware_failure', subject: { model: 'churn', instance: 'i-3' } }),
      v,
      C,
    );
    expect(same).toMatchObject({ value: 1, instance: 'same' });
    const other = scopeScore(
      finding({ cause: 'hardware_failure', subject: { model: 'churn', instance: 'i-1' } }),
      v,
      C,
    );
    expect(other).toMatchObject({ value: C.otherInstance, instance: 'other' });
  });

  it('discounts a model-wide finding for a violation confined to some instances', () => {
    expect(scopeScore(finding({ cause: 'dependency_failure' }), v, C)).toMatchObject({
      value: C.modelWideForLocal,
      instance: 'model_wide_for_local',
    });
    const whole = violationContext(
      violation({ scope: { version: 'v3', instances: [], instancesSeen: ['i-1', 'i-2'], slices: [] } }),
      undefined,
      C,
    );
    expect(scopeScore(finding({ cause: 'dependency_failure' }), whole, C).value).toBe(1);
    expect(
      scopeScore(
        finding({ cause: 'hardware_failure', subject: { model: 'churn', instance: 'i-1' } }),
        whole,
        C,
      ),
    ).toMatchObject({ value: C.instanceOfWhole, instance: 'instance_of_whole' });
  });

  it('discounts another version and another slice, and multiplies the factors', () => {
    const f = finding({
      cause: 'edge_cases',
      subject: { model: 'churn', version: 'v2', instance: 'i-3', slice: 'b' },
    });
    const sliced = violationContext(
      violation({ scope: { version: 'v3', instances: ['i-3'], instancesSeen: ['i-3'], slices: ['a'] } }),
      undefined,
      C,
    );
    const s = scopeScore(f, sliced, C);
    expect(s).toMatchObject({ version: 'other', slice: 'other', instance: 'same' });
    expect(s.value).toBeCloseTo(C.otherVersion * C.otherSlice, 12);
    const noSlices = scopeScore({ ...f, subject: { model: 'churn', slice: 'b' } }, v, C);
    expect(noSlices.slice).toBe('slice_of_whole');
    expect(noSlices.value).toBeCloseTo(C.modelWideForLocal * C.sliceOfWhole, 12);
    const acrossSlices = scopeScore(finding({ cause: 'covariate_shift' }), sliced, C);
    expect(acrossSlices).toMatchObject({ slice: 'whole_for_sliced', instance: 'whole' });
    expect(acrossSlices.value).toBeCloseTo(C.wholeForSliced, 12);
  });
});

describe('strength', () => {
  it('is the score weighted by severity, clamped to [0, 1]', () => {
    expect(strengthScore(finding({ cause: 'downtime', score: 0.9, severity: 'critical' }), C)).toBeCloseTo(
      0.9,
      12,
    );
    expect(strengthScore(finding({ cause: 'downtime', score: 0.9, severity: 'warning' }), C)).toBeCloseTo(
      0.72,
      12,
    );
    expect(strengthScore(finding({ cause: 'downtime', score: 2, severity: 'info' }), C)).toBeCloseTo(0.5, 12);
    expect(strengthScore(finding({ cause: 'downtime', score: Number.NaN }), C)).toBe(0);
  });
});

describe('combination rules', () => {
  it('score = prior × noisy-OR of distinct detectors; repeats of one detector do not add', () => {
    const a = finding({
      cause: 'hardware_failure',
      detector: 'host_cpu',
      subject: { model: 'churn', instance: 'i-3' },
      sinceMs: T,
      score: 0.5,
      severity: 'critical',
    });
    const b = finding({
      cause: 'hardware_failure',
      detector: 'oom_kills',
      subject: { model: 'churn', instance: 'i-3' },
      sinceMs: T,
      score: 0.5,
      severity: 'critical',
    });
    const once = diagnose(violation(), [a]).causes[0]!;
    expect(once.score).toBeCloseTo(0.5, 12);
    const repeated = diagnose(violation(), [a, { ...a, window: { startMs: T, endMs: T + 5 * MIN } }])
      .causes[0]!;
    expect(repeated.score).toBeCloseTo(0.5, 12);
    expect(repeated.components.corroboration).toBe(1);
    const two = diagnose(violation(), [a, b]).causes[0]!;
    expect(two.score).toBeCloseTo(1 - 0.5 * 0.5, 12);
    expect(two.components.corroboration).toBe(2);
  });

  it('sets aside a cause that cannot produce the symptom', () => {
    const d = diagnose(violation(), [finding({ cause: 'feedback_loop', score: 1, severity: 'critical' })]);
    expect(d.causes).toEqual([]);
    expect(d.setAside).toEqual([
      {
        cause: 'feedback_loop',
        findings: 1,
        reason: 'feedback_loop does not produce a latency violation (prior 0)',
      },
    ]);
    expect(priorOf('latency', 'feedback_loop')).toBe(0);
  });

  it('holds concept drift down when the inputs drifted, and not otherwise', () => {
    const acc = violation({
      symptom: 'ml_performance',
      metric: 'accuracy',
      expectationId: 'accuracy',
      scope: { version: 'v3', instances: [], instancesSeen: [], slices: [] },
    });
    const concept = finding({
      cause: 'concept_drift',
      detector: 'ddm',
      sinceMs: T,
      score: 0.9,
      severity: 'critical',
    });
    const drift = finding({
      cause: 'covariate_shift',
      detector: 'feature_drift',
      subject: { model: 'churn', feature: 'age' },
      sinceMs: T,
      score: 0.6,
    });
    const alone = diagnose(acc, [concept]).causes[0]!;
    expect(alone.components.gate).toBe(1);
    expect(alone.heldDown).toBeNull();
    const both = diagnose(acc, [concept, drift]);
    const held = both.causes.find((c) => c.cause === 'concept_drift')!;
    expect(held.components.gate).toBe(C.gateFactor);
    expect(held.heldDown).toMatchObject({ by: 'covariate_shift', detector: 'feature_drift' });
    expect(held.score).toBeCloseTo(alone.score * C.gateFactor, 12);
    expect(both.causes[0]!.cause).toBe('covariate_shift');
    // A weak drift finding (support below the gate threshold) does not hold it down.
    const weak = diagnose(acc, [concept, { ...drift, score: 0.1, severity: 'info' }]);
    expect(weak.causes[0]!.cause).toBe('concept_drift');
  });

  it('holds poor hyperparameters down when skew is present', () => {
    const acc = violation({
      symptom: 'ml_performance',
      metric: 'accuracy',
      scope: { version: 'v3', instances: [], instancesSeen: [], slices: [] },
    });
    const gap = finding({
      cause: 'poor_hyperparameters',
      detector: 'generalisation_gap',
      sinceMs: T,
      score: 0.9,
      severity: 'critical',
    });
    const skew = finding({ cause: 'train_serving_skew', detector: 'feature_skew', sinceMs: T, score: 0.5 });
    const d = diagnose(acc, [gap, skew]);
    expect(d.causes.map((c) => c.cause)).toEqual(['train_serving_skew', 'poor_hyperparameters']);
    expect(d.causes[1]!.explanation).toMatch(
      /is held down because a generalisation gap counts only with inputs and labels that did not move, no skew/,
    );
  });

  it('gathers the model’s findings within the lookback', () => {
    const ev = violation();
    const fs = [
      finding({ cause: 'downtime' }),
      finding({ cause: 'downtime', subject: { model: 'other' } }),
      finding({ cause: 'downtime', window: { startMs: T - 30 * HOUR, endMs: T - 25 * HOUR } }),
      finding({ cause: 'downtime', window: { startMs: T - 30 * HOUR, endMs: T - 23 * HOUR } }),
    ];
    expect(gatherFindings(ev, fs)).toEqual([fs[0], fs[3]]);
    expect(gatherFindings(ev, fs, { lookbackMs: HOUR })).toEqual([fs[0]]);
  });

  it('lists plausible causes without findings as unexplored, with a check', () => {
    const d = diagnose(violation(), []);
    expect(d.causes).toEqual([]);
    expect(d.unexplored.map((u) => u.cause)).toEqual([
      'hardware_failure',
      'dependency_failure',
      'downtime',
      'deployment_wrong_model',
    ]);
    expect(d.unexplored[0]!.confirm).toContain('instance i-3');
    expect(d.summary).toBe(
      'No finding explains this violation yet. Most plausible causes to check: hardware_failure, dependency_failure, downtime.',
    );
  });

  it('every symptom has a prior row with at least one cause at 1', () => {
    for (const row of Object.values(CAUSE_PRIORS)) expect(Math.max(...Object.values(row))).toBe(1);
  });
});

describe('words', () => {
  it('writes durations and times', () => {
    expect(durationInWords(45_000)).toBe('45 s');
    expect(durationInWords(2 * MIN)).toBe('2 min');
    expect(durationInWords(3 * HOUR)).toBe('3 h');
    expect(durationInWords(90 * MIN)).toBe('1 h 30 min');
    expect(durationInWords(50 * HOUR + 5 * MIN)).toBe('2 d 2 h');
    expect(timeInWords(T)).toBe('2025-03-03 12:00 UTC');
  });
});
