import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runDetectorConformance } from './detector-conformance.suite.js';
import { PageHinkley } from './page-hinkley.js';
import vectors from './river-rules.vectors.json' with { type: 'json' };

describe('Page–Hinkley (methods.md §4.5, vector S2 §4.8)', () => {
  it('matches the S2 vector: sums after 110 items and drift at 166', () => {
    const v = vectors.page_hinkley;
    const d = new PageHinkley();
    const xs = [...Array(100).fill(0), ...Array(200).fill(1)];
    let drift: number | null = null;
    xs.forEach((x, i) => {
      const r = d.update(x);
      if (i === 109) {
        const s = d.stats;
        for (const k of ['mean', 'sumIncrease', 'minIncrease', 'sumDecrease', 'maxDecrease'] as const)
          expect(Math.abs(s[k] - v.after110[k]) / Math.abs(v.after110[k])).toBeLessThan(1e-9);
      }
      if (r.drift && drift === null) drift = i;
    });
    expect(drift).toBe(v.firstDrift);
  });

  it("mode 'up' ignores a fall and mode 'down' ignores a rise", () => {
    const rise = [...Array(100).fill(0), ...Array(200).fill(1)];
    const fall = rise.map((x) => 1 - x);
    const drifts = (mode: 'up' | 'down', xs: number[]) => {
      const d = new PageHinkley({ mode });
      return xs.filter((x) => d.update(x).drift).length;
    };
    expect(drifts('up', rise)).toBeGreaterThan(0);
    expect(drifts('down', rise)).toBe(0);
    expect(drifts('down', fall)).toBeGreaterThan(0);
    expect(drifts('up', fall)).toBe(0);
  });

  it('a constant stream never drifts, whatever its level', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -1e3, max: 1e3, noNaN: true }),
        fc.integer({ min: 1, max: 500 }),
        (c, n) => {
          const d = new PageHinkley();
          for (let i = 0; i < n; i++) expect(d.update(c).drift).toBe(false);
        },
      ),
    );
  });
});

runDetectorConformance('page_hinkley', () => new PageHinkley(), {
  maxFalseAlarms: 3,
  minDetectionRate: 1,
  maxMedianDelay: 300,
});
