import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { seededRng } from '../rng.js';
import { distributionSkew } from './distribution-skew.js';

const rep = <T>(v: T, n: number): T[] => Array.from({ length: n }, () => v);

describe('distributionSkew — methods.md vectors (1.4 data)', () => {
  it('categorical: L∞ = 0.2, attained by c and d, TFDV reports the last key d', () => {
    const [r] = distributionSkew(
      { city: [...rep('a', 50), ...rep('b', 30), ...rep('c', 20)] },
      { city: [...rep('a', 40), ...rep('b', 40), ...rep('d', 20)] },
    );
    expect(r).toMatchObject({
      kind: 'categorical',
      metric: 'l_infinity',
      nTraining: 100,
      nServing: 100,
      skewed: false,
    });
    expect(r!.value).toBeCloseTo(0.2, 12);
    expect(r!.topCategory).toEqual({ value: 'd', training: 0, serving: 0.2 });
    const [strict] = distributionSkew(
      { city: ['a', 'a', 'b'] },
      { city: ['b', 'b', 'b'] },
      { categoricalThreshold: 0.1 },
    );
    expect(strict!.skewed).toBe(true);
  });

  it('numerical: JS divergence (base 2) of equal-width bins = 0.209185925461 for proportions 1.4', () => {
    // 4 equal-width bins over the pooled range [0.5, 3.5] put 0.5, 1.5, 2.5, 3.5 in bins 0..3
    const training = { x: [...rep(0.5, 50), ...rep(1.5, 30), ...rep(2.5, 20)] };
    const serving = { x: [...rep(0.5, 40), ...rep(1.5, 40), ...rep(3.5, 20)] };
    const [r] = distributionSkew(training, serving, { bins: 4 });
    expect(r!.metric).toBe('jensen_shannon_divergence');
    expect(Math.abs(r!.value! - 0.209185925461) / 0.209185925461).toBeLessThan(1e-9);
    expect(r!.edges).toEqual([0.5, 1.25, 2, 2.75, 3.5]);
    expect(r!.skewed).toBe(false);
    expect(distributionSkew(training, serving, { bins: 4, thresholds: { x: 0.2 } })[0]!.skewed).toBe(true);
  });
});

describe('distributionSkew — behaviour', () => {
  const rng = seededRng(5);
  const normal = (n: number, mu: number) =>
    Array.from(
      { length: n },
      () => mu + Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next()),
    );

  it('flags a shifted numerical feature and passes an unchanged one', () => {
    const res = distributionSkew(
      { a: normal(2000, 0), b: normal(2000, 0) },
      { a: normal(500, 3), b: normal(500, 0) },
    );
    expect(res.map((r) => [r.feature, r.skewed])).toEqual([
      ['a', true],
      ['b', false],
    ]);
  });

  it('a side without values gives null, not skewed, with the reason', () => {
    const [r] = distributionSkew({ a: [1, 2, 3] }, { a: [null, null] });
    expect(r).toMatchObject({ value: null, skewed: false, reason: 'no values in serving' });
  });

  it('names bad options', () => {
    expect(() => distributionSkew({ a: [1] }, { a: [1] }, { bins: 0 })).toThrow(/bins/);
    expect(() => distributionSkew({ a: [1] }, { a: [1] }, { thresholds: { a: -1 } })).toThrow(
      /threshold for 'a'/,
    );
    expect(() => distributionSkew({ a: [1] }, { b: [1] }, { features: ['a'] })).toThrow(
      /serving has no column 'a'/,
    );
  });

  it('property: value in [0, 1]; identical samples give 0', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -50, max: 50 }), { minLength: 1, maxLength: 60 }),
        fc.array(fc.integer({ min: -50, max: 50 }), { minLength: 1, maxLength: 60 }),
        (x, y) => {
          const [r] = distributionSkew({ x }, { x: y });
          expect(r!.value!).toBeGreaterThanOrEqual(0);
          expect(r!.value!).toBeLessThanOrEqual(1);
          expect(distributionSkew({ x }, { x })[0]!.value).toBeCloseTo(0, 12);
          const [c] = distributionSkew({ x: x.map(String) }, { x: y.map(String) });
          expect(c!.value!).toBeGreaterThanOrEqual(0);
          expect(c!.value!).toBeLessThanOrEqual(1);
        },
      ),
    );
  });
});
