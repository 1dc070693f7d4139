import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runDetectorConformance } from './detector-conformance.suite.js';
import { Eddm } from './eddm.js';
import vectors from './river-rules.vectors.json' with { type: 'json' };

const s1 = Array.from({ length: 2000 }, (_, i) =>
  i < 1000 ? (i % 10 === 0 ? 1 : 0) : (i - 1000) % 2 === 0 ? 1 : 0,
);

describe('EDDM (methods.md §4.2, vectors §4.8)', () => {
  it('matches the S1 vector: drifts at 300 and 1180, warning from 1126', () => {
    const d = new Eddm();
    const drifts: number[] = [];
    let warningFrom: number | null = null;
    s1.forEach((x, i) => {
      const r = d.update(x);
      if (r.drift) drifts.push(i);
      if (r.warning && warningFrom === null && i > 300) warningFrom = i;
    });
    expect(drifts).toEqual(vectors.eddm.drifts);
    expect(warningFrom).toBe(vectors.eddm.warningFrom);
  });

  it('only changes its signal on an error (a correct prediction keeps it)', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(0, 0, 0, 1), { minLength: 2, maxLength: 600 }), (xs) => {
        const d = new Eddm();
        let prev = { drift: false, warning: false };
        for (const x of xs) {
          const r = d.update(x);
          if (x === 0 && !prev.drift) expect(r).toEqual(prev);
          prev = r;
        }
      }),
    );
  });

  it('rejects alpha < beta', () => {
    expect(() => new Eddm({ alpha: 0.8, beta: 0.9 })).toThrow(/alpha/);
  });
});

runDetectorConformance('eddm', () => new Eddm(), {
  maxFalseAlarms: 60,
  minDetectionRate: 1,
  maxMedianDelay: 200,
});
