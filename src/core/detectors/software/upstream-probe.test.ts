import { describe, expect, it } from 'vitest';
import type { ProbeResult } from './inputs.js';
import type { ProbeSpec } from './probe-spec.js';
import { emptyInput, findingsOf, T0, WINDOW_MS } from './testing/fixtures.js';
import { probeFailed, UPSTREAM_PROBE_DEFAULTS, upstreamProbe } from './upstream-probe.js';

const spec: ProbeSpec = {
  name: 'feature-store',
  kind: 'http',
  target: 'https://features.internal/health',
  intervalMs: 30_000,
  timeoutMs: 2000,
};

/** Results every 30 s from an hour before the window to its end; `at(t)` says what each one is. */
function results(at: (t: number) => Partial<ProbeResult>): ProbeResult[] {
  const out: ProbeResult[] = [];
  for (let t = T0 - 3_600_000; t < T0 + WINDOW_MS; t += 30_000)
    out.push({
      dependency: 'feature-store',
      timestampMs: t,
      ok: true,
      latencyMs: 12 + ((t / 30_000) % 5),
      ...at(t),
    });
  return out;
}
const run = (r: ProbeResult[], specs = [spec]) =>
  upstreamProbe.run(emptyInput({ probes: { specs, results: r } }), UPSTREAM_PROBE_DEFAULTS);

describe('upstream probes', () => {
  it('down since mid-window → critical dependency_failure naming the dependency', () => {
    const down = (t: number) =>
      t >= T0 + 150_000 ? { ok: false, latencyMs: null, error: 'connect ECONNREFUSED' } : {};
    const [f] = findingsOf(run(results(down)));
    expect(f!.cause).toBe('dependency_failure');
    expect(f!.subject).toEqual({ model: 'churn', dependency: 'feature-store' });
    expect(f!.severity).toBe('critical');
    expect(f!.sinceMs).toBe(T0 + 150_000);
    expect(f!.evidence.summary).toBe(
      'Upstream feature-store (http https://features.internal/health) is down: 5 of 10 probes failed (50 %), the last 5 in a row since 2025-01-06 10:02:30 UTC; last error: connect ECONNREFUSED.',
    );
  });

  it('a lone failed probe is not an outage; scattered failures are flapping', () => {
    expect(run(results((t) => (t === T0 + 60_000 ? { ok: false, latencyMs: null } : {})))[0]!.kind).toBe(
      'clear',
    );
    const scattered = (t: number) =>
      (t - T0) % 90_000 === 0 && t >= T0 ? { ok: false, latencyMs: null } : {};
    const [f] = findingsOf(run(results(scattered)));
    expect(f!.severity).toBe('warning');
    expect(f!.evidence.summary).toContain('flapping');
  });

  it('slow against its own history, and against a configured slowMs', () => {
    const slow = (t: number) => (t >= T0 ? { latencyMs: 200 } : {});
    const [f] = findingsOf(run(results(slow)));
    expect(f!.severity).toBe('warning');
    expect(f!.evidence.summary).toMatch(
      /is slow: the median probe latency is 200 ms, 1[0-9]\.\d× its 1\d ms median/,
    );
    const limited = findingsOf(
      run(
        results(() => ({ latencyMs: 90 })),
        [{ ...spec, slowMs: 80 }],
      ),
    );
    expect(limited[0]!.evidence.summary).toContain('over its 80 ms limit');
  });

  it('a probe over its timeout, or with an unexpected status, failed', () => {
    expect(probeFailed({ dependency: 'x', timestampMs: 0, ok: true, latencyMs: 2500 }, spec)).toBe(true);
    expect(
      probeFailed(
        { dependency: 'x', timestampMs: 0, ok: true, latencyMs: 20, status: 503 },
        { ...spec, expectStatus: [200] },
      ),
    ).toBe(true);
    expect(
      probeFailed(
        { dependency: 'x', timestampMs: 0, ok: true, latencyMs: 20, status: 200 },
        { ...spec, expectStatus: [200] },
      ),
    ).toBe(false);
  });

  it('no probes configured → not_applicable; configured but no results → insufficient_data', () => {
    expect(run([], [])[0]!.kind).toBe('not_applicable');
    const out = run([]);
    expect(out[0]).toMatchObject({ kind: 'insufficient_data', subject: { dependency: 'feature-store' } });
    expect((out[0] as { reason: string }).reason).toContain('about 10 expected');
  });
});
