/**
 * A seed replays the same demo: two headless runs of the first 14 hours (a dependency upgrade and a record
 * storm) with the same seed give the same traffic and the same incidents — ids, expectations, times and ranked
 * causes — and another seed gives other traffic.
 */
import { describe, expect, it } from 'vitest';
import type { DemoResult } from '../../src/demo/run-demo.js';
import { DEFAULT_HEADLESS_START_MS, runDemo } from '../../src/demo/run-demo.js';
import { createWindowAnalyzer } from '../../src/server/engine/analyzer.js';

const play = (seed: number, hours = 14): Promise<DemoResult> =>
  runDemo({
    seed,
    speedSecondsPerHour: null,
    startMs: DEFAULT_HEADLESS_START_MS,
    hours,
    analyzer: (store) => createWindowAnalyzer({ store }),
  });

describe('faultline demo --seed', () => {
  it('gives the same incidents and causes for the same seed', async () => {
    const a = await play(21);
    const b = await play(21);
    expect(a.incidents.length).toBeGreaterThanOrEqual(2);
    expect(b.counts).toEqual(a.counts);
    expect(b.incidents).toEqual(a.incidents);
    expect(b.score.failures.map((f) => [f.failure.id, f.found, f.correct])).toEqual(
      a.score.failures.map((f) => [f.failure.id, f.found, f.correct]),
    );
    const c = await play(22, 3);
    const d = await play(21, 3);
    expect(c.counts).not.toEqual(d.counts);
  }, 240_000);
});
