import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { diagnose } from '../diagnosis/diagnose.js';
import { evaluateOne } from '../expectations/evaluate.js';
import type { Finding } from '../findings/finding.js';
import { acknowledgeIncident, applyEvaluations, type IncidentChange } from '../incidents/apply.js';
import { type Rng, seededRng } from '../rng.js';
import { shouldNotify } from './notify.js';
import { isRetryableStatus, RETRY_DEFAULTS, retryDelayMs, retrySchedule } from './retry.js';
import { buildSlackMessage, escapeSlack, truncate } from './slack.js';
import { alertId, buildWebhookPayload, incidentLink } from './webhook.js';

const T = Date.UTC(2025, 5, 2, 14, 0);
const W = 5 * 60_000;

function violationAt(k: number, p99: number) {
  return evaluateOne(
    {
      kind: 'threshold',
      id: 'latency_p99',
      severity: 'critical',
      overMs: W,
      metric: 'latency_p99_ms',
      comparator: '<',
      threshold: 1000,
      minSamples: 100,
      decideOn: 'point',
    },
    {
      model: 'churn',
      version: 'v3',
      window: { startMs: T + k * W, endMs: T + (k + 1) * W },
      operational: {
        requests: 900,
        errors: 0,
        timeouts: 0,
        latencyMs: { p50: 50, p90: 300, p95: 700, p99: p99 },
        latencyCount: 900,
      },
      instances: [
        {
          instance: 'i-7',
          operational: {
            requests: 450,
            errors: 0,
            timeouts: 0,
            latencyMs: { p50: 50, p90: 300, p95: 900, p99: 2400 },
            latencyCount: 450,
          },
        },
        {
          instance: 'i-8',
          operational: {
            requests: 450,
            errors: 0,
            timeouts: 0,
            latencyMs: { p50: 50, p90: 100, p95: 120, p99: 200 },
            latencyCount: 450,
          },
        },
      ],
    },
    T + (k + 1) * W,
  );
}

const hot: Finding = {
  detector: 'host_metrics',
  cause: 'hardware_failure',
  subject: { model: 'churn', instance: 'i-7' },
  window: { startMs: T - 3 * 60_000, endMs: T + W },
  sinceMs: T - 3 * 60_000,
  severity: 'critical',
  score: 0.92,
  evidence: {
    summary: 'i-7 memory at 97 % with 3 OOM kills <since 13:57>.',
    figures: [{ name: 'memory', value: 0.97, unit: 'share' }],
  },
};

function openedChange(findings: Finding[] = [hot]): IncidentChange {
  const r = applyEvaluations(
    [],
    [violationAt(0, 1800)],
    (ev, onsetMs) => diagnose(ev, findings, { onsetMs }),
    T + W,
  );
  return r.changes[0]!;
}

const links = { baseUrl: 'https://faultline.example.com/' };

describe('webhook payload', () => {
  it('carries the incident, its figure, its ranked causes with evidence, and a stable id and link', () => {
    const change = openedChange();
    const p = buildWebhookPayload(change, links);
    expect(p).toMatchObject({
      schemaVersion: 1,
      type: 'incident.opened',
      occurredAt: '2025-06-02T14:05:00.000Z',
      link: `https://faultline.example.com/incidents/${change.incident.id}`,
      incident: {
        status: 'open',
        model: 'churn',
        version: 'v3',
        expectation: 'latency_p99',
        severity: 'critical',
        onsetAt: '2025-06-02T14:00:00.000Z',
        figure: { value: 1800, unit: 'ms', n: 900, comparator: '<', threshold: 1000, interval: null },
        scope: { instances: ['i-7'], slices: [] },
      },
      topCause: { cause: 'hardware_failure', rank: 1 },
    });
    expect(p.id).toBe(`${change.incident.id}:opened:${T + W}`);
    expect(p.id).toBe(alertId(change));
    expect(p.topCause!.evidence[0]).toEqual({
      detector: 'host_metrics',
      summary: hot.evidence.summary,
      score: 0.92,
      severity: 'critical',
      subject: { model: 'churn', instance: 'i-7' },
    });
    // Plain JSON: survives a round trip unchanged and holds no NaN.
    expect(JSON.parse(JSON.stringify(p))).toEqual(p);
    expect(JSON.stringify(p)).not.toMatch(/NaN|Infinity/);
  });

  it('has a null top cause when nothing explains the violation yet', () => {
    const p = buildWebhookPayload(openedChange([]), links);
    expect(p.topCause).toBeNull();
    expect(p.causes).toEqual([]);
  });

  it('builds links without doubled slashes and with the id encoded', () => {
    expect(incidentLink('inc_1', { baseUrl: 'https://x.test//' })).toBe('https://x.test/incidents/inc_1');
    expect(incidentLink('a/b', { baseUrl: 'https://x.test' })).toBe('https://x.test/incidents/a%2Fb');
  });
});

describe('Slack message', () => {
  it('has a header, the violation, the top cause with its reason, how to confirm, and a button', () => {
    const change = openedChange();
    const m = buildSlackMessage(change, links);
    expect(m.blocks[0]).toEqual({
      type: 'header',
      text: { type: 'plain_text', text: 'Incident opened: latency_p99 on churn v3', emoji: true },
    });
    const texts = JSON.stringify(m.blocks);
    expect(texts).toContain('*Top cause: hardware_failure* (score ');
    expect(texts).toContain('began 3 min before the violation on the same instance (i-7)');
    expect(texts).toContain('To confirm: Look at CPU, memory, throttling and OOM kills on instance i-7');
    const actions = m.blocks.at(-1)!;
    expect(actions).toMatchObject({
      type: 'actions',
      elements: [
        {
          type: 'button',
          url: `https://faultline.example.com/incidents/${change.incident.id}`,
          style: 'danger',
        },
      ],
    });
    expect(m.text).toMatch(
      /^Incident opened: latency_p99 on churn v3\. Top cause: hardware_failure \(score 0\.\d\d\)/,
    );
  });

  it('escapes mrkdwn control characters and keeps within Block Kit limits', () => {
    expect(escapeSlack('a < b && c > d')).toBe('a &lt; b &amp;&amp; c &gt; d');
    expect(truncate('abcdef', 4)).toBe('abc…');
    const long = {
      ...hot,
      subject: { model: 'churn', instance: 'i-7' },
      evidence: { summary: 'x'.repeat(5000), figures: [] },
    };
    const m = buildSlackMessage(openedChange([long]), links);
    for (const b of m.blocks) {
      if (b.type === 'header') expect(b.text.text.length).toBeLessThanOrEqual(150);
      if (b.type === 'section') {
        if (b.text) expect(b.text.text.length).toBeLessThanOrEqual(3000);
        for (const f of b.fields ?? []) expect(f.text.length).toBeLessThanOrEqual(2000);
      }
    }
    expect(m.text.length).toBeLessThanOrEqual(3000);
  });

  it('marks a resolution and an acknowledgement', () => {
    const opened = openedChange();
    const { change } = acknowledgeIncident(opened.incident, { by: 'sam', atMs: T + W + 1 });
    const m = buildSlackMessage(change!, links);
    expect(m.blocks[0]).toMatchObject({ text: { text: 'Incident acknowledged: latency_p99 on churn v3' } });
    expect(JSON.stringify(m.blocks)).toContain('*Status*\\nacknowledged');
  });
});

/** An Rng that replays fixed uniforms (a stand-in for the random source only). */
function fixedRng(values: number[]): Rng {
  let i = 0;
  const next = () => values[i++ % values.length]!;
  return {
    next,
    nextUint32: () => Math.floor(next() * 2 ** 32),
    nextInt: (n: number) => Math.floor(next() * n),
  };
}

describe('retry schedule', () => {
  it('doubles from the base delay up to the cap without jitter', () => {
    const policy = { maxAttempts: 8, baseDelayMs: 1000, maxDelayMs: 30_000, jitter: 'none' as const };
    expect(retrySchedule(policy, seededRng(1))).toEqual([1000, 2000, 4000, 8000, 16_000, 30_000, 30_000]);
    expect(retryDelayMs(8, policy, seededRng(1))).toBeNull();
  });

  it('draws full and equal jitter from the Rng', () => {
    const full = { ...RETRY_DEFAULTS, jitter: 'full' as const };
    expect(retrySchedule(full, fixedRng([0.5, 0.25, 1 - 2 ** -53, 0, 0.5]))).toEqual([
      500, 500, 4000, 0, 8000,
    ]);
    const equal = { ...RETRY_DEFAULTS, jitter: 'equal' as const };
    expect(retrySchedule(equal, fixedRng([0, 1 - 2 ** -53]))).toEqual([500, 2000, 2000, 8000, 8000]);
  });

  it('is deterministic for a seed and stays within [0, backoff]', () => {
    fc.assert(
      fc.property(
        fc.integer(),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 0, max: 5000 }),
        fc.constantFrom('full', 'equal', 'none') as fc.Arbitrary<'full' | 'equal' | 'none'>,
        (seed, maxAttempts, base, jitter) => {
          const policy = { maxAttempts, baseDelayMs: base, maxDelayMs: base * 20, jitter };
          const a = retrySchedule(policy, seededRng(seed));
          expect(a).toEqual(retrySchedule(policy, seededRng(seed)));
          expect(a).toHaveLength(maxAttempts - 1);
          a.forEach((d, i) => {
            const backoff = Math.min(policy.maxDelayMs, base * 2 ** i);
            expect(d).toBeGreaterThanOrEqual(jitter === 'equal' ? Math.floor(backoff / 2) : 0);
            expect(d).toBeLessThanOrEqual(Math.ceil(backoff));
          });
        },
      ),
    );
  });

  it('honours Retry-After as a floor up to the cap, and rejects bad policies', () => {
    const none = { ...RETRY_DEFAULTS, jitter: 'none' as const };
    expect(retryDelayMs(1, none, seededRng(1), 20_000)).toBe(20_000);
    expect(retryDelayMs(1, none, seededRng(1), 10 * 60_000)).toBe(60_000);
    expect(retryDelayMs(2, none, seededRng(1), 10)).toBe(2000);
    expect(() => retrySchedule({ ...none, maxAttempts: 0 }, seededRng(1))).toThrow(/maxAttempts/);
    expect(() => retrySchedule({ ...none, maxDelayMs: 10 }, seededRng(1))).toThrow(/maxDelayMs/);
    expect(() => retryDelayMs(0, none, seededRng(1))).toThrow(/retry number/);
  });

  it('retries network failures, throttling and server errors only', () => {
    const cases: [number | null, boolean][] = [
      [null, true],
      [408, true],
      [425, true],
      [429, true],
      [500, true],
      [503, true],
      [400, false],
      [401, false],
      [404, false],
      [413, false],
      [200, false],
      [301, false],
    ];
    for (const [status, retry] of cases) expect(isRetryableStatus(status)).toBe(retry);
  });
});

describe('shouldNotify', () => {
  it('sends openings and resolutions, top-cause changes and relapses, and filters by severity', () => {
    const opened = openedChange();
    expect(shouldNotify(opened)).toBe(true);
    expect(shouldNotify(opened, { minSeverity: 'critical' })).toBe(true);
    const info = { ...opened, incident: { ...opened.incident, severity: 'info' as const } };
    expect(shouldNotify(info)).toBe(false);
    const quietUpdate: IncidentChange = { ...opened, kind: 'updated', reasons: ['causes_changed'] };
    expect(shouldNotify(quietUpdate)).toBe(false);
    expect(shouldNotify({ ...quietUpdate, reasons: ['top_cause_changed'] })).toBe(true);
    expect(shouldNotify({ ...quietUpdate, reasons: ['relapsed'] })).toBe(true);
    const { change: ack } = acknowledgeIncident(opened.incident, { by: 'sam', atMs: T + W });
    expect(shouldNotify(ack!)).toBe(false);
    expect(shouldNotify(ack!, { notifyAcknowledged: true })).toBe(true);
    const ackedUpdate: IncidentChange = { ...ack!, kind: 'updated', reasons: ['top_cause_changed'] };
    expect(shouldNotify(ackedUpdate)).toBe(false);
    expect(shouldNotify(ackedUpdate, { notifyUpdatesWhenAcknowledged: true })).toBe(true);
    expect(shouldNotify({ ...opened, kind: 'resolved' })).toBe(true);
  });
});
