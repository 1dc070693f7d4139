import { afterEach, describe, expect, it } from 'vitest';
import type { RankedCause } from '../../core/diagnosis/types.js';
import { evaluateOne } from '../../core/expectations/evaluate.js';
import { applyEvaluations, type DiagnosisSource } from '../../core/incidents/apply.js';
import type { Incident } from '../../core/incidents/incident.js';
import {
  type EngineCollector,
  FixedWindowAnalyzer,
  startEngineCollector,
} from '../engine/pipeline-testing.js';
import { TEST_T0 } from '../testing.js';
import { WireIncidentSchema } from './incidents.js';

const HOUR = 3_600_000;

const drift = {
  detector: 'feature_drift',
  cause: 'covariate_shift' as const,
  subject: { model: 'churn', feature: 'tenure' },
  window: { startMs: TEST_T0 - HOUR, endMs: TEST_T0 },
  severity: 'warning' as const,
  score: 0.41,
  evidence: {
    summary: 'tenure moved: PSI 0.41 against the reference',
    figures: [{ name: 'psi', value: 0.41 }],
  },
  sinceMs: TEST_T0 - HOUR,
};

const components = {
  prior: 0.5,
  timing: 1,
  scope: 1,
  strength: 0.8,
  evidence: 0.8,
  corroboration: 1,
  gate: 1,
};

/** The causes diagnosis gave: the second is held down by the first one's finding. */
const causes: RankedCause[] = [
  {
    cause: 'covariate_shift',
    rank: 1,
    score: 0.4,
    components,
    findings: [
      {
        finding: drift,
        timing: { value: 1, relation: 'during', distanceMs: 0 },
        scope: { value: 1, version: 'unspecified', instance: 'same', slice: 'whole' },
        strength: 0.8,
        support: 0.8,
      },
    ],
    heldDown: null,
    explanation: 'tenure moved when accuracy fell.',
    confirm: 'Compare tenure with the reference.',
  },
  {
    cause: 'concept_drift',
    rank: 2,
    score: 0.05,
    components: { ...components, gate: 0.2 },
    findings: [],
    heldDown: {
      by: 'covariate_shift',
      detector: 'feature_drift',
      support: 0.8,
      reason: 'concept drift ranks only when the inputs did not move',
      evidence: drift.evidence.summary,
    },
    explanation: 'is held down because the inputs moved.',
    confirm: 'Check the labels of recent rows.',
  },
];

/** The incident core opens for an accuracy breach with those causes (the engine's own path, without detectors). */
function heldDownIncident(): Incident {
  const evaluation = evaluateOne(
    {
      kind: 'threshold',
      id: 'accuracy',
      severity: 'warning',
      overMs: HOUR,
      metric: 'accuracy',
      comparator: '>=',
      threshold: 0.8,
      minSamples: 50,
      decideOn: 'point',
    },
    {
      model: 'churn',
      version: null,
      window: { startMs: TEST_T0 - HOUR, endMs: TEST_T0 },
      realised: { accuracy: { value: 0.71, n: 400 } },
    },
    TEST_T0,
  );
  const diagnosis: DiagnosisSource = (ev, onsetMs) => ({
    model: ev.model,
    expectationId: ev.expectationId,
    dedupeKey: ev.dedupeKey,
    symptom: ev.symptom,
    onsetMs,
    windowEndMs: ev.window.endMs,
    causes,
    setAside: [],
    unexplored: [],
    summary: 'covariate shift',
  });
  const [incident] = applyEvaluations([], [evaluation], diagnosis, TEST_T0).incidents;
  return incident!;
}

const open: EngineCollector[] = [];
afterEach(async () => {
  for (const c of open.splice(0)) await c.close();
});

describe('incident routes', () => {
  it('show why a cause is held down and the evidence of the finding that holds it down', async () => {
    // The engine never runs: the incident is stored as diagnosis left it, and only the routes read it.
    const c = await startEngineCollector({ analyzer: new FixedWindowAnalyzer(() => ({})) });
    open.push(c);
    const incident = heldDownIncident();
    await c.store.putIncident('acme', incident);

    const one = await c.call({ method: 'GET', url: `/v1/incidents/${incident.id}`, role: 'read' });
    expect(one.statusCode).toBe(200);
    const body = WireIncidentSchema.parse(one.json());
    expect(body.causes.map((x) => x.heldDown)).toEqual([
      null,
      {
        by: 'covariate_shift',
        detector: 'feature_drift',
        support: 0.8,
        reason: 'concept drift ranks only when the inputs did not move',
        evidence: 'tenure moved: PSI 0.41 against the reference',
      },
    ]);

    const list = await c.call({ method: 'GET', url: '/v1/incidents?model=churn', role: 'read' });
    expect(list.json().incidents[0].causes[1].heldDown.evidence).toBe(drift.evidence.summary);

    const doc = (await c.call({ method: 'GET', url: '/openapi.json', role: 'none' })).json();
    expect(JSON.stringify(doc)).toContain('the evidence summary of the finding that holds it down');
  });
});
