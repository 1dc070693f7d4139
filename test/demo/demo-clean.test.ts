/**
 * The demo's timeline with no failure injected: 70 hours of the same traffic, releases and all, must raise no
 * incident at all. This is the false-alarm check of the detectors and expectations the demo runs.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_HEADLESS_START_MS, runDemo } from '../../src/demo/run-demo.js';
import { TIMELINE_HOURS } from '../../src/demo/timeline.js';
import { createWindowAnalyzer } from '../../src/server/engine/analyzer.js';

describe('faultline demo without failures', () => {
  it('raises no incident in 70 clean hours', async () => {
    const r = await runDemo({
      seed: 7,
      speedSecondsPerHour: null,
      startMs: DEFAULT_HEADLESS_START_MS,
      failures: [],
      analyzer: (store) => createWindowAnalyzer({ store }),
    });
    expect(r.hours).toBe(TIMELINE_HOURS);
    expect(r.counts.errors).toBe(0);
    expect(r.incidents.map((i) => `${i.model} ${i.expectationId} → ${i.topCause}: ${i.summary}`)).toEqual([]);
  }, 120_000);
});
