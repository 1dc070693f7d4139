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
    cause: 'edge_cases',
    story:
      'errors rise on every instance as requests carry values far beyond the reference; i-2 restarts meanwhile',
    violation: { expectationId: 'error_rate', symptom: 'errors', lengthMs: HOUR, instances: INSTANCES },
    findings: [
      f('edge_cases', 'range_tail', { feature: 'precipitation' }, 0, 0.9, 'warning'),
      f('edge_cases', 'outlier_share', {}, 0, 0.7, 'warning'),
      f('downtime', 'heartbeat_gap', { instance: 'i-2' }, -MIN, 0.6, 'warning'),
      f('dependency_failure', 'environment_fingerprint', { instance: 'i-1' }, -20 * HOUR, 0.8, 'critical'),
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
    // The day-old heartbeat gap on another instance comes last: a finding 24 half-lives old weighs nothing.
    expect(d.causes.map((c) => c.cause)).toEqual([
      'hardware_failure',
      'dependency_failure',
      'covariate_shift',
      'downtime',
    ]);
    expect(d.causes.map((c) => c.explanation)).toEqual([
      'ranked above dependency_failure because it began 2 min before the violation on the same instance (i-3), ' +
        'while dependency_failure began 6 h before the violation and is on another instance (i-1) than the breaching ones',
      'ranked below hardware_failure because it began 6 h before the violation and is on another instance (i-1) than ' +
        'the breaching ones, while hardware_failure began 2 min before the violation on the same instance (i-3)',
      'ranked below dependency_failure because it is a less typical cause of this kind of violation (prior 0.10 ' +
        'against 0.90), while dependency_failure began 6 h before the violation on another instance (i-1) than the ' +
        'breaching ones, and it is a more typical cause of this kind of violation (prior 0.90)',
      'ranked below covariate_shift because it is on another instance (i-2) than the breaching ones and began 1 d ' +
        'before the violation, while covariate_shift began 3 h after the violation began model-wide, while only 1 of ' +
        '4 instances breach',
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
      'is held down because concept drift ranks only when the inputs did not move (no drift, outliers or ' +
        'out-of-range values) (a covariate_shift finding from feature_drift supports the violation: ' +
        'feature_drift on {"feature":"age"})',
    );
  });
});

/** The evidence a generalisation-gap finding carries, as the detector words it. */
const GAP_SUMMARY =
  'v3 validated at accuracy 0.991 but scores 0.652 [0.621, 0.682] in production from its first window on (912 ' +
  'labelled predictions), with no drift and no skew: the model does not generalise (overfitting or poor ' +
  'hyperparameters).';

/** An overfit release: v3 memorised its reference, so accuracy falls against it from the first window on. */
function overfitRelease(gapVersion = 'v3'): Finding[] {
  const gap = f('poor_hyperparameters', 'generalisation_gap', { version: gapVersion }, 0, 0.84, 'critical');
  return [
    // The fall against the reference is far larger than the gap to the validation figure.
    f('concept_drift', 'concept_drift', { version: 'v3' }, 0, 1, 'critical'),
    { ...gap, evidence: { summary: GAP_SUMMARY, figures: [] } },
    f('label_shift', 'prediction_drift', { version: 'v3' }, 0, 0.3, 'info'),
  ];
}

describe('gates', () => {
  const accuracy = violation({ expectationId: 'accuracy', symptom: 'ml_performance', lengthMs: HOUR });

  it('an overfit release ranks poor hyperparameters above concept drift, and says why with the gap', () => {
    const d = diagnose(accuracy, overfitRelease());
    expect(d.causes.map((c) => c.cause).slice(0, 2)).toEqual(['poor_hyperparameters', 'concept_drift']);
    const concept = d.causes[1]!;
    expect(concept.heldDown).toMatchObject({ by: 'poor_hyperparameters', detector: 'generalisation_gap' });
    expect(concept.components.gate).toBeLessThan(1);
    expect(d.causes[0]!.explanation).toBe(
      'ranked above concept_drift because it began during the violation, while concept_drift is held down ' +
        'because the version has fallen short of its validation figures since its first window while the inputs ' +
        'held still: a model that does not generalise falls against its reference without any change of concept ' +
        `(a poor_hyperparameters finding from generalisation_gap supports the violation: ${GAP_SUMMARY.slice(0, -1)})`,
    );
  });

  it('the outputs it memorised do not make it a label shift, unless the labels moved too', () => {
    const outputs = f(
      'label_shift',
      'prediction_drift',
      { version: 'v3', feature: 'score' },
      0,
      0.9,
      'critical',
    );
    const d = diagnose(accuracy, [...overfitRelease(), outputs]);
    expect(d.causes[0]!.cause).toBe('poor_hyperparameters');
    const label = d.causes.find((c) => c.cause === 'label_shift')!;
    expect(label.heldDown).toMatchObject({ by: 'poor_hyperparameters', detector: 'generalisation_gap' });
    expect(label.heldDown!.reason).toContain('not because the class balance moved');
    // Labels that shifted are a label shift, and then the gap is no evidence of a poor fit.
    const labels = f('label_shift', 'label_drift', { version: 'v3', feature: 'delayed' }, 0, 0.8, 'critical');
    const shifted = diagnose(accuracy, [...overfitRelease(), outputs, labels]);
    expect(shifted.causes[0]!.cause).toBe('label_shift');
    expect(shifted.causes.find((c) => c.cause === 'poor_hyperparameters')!.heldDown).toMatchObject({
      detector: 'label_drift',
    });
  });

  it('a gap of another version does not hold concept drift down', () => {
    const d = diagnose(accuracy, overfitRelease('v2'));
    expect(d.causes[0]!.cause).toBe('concept_drift');
    expect(d.causes[0]!.heldDown).toBeNull();
  });

  it('when the inputs moved, drift holds both down, and the gap no longer speaks for the version', () => {
    const drift = f('covariate_shift', 'feature_drift', { feature: 'dep_hour' }, -10 * MIN, 0.9, 'critical');
    const d = diagnose(accuracy, [...overfitRelease(), drift]);
    expect(d.causes[0]!.cause).toBe('covariate_shift');
    for (const c of ['concept_drift', 'poor_hyperparameters'] as const)
      expect(d.causes.find((x) => x.cause === c)!.heldDown).toMatchObject({
        by: 'covariate_shift',
        detector: 'feature_drift',
      });
  });

  it.each([
    ['outlier_share', 'edge_cases', {}],
    ['range_tail', 'edge_cases', { feature: 'precipitation' }],
    ['out_of_range', 'data_quality', { feature: 'precipitation' }],
  ] as const)(
    'a finding from %s counts as the inputs moving: it holds concept drift down',
    (detector, cause, subject) => {
      const s = SCENARIOS.find((x) => x.cause === 'concept_drift')!;
      const moved = f(cause, detector, subject, -30 * MIN, 0.7, 'warning');
      const before = diagnose(violation(s.violation), s.findings);
      expect(before.causes.find((c) => c.cause === 'concept_drift')!.heldDown).toBeNull();
      const after = diagnose(violation(s.violation), [...s.findings, moved]);
      const concept = after.causes.find((c) => c.cause === 'concept_drift')!;
      expect(concept.heldDown).toMatchObject({ by: cause, detector });
      expect(concept.explanation).toContain('concept drift ranks only when the inputs did not move');
      // A weak one (support under the gate's 0.2) does not.
      const weak = f(cause, detector, subject, -30 * MIN, 0.3, 'info');
      expect(
        diagnose(violation(s.violation), [...s.findings, weak]).causes.find(
          (c) => c.cause === 'concept_drift',
        )!.heldDown,
      ).toBeNull();
    },
  );

  it('outliers also hold a generalisation gap down', () => {
    const outliers = f('edge_cases', 'outlier_share', { version: 'v3' }, 0, 0.8, 'warning');
    const d = diagnose(accuracy, [...overfitRelease(), outliers]);
    expect(d.causes.find((c) => c.cause === 'poor_hyperparameters')!.heldDown).toMatchObject({
      detector: 'outlier_share',
    });
  });

  it('a finding of another cause never raises the score of a gated cause', () => {
    const arbGateFinding = fc
      .record({
        cause: fc.constantFrom(...CAUSES),
        detector: fc.constantFrom('outlier_share', 'range_tail', 'out_of_range', 'generalisation_gap', 'x'),
        version: fc.constantFrom('v2', 'v3', undefined),
        since: fc.integer({ min: -DAY, max: 2 * HOUR }),
        score: fc.double({ min: 0, max: 1, noNaN: true }),
        severity: fc.constantFrom<Severity>('info', 'warning', 'critical'),
      })
      .map((r) =>
        f(
          r.cause,
          r.detector,
          r.version === undefined ? {} : { version: r.version },
          r.since,
          r.score,
          r.severity,
        ),
      );
    fc.assert(
      fc.property(fc.array(arbGateFinding, { maxLength: 8 }), arbGateFinding, (fs, extra) => {
        for (const gated of ['concept_drift', 'poor_hyperparameters'] as const) {
          if (extra.cause === gated) continue;
          const score = (list: Finding[]) =>
            diagnose(accuracy, list).causes.find((c) => c.cause === gated)?.score;
          const before = score(fs);
          const after = score([...fs, extra]);
          if (before !== undefined) expect(after!).toBeLessThanOrEqual(before + 1e-12);
        }
      }),
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
