import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { diagnose } from '../diagnosis/diagnose.js';
import { type Evaluation, evaluateOne } from '../expectations/evaluate.js';
import type { ThresholdExpectation } from '../expectations/expectation.js';
import type { WindowFigures } from '../expectations/window-figures.js';
import type { Finding } from '../findings/finding.js';
import { acknowledgeIncident, applyEvaluations, type DiagnosisSource, resolveIncident } from './apply.js';
import { type Incident, incidentId } from './incident.js';

const T = Date.UTC(2025, 4, 1, 9, 0);
const MIN = 60_000;
const W = 5 * MIN;

const p99: ThresholdExpectation = {
  kind: 'threshold',
  id: 'latency_p99',
  severity: 'critical',
  overMs: W,
  metric: 'latency_p99_ms',
  comparator: '<',
  threshold: 1000,
  minSamples: 100,
  decideOn: 'point',
};

/**
 * The evaluation of window k (starting at T + k·5 min) with the given p99, on version v3 (null: several versions);
 * `served` lists the versions with predictions in the window, when the figures say.
 */
function windowEval(
  k: number,
  p99Ms: number | null,
  version: string | null = 'v3',
  served?: string[],
): Evaluation {
  const figures: WindowFigures = {
    model: 'churn',
    version,
    ...(served ? { versionsServed: served } : {}),
    window: { startMs: T + k * W, endMs: T + (k + 1) * W },
    operational: {
      requests: 2000,
      errors: 0,
      timeouts: 0,
      latencyMs: p99Ms === null ? null : { p50: 40, p90: 200, p95: 400, p99: p99Ms },
      latencyCount: p99Ms === null ? 0 : 2000,
    },
    instances: [
      {
        instance: 'i-1',
        operational: {
          requests: 1000,
          errors: 0,
          timeouts: 0,
          latencyMs: { p50: 40, p90: 100, p95: 150, p99: 300 },
          latencyCount: 1000,
        },
      },
      {
        instance: 'i-2',
        operational: {
          requests: 1000,
          errors: 0,
          timeouts: 0,
          latencyMs: { p50: 40, p90: 300, p95: 600, p99: p99Ms ?? 0 },
          latencyCount: p99Ms === null ? 0 : 1000,
        },
      },
    ],
  };
  return evaluateOne(p99, figures, T + (k + 1) * W);
}

function hw(sinceMs: number, score = 0.9): Finding {
  return {
    detector: 'host_metrics',
    cause: 'hardware_failure',
    subject: { model: 'churn', instance: 'i-2' },
    window: { startMs: sinceMs, endMs: sinceMs + W },
    sinceMs,
    severity: 'critical',
    score,
    evidence: { summary: 'i-2 CPU throttled at 98 % for 6 min.', figures: [] },
  };
}

function dep(sinceMs: number, score = 0.95): Finding {
  return {
    detector: 'upstream_probe',
    cause: 'dependency_failure',
    subject: { model: 'churn', dependency: 'feature-store' },
    window: { startMs: sinceMs, endMs: sinceMs + W },
    sinceMs,
    severity: 'critical',
    score,
    evidence: { summary: 'feature-store probe failing 40 % since 09:04.', figures: [] },
  };
}

function source(findings: () => readonly Finding[]): DiagnosisSource {
  return (ev, onsetMs) => diagnose(ev, findings(), { onsetMs });
}

const endOf = (k: number) => T + (k + 1) * W;

describe('applyEvaluations', () => {
  it('opens one incident for a violation, with its ranked causes and a timeline', () => {
    const { incidents, changes } = applyEvaluations(
      [],
      [windowEval(0, 1450)],
      source(() => [hw(T - 2 * MIN)]),
      endOf(0),
    );
    expect(incidents).toHaveLength(1);
    const inc = incidents[0]!;
    expect(inc).toMatchObject({
      id: incidentId('churn|latency_p99|v3', T),
      dedupeKey: 'churn|latency_p99|v3',
      status: 'open',
      onsetMs: T,
      openedAtMs: endOf(0),
      violatedEvaluations: 1,
      severity: 'critical',
      symptom: 'latency',
    });
    expect(inc.id).toMatch(/^inc_[0-9a-f]{16}$/);
    expect(inc.causes[0]!.cause).toBe('hardware_failure');
    expect(inc.timeline).toEqual([
      {
        atMs: endOf(0),
        kind: 'opened',
        text: 'latency_p99: latency_p99_ms was 1450 ms over 5m (n = 2000); expected below 1000 ms. Breached on instance i-2. Most likely hardware_failure (score 0.88).',
        topCause: 'hardware_failure',
      },
    ]);
    expect(changes).toEqual([
      { kind: 'opened', incident: inc, atMs: endOf(0), reasons: [], previousTopCause: null },
    ]);
  });

  it('does not open a second incident while the same problem lasts, and stays quiet if the ranking holds', () => {
    const diag = source(() => [hw(T - 2 * MIN)]);
    const first = applyEvaluations([], [windowEval(0, 1450)], diag, endOf(0));
    const second = applyEvaluations(first.incidents, [windowEval(1, 1600)], diag, endOf(1));
    expect(second.incidents).toHaveLength(1);
    expect(second.incidents[0]).toMatchObject({ violatedEvaluations: 2, lastViolationWindowEndMs: endOf(1) });
    expect(second.incidents[0]!.lastViolation.figure.value).toBe(1600);
    expect(second.changes).toEqual([]);
  });

  it('re-ranks when new findings arrive and reports the change', () => {
    let findings: Finding[] = [hw(T - 2 * MIN, 0.3)];
    const diag = source(() => findings);
    const first = applyEvaluations([], [windowEval(0, 1450)], diag, endOf(0));
    findings = [...findings, dep(T - MIN)];
    const second = applyEvaluations(first.incidents, [windowEval(1, 1450)], diag, endOf(1));
    expect(second.changes).toHaveLength(1);
    expect(second.changes[0]).toMatchObject({
      kind: 'updated',
      reasons: ['top_cause_changed'],
      previousTopCause: 'hardware_failure',
    });
    const inc = second.incidents[0]!;
    expect(inc.causes[0]!.cause).toBe('dependency_failure');
    expect(inc.timeline.at(-1)).toMatchObject({ kind: 'reranked', topCause: 'dependency_failure' });
    expect(inc.timeline.at(-1)!.text).toMatch(
      /^Causes re-ranked: most likely dependency_failure \(score 0\.\d\d\), was hardware_failure\.$/,
    );
  });

  it('resolves after N met evaluations in a row; unknown neither counts nor resets; a relapse resets', () => {
    const diag = source(() => [hw(T - 2 * MIN)]);
    // 1. Violated in window 0. 2. Met in 1. 3. Unknown (no latency) in 2. 4. Met in 3. 5. Violated in 4 (relapse).
    // 6. Met in 5, 6, 7: resolved at the end of window 7.
    const evs = [
      windowEval(0, 1450),
      windowEval(1, 300),
      windowEval(2, null),
      windowEval(3, 300),
      windowEval(4, 1200),
      windowEval(5, 300),
      windowEval(6, 300),
    ];
    const partway = applyEvaluations([], evs, diag, endOf(6));
    expect(partway.incidents[0]).toMatchObject({ status: 'open', metInARow: 2, violatedEvaluations: 2 });
    expect(partway.changes.map((c) => [c.kind, c.reasons])).toEqual([
      ['opened', []],
      ['updated', ['relapsed']],
    ]);
    const done = applyEvaluations(partway.incidents, [windowEval(7, 300)], diag, endOf(7));
    expect(done.incidents[0]).toMatchObject({
      status: 'resolved',
      resolution: 'auto',
      resolvedAtMs: endOf(7),
      metInARow: 3,
    });
    expect(done.changes.map((c) => c.kind)).toEqual(['resolved']);
    expect(done.incidents[0]!.timeline.map((e) => e.kind)).toEqual([
      'opened',
      'recovering',
      'relapsed',
      'recovering',
      'resolved',
    ]);
  });

  it('honours a configured resolveAfterMet and rejects a meaningless one', () => {
    const diag = source(() => []);
    const r = applyEvaluations([], [windowEval(0, 1450), windowEval(1, 300)], diag, endOf(1), {
      resolveAfterMet: 1,
    });
    expect(r.incidents[0]!.status).toBe('resolved');
    expect(() => applyEvaluations([], [], diag, endOf(1), { resolveAfterMet: 0 })).toThrow(/resolveAfterMet/);
  });

  it('opens a new incident for a violation after resolution, and keeps versions apart', () => {
    const diag = source(() => []);
    const r = applyEvaluations(
      [],
      [
        windowEval(0, 1450),
        windowEval(1, 300),
        windowEval(2, 300),
        windowEval(3, 300),
        windowEval(4, 1450),
        windowEval(4, 1450, 'v4'),
      ],
      diag,
      endOf(4),
    );
    expect(r.incidents.map((i) => [i.dedupeKey, i.status, i.onsetMs])).toEqual([
      ['churn|latency_p99|v3', 'resolved', T],
      ['churn|latency_p99|v3', 'open', T + 4 * W],
      ['churn|latency_p99|v4', 'open', T + 4 * W],
    ]);
    expect(new Set(r.incidents.map((i) => i.id)).size).toBe(3);
  });

  it('ignores windows already applied and windows the watermark has not passed', () => {
    const diag = source(() => [hw(T - 2 * MIN)]);
    const once = applyEvaluations([], [windowEval(0, 1450), windowEval(1, 1450)], diag, endOf(1));
    const twice = applyEvaluations(
      once.incidents,
      [windowEval(0, 1450), windowEval(1, 1450)],
      diag,
      endOf(1),
    );
    expect(twice.incidents).toEqual(once.incidents);
    expect(twice.changes).toEqual([]);
    const early = applyEvaluations([], [windowEval(3, 1450)], diag, endOf(2));
    expect(early.incidents).toEqual([]);
  });

  it('acknowledges, and still auto-resolves an acknowledged incident', () => {
    const diag = source(() => []);
    const opened = applyEvaluations([], [windowEval(0, 1450)], diag, endOf(0)).incidents[0]!;
    const { incident: acked, change } = acknowledgeIncident(opened, {
      by: 'ana',
      atMs: endOf(0) + MIN,
      note: 'looking',
    });
    expect(acked).toMatchObject({
      status: 'acknowledged',
      acknowledgedBy: 'ana',
      acknowledgedAtMs: endOf(0) + MIN,
    });
    expect(acked.timeline.at(-1)!.text).toBe('Acknowledged by ana: looking');
    expect(change?.kind).toBe('acknowledged');
    expect(acknowledgeIncident(acked, { by: 'bo', atMs: endOf(1) }).change).toBeNull();
    const r = applyEvaluations(
      [acked],
      [windowEval(1, 1450), windowEval(2, 300), windowEval(3, 300), windowEval(4, 300)],
      diag,
      endOf(4),
    );
    expect(r.incidents).toHaveLength(1);
    expect(r.incidents[0]).toMatchObject({ status: 'resolved', acknowledgedBy: 'ana' });
  });

  it('resolves by hand; a later violation opens a fresh incident', () => {
    const diag = source(() => []);
    const opened = applyEvaluations([], [windowEval(0, 1450)], diag, endOf(0)).incidents[0]!;
    const { incident: closed, change } = resolveIncident(opened, {
      by: 'ana',
      atMs: endOf(1),
      note: 'rolled back',
    });
    expect(closed).toMatchObject({ status: 'resolved', resolution: 'manual', resolvedAtMs: endOf(1) });
    expect(change?.kind).toBe('resolved');
    expect(resolveIncident(closed, { by: 'ana', atMs: endOf(2) }).change).toBeNull();
    const r = applyEvaluations([closed], [windowEval(2, 1450)], diag, endOf(2));
    expect(r.incidents.map((i) => i.status)).toEqual(['resolved', 'open']);
  });

  it('keeps the timeline bounded, with the opening entry first', () => {
    const diag = source(() => []);
    const evs = Array.from({ length: 20 }, (_, k) => windowEval(k, k % 2 === 0 ? 1450 : 300));
    const r = applyEvaluations([], evs, diag, endOf(19), { maxTimeline: 5 });
    const tl = r.incidents[0]!.timeline;
    expect(tl).toHaveLength(5);
    expect(tl[0]!.kind).toBe('opened');
  });
});

describe('incidents of a version that is no longer served', () => {
  const diag = source(() => [hw(T - 2 * MIN)]);

  it('resolve once other versions have served for the resolve horizon without it (a rollback)', () => {
    // 1. v3 breaches in windows 0 and 1. 2. A rollback: from window 2 on, v2 alone serves and meets the limit.
    const evs = [
      windowEval(0, 1450, 'v3', ['v3']),
      windowEval(1, 1450, 'v3', ['v3']),
      windowEval(2, 300, 'v2', ['v2']),
      windowEval(3, 300, 'v2', ['v2']),
    ];
    const partway = applyEvaluations([], evs, diag, endOf(3));
    expect(partway.incidents).toHaveLength(1);
    expect(partway.incidents[0]).toMatchObject({ status: 'open', notServedInARow: 2, metInARow: 0 });
    expect(partway.changes.map((c) => c.kind)).toEqual(['opened']);
    // 3. A third window without v3: resolved, with the reason.
    const done = applyEvaluations(partway.incidents, [windowEval(4, 300, 'v2', ['v2'])], diag, endOf(4));
    expect(done.incidents[0]).toMatchObject({
      status: 'resolved',
      resolution: 'auto',
      resolvedAtMs: endOf(4),
      notServedInARow: 3,
    });
    expect(done.changes).toEqual([
      {
        kind: 'resolved',
        incident: done.incidents[0],
        atMs: endOf(4),
        reasons: ['version_no_longer_served'],
        previousTopCause: 'hardware_failure',
      },
    ]);
    expect(done.incidents[0]!.timeline.at(-1)).toEqual({
      atMs: endOf(4),
      kind: 'resolved',
      text: 'Resolved: version v3 is no longer served, no predictions of it in 3 window(s) in a row while v2 served.',
      topCause: 'hardware_failure',
    });
    // All at once gives the same; applied again, nothing more happens.
    const batch = applyEvaluations([], [...evs, windowEval(4, 300, 'v2', ['v2'])], diag, endOf(4));
    expect(batch.incidents).toEqual(done.incidents);
    const again = applyEvaluations(done.incidents, [windowEval(4, 300, 'v2', ['v2'])], diag, endOf(4));
    expect(again).toEqual({ incidents: done.incidents, changes: [] });
  });

  it('count only windows where others served: serving again resets, a silent model neither counts nor resets', () => {
    const evs = [
      windowEval(0, 1450, 'v3', ['v3']),
      windowEval(1, 300, 'v2', ['v2']), // 1
      windowEval(2, null, null, []), // nobody served: still 1
      windowEval(3, 300, 'v2', ['v2']), // 2
      windowEval(4, 300, null, ['v2', 'v3']), // v3 serves again (a mixed window): 0
      windowEval(5, 300, 'v2', ['v2']), // 1
      windowEval(6, 300, 'v2', ['v2']), // 2
    ];
    const r = applyEvaluations([], evs, diag, endOf(6));
    expect(r.incidents[0]).toMatchObject({ status: 'open', notServedInARow: 2 });
    const steps: number[] = [];
    let step: Incident[] = [];
    for (let k = 0; k < evs.length; k++) {
      step = applyEvaluations(step, [evs[k]!], diag, endOf(k)).incidents;
      steps.push(step[0]!.notServedInARow ?? 0);
    }
    expect(steps).toEqual([0, 1, 1, 2, 0, 1, 2]);
    expect(step).toEqual(r.incidents);
    const done = applyEvaluations(r.incidents, [windowEval(7, 300, 'v2', ['v2'])], diag, endOf(7));
    expect(done.incidents[0]!.status).toBe('resolved');
  });

  it('stay open when the figures do not say which versions served, and leave model-wide incidents alone', () => {
    const quiet = applyEvaluations(
      [],
      [windowEval(0, 1450), ...[1, 2, 3, 4].map((k) => windowEval(k, 300, 'v2'))],
      diag,
      endOf(4),
    );
    expect(quiet.incidents[0]).toMatchObject({ status: 'open' });
    const wide = applyEvaluations(
      [],
      [windowEval(0, 1450, null, ['v2', 'v3']), ...[1, 2, 3, 4].map((k) => windowEval(k, 300, 'v2', ['v2']))],
      diag,
      endOf(4),
    );
    // The model-wide incident is followed by the windows of the one version serving now: met three times, resolved.
    expect(wide.incidents.map((i) => [i.version, i.status, i.resolvedAtMs])).toEqual([
      [null, 'resolved', endOf(3)],
    ]);
  });

  it('follow an incident of every version with the evaluations of whichever version serves after a rollout', () => {
    const mixed = windowEval(0, 1450, null, ['v2', 'v3']);
    const r = applyEvaluations(
      [],
      [mixed, windowEval(1, 1450, 'v3', ['v3']), windowEval(2, 300, 'v3', ['v3'])],
      diag,
      endOf(2),
    );
    // The violation of v3 alone continues the model-wide incident instead of opening a second one.
    expect(r.incidents.map((i) => [i.dedupeKey, i.status, i.violatedEvaluations, i.metInARow])).toEqual([
      ['churn|latency_p99|*', 'open', 2, 1],
    ]);
    expect(r.changes.filter((c) => c.kind === 'opened')).toHaveLength(1);
    // An incident of the version itself, when there is one, takes its evaluations first.
    const both = applyEvaluations(
      [],
      [windowEval(0, 1450, 'v3', ['v3']), mixed, windowEval(1, 300, 'v3', ['v3'])].map((e, i) =>
        i === 1 ? { ...e, window: { startMs: T + 3 * W, endMs: T + 4 * W } } : e,
      ),
      diag,
      endOf(4),
    );
    expect(both.incidents.map((i) => [i.dedupeKey, i.metInARow])).toEqual([
      ['churn|latency_p99|v3', 1],
      ['churn|latency_p99|*', 0],
    ]);
  });
});

describe('lifecycle invariants', () => {
  type S = 'violated' | 'met' | 'unknown';
  const statuses = fc.array(fc.constantFrom<S>('violated', 'met', 'unknown'), { maxLength: 40 });
  const p99For: Record<S, number | null> = { violated: 1450, met: 300, unknown: null };

  /** A direct model of the rules: count incidents opened and the final state. */
  function model(seq: readonly S[], n: number): { opened: number; active: boolean } {
    let opened = 0;
    let active = false;
    let met = 0;
    for (const s of seq) {
      if (s === 'violated') {
        if (!active) opened++;
        active = true;
        met = 0;
      } else if (s === 'met' && active) {
        met++;
        if (met >= n) {
          active = false;
          met = 0;
        }
      }
    }
    return { opened, active };
  }

  it('matches the rules, never has two active incidents per key, and one-by-one equals all-at-once', () => {
    fc.assert(
      fc.property(statuses, fc.integer({ min: 1, max: 4 }), (seq, n) => {
        const diag = source(() => []);
        const evs = seq.map((s, k) => windowEval(k, p99For[s]));
        const end = endOf(Math.max(0, seq.length - 1));
        const batch = applyEvaluations([], evs, diag, end, { resolveAfterMet: n });
        let step: Incident[] = [];
        for (let k = 0; k < evs.length; k++)
          step = applyEvaluations(step, [evs[k]!], diag, endOf(k), { resolveAfterMet: n }).incidents;
        expect(step).toEqual(batch.incidents);
        const expected = model(seq, n);
        expect(batch.changes.filter((c) => c.kind === 'opened')).toHaveLength(expected.opened);
        expect(batch.incidents).toHaveLength(expected.opened);
        const active = batch.incidents.filter((i) => i.status !== 'resolved');
        expect(active.length).toBe(expected.active ? 1 : 0);
      }),
    );
  });
});
