import { describe, expect, it } from 'vitest';
import { evaluateOne } from '../core/expectations/evaluate.js';
import type { Finding } from '../core/findings/finding.js';
import type { Incident } from '../core/incidents/incident.js';
import { evaluationToWire } from '../server/routes/expectations.js';
import { incidentToWire } from '../server/routes/incidents.js';
import { evaluationsOf, expectationsOf, heldDownFigures, incidentOf, incidentsOf, timeOf } from './views.js';

const T = Date.UTC(2025, 2, 1, 12);

const finding: Finding = {
  detector: 'fingerprint_diff',
  cause: 'dependency_failure',
  subject: { model: 'churn', instance: 'pod-3' },
  window: { startMs: T - 3_600_000, endMs: T },
  severity: 'critical',
  score: 0.9,
  evidence: {
    summary: 'pod-3 runs scikit-learn 1.5.0; v2 was validated with 1.3.2.',
    figures: [{ name: 'changed packages', value: 2, baseline: 0 }],
  },
  sinceMs: T - 3_000_000,
};

/** An incident exactly as core/incidents holds it (epoch-ms times). */
const incident: Incident = {
  id: 'inc_00ff',
  dedupeKey: 'churn|error_rate|*',
  model: 'churn',
  expectationId: 'error_rate',
  version: null,
  symptom: 'errors',
  severity: 'critical',
  status: 'open',
  onsetMs: T - 3_600_000,
  openedAtMs: T,
  lastEvaluatedWindowEndMs: T,
  lastViolationWindowEndMs: T,
  violatedEvaluations: 1,
  metInARow: 0,
  acknowledgedAtMs: null,
  acknowledgedBy: null,
  resolvedAtMs: null,
  resolution: null,
  lastViolation: {
    model: 'churn',
    expectationId: 'error_rate',
    kind: 'threshold',
    metric: 'error_rate',
    symptom: 'errors',
    severity: 'critical',
    window: { startMs: T - 3_600_000, endMs: T },
    evaluatedAtMs: T,
    status: 'violated',
    reason: null,
    figure: {
      value: 0.083,
      unit: 'share',
      n: 240,
      minSamples: 100,
      interval: { lower: 0.055, upper: 0.12, method: 'wilson', level: 0.95 },
      threshold: 0.01,
      comparator: '<',
      labelledShare: null,
    },
    scope: { version: null, instances: ['pod-3'], instancesSeen: ['pod-1', 'pod-2', 'pod-3'], slices: [] },
    summary: 'error rate 8.3 % over 1 h, limit < 1 %',
    detail: null,
    dedupeKey: 'churn|error_rate|*',
  },
  causes: [
    {
      cause: 'hardware_failure',
      rank: 2,
      score: 0.2,
      components: {
        prior: 0.5,
        timing: 1,
        scope: 1,
        strength: 0.4,
        evidence: 0.4,
        corroboration: 1,
        gate: 1,
      },
      findings: [],
      heldDown: null,
      explanation: 'CPU is high on pod-3 but below its limit.',
      confirm: 'Check dmesg on pod-3.',
    },
    {
      cause: 'dependency_failure',
      rank: 1,
      score: 0.81,
      components: {
        prior: 0.9,
        timing: 1,
        scope: 1,
        strength: 0.9,
        evidence: 0.9,
        corroboration: 1,
        gate: 1,
      },
      findings: [
        {
          finding,
          timing: { value: 1, relation: 'during', distanceMs: 0 },
          scope: { value: 1, version: 'unspecified', instance: 'same', slice: 'whole' },
          strength: 0.9,
          support: 0.9,
        },
      ],
      heldDown: null,
      explanation: 'Only pod-3 fails, and only pod-3 changed its environment when the errors began.',
      confirm: 'Compare `pip freeze` on pod-3 with the lock file.',
    },
  ],
  unexplored: [{ cause: 'downtime', prior: 0.3, confirm: 'Look for crash loops.' }],
  timeline: [{ atMs: T, kind: 'opened', text: 'Opened: error rate 8.3 %.', topCause: 'dependency_failure' }],
};

describe('incident view', () => {
  it('reads an incident as core holds it, causes best first with their findings', () => {
    const v = incidentOf(JSON.parse(JSON.stringify(incident)));
    expect(v.id).toBe('inc_00ff');
    expect(v.onsetMs).toBe(T - 3_600_000);
    expect(v.causes.map((c) => c.cause)).toEqual(['dependency_failure', 'hardware_failure']);
    expect(v.causes[0]!.evidence[0]).toMatchObject({
      detector: 'fingerprint_diff',
      summary: finding.evidence.summary,
      subject: { model: 'churn', instance: 'pod-3' },
      sinceMs: T - 3_000_000,
    });
    expect(v.violation).toMatchObject({
      value: 0.083,
      threshold: 0.01,
      comparator: '<',
      lower: 0.055,
      upper: 0.12,
      n: 240,
    });
    expect(v.violation.instances).toEqual(['pod-3']);
    expect(v.unexplored).toEqual([{ cause: 'downtime', confirm: 'Look for crash loops.' }]);
    expect(v.timeline[0]).toMatchObject({ atMs: T, kind: 'opened', topCause: 'dependency_failure' });
  });

  it("reads the collector's answer (GET /v1/incidents/:id) for the same incident alike", () => {
    const v = incidentOf(JSON.parse(JSON.stringify(incidentToWire(incident))));
    expect(v.onsetMs).toBe(T - 3_600_000);
    expect(v.lastEvaluatedMs).toBe(T);
    expect(v.expectationLabel).toMatch(/error_rate/);
    expect(v.causes.map((c) => c.cause)).toEqual(['dependency_failure', 'hardware_failure']);
    expect(v.causes[0]!.evidence[0]).toMatchObject({
      detector: 'fingerprint_diff',
      summary: finding.evidence.summary,
      subject: { model: 'churn', instance: 'pod-3' },
      windowStartMs: T - 3_600_000,
      windowEndMs: T,
    });
    expect(v.violation).toMatchObject({
      summary: 'error rate 8.3 % over 1 h, limit < 1 %',
      value: 0.083,
      unit: 'share',
      threshold: 0.01,
      comparator: '<',
      lower: 0.055,
      upper: 0.12,
      n: 240,
      instances: ['pod-3'],
    });
    expect(v.timeline[0]).toMatchObject({ atMs: T, kind: 'opened', topCause: 'dependency_failure' });
  });

  it('reads why a cause is held down and finds the figures of the finding that holds it down', () => {
    const held: Incident = {
      ...incident,
      causes: incident.causes.map((c) =>
        c.cause === 'hardware_failure'
          ? {
              ...c,
              heldDown: {
                by: 'dependency_failure',
                detector: 'fingerprint_diff',
                support: 0.9,
                reason: 'the environment changed on the same instance',
                evidence: finding.evidence.summary,
              },
            }
          : c,
      ),
    };
    // As core holds it: the holding finding comes with its figures under the pre-empting cause.
    const core = incidentOf(JSON.parse(JSON.stringify(held)));
    const hw = core.causes.find((c) => c.cause === 'hardware_failure')!;
    expect(hw.heldDown).toEqual({
      reason: 'the environment changed on the same instance',
      by: 'dependency_failure',
      detector: 'fingerprint_diff',
      summary: finding.evidence.summary,
    });
    expect(heldDownFigures(core, hw.heldDown!)).toEqual([
      { name: 'changed packages', value: 2, baseline: 0 },
    ]);
    expect(core.causes.find((c) => c.cause === 'dependency_failure')!.heldDown).toBeNull();

    // As the collector answers: the same line, figures once the page has attached them to the finding.
    const wire = incidentOf(JSON.parse(JSON.stringify(incidentToWire(held))));
    const wireHw = wire.causes.find((c) => c.cause === 'hardware_failure')!;
    expect(wireHw.heldDown).toEqual(hw.heldDown);
    expect(heldDownFigures(wire, wireHw.heldDown!)).toEqual([]);
    wire.causes.find((c) => c.cause === 'dependency_failure')!.evidence[0]!.figures = [
      { name: 'changed packages', value: 2 },
    ];
    expect(heldDownFigures(wire, wireHw.heldDown!)).toEqual([{ name: 'changed packages', value: 2 }]);

    // A different summary from the same detector is another finding: no figures borrowed from it.
    expect(heldDownFigures(core, { ...hw.heldDown!, summary: 'pod-4 runs numpy 2.0' })).toEqual([]);
    // An older answer with the reason only still reads.
    const bare = incidentOf({
      id: 'x',
      causes: [{ cause: 'concept_drift', heldDown: { reason: 'inputs moved' } }],
    });
    expect(bare.causes[0]!.heldDown).toEqual({
      reason: 'inputs moved',
      by: null,
      detector: null,
      summary: null,
    });
    expect(heldDownFigures(bare, bare.causes[0]!.heldDown!)).toEqual([]);
  });

  it('reads ISO times and bare evidence objects too', () => {
    const wire = {
      id: 'inc_1',
      model: 'churn',
      expectationId: 'p99',
      status: 'acknowledged',
      onset: new Date(T).toISOString(),
      acknowledgedAt: new Date(T + 60_000).toISOString(),
      causes: [
        { cause: 'downtime', score: 0.5, evidence: { summary: 'pod-2 missed 4 heartbeats', figures: [] } },
      ],
    };
    const v = incidentOf(wire);
    expect(v.onsetMs).toBe(T);
    expect(v.acknowledgedAtMs).toBe(T + 60_000);
    expect(v.causes[0]).toMatchObject({ cause: 'downtime', rank: 1, score: 0.5 });
    expect(v.causes[0]!.evidence[0]!.summary).toBe('pod-2 missed 4 heartbeats');
    expect(v.violation.value).toBeNull();
  });

  it('skips list entries it cannot link to, and refuses a single incident without an id', () => {
    expect(incidentsOf({ incidents: [incident, { model: 'x' }, null] }).map((i) => i.id)).toEqual([
      'inc_00ff',
    ]);
    expect(() => incidentOf({ model: 'x' })).toThrow(/without an id/);
    expect(timeOf({ atMs: 5 }, 'at')).toBe(5);
    expect(timeOf({ at: 'not a time' }, 'at')).toBeNull();
  });
});

describe('expectation view', () => {
  it('reads a flat list with latest evaluations, or a map by model', () => {
    const flat = expectationsOf({
      expectations: [
        {
          model: 'churn',
          id: 'p99',
          kind: 'threshold',
          metric: 'latency_p99_ms',
          comparator: '<',
          threshold: 1000,
          overMs: 300_000,
          latest: { status: 'violated', summary: 'p99 1.4 s' },
        },
        { model: 'churn', id: 'beats', kind: 'heartbeat', status: 'met' },
        { model: 'recs', id: 'x', kind: 'threshold', latest: { status: 'weird' } },
      ],
    });
    expect(flat.map((e) => [e.model, e.id, e.status])).toEqual([
      ['churn', 'p99', 'violated'],
      ['churn', 'beats', 'met'],
      ['recs', 'x', 'unknown'],
    ]);
    expect(flat[0]!.text).toBe('latency_p99_ms < 1000 over 5 min');
    const byModel = expectationsOf({
      models: { churn: [{ id: 'acc', kind: 'threshold', evaluation: { status: 'met' } }] },
    });
    expect(byModel).toMatchObject([{ model: 'churn', id: 'acc', status: 'met' }]);
  });

  it("reads the collector's answer: models with their expectations, state and last evaluation", () => {
    const list = expectationsOf({
      models: [
        {
          model: 'churn',
          source: 'api',
          expectations: [
            {
              id: 'error_rate',
              kind: 'threshold',
              description: null,
              severity: 'critical',
              overMs: 3_600_000,
              over: '1h',
              metric: 'error_rate',
              comparator: '<',
              threshold: 0.01,
              state: 'violated',
              lastEvaluation: {
                window: { start: '2025-03-01T11:00:00.000Z', end: '2025-03-01T12:00:00.000Z' },
                status: 'violated',
                summary: 'error_rate was 7.5 %',
              },
            },
            {
              id: 'heartbeat',
              kind: 'heartbeat',
              description: 'every instance beats',
              overMs: 3_600_000,
              over: '1h',
              metric: null,
              comparator: null,
              threshold: null,
              state: 'unknown',
              lastEvaluation: null,
            },
          ],
        },
      ],
      defaults: [],
      file: null,
    });
    expect(list).toEqual([
      {
        model: 'churn',
        id: 'error_rate',
        kind: 'threshold',
        metric: 'error_rate',
        overMs: 3_600_000,
        description: null,
        text: 'error_rate < 0.01 over 1h',
        status: 'violated',
        summary: 'error_rate was 7.5 %',
        evaluatedAtMs: T,
      },
      {
        model: 'churn',
        id: 'heartbeat',
        kind: 'heartbeat',
        metric: null,
        overMs: 3_600_000,
        description: 'every instance beats',
        text: 'every instance beats',
        status: 'unknown',
        summary: null,
        evaluatedAtMs: null,
      },
    ]);
  });
});

describe('evaluation view', () => {
  it("reads the collector's answer (GET /v1/evaluations) with the figure, band and limit the verdict rests on", () => {
    const estimated = evaluateOne(
      {
        kind: 'threshold',
        id: 'estimated_accuracy',
        severity: 'warning',
        overMs: 3_600_000,
        metric: 'estimated_accuracy',
        comparator: '>=',
        threshold: 0.8,
        minSamples: 50,
        decideOn: 'point',
      },
      {
        model: 'churn',
        version: 'v2',
        window: { startMs: T - 3_600_000, endMs: T },
        estimated: { accuracy: { value: 0.497, lower: 0.435, upper: 0.559, n: 240 } },
      },
      T,
    );
    const empty = evaluateOne(
      {
        kind: 'threshold',
        id: 'drifted_features',
        severity: 'warning',
        overMs: 3_600_000,
        metric: 'drifted_feature_share',
        comparator: '<=',
        threshold: 0.2,
        minSamples: 1,
        decideOn: 'point',
      },
      { model: 'churn', window: { startMs: T - 3_600_000, endMs: T } },
      T,
    );
    const wire = JSON.parse(JSON.stringify({ evaluations: [estimated, empty].map(evaluationToWire) }));
    expect(evaluationsOf(wire)).toEqual([
      {
        model: 'churn',
        expectationId: 'estimated_accuracy',
        metric: 'estimated_accuracy',
        status: 'violated',
        reason: null,
        version: 'v2',
        windowStartMs: T - 3_600_000,
        windowEndMs: T,
        value: 0.497,
        lower: 0.435,
        upper: 0.559,
        n: 240,
        unit: 'share',
        threshold: 0.8,
        comparator: '>=',
        summary: estimated.summary,
      },
      expect.objectContaining({
        expectationId: 'drifted_features',
        status: 'unknown',
        reason: 'no_data',
        version: null,
        value: null,
        lower: null,
        n: null,
        threshold: 0.2,
      }),
    ]);
    // A bare array reads too; entries without a usable window are skipped.
    expect(
      evaluationsOf([
        wire.evaluations[0],
        { ...wire.evaluations[0], window: { start: 'soon', end: 'later' } },
        { ...wire.evaluations[0], window: { start: '2025-03-01T12:00:00Z', end: '2025-03-01T11:00:00Z' } },
        'junk',
      ]),
    ).toHaveLength(1);
    expect(evaluationsOf(null)).toEqual([]);
  });
});
