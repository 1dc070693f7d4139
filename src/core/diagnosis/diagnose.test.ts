import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Evaluation } from '../expectations/evaluate.js';
import type { Symptom } from '../expectations/metrics.js';
import { CAUSES, type Cause, type Finding, type Severity, type Subject } from '../findings/finding.js';
import { diagnose } from './diagnose.js';

const T = Date.UTC(2025, 2, 3, 12, 0);
const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const INSTANCES = ['i-1', 'i-2', 'i-3', 'i-4'];

interface ViolationSpec {
  expectationId: string;
  symptom: Symptom;
  lengthMs: number;
  instances?: string[];
  slices?: string[];
  version?: string;
}

function violation(s: ViolationSpec): Evaluation {
  return {
    model: 'churn',
    expectationId: s.expectationId,
    kind: s.symptom.startsWith('integrity') || s.symptom === 'availability' ? 'artifact' : 'threshold',
    metric: null,
    symptom: s.symptom,
    severity: 'critical',
    window: { startMs: T, endMs: T + s.lengthMs },
    evaluatedAtMs: T + s.lengthMs,
    status: 'violated',
    reason: null,
    figure: {
      value: 1,
      unit: 'value',
      n: 1000,
      minSamples: 1,
      interval: null,
      threshold: 0,
      comparator: '<=',
      labelledShare: null,
    },
    scope: {
      version: s.version ?? 'v3',
      instances: s.instances ?? [],
      instancesSeen: INSTANCES,
      slices: s.slices ?? [],
    },
    summary: `${s.expectationId} violated`,
    detail: null,
    dedupeKey: `churn|${s.expectationId}|${s.version ?? 'v3'}`,
  };
}

/** A finding: cause, detector, subject extras, onset relative to T, score and severity. */
function f(
  cause: Cause,
  detector: string,
  subject: Omit<Subject, 'model'>,
  sinceFromT: number,
  score: number,
  severity: Severity,
): Finding {
  return {
    detector,
    cause,
    subject: { model: 'churn', ...subject },
    window: { startMs: T + sinceFromT, endMs: T + Math.max(sinceFromT, 0) + 5 * MIN },
    sinceMs: T + sinceFromT,
    severity,
    score,
    evidence: { summary: `${detector} on ${JSON.stringify(subject)}.`, figures: [] },
  };
}

interface Scenario {
  cause: Cause;
  story: string;
  violation: ViolationSpec;
  findings: Finding[];
}

/** For every cause: a violation it typically produces, its own findings, and distractors of other causes. */
const SCENARIOS: Scenario[] = [
  {
    cause: 'hardware_failure',
    story: 'p99 latency breaches on i-3, whose host starts throttling 2 min earlier',
    violation: { expectationId: 'latency_p99', symptom: 'latency', lengthMs: 5 * MIN, instances: ['i-3'] },
    findings: [
      f('hardware_failure', 'host_metrics', { instance: 'i-3' }, -2 * MIN, 0.9, 'critical'),
      f('covariate_shift', 'feature_drift', { feature: 'age' }, 3 * HOUR, 0.8, 'warning'),
      f('dependency_failure', 'environment_fingerprint', { instance: 'i-1' }, -6 * HOUR, 0.6, 'warning'),
      f('downtime', 'heartbeat_gap', { instance: 'i-2' }, -DAY, 0.7, 'warning'),
    ],
  },
  {
    cause: 'dependency_failure',
    story: 'errors rise on every instance a minute after the feature store starts failing its probe',
    violation: { expectationId: 'error_rate', symptom: 'errors', lengthMs: 5 * MIN, instances: INSTANCES },
    findings: [
      f('dependency_failure', 'upstream_probe', { dependency: 'feature-store' }, -MIN, 0.95, 'critical'),
      f('hardware_failure', 'host_metrics', { instance: 'i-2' }, -4 * HOUR, 0.5, 'warning'),
      f('data_quality', 'missing_rate', { feature: 'income' }, -2 * HOUR, 0.4, 'warning'),
    ],
  },
  {
    cause: 'deployment_wrong_model',
    story: 'accuracy falls for a day while i-2 serves a stale artifact',
    violation: { expectationId: 'accuracy', symptom: 'ml_performance', lengthMs: DAY },
    findings: [
      f(
        'deployment_wrong_model',
        'artifact_mismatch',
        { instance: 'i-2', version: 'v3' },
        -30 * MIN,
        1,
        'critical',
      ),
      f('covariate_shift', 'feature_drift', { feature: 'age' }, -10 * HOUR, 0.6, 'warning'),
      f('concept_drift', 'ddm', {}, 2 * HOUR, 0.7, 'warning'),
      f('label_shift', 'label_drift', {}, -HOUR, 0.3, 'info'),
    ],
  },
  {
    cause: 'deployment_permissions',
    story: 'i-4 fails its write check right after a restart',
    violation: {
      expectationId: 'self_checks',
      symptom: 'integrity_checks',
      lengthMs: 5 * MIN,
      instances: ['i-4'],
    },
    findings: [
      f('deployment_permissions', 'self_checks', { instance: 'i-4' }, -MIN, 1, 'critical'),
      f('dependency_failure', 'environment_fingerprint', { instance: 'i-4' }, -3 * DAY, 0.3, 'info'),
      f('downtime', 'heartbeat_gap', { instance: 'i-4' }, MIN, 0.5, 'warning'),
    ],
  },
  {
    cause: 'downtime',
    story: 'i-2 stops sending heartbeats and crash-loops',
    violation: { expectationId: 'heartbeat', symptom: 'availability', lengthMs: 5 * MIN, instances: ['i-2'] },
    findings: [
      f('downtime', 'heartbeat_gap', { instance: 'i-2' }, -30_000, 0.9, 'critical'),
      f('downtime', 'crash_loop', { instance: 'i-2' }, -MIN, 0.8, 'critical'),
      f('hardware_failure', 'host_metrics', { instance: 'i-1' }, -10 * MIN, 0.6, 'warning'),
      f('dependency_failure', 'upstream_probe', { dependency: 'auth' }, -5 * HOUR, 0.4, 'warning'),
    ],
  },
  {
    cause: 'data_quality',
    story: 'estimated F1 drops as income arrives mostly missing',
    violation: { expectationId: 'estimated_f1', symptom: 'ml_performance', lengthMs: HOUR },
    findings: [
      f('data_quality', 'missing_rate', { feature: 'income' }, -10 * MIN, 0.95, 'critical'),
      f('covariate_shift', 'feature_drift', { feature: 'income' }, -10 * MIN, 0.5, 'warning'),
      f('label_shift', 'prediction_drift', {}, 0, 0.3, 'info'),
    ],
  },
  {
    cause: 'poor_hyperparameters',
    story: 'v4 underperforms its validation figure from its first window, with no drift or skew',
    violation: { expectationId: 'accuracy', symptom: 'ml_performance', lengthMs: DAY, version: 'v4' },
    findings: [
      f('poor_hyperparameters', 'generalisation_gap', { version: 'v4' }, 0, 0.8, 'warning'),
      f('edge_cases', 'isolation_forest', {}, -2 * HOUR, 0.4, 'info'),
      f('feedback_loop', 'exposure_gini', {}, -3 * DAY, 0.3, 'info'),
      f('covariate_shift', 'feature_drift', { feature: 'tenure' }, -HOUR, 0.15, 'info'),
    ],
  },
  {
    cause: 'train_serving_skew',
    story: 'v5 is below expectations from day one and tenure differs between training and serving rows',
    violation: { expectationId: 'accuracy', symptom: 'ml_performance', lengthMs: DAY, version: 'v5' },
    findings: [
      f('train_serving_skew', 'feature_skew', { feature: 'tenure', version: 'v5' }, 0, 0.9, 'critical'),
      f('poor_hyperparameters', 'generalisation_gap', { version: 'v5' }, 0, 0.7, 'warning'),
      f('covariate_shift', 'feature_drift', { feature: 'plan' }, 2 * HOUR, 0.4, 'warning'),
    ],
  },
  {
    cause: 'covariate_shift',
    story: 'accuracy falls after age and income drift; the error-stream detector also fires',
    violation: { expectationId: 'accuracy', symptom: 'ml_performance', lengthMs: DAY },
    findings: [
      f('covariate_shift', 'feature_drift', { feature: 'age' }, -3 * HOUR, 0.9, 'critical'),
      f('covariate_shift', 'feature_drift', { feature: 'income' }, -3 * HOUR, 0.7, 'warning'),
      f('concept_drift', 'ddm', {}, -HOUR, 0.9, 'critical'),
      f('data_quality', 'out_of_range', { feature: 'age' }, -2 * HOUR, 0.3, 'info'),
    ],
  },
  {
    cause: 'label_shift',
    story: 'the class balance moves and accuracy follows',
    violation: { expectationId: 'accuracy', symptom: 'ml_performance', lengthMs: DAY },
    findings: [
      f('label_shift', 'label_drift', {}, -2 * HOUR, 0.85, 'critical'),
      f('label_shift', 'prediction_drift', {}, -2 * HOUR, 0.6, 'warning'),
      f('covariate_shift', 'feature_drift', { feature: 'age' }, -HOUR, 0.2, 'info'),
      f('concept_drift', 'ddm', {}, HOUR, 0.5, 'warning'),
    ],
  },
  {
    cause: 'concept_drift',
    story: 'errors rise while every input holds still',
    violation: { expectationId: 'accuracy', symptom: 'ml_performance', lengthMs: DAY },
    findings: [
      f('concept_drift', 'ddm', {}, -HOUR, 0.9, 'critical'),
      f('concept_drift', 'adwin', {}, -HOUR, 0.7, 'warning'),
      f('label_shift', 'label_drift', {}, -HOUR, 0.2, 'info'),
      f('edge_cases', 'isolation_forest', {}, -2 * HOUR, 0.3, 'warning'),
      f('dependency_failure', 'environment_fingerprint', { version: 'v2' }, -HOUR, 0.6, 'warning'),
    ],
  },
  {
    cause: 'edge_cases',
    story: 'accuracy breaches in the enterprise slice, full of outliers',
    violation: {
      expectationId: 'accuracy',
      symptom: 'ml_performance',
      lengthMs: DAY,
      slices: ['segment=enterprise'],
    },
    findings: [
      f('edge_cases', 'isolation_forest', { slice: 'segment=enterprise' }, -30 * MIN, 0.8, 'critical'),
      f('covariate_shift', 'feature_drift', { feature: 'seats' }, -5 * HOUR, 0.3, 'warning'),
      f('concept_drift', 'ddm', {}, 0, 0.2, 'info'),
    ],
  },
  {
    cause: 'feedback_loop',
    story: 'exposure concentrates over days of retraining on own recommendations',
    violation: { expectationId: 'exposure_gini', symptom: 'concentration', lengthMs: DAY },
    findings: [
      f('feedback_loop', 'gini_trend', {}, -3 * DAY, 0.9, 'critical'),
      f('covariate_shift', 'feature_drift', { feature: 'user_age' }, -2 * HOUR, 0.5, 'warning'),
      f(
        'deployment_wrong_model',
        'artifact_mismatch',
        { version: 'v7', instance: 'i-1' },
        -HOUR,
        0.3,
        'info',
      ),
    ],
  },
];

describe('diagnosis table: each cause ranks first in its own story', () => {
  it('covers every cause of the architecture', () => {
    expect(new Set(SCENARIOS.map((s) => s.cause))).toEqual(new Set(CAUSES));
  });

  it.each(SCENARIOS)('$cause: $story', (s) => {
    const d = diagnose(violation(s.violation), s.findings);
    expect(d.causes[0]?.cause).toBe(s.cause);
    expect(d.causes.length).toBeGreaterThan(1);
    // Ranked best first, scores in [0, 1], each with evidence, a sentence and a check.
    for (let i = 0; i < d.causes.length; i++) {
      const c = d.causes[i]!;
      expect(c.rank).toBe(i + 1);
      expect(c.score).toBeGreaterThanOrEqual(0);
      expect(c.score).toBeLessThanOrEqual(1);
      if (i > 0) expect(c.score).toBeLessThanOrEqual(d.causes[i - 1]!.score);
      expect(c.findings.length).toBeGreaterThan(0);
      expect(c.explanation).toMatch(
        i === 0 ? /^ranked above \w+ because it / : /^ranked below \w+ because it /,
      );
      expect(c.confirm.length).toBeGreaterThan(40);
    }
    expect(d.summary.startsWith(`Most likely ${s.cause} `)).toBe(true);
    expect(JSON.stringify(d)).not.toContain('NaN');
  });
});

describe('explanations', () => {
  it('the hardware story reads as a person would say it', () => {
    const s = SCENARIOS[0]!;
    const d = diagnose(violation(s.violation), s.findings);
    expect(d.causes.map((c) => c.cause)).toEqual([
      'hardware_failure',
      'dependency_failure',
      'downtime',
      'covariate_shift',
    ]);
    expect(d.causes.map((c) => c.explanation)).toEqual([
      'ranked above dependency_failure because it began 2 min before the violation on the same instance (i-3), ' +
        'while dependency_failure is on another instance (i-1) than the breaching ones and began 6 h before the violation',
      'ranked below hardware_failure because it is on another instance (i-1) than the breaching ones and began 6 h ' +
        'before the violation, while hardware_failure began 2 min before the violation on the same instance (i-3)',
      'ranked below dependency_failure because it is a less typical cause of this kind of violation (prior 0.70 ' +
        'against 0.90), while dependency_failure began 6 h before the violation on another instance (i-1) than the ' +
        'breaching ones, and it is a more typical cause of this kind of violation (prior 0.90)',
      'ranked below downtime because it began 3 h after the violation began and is a less typical cause of this kind ' +
        'of violation (prior 0.10 against 0.70), while downtime began 1 d before the violation on another instance ' +
        '(i-2) than the breaching ones, and it is a more typical cause of this kind of violation (prior 0.70)',
    ]);
    expect(d.causes[0]!.confirm).toBe(
      'Look at CPU, memory, throttling and OOM kills on instance i-3 since 2025-03-03 11:58 UTC; moving traffic off it should bring latency_p99 back within the limit.',
    );
  });

  it('names the cause that holds concept drift down', () => {
    const s = SCENARIOS.find((x) => x.cause === 'covariate_shift')!;
    const d = diagnose(violation(s.violation), s.findings);
    const concept = d.causes.find((c) => c.cause === 'concept_drift')!;
    expect(concept.explanation).toContain(
      'is held down because concept drift ranks only when the inputs did not drift (a covariate_shift finding from feature_drift supports the violation)',
    );
  });
});

describe('diagnosis invariants', () => {
  const arbFinding = fc
    .record({
      cause: fc.constantFrom(...CAUSES),
      detector: fc.constantFrom('a', 'b', 'c'),
      instance: fc.option(fc.constantFrom(...INSTANCES), { nil: undefined }),
      since: fc.integer({ min: -3 * DAY, max: DAY }),
      score: fc.double({ min: 0, max: 1, noNaN: true }),
      severity: fc.constantFrom<Severity>('info', 'warning', 'critical'),
    })
    .map((r) =>
      f(
        r.cause,
        r.detector,
        r.instance === undefined ? {} : { instance: r.instance },
        r.since,
        r.score,
        r.severity,
      ),
    );
  const arbSymptom = fc.constantFrom<Symptom>(
    'latency',
    'errors',
    'ml_performance',
    'availability',
    'concentration',
  );

  it('scores stay in [0, 1], ranks are sorted, and finding order does not matter', () => {
    fc.assert(
      fc.property(fc.array(arbFinding, { maxLength: 12 }), arbSymptom, (fs, symptom) => {
        const ev = violation({ expectationId: 'x', symptom, lengthMs: HOUR, instances: ['i-3'] });
        const a = diagnose(ev, fs);
        const b = diagnose(ev, [...fs].reverse());
        expect(a.causes.map((c) => [c.cause, c.score])).toEqual(b.causes.map((c) => [c.cause, c.score]));
        for (let i = 0; i < a.causes.length; i++) {
          const c = a.causes[i]!;
          expect(c.score).toBeGreaterThanOrEqual(0);
          expect(c.score).toBeLessThanOrEqual(1);
          if (i > 0) expect(c.score).toBeLessThanOrEqual(a.causes[i - 1]!.score);
        }
        const listed = new Set([...a.causes.map((c) => c.cause), ...a.setAside.map((c) => c.cause)]);
        expect(listed).toEqual(new Set(fs.map((x) => x.cause)));
      }),
    );
  });

  it('another finding of a cause never lowers that cause’s evidence', () => {
    fc.assert(
      fc.property(fc.array(arbFinding, { minLength: 1, maxLength: 8 }), arbFinding, (fs, extra) => {
        const ev = violation({
          expectationId: 'x',
          symptom: 'ml_performance',
          lengthMs: HOUR,
          instances: ['i-3'],
        });
        const before = diagnose(ev, fs).causes.find((c) => c.cause === extra.cause)?.components.evidence ?? 0;
        const after =
          diagnose(ev, [...fs, extra]).causes.find((c) => c.cause === extra.cause)?.components.evidence ?? 0;
        expect(after).toBeGreaterThanOrEqual(before - 1e-12);
      }),
    );
  });
});
