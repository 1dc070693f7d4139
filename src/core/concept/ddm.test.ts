import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Ddm } from './ddm.js';
import { runDetectorConformance } from './detector-conformance.suite.js';
import vectors from './river-rules.vectors.json' with { type: 'json' };

/** Stream S1 of methods.md §4.8. */
const s1 = Array.from({ length: 2000 }, (_, i) =>
  i < 1000 ? (i % 10 === 0 ? 1 : 0) : (i - 1000) % 2 === 0 ? 1 : 0,
);

describe('DDM (methods.md §4.1, vectors §4.8)', () => {
  it('matches the S1 vector: statistics after 200 items, first warning, first drift', () => {
    const v = vectors.ddm;
    const d = new Ddm();
    let warning: number | null = null;
    let drift: number | null = null;
    s1.forEach((x, i) => {
      const r = d.update(x);
      if (i === 199) {
        expect(d.stats.p).toBeCloseTo(v.after200.p, 9);
        expect(d.stats.pMin!).toBeCloseTo(v.after200.pMin, 9);
        expect(d.stats.sMin!).toBeCloseTo(v.after200.sMin, 11);
      }
      if (r.warning && warning === null) warning = i;
      if (r.drift && drift === null) drift = i;
    });
    expect(warning).toBe(v.firstWarning);
    expect(drift).toBe(v.firstDrift);
  });

  it('never signals before warm start, and a drift clears the warning', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(0, 1), { minLength: 1, maxLength: 400 }), (xs) => {
        const d = new Ddm();
        xs.forEach((x, i) => {
          const r = d.update(x);
          if (i < 30) expect(r).toEqual({ drift: false, warning: false });
          if (r.drift) expect(r.warning).toBe(false);
        });
      }),
    );
  });

  it('rejects non-binary input and bad options, naming them', () => {
    expect(() => new Ddm().update(0.5)).toThrow(/x must be 0 \(correct\) or 1 \(error\)/);
    expect(() => new Ddm({ driftThreshold: 1 })).toThrow(/driftThreshold/);
    expect(() => Ddm.fromJson({ kind: 'ddm', version: 1, options: {}, n: 'x' })).toThrow(/field n/);
  });
});

runDetectorConformance('ddm', () => new Ddm(), {
  maxFalseAlarms: 5,
  minDetectionRate: 1,
  maxMedianDelay: 600,
});
