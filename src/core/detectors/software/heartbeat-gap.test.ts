import { describe, expect, it } from 'vitest';
import { HEARTBEAT_GAP_DEFAULTS, heartbeatGap } from './heartbeat-gap.js';
import { emptyInput, findingsOf, regularHeartbeats, T0, WINDOW_MS } from './testing/fixtures.js';

const END = T0 + WINDOW_MS;
const run = (heartbeats: ReturnType<typeof regularHeartbeats>, events = emptyInput().events) =>
  heartbeatGap.run(emptyInput({ heartbeats, events }), HEARTBEAT_GAP_DEFAULTS);

describe('heartbeat gaps', () => {
  it('an instance silent since mid-window is critical, dated from its last heartbeat', () => {
    const hbs = [
      ...regularHeartbeats('web-1', T0 - 3_600_000, END),
      ...regularHeartbeats('web-2', T0 - 3_600_000, T0 + 60_000, 30_000, { version: 'v3' }),
    ];
    const [f, ...rest] = findingsOf(run(hbs));
    expect(rest).toEqual([]);
    expect(f!.cause).toBe('downtime');
    expect(f!.subject).toEqual({ model: 'churn', instance: 'web-2', version: 'v3' });
    expect(f!.severity).toBe('critical');
    expect(f!.sinceMs).toBe(T0 + 30_000);
    expect(f!.evidence.summary).toBe(
      'Instance web-2 has sent no heartbeat for 4 min 30 s (since 2025-01-06 10:00:30 UTC), 9.0× its 30 s interval.',
    );
  });

  it('a silence that ended within the window is a warning', () => {
    const hbs = [
      ...regularHeartbeats('web-1', T0 - 600_000, T0 + 30_000),
      ...regularHeartbeats('web-1', T0 + 200_000, END),
    ];
    const [f] = findingsOf(run(hbs));
    expect(f!.severity).toBe('warning');
    expect(f!.evidence.detail).toMatchObject({ gapFromMs: T0, gapToMs: T0 + 200_000, ongoing: false });
  });

  it('uses the declared interval before the spacing, and minGapMs as a floor', () => {
    // Heartbeats every 10 s declared as 10 s: a 45 s silence is 4.5 intervals but under the 60 s floor.
    const hbs = [
      ...regularHeartbeats('web-1', T0 - 600_000, T0 + 100_000, 10_000, { intervalMs: 10_000 }),
      ...regularHeartbeats('web-1', T0 + 145_000, END, 10_000, { intervalMs: 10_000 }),
    ];
    expect(run(hbs)[0]!.kind).toBe('clear');
    // Declared 5 s while actually sent every 30 s: each 30 s spacing is 6 intervals but still under 60 s.
    expect(run(regularHeartbeats('web-1', T0 - 600_000, END, 30_000, { intervalMs: 5_000 }))[0]!.kind).toBe(
      'clear',
    );
  });

  it('a stop on purpose is not downtime; a deploy gets a grace, then is reported', () => {
    const hbs = regularHeartbeats('web-1', T0 - 3_600_000, T0 + 60_000);
    expect(run(hbs, [{ kind: 'scale_down', timestampMs: T0 + 50_000, instance: 'web-1' }])[0]!.kind).toBe(
      'clear',
    );
    const deploy = [{ kind: 'deploy', timestampMs: T0 + 45_000, instance: 'web-1' }];
    expect(run(hbs, deploy)[0]!.kind).toBe('clear');
    const later = heartbeatGap.run(
      emptyInput({ heartbeats: hbs, events: deploy, window: { startMs: END, endMs: END + WINDOW_MS } }),
      HEARTBEAT_GAP_DEFAULTS,
    );
    expect(findingsOf(later)[0]!.evidence.detail).toMatchObject({ planned: true, ongoing: true });
  });

  it('regular heartbeats with jitter are clear; nothing at all is insufficient data', () => {
    const jittered = regularHeartbeats('web-1', T0 - 3_600_000, END).map((h, i) => ({
      ...h,
      timestampMs: h.timestampMs + ((i * 7919) % 2000) - 1000,
    }));
    const out = run(jittered);
    expect(out).toHaveLength(1);
    expect(out[0]!.kind).toBe('clear');
    expect(run([])[0]!.kind).toBe('insufficient_data');
  });

  it('cannot judge an instance with two heartbeats and no declared interval', () => {
    const out = run([
      { instance: 'web-9', timestampMs: T0 - 100_000 },
      { instance: 'web-9', timestampMs: T0 - 70_000 },
    ]);
    expect(out).toEqual([
      expect.objectContaining({ kind: 'insufficient_data', subject: { model: 'churn', instance: 'web-9' } }),
    ]);
  });
});
