import { describe, expect, it } from 'vitest';
import {
  compareDistributions,
  isNumericFeature,
  outliers,
  referenceValues,
  type SampledValue,
  sampledValues,
} from './feature.js';
import { byStart, timeAxis } from './series.js';
import { normals, windowOf } from './window-fixtures.js';

const sv = (values: unknown[]): SampledValue[] =>
  values.map((value) => ({ id: null, instance: null, windowStartMs: null, value }));

describe('one feature, reference against current', () => {
  it('reads the feature from sampled rows of a range of windows', () => {
    const axis = timeAxis(0, 2 * 3_600_000, 3_600_000);
    const groups = byStart(
      [
        windowOf([{ id: 'a', instance: 'i1', features: { x: 1 } }], 0),
        windowOf([{ id: 'b', features: { x: 2, y: 0 } }], 3_600_000),
      ],
      axis,
    );
    expect(sampledValues(groups, { from: 1, to: 2 }, 'x')).toEqual([
      { id: 'b', instance: null, windowStartMs: 3_600_000, value: 2 },
    ]);
    expect(sampledValues(groups, null, 'x')).toEqual([]);
    expect(referenceValues([{ x: 3 }, { y: 1 }], 'x')).toEqual(sv([3]));
  });

  it('bins both sides alike; each side sums to one', () => {
    const d = compareDistributions(sv(normals(500, 0, 1, 1)), sv(normals(500, 1, 1, 2)));
    expect(d.numeric).toBe(true);
    expect(d.bins).toHaveLength(20);
    expect(d.bins.reduce((s, b) => s + b.ref, 0)).toBeCloseTo(1, 12);
    expect(d.bins.reduce((s, b) => s + b.cur, 0)).toBeCloseTo(1, 12);
    const c = compareDistributions(sv(['a', 'a', 'b', null]), sv(['a', 'c']));
    expect(c.numeric).toBe(false);
    expect(c.bins.find((b) => b.label === 'a')).toEqual({ label: 'a', ref: 0.5, cur: 0.5 });
    expect(c.bins.find((b) => b.label === '(missing)')!.ref).toBe(0.25);
    expect(isNumericFeature(sv(['1', 2]))).toBe(false);
  });

  it('finds the current rows outside the reference range, most extreme first', () => {
    const ref = sv(normals(2000, 50, 5, 3));
    const cur = [
      ...sv(normals(200, 50, 5, 4)),
      { id: 'cents', instance: 'pod-3', windowStartMs: 0, value: 5000 },
    ];
    const r = outliers(ref, cur)!;
    expect(r.kind).toBe('range');
    expect(r.rows[0]!.id).toBe('cents');
    expect(r.lo!).toBeLessThan(40);
    expect(r.hi!).toBeGreaterThan(60);
    expect(r.share!).toBeLessThan(0.05);
    const unseen = outliers(sv(['a', 'b']), sv(['a', 'z', 'z']))!;
    expect(unseen.kind).toBe('categories');
    expect(unseen.outside).toBe(2);
    expect(unseen.alert).toBe(true);
    expect(outliers([], cur)).toBeNull();
  });
});
