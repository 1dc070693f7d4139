import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runDetectorConformance } from './detector-conformance.suite.js';
import { HddmA } from './hddm-a.js';
import vectors from './river-rules.vectors.json' with { type: 'json' };

const s1 = Array.from({ length: 2000 }, (_, i) =>
  i < 1000 ? (i % 10 === 0 ? 1 : 0) : (i - 1000) % 2 === 0 ? 1 : 0,
);

describe('HDDM_A (methods.md §4.3, vectors §4.8)', () => {
  it('matches the S1 vector: first warning 1016, first drift 1022', () => {
    const d = new HddmA();
    let warning: number | null = null;
    let drift: number | null = null;
    s1.forEach((x, i) => {
      const r = d.update(x);
      if (r.warning && warning === null) warning = i;
      if (r.drift && drift === null) drift = i;
    });
    expect(warning).toBe(vectors.hddm_a.firstWarning);
    expect(drift).toBe(vectors.hddm_a.firstDrift);
  });

  it('one-sided: a falling error rate never raises a signal', () => {
    fc.assert(
      fc.property(fc.integer({ min: 50, max: 400 }), fc.integer({ min: 50, max: 400 }), (a, b) => {
        const d = new HddmA();
        const xs = [...Array(a).fill(1), ...Array(b).fill(0)];
        for (const x of xs) expect(d.update(x)).toEqual({ drift: false, warning: false });
      }),
    );
  });

  it('two-sided: a falling error rate is detected', () => {
    const d = new HddmA({ twoSidedTest: true });
    const xs = [...Array(200).fill(1), ...Array(200).fill(0)];
    expect(xs.some((x) => d.update(x).drift)).toBe(true);
  });
});

runDetectorConformance('hddm_a', () => new HddmA(), {
  maxFalseAlarms: 3,
  minDetectionRate: 1,
  maxMedianDelay: 200,
});
