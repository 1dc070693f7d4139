import { describe, expect, it } from 'vitest';
import { CRASH_LOOP_DEFAULTS, crashLoop } from './crash-loop.js';
import type { HeartbeatRecord, ServingEvent } from './inputs.js';
import { emptyInput, findingsOf, T0, WINDOW_MS } from './testing/fixtures.js';

/** Heartbeats every 30 s over the last hour; the process restarts at each of `restarts`. */
function heartbeats(
  instance: string,
  restarts: number[],
  extra: Partial<HeartbeatRecord> = {},
): HeartbeatRecord[] {
  const out: HeartbeatRecord[] = [];
  for (let t = T0 - 3_600_000; t < T0 + WINDOW_MS; t += 30_000) {
    const started = restarts.filter((r) => r <= t).at(-1) ?? T0 - 86_400_000;
    out.push({ instance, timestampMs: t, processStartMs: started, version: 'v3', ...extra });
  }
  return out;
}
const run = (hbs: HeartbeatRecord[], events: ServingEvent[] = []) =>
  crashLoop.run(emptyInput({ heartbeats: hbs, events }), CRASH_LOOP_DEFAULTS);

describe('crash loops', () => {
  it('three unplanned restarts in half an hour are a critical crash loop', () => {
    const restarts = [T0 - 900_000, T0 - 400_000, T0 + 100_000];
    const events = restarts.map((t) => ({
      kind: 'crash',
      timestampMs: t - 2_000,
      instance: 'web-3',
      message: 'SIGSEGV',
    }));
    const [f] = findingsOf(run(heartbeats('web-3', restarts), events));
    expect(f!.cause).toBe('downtime');
    expect(f!.subject).toEqual({ model: 'churn', instance: 'web-3', version: 'v3' });
    expect(f!.severity).toBe('critical');
    expect(f!.sinceMs).toBe(restarts[0]);
    expect(f!.evidence.figures[0]!.value).toBe(3);
    // Crash events and start-time changes of the same restart count once.
    expect(f!.evidence.detail!.restarts).toEqual(
      restarts.map((atMs) => ({ atMs, source: 'both', kind: 'crash' })),
    );
    expect(f!.evidence.summary).toContain('(crash loop)');
  });

  it('two restarts are a warning; one is not reported', () => {
    expect(findingsOf(run(heartbeats('web-1', [T0 - 600_000, T0 + 60_000])))[0]!.severity).toBe('warning');
    expect(run(heartbeats('web-1', [T0 + 60_000]))[0]!.kind).toBe('clear');
  });

  it('needs a restart in the window: an old loop that stopped is not reported again', () => {
    expect(run(heartbeats('web-1', [T0 - 1_500_000, T0 - 1_200_000, T0 - 900_000]))[0]!.kind).toBe('clear');
  });

  it('planned restarts (deploys, version changes) do not count', () => {
    const restarts = [T0 - 900_000, T0 - 400_000, T0 + 100_000];
    const deploys = restarts.map((t) => ({ kind: 'deploy', timestampMs: t - 10_000 }));
    expect(run(heartbeats('web-1', restarts), deploys)[0]!.kind).toBe('clear');
  });

  it('sees restarts through crash events alone, also without an instance name', () => {
    const events = [T0 - 600_000, T0 - 300_000, T0 + 30_000].map((t) => ({ kind: 'oom', timestampMs: t }));
    const [f] = findingsOf(run([], events));
    expect(f!.subject).toEqual({ model: 'churn' });
    expect(f!.severity).toBe('critical');
  });

  it('cannot see restarts without start times or events', () => {
    const hbs = heartbeats('web-1', []).map(({ processStartMs: _, ...h }) => h);
    expect(run(hbs)[0]!.kind).toBe('insufficient_data');
  });
});
