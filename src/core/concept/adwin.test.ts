import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Adwin } from './adwin.js';
import { runDetectorConformance } from './detector-conformance.suite.js';
import vectors from './river-rules.vectors.json' with { type: 'json' };

function detections(xs: number[]): { index: number; width: number; total: number }[] {
  const d = new Adwin();
  const out: { index: number; width: number; total: number }[] = [];
  xs.forEach((x, i) => {
    if (d.update(x).drift) out.push({ index: i, width: d.window.width, total: d.window.total });
  });
  return out;
}

describe('ADWIN (methods.md §4.6, vectors S3/S4 §4.8)', () => {
  it('matches S3: detections at 511 (width 256, total 12), 543 (width 64), 607 (width 112)', () => {
    const got = detections(Array.from({ length: 1000 }, (_, i) => (i < 500 ? 0 : 1)));
    expect(got).toEqual(vectors.adwin.S3.map((v) => expect.objectContaining(v)));
  });

  it('matches S4: detections at 1055 and 1119', () => {
    const xs = Array.from({ length: 2000 }, (_, i) =>
      i < 1000 ? (i % 10 === 0 ? 1 : 0) : (i - 1000) % 3 !== 0 ? 1 : 0,
    );
    expect(detections(xs).map((d) => d.index)).toEqual(vectors.adwin.S4.map((v) => v.index));
  });

  it('keeps exact window statistics: width, sum and variance equal those of the last `width` values', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 700 }),
        (xs) => {
          const d = new Adwin();
          for (const x of xs) d.update(x);
          const w = d.window;
          const tail = xs.slice(xs.length - w.width);
          const mean = tail.reduce((a, b) => a + b, 0) / tail.length;
          const variance = tail.reduce((a, b) => a + (b - mean) ** 2, 0) / tail.length;
          expect(w.total).toBeCloseTo(
            tail.reduce((a, b) => a + b, 0),
            8,
          );
          expect(w.variance!).toBeCloseTo(variance, 8);
        },
      ),
    );
  });

  it('holds O(log width) buckets: never more than maxBuckets per level', () => {
    const d = new Adwin();
    for (let i = 0; i < 5000; i++) d.update(i % 7 === 0 ? 1 : 0);
    const s = d.toJson();
    expect(s.levels.every((l) => l.totals.length <= 5)).toBe(true);
    expect(s.levels.length).toBeLessThanOrEqual(Math.ceil(Math.log2(5000)));
  });
});

runDetectorConformance('adwin', () => new Adwin(), {
  maxFalseAlarms: 3,
  minDetectionRate: 1,
  maxMedianDelay: 160,
});
