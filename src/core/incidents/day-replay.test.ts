/**
 * A day of 5-minute windows for one model, lived window by window and replayed in one go:
 * 1. 09:00–09:30 instance i-3's host starts throttling (a hardware finding from 08:58);
 * 2. its p99 latency breaches from 09:00 to 09:30, then recovers;
 * 3. at 15:00 a drift finding appears (a distractor that never breaks latency).
 * Both runs must give the same single incident — opened at 09:05 with hardware_failure first, resolved after
 * three clean windows — and the same alerts.
 */
import { describe, expect, it } from 'vitest';
import { shouldNotify } from '../alerts/notify.js';
import { buildSlackMessage } from '../alerts/slack.js';
import { buildWebhookPayload } from '../alerts/webhook.js';
import { diagnose } from '../diagnosis/diagnose.js';
import { DEFAULT_EXPECTATIONS } from '../expectations/defaults.js';
import { evaluate } from '../expectations/evaluate.js';
import type { WindowFigures } from '../expectations/window-figures.js';
import type { Finding } from '../findings/finding.js';
import { applyEvaluations, type IncidentChange } from './apply.js';
import type { Incident } from './incident.js';

const DAY0 = Date.UTC(2025, 8, 1);
const W = 5 * 60_000;
const H = 3_600_000;
const INCIDENT_FROM = DAY0 + 9 * H;
const INCIDENT_TO = DAY0 + 9.5 * H;

function figuresAt(k: number): WindowFigures {
  const start = DAY0 + k * W;
  const bad = start >= INCIDENT_FROM && start < INCIDENT_TO;
  const inst = (id: string, p99: number) => ({
    instance: id,
    operational: {
      requests: 600,
      errors: 0,
      timeouts: 0,
      latencyMs: { p50: 40, p90: 120, p95: 200, p99 },
      latencyCount: 600,
    },
    longestHeartbeatGapMs: 30_000,
    lastHeartbeatMs: start + W - 5_000,
    served: [{ version: 'v3', artifactHash: 'sha-v3', predictions: 600 }],
    checks: [{ name: 'read_model', ok: true }],
  });
  return {
    model: 'churn',
    version: 'v3',
    window: { startMs: start, endMs: start + W },
    operational: {
      requests: 1800,
      errors: 0,
      timeouts: 0,
      latencyMs: { p50: 40, p90: 150, p95: 300, p99: bad ? 1700 : 350 },
      latencyCount: 1800,
    },
    instances: [inst('i-1', 320), inst('i-2', 340), inst('i-3', bad ? 2900 : 360)],
    deployment: { intendedVersion: 'v3', registeredArtifacts: { v3: 'sha-v3' } },
    schema: { rowsChecked: 1800, rowsViolating: 0 },
  };
}

const FINDINGS: Finding[] = [
  {
    detector: 'host_metrics',
    cause: 'hardware_failure',
    subject: { model: 'churn', instance: 'i-3', version: 'v3' },
    window: { startMs: INCIDENT_FROM - 2 * 60_000, endMs: INCIDENT_TO },
    sinceMs: INCIDENT_FROM - 2 * 60_000,
    severity: 'critical',
    score: 0.93,
    evidence: { summary: 'i-3 CPU throttled at 97 % from 08:58.', figures: [] },
  },
  {
    detector: 'feature_drift',
    cause: 'covariate_shift',
    subject: { model: 'churn', feature: 'age' },
    window: { startMs: DAY0 + 15 * H, endMs: DAY0 + 16 * H },
    sinceMs: DAY0 + 15 * H,
    severity: 'warning',
    score: 0.7,
    evidence: { summary: 'age drifted (KS 0.21).', figures: [] },
  },
];

/** Findings known by event time `at` (a detector reports a finding once its window has closed). */
function knownAt(at: number): Finding[] {
  return FINDINGS.filter((f) => f.window.startMs <= at);
}

function run(stepwise: boolean): { incidents: Incident[]; changes: IncidentChange[] } {
  const windows = Array.from({ length: 288 }, (_, k) => figuresAt(k));
  if (!stepwise) {
    // At full speed the watermark passes every window end in turn; incidents are then applied in one batch.
    const evs = windows.flatMap((w) => evaluate(DEFAULT_EXPECTATIONS, [w], w.window.endMs));
    const at = DAY0 + 288 * W;
    return applyEvaluations(
      [],
      evs,
      (ev, onsetMs) => diagnose(ev, knownAt(ev.window.endMs), { onsetMs }),
      at,
    );
  }
  let incidents: Incident[] = [];
  const changes: IncidentChange[] = [];
  for (let k = 0; k < windows.length; k++) {
    const at = DAY0 + (k + 1) * W;
    const evs = evaluate(DEFAULT_EXPECTATIONS, [windows[k]!], at);
    const r = applyEvaluations(
      incidents,
      evs,
      (ev, onsetMs) => diagnose(ev, knownAt(ev.window.endMs), { onsetMs }),
      at,
    );
    incidents = r.incidents;
    changes.push(...r.changes);
  }
  return { incidents, changes };
}

describe('a day lived and a day replayed', () => {
  it('give the same single incident, diagnosed and resolved, and the same alerts', () => {
    const lived = run(true);
    const replayed = run(false);
    expect(replayed.incidents).toEqual(lived.incidents);
    expect(replayed.changes).toEqual(lived.changes);

    expect(lived.incidents).toHaveLength(1);
    const inc = lived.incidents[0]!;
    expect(inc).toMatchObject({
      expectationId: 'latency_p99',
      status: 'resolved',
      resolution: 'auto',
      onsetMs: INCIDENT_FROM,
      openedAtMs: INCIDENT_FROM + W,
      resolvedAtMs: INCIDENT_TO + 3 * W,
      violatedEvaluations: 6,
    });
    expect(inc.causes[0]).toMatchObject({ cause: 'hardware_failure' });
    expect(inc.lastViolation.scope.instances).toEqual(['i-3']);
    expect(inc.timeline.map((e) => e.kind)).toEqual(['opened', 'recovering', 'resolved']);

    const alerts = lived.changes.filter((c) => shouldNotify(c));
    expect(alerts.map((c) => c.kind)).toEqual(['opened', 'resolved']);
    const payload = buildWebhookPayload(alerts[0]!, { baseUrl: 'https://faultline.example.com' });
    expect(payload.topCause?.cause).toBe('hardware_failure');
    expect(payload.incident.scope.instances).toEqual(['i-3']);
    const slack = buildSlackMessage(alerts[1]!, { baseUrl: 'https://faultline.example.com' });
    expect(slack.blocks[0]).toMatchObject({ text: { text: 'Incident resolved: latency_p99 on churn v3' } });
  });
});
