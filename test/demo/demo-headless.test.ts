/**
 * The demo's headless run as an end-to-end test: the whole timeline — a real collector on SQLite with its engine,
 * real models trained on the shipped data, the SDK sending every event over HTTP, a real feature store that is
 * stopped and started — played as fast as possible. Every injected failure must be found with the right top
 * cause, and no incident may open in the clean stretches.
 */
import { describe, expect, it } from 'vitest';
import type { DemoResult } from '../../src/demo/run-demo.js';
import { DEFAULT_HEADLESS_START_MS, runDemo } from '../../src/demo/run-demo.js';
import { FAILURES, TIMELINE_HOURS } from '../../src/demo/timeline.js';
import { createWindowAnalyzer } from '../../src/server/engine/analyzer.js';

function explain(r: DemoResult): string {
  const lines = r.score.failures
    .filter((f) => !f.correct)
    .map(
      (f) =>
        `${f.failure.id} (expected ${f.failure.cause}): ${
          f.incidents.length === 0
            ? 'no incident'
            : f.incidents.map((i) => `${i.expectationId} → ${i.topCause} (${i.topScore})`).join(', ')
        }`,
    );
  for (const i of r.score.unmatched)
    lines.push(`false alarm: ${i.model} ${i.expectationId} → ${i.topCause}: ${i.summary}`);
  return lines.join('\n');
}

describe('faultline demo --headless', () => {
  it('finds every injected failure with the right top cause and raises nothing in the clean stretches', async () => {
    const lines: string[] = [];
    const logs: string[] = [];
    const r = await runDemo({
      seed: 7,
      speedSecondsPerHour: null,
      startMs: DEFAULT_HEADLESS_START_MS,
      analyzer: (store) => createWindowAnalyzer({ store }),
      onLine: (l) => lines.push(l),
      onLog: (l) => logs.push(l),
    });
    expect(r.hours).toBe(TIMELINE_HOURS);
    expect(logs).toEqual([]);
    // The timeline was played: traffic on every model, labels and clicks came back, hosts reported.
    expect(r.counts.predictions).toBeGreaterThan(50_000);
    expect(r.counts.labels).toBeGreaterThan(35_000);
    expect(r.counts.feedback).toBeGreaterThan(2_000);
    // Eight instances beat every five minutes, but for the 24 beats the crash-looping one misses.
    expect(r.counts.heartbeats).toBe(TIMELINE_HOURS * 12 * 8 - 24);
    // Every failure was announced, and every incident opening was printed as it happened.
    for (const f of FAILURES) expect(lines.some((l) => l.includes(`injecting ${f.id} `))).toBe(true);
    expect(lines.filter((l) => l.includes('incident opened:')).length).toBe(r.incidents.length);

    expect(explain(r)).toBe('');
    expect(r.score.found).toBe(FAILURES.length);
    expect(r.score.correct).toBe(FAILURES.length);
    expect(r.score.unmatched).toEqual([]);
    expect(r.score.passed).toBe(true);
    // Incidents open within the failure (or the window after it) and have resolved by the end of the run, those
    // of a release rolled back included (they resolve once the release no longer serves).
    for (const f of r.score.failures) {
      expect(f.detectionDelayMs).not.toBeNull();
      expect(f.detectionDelayMs!).toBeLessThanOrEqual(
        (f.failure.endHour - f.failure.startHour + 1) * 3_600_000,
      );
    }
    expect(
      r.incidents.filter((i) => i.status !== 'resolved').map((i) => `${i.model} ${i.expectationId}`),
    ).toEqual([]);
  }, 120_000);
});
