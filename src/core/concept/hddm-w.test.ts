import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runDetectorConformance } from './detector-conformance.suite.js';
import { HddmW } from './hddm-w.js';

const s1 = Array.from({ length: 2000 }, (_, i) =>
  i < 1000 ? (i % 10 === 0 ? 1 : 0) : (i - 1000) % 2 === 0 ? 1 : 0,
);

describe('HDDM_W (methods.md §4.4)', () => {
  // methods.md has no vector for HDDM_W; this pins the transcription's behaviour on S1 as a regression value
  // (same stream as the HDDM_A vector; the EWMA reacts a little later than HDDM_A's plain mean here).
  it('regression: on S1 warns from 1036 and drifts at 1066, nothing before the change', () => {
    const d = new HddmW();
    let warning: number | null = null;
    const drifts: number[] = [];
    s1.forEach((x, i) => {
      const r = d.update(x);
      if (r.warning && warning === null) warning = i;
      if (r.drift) drifts.push(i);
    });
    expect(warning).toBe(1036);
    expect(drifts[0]).toBe(1066);
  });

  it('the EWMA starts at the first value and the bound term follows λ² + (1−λ)²·ibc', () => {
    const d = new HddmW({ lambda: 0.5 });
    d.update(1);
    d.update(0);
    const s = d.toJson();
    expect(s.total.ewma).toBe(0.5);
    expect(s.total.ibc).toBeCloseTo(0.25 + 0.25 * (0.25 + 0.25 * 1), 15);
  });

  it('one-sided: a constant or falling error rate never raises a drift', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 300 }), fc.integer({ min: 0, max: 300 }), (a, b) => {
        const d = new HddmW();
        for (const x of [...Array(a).fill(1), ...Array(b).fill(0)]) expect(d.update(x).drift).toBe(false);
      }),
    );
  });
});

runDetectorConformance('hddm_w', () => new HddmW(), {
  maxFalseAlarms: 3,
  minDetectionRate: 1,
  maxMedianDelay: 200,
});
