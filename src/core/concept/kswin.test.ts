import { describe, expect, it } from 'vitest';
import { seededRng } from '../rng.js';
import { runDetectorConformance } from './detector-conformance.suite.js';
import { Kswin } from './kswin.js';

describe('KSWIN (methods.md §4.7)', () => {
  it('is silent until the window is full, then tests every update', () => {
    const d = new Kswin(seededRng(1));
    for (let i = 0; i < 99; i++) d.update(i % 3);
    expect(d.lastTest.pValue).toBeNull();
    d.update(1);
    expect(d.lastTest.pValue).not.toBeNull();
  });

  it('detects a shift of a continuous stream within one window and cuts the window back to R', () => {
    const rng = seededRng(2);
    const d = new Kswin(seededRng(3));
    let at: number | null = null;
    for (let i = 0; i < 400 && at === null; i++) {
      const u = rng.next();
      if (d.update(i < 200 ? u : u + 1).drift) at = i;
    }
    expect(at).not.toBeNull();
    expect(at! - 200).toBeLessThan(40);
    expect(d.toJson().window).toHaveLength(30);
    expect(d.lastTest.pValue!).toBeLessThanOrEqual(0.005);
    expect(d.lastTest.statistic!).toBeGreaterThan(0.1);
  });

  it('is deterministic for a seed', () => {
    const run = () => {
      const src = seededRng(4);
      const d = new Kswin(seededRng(5));
      return Array.from({ length: 600 }, (_, i) => d.update(src.next() + (i > 300 ? 0.3 : 0)).drift);
    };
    expect(run()).toEqual(run());
  });

  it('needs an Rng and a window of at least 2 · statSize', () => {
    expect(() => new Kswin(undefined as never)).toThrow(/Rng/);
    expect(() => new Kswin(seededRng(1), { windowSize: 50, statSize: 30 })).toThrow(/windowSize/);
  });
});

// On a 0/1 stream the KS test only sees the difference of two proportions over 30 items each, and after a step
// the old concept leaves the 100-item window within 70 items: KSWIN catches a 0.1 → 0.4 step in only some runs.
runDetectorConformance('kswin', (seed) => new Kswin(seededRng(1000 + seed)), {
  maxFalseAlarms: 3,
  minDetectionRate: 0.3,
  maxMedianDelay: 2500,
});
