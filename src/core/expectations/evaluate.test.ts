import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DetectorOutcome, Finding } from '../findings/finding.js';
import { DEFAULT_EXPECTATIONS } from './defaults.js';
import { describeEvaluation, evaluate, evaluateOne, requiredWindowsMs } from './evaluate.js';
import type { Comparator, Expectation, ThresholdExpectation } from './expectation.js';
import type { OperationalFigures, WindowFigures } from './window-figures.js';

const T0 = Date.UTC(2025, 0, 1);
const MIN5 = 5 * 60_000;

function ops(partial: Partial<OperationalFigures> = {}): OperationalFigures {
  return {
    requests: 1000,
    errors: 0,
    timeouts: 0,
    latencyMs: { p50: 40, p90: 90, p95: 120, p99: 300 },
    latencyCount: 1000,
    ...partial,
  };
}

function bag(partial: Partial<WindowFigures> = {}, lengthMs = MIN5): WindowFigures {
  return { model: 'churn', version: 'v3', window: { startMs: T0, endMs: T0 + lengthMs }, ...partial };
}

function threshold(partial: Partial<ThresholdExpectation>): ThresholdExpectation {
  return {
    kind: 'threshold',
    id: 'x',
    severity: 'warning',
    overMs: MIN5,
    metric: 'latency_p99_ms',
    comparator: '<',
    threshold: 1000,
    minSamples: 100,
    decideOn: 'point',
    ...partial,
  };
}

const at = T0 + MIN5;

describe('threshold expectations', () => {
  it('is met under the limit and states figure, n and limit', () => {
    const ev = evaluateOne(threshold({ id: 'latency_p99' }), bag({ operational: ops() }), at);
    expect(ev.status).toBe('met');
    expect(ev.figure).toMatchObject({ value: 300, n: 1000, unit: 'ms', threshold: 1000, comparator: '<' });
    expect(ev.summary).toBe(
      'latency_p99: latency_p99_ms was 300 ms over 5m (n = 1000); expected below 1000 ms.',
    );
    expect(ev.dedupeKey).toBe('churn|latency_p99|v3');
    expect(ev.symptom).toBe('latency');
  });

  it('is violated over the limit and names the instances whose own figure breaches', () => {
    const figures = bag({
      operational: ops({ latencyMs: { p50: 50, p90: 400, p95: 900, p99: 1450 } }),
      instances: [
        { instance: 'i-1', operational: ops() },
        { instance: 'i-3', operational: ops({ latencyMs: { p50: 80, p90: 900, p95: 1500, p99: 2600 } }) },
        { instance: 'i-2', operational: ops() },
      ],
    });
    const ev = evaluateOne(threshold({ id: 'latency_p99' }), figures, at);
    expect(ev.status).toBe('violated');
    expect(ev.scope).toEqual({
      version: 'v3',
      instances: ['i-3'],
      instancesSeen: ['i-1', 'i-2', 'i-3'],
      slices: [],
    });
    expect(ev.summary).toContain('was 1450 ms');
    expect(ev.summary).toContain('Breached on instance i-3.');
  });

  it('is unknown below the minimum sample size and without the section it needs', () => {
    const few = evaluateOne(threshold({}), bag({ operational: ops({ latencyCount: 40 }) }), at);
    expect(few).toMatchObject({ status: 'unknown', reason: 'insufficient_samples' });
    expect(few.summary).toContain('only 40 requests with a latency in 5m, fewer than the 100 needed');
    const none = evaluateOne(threshold({}), bag({}), at);
    expect(none).toMatchObject({ status: 'unknown', reason: 'no_data' });
    const noLatency = evaluateOne(
      threshold({}),
      bag({ operational: ops({ latencyMs: null, latencyCount: 0 }) }),
      at,
    );
    expect(noLatency).toMatchObject({ status: 'unknown', reason: 'insufficient_samples' });
  });

  it('counts errors and timeouts in the error rate and states a Wilson interval', () => {
    const e = threshold({ metric: 'error_rate', threshold: 0.005, decideOn: 'point' });
    const ev = evaluateOne(e, bag({ operational: ops({ requests: 2000, errors: 12, timeouts: 8 }) }), at);
    expect(ev.status).toBe('violated');
    expect(ev.figure.value).toBeCloseTo(0.01, 12);
    // scipy.stats.binomtest(20, 2000).proportion_ci(method='wilson')
    expect(ev.figure.interval?.method).toBe('wilson');
    expect(ev.figure.interval?.lower).toBeCloseTo(0.006482767876552688, 12);
    expect(ev.figure.interval?.upper).toBeCloseTo(0.015395938459075189, 12);
  });

  it('with decideOn interval, a breach whose interval reaches the limit is inconclusive', () => {
    const e = threshold({ metric: 'error_rate', threshold: 0.005, decideOn: 'interval' });
    // 2 of 200 = 1 %, but the 95 % interval reaches down to 0.27 %: not yet a violation.
    const weak = evaluateOne(e, bag({ operational: ops({ requests: 200, errors: 2 }) }), at);
    expect(weak).toMatchObject({ status: 'unknown', reason: 'inconclusive' });
    // 20 of 2000 = 1 %, interval 0.65–1.5 %: a violation.
    const strong = evaluateOne(e, bag({ operational: ops({ requests: 2000, errors: 20 }) }), at);
    expect(strong.status).toBe('violated');
    const fine = evaluateOne(e, bag({ operational: ops({ requests: 2000, errors: 1 }) }), at);
    expect(fine.status).toBe('met');
  });

  it('evaluates realised accuracy with its labelled share and breaching slices', () => {
    const e = threshold({
      metric: 'accuracy',
      comparator: '>=',
      threshold: 0.99,
      decideOn: 'interval',
      overMs: MIN5,
    });
    const ev = evaluateOne(
      e,
      bag({
        labels: { predictions: 5000, labelled: 2000 },
        realised: { accuracy: { value: 0.97, n: 2000 } },
        slices: [
          { slice: 'country=FR', realised: { accuracy: { value: 0.91, n: 300 } } },
          { slice: 'country=DE', realised: { accuracy: { value: 0.995, n: 800 } } },
        ],
      }),
      at,
    );
    expect(ev.status).toBe('violated');
    expect(ev.figure.labelledShare).toBeCloseTo(0.4, 12);
    expect(ev.figure.interval!.upper).toBeLessThan(0.99);
    expect(ev.scope.slices).toEqual(['country=FR']);
  });

  it('evaluates estimated metrics only while labels are missing, with the estimator band', () => {
    const e = threshold({
      metric: 'estimated_f1',
      comparator: '>=',
      threshold: 0.8,
      whenLabelledShareBelow: 0.5,
    });
    const estimated = { f1: { value: 0.72, lower: 0.65, upper: 0.79, n: 4000 } };
    const unlabelled = evaluateOne(e, bag({ estimated, labels: { predictions: 4000, labelled: 100 } }), at);
    expect(unlabelled.status).toBe('violated');
    expect(unlabelled.figure.interval).toEqual({ lower: 0.65, upper: 0.79, method: 'band', level: null });
    const labelled = evaluateOne(e, bag({ estimated, labels: { predictions: 4000, labelled: 3000 } }), at);
    expect(labelled).toMatchObject({ status: 'unknown', reason: 'condition_not_met' });
    // No label section at all means no labels yet.
    expect(evaluateOne(e, bag({ estimated }), at).status).toBe('violated');
  });

  it('computes the drifted-feature share, Gini and throughput', () => {
    const drift = {
      features: [
        { feature: 'age', method: 'ks', score: 0.3, drifted: true },
        { feature: 'plan', method: 'chisquare', score: 0.01, drifted: false },
        { feature: 'tenure', method: 'ks', score: 0.02, drifted: false },
        { feature: 'spend', method: 'ks', score: 0.5, drifted: true },
      ],
    };
    const d = evaluateOne(
      threshold({ metric: 'drifted_feature_share', comparator: '<=', threshold: 0.2, minSamples: 1 }),
      bag({ drift }),
      at,
    );
    expect(d).toMatchObject({ status: 'violated', figure: { value: 0.5, n: 4 } });
    const g = evaluateOne(
      threshold({ metric: 'exposure_gini', threshold: 0.6 }),
      bag({ feedback: { impressions: 10_000, exposureGini: 0.71, catalogCoverage: 0.5 } }),
      at,
    );
    expect(g.status).toBe('violated');
    const t = evaluateOne(
      threshold({ metric: 'throughput_rps', comparator: '>', threshold: 1, minSamples: 0 }),
      bag({ operational: ops({ requests: 0, latencyMs: null, latencyCount: 0 }) }),
      at,
    );
    expect(t).toMatchObject({ status: 'violated', figure: { value: 0, n: 0 } });
  });
});

describe('integrity expectations', () => {
  const artifact: Expectation = { kind: 'artifact', id: 'artifact', severity: 'critical', overMs: MIN5 };
  const deployment = { intendedVersion: 'v3', registeredArtifacts: { v2: 'sha-v2', v3: 'sha-v3' } };

  it('artifact: met when every instance serves the registered artifact of the intended version', () => {
    const ev = evaluateOne(
      artifact,
      bag({
        deployment,
        instances: [
          { instance: 'i-1', served: [{ version: 'v3', artifactHash: 'sha-v3', predictions: 10 }] },
          { instance: 'i-2', served: [{ version: 'v3', artifactHash: 'sha-v3', predictions: 12 }] },
        ],
      }),
      at,
    );
    expect(ev).toMatchObject({ status: 'met', figure: { value: 0, n: 2 }, symptom: 'integrity_artifact' });
  });

  it('artifact: an older version or a different hash is a violation that names the instance', () => {
    const ev = evaluateOne(
      artifact,
      bag({
        deployment,
        instances: [
          { instance: 'i-1', served: [{ version: 'v3', artifactHash: 'sha-v3', predictions: 10 }] },
          { instance: 'i-2', served: [{ version: 'v2', artifactHash: 'sha-v2', predictions: 4 }] },
          { instance: 'i-3', served: [{ version: 'v3', artifactHash: 'sha-tampered', predictions: 4 }] },
        ],
      }),
      at,
    );
    expect(ev.status).toBe('violated');
    expect(ev.scope.instances).toEqual(['i-2', 'i-3']);
    expect(ev.summary).toBe(
      'artifact: 2 of 3 instances do not serve the registered artifact of v3 (i-2 serves v2: other version).',
    );
    expect((ev.detail as { mismatches: { reason: string }[] }).mismatches.map((m) => m.reason)).toEqual([
      'other_version',
      'artifact_differs',
    ]);
  });

  it('artifact: the version intended before a deploy inside the window is not a mismatch', () => {
    const served = [
      { instance: 'i-1', served: [{ version: 'v2', artifactHash: 'sha-v2', predictions: 6 }] },
      { instance: 'i-2', served: [{ version: 'v3', artifactHash: 'sha-v3', predictions: 6 }] },
    ];
    // v2 was intended until v3 went out in the middle of the window.
    const straddling = evaluateOne(
      artifact,
      bag({ deployment: { ...deployment, intendedInWindow: ['v2', 'v3'] }, instances: served }),
      at,
    );
    expect(straddling).toMatchObject({ status: 'met', figure: { value: 0, n: 2 } });
    // Without the deploy in the window, v2 is another version.
    expect(evaluateOne(artifact, bag({ deployment, instances: served }), at).scope.instances).toEqual([
      'i-1',
    ]);
  });

  it('artifact: unknown without a registered intended deployment', () => {
    const ev = evaluateOne(artifact, bag({ instances: [{ instance: 'i-1', served: [] }] }), at);
    expect(ev).toMatchObject({ status: 'unknown', reason: 'no_data' });
  });

  it('heartbeat: a gap longer than every × (missed + 1) is a violation', () => {
    const hb: Expectation = {
      kind: 'heartbeat',
      id: 'heartbeat',
      severity: 'critical',
      overMs: MIN5,
      everyMs: 30_000,
      missedBeats: 1,
    };
    const ev = evaluateOne(
      hb,
      bag({
        instances: [
          { instance: 'i-1', longestHeartbeatGapMs: 31_000 },
          { instance: 'i-2', longestHeartbeatGapMs: 150_000 },
          { instance: 'i-9', longestHeartbeatGapMs: null },
        ],
      }),
      at,
    );
    expect(ev).toMatchObject({ status: 'violated', figure: { value: 150_000, threshold: 60_000, n: 2 } });
    expect(ev.scope.instances).toEqual(['i-2']);
    const ok = evaluateOne(hb, bag({ instances: [{ instance: 'i-1', longestHeartbeatGapMs: 60_000 }] }), at);
    expect(ok.status).toBe('met');
    expect(evaluateOne(hb, bag({ instances: [{ instance: 'i-1' }] }), at).reason).toBe('no_data');
  });

  it('self-checks: a failed check is a violation with the check named', () => {
    const sc: Expectation = { kind: 'self_checks', id: 'self_checks', severity: 'critical', overMs: MIN5 };
    const ev = evaluateOne(
      sc,
      bag({
        instances: [
          { instance: 'i-1', checks: [{ name: 'read_model', ok: true }] },
          {
            instance: 'i-2',
            checks: [{ name: 'write_cache', ok: false, detail: 'EACCES /var/cache/model' }],
          },
        ],
      }),
      at,
    );
    expect(ev.status).toBe('violated');
    expect(ev.summary).toBe(
      'self_checks: 1 self-check failed on 1 of 2 instances (i-2: write_cache, EACCES /var/cache/model).',
    );
  });

  it('schema: the violating share is compared to the allowed share', () => {
    const sch: Expectation = {
      kind: 'schema',
      id: 'schema',
      severity: 'warning',
      overMs: MIN5,
      maxViolatingShare: 0,
      minSamples: 1,
    };
    const ev = evaluateOne(
      sch,
      bag({
        schema: {
          rowsChecked: 500,
          rowsViolating: 5,
          violations: [{ field: 'age', reason: 'type string, expected number', count: 5 }],
        },
      }),
      at,
    );
    expect(ev.status).toBe('violated');
    expect(ev.figure.value).toBeCloseTo(0.01, 12);
    expect(ev.summary).toContain('age: type string, expected number (5)');
    expect(evaluateOne(sch, bag({ schema: { rowsChecked: 500, rowsViolating: 0 } }), at).status).toBe('met');
    expect(evaluateOne(sch, bag({ schema: { rowsChecked: 0, rowsViolating: 0 } }), at).reason).toBe(
      'insufficient_samples',
    );
  });
});

describe('integrity facts from detector outcomes', () => {
  const artifact: Expectation = { kind: 'artifact', id: 'artifact', severity: 'critical', overMs: MIN5 };
  const selfChecks: Expectation = {
    kind: 'self_checks',
    id: 'self_checks',
    severity: 'critical',
    overMs: MIN5,
  };
  const finding = (detector: string, cause: Finding['cause'], instance?: string): DetectorOutcome => ({
    kind: 'finding',
    finding: {
      detector,
      cause,
      subject: { model: 'churn', ...(instance === undefined ? {} : { instance }) },
      window: { startMs: T0, endMs: T0 + MIN5 },
      severity: 'critical',
      score: 1,
      evidence: { summary: `${detector} fired.`, figures: [] },
    },
  });

  it('a finding of the matching cause is a violation naming its instance, even without facts', () => {
    const ev = evaluateOne(
      artifact,
      bag({ integrityOutcomes: [finding('unintended_version', 'deployment_wrong_model', 'i-4')] }),
      at,
    );
    expect(ev).toMatchObject({ status: 'violated', figure: { value: 1 }, scope: { instances: ['i-4'] } });
    expect(ev.summary).toBe(
      'artifact: 1 detector finding on i-4 (unintended_version: unintended_version fired.)',
    );
  });

  it('adds detector instances to a violation the facts already show', () => {
    const ev = evaluateOne(
      artifact,
      bag({
        deployment: { intendedVersion: 'v3', registeredArtifacts: { v3: 'sha-v3' } },
        instances: [{ instance: 'i-1', served: [{ version: 'v2', artifactHash: 'x', predictions: 3 }] }],
        integrityOutcomes: [finding('mixed_versions', 'deployment_wrong_model', 'i-2')],
      }),
      at,
    );
    expect(ev.scope.instances).toEqual(['i-1', 'i-2']);
  });

  it('a clear outcome turns "no data" into met; other causes and silent outcomes are ignored', () => {
    const clear: DetectorOutcome = {
      kind: 'clear',
      detector: 'self_checks',
      subject: { model: 'churn' },
      evidence: { summary: 'all passed', figures: [] },
    };
    expect(evaluateOne(selfChecks, bag({ integrityOutcomes: [clear] }), at).status).toBe('met');
    const unrelated = [
      finding('host_metrics', 'hardware_failure', 'i-1'),
      {
        kind: 'insufficient_data',
        detector: 'self_checks',
        subject: { model: 'churn' },
        reason: 'no heartbeats',
      } as DetectorOutcome,
    ];
    expect(evaluateOne(selfChecks, bag({ integrityOutcomes: unrelated }), at)).toMatchObject({
      status: 'unknown',
      reason: 'no_data',
    });
    expect(
      evaluateOne(
        selfChecks,
        bag({ integrityOutcomes: [finding('self_checks', 'deployment_permissions', 'i-9')] }),
        at,
      ).status,
    ).toBe('violated');
  });
});

describe('evaluate', () => {
  it('evaluates only completed windows of each expectation’s length, in window order', () => {
    const windows = [
      bag({ operational: ops() }, MIN5),
      { ...bag({ operational: ops() }), window: { startMs: T0 + MIN5, endMs: T0 + 2 * MIN5 } },
      { ...bag({ operational: ops() }), window: { startMs: T0 + 2 * MIN5, endMs: T0 + 3 * MIN5 } }, // not yet closed
      bag({ realised: { accuracy: { value: 0.999, n: 5000 } } }, 86_400_000), // a day window, not closed
    ];
    const out = evaluate(DEFAULT_EXPECTATIONS, windows, T0 + 2 * MIN5);
    const fiveMinuteIds = DEFAULT_EXPECTATIONS.filter((e) => e.overMs === MIN5).map((e) => e.id);
    expect(out.map((e) => e.expectationId)).toEqual([...fiveMinuteIds, ...fiveMinuteIds]);
    expect(out[0]!.window.endMs).toBe(T0 + MIN5);
    expect(out.at(-1)!.window.endMs).toBe(T0 + 2 * MIN5);
    expect(out.every((e) => e.evaluatedAtMs === T0 + 2 * MIN5)).toBe(true);
  });

  it('takes expectations per model from a lookup', () => {
    const a = threshold({ id: 'a' });
    const b = threshold({ id: 'b' });
    const out = evaluate(
      (model) => (model === 'churn' ? [a] : [b]),
      [bag({ operational: ops() }), { ...bag({ operational: ops() }), model: 'fraud' }],
      at,
    );
    expect(out.map((e) => `${e.model}:${e.expectationId}`)).toEqual(['churn:a', 'fraud:b']);
  });

  it('lists the window lengths the collector must compute', () => {
    expect(requiredWindowsMs(DEFAULT_EXPECTATIONS)).toEqual([MIN5, 3_600_000, 86_400_000]);
  });

  it('describes an evaluation in one line', () => {
    const ev = evaluateOne(
      threshold({ id: 'p99' }),
      bag({ operational: ops({ latencyMs: { p50: 1, p90: 1, p95: 1, p99: 1450 } }) }),
      at,
    );
    expect(describeEvaluation(ev)).toBe(
      'violated p99 (churn, v3): 1450 ms (n = 1000), expected below 1000 ms',
    );
  });
});

describe('verdict invariants', () => {
  const comparators: Comparator[] = ['<', '<=', '>', '>='];
  const cases = fc.record({
    errors: fc.integer({ min: 0, max: 2000 }),
    requests: fc.integer({ min: 100, max: 2000 }),
    limit: fc.double({ min: 0, max: 1, noNaN: true }),
    comparator: fc.constantFrom(...comparators),
  });

  it('with decideOn point, violated exactly when the figure breaks the limit', () => {
    fc.assert(
      fc.property(cases, ({ errors, requests, limit, comparator }) => {
        const errs = Math.min(errors, requests);
        const e = threshold({ metric: 'error_rate', comparator, threshold: limit });
        const ev = evaluateOne(e, bag({ operational: ops({ requests, errors: errs }) }), at);
        const value = errs / requests;
        const holds = { '<': value < limit, '<=': value <= limit, '>': value > limit, '>=': value >= limit }[
          comparator
        ];
        expect(ev.status).toBe(holds ? 'met' : 'violated');
      }),
    );
  });

  it('decideOn interval never violates where point would not, and agrees whenever the point is met', () => {
    fc.assert(
      fc.property(cases, ({ errors, requests, limit, comparator }) => {
        const errs = Math.min(errors, requests);
        const figures = bag({ operational: ops({ requests, errors: errs }) });
        const point = evaluateOne(
          threshold({ metric: 'error_rate', comparator, threshold: limit }),
          figures,
          at,
        );
        const strict = evaluateOne(
          threshold({ metric: 'error_rate', comparator, threshold: limit, decideOn: 'interval' }),
          figures,
          at,
        );
        if (point.status === 'met') expect(strict.status).toBe('met');
        if (strict.status === 'violated') expect(point.status).toBe('violated');
        if (point.status === 'violated') expect(['violated', 'unknown']).toContain(strict.status);
      }),
    );
  });

  it('is deterministic and never puts NaN in a figure', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 50 }), fc.integer({ min: 0, max: 5 }), (requests, errors) => {
        const figures = bag({
          operational: ops({ requests, errors: Math.min(errors, requests), latencyCount: requests }),
        });
        const a = evaluate(DEFAULT_EXPECTATIONS, [figures], at);
        const b = evaluate(DEFAULT_EXPECTATIONS, [figures], at);
        expect(a).toEqual(b);
        expect(JSON.stringify(a)).not.toContain('NaN');
        for (const ev of a) if (ev.figure.value !== null) expect(Number.isFinite(ev.figure.value)).toBe(true);
      }),
    );
  });
});
