import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { seededRng } from '../rng.js';
import { quantileSorted } from '../stats/binning.js';
import { binomialUpperTail, evaluateCategories, evaluateRange, fitRange } from './range.js';
import vectors from './range.vectors.json' with { type: 'json' };

function rel(a: number, b: number): number {
  return Math.abs(a - b) / Math.max(Math.abs(b), 1e-300);
}

function gaussian(rng: ReturnType<typeof seededRng>): number {
  return Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next());
}

describe('range — vectors', () => {
  it('NumPy linear quantiles', () => {
    vectors.quantile.q.forEach((q, i) => {
      expect(
        rel(quantileSorted(Float64Array.from(vectors.quantile.x).sort(), q), vectors.quantile.expected[i]!),
      ).toBeLessThan(1e-12);
    });
  });

  it.each(vectors.binomialUpperTail)('P(X ≥ $k | n=$n, p=$p) = $value', ({ k, n, p, value }) => {
    expect(rel(binomialUpperTail(k, n, p), value)).toBeLessThan(1e-6);
  });

  it('fits lo/hi at the default 0.005/0.995 quantiles', () => {
    const ref = fitRange({ x: vectors.quantile.x });
    expect(ref.features[0]!.lo).toBeCloseTo(-2.0575, 12);
    expect(ref.features[0]!.hi).toBeCloseTo(8.965, 12);
    expect(ref.features[0]!.expectedShare).toBeCloseTo(0.01, 15);
  });
});

describe('range — behaviour', () => {
  const rng = seededRng(11);
  const reference = {
    a: Array.from({ length: 5000 }, () => gaussian(rng)),
    b: Array.from({ length: 5000 }, () => rng.next() * 10),
  };
  const model = fitRange(reference);

  it('counts values below and above, keeps extremes, counts missing separately', () => {
    const report = evaluateRange(model, { a: [0, 0.1, -100, 50, null, Number.NaN, 60], b: [5, 5, 5] });
    const a = report.features.find((f) => f.feature === 'a')!;
    expect(a.n).toBe(5);
    expect(a.missing).toBe(2);
    expect(a.below).toBe(1);
    expect(a.above).toBe(2);
    expect(a.share).toBeCloseTo(3 / 5, 15);
    expect(a.extremes).toEqual({ below: [-100], above: [60, 50] });
    expect(a.pValue).toBeCloseTo(binomialUpperTail(3, 5, 0.01), 15);
  });

  it('a feature absent from the window gives n = 0, share and p null, no alert', () => {
    const report = evaluateRange(model, { a: [0, 1] });
    const b = report.features.find((f) => f.feature === 'b')!;
    expect(b).toMatchObject({ n: 0, share: null, pValue: null, alert: false });
  });

  it('finds the change point of a synthetic stream: spikes from window 12 on', () => {
    // 20 windows of 400 rows; from window 12, 6 % of `a` are multiplied by 8 (a sensor glitch)
    const s = seededRng(99);
    const alerts: number[] = [];
    for (let w = 0; w < 20; w++) {
      const a = Array.from({ length: 400 }, () => {
        const x = gaussian(s);
        return w >= 12 && s.next() < 0.06 ? x * 8 : x;
      });
      const b = Array.from({ length: 400 }, () => s.next() * 10);
      if (evaluateRange(model, { a, b }).alerts.includes('a')) alerts.push(w);
    }
    expect(alerts).toEqual([12, 13, 14, 15, 16, 17, 18, 19]);
  });

  it('false-alarm rate on windows from the reference distribution stays near or below alpha', () => {
    const s = seededRng(5);
    let alarms = 0;
    const trials = 200;
    for (let t = 0; t < trials; t++) {
      const a = Array.from({ length: 300 }, () => gaussian(s));
      const b = Array.from({ length: 300 }, () => s.next() * 10);
      if (evaluateRange(model, { a, b }, { alpha: 0.05 }).alerts.length > 0) alarms++;
    }
    expect(alarms / trials).toBeLessThan(0.1);
  });

  it('IQR widening moves the bounds out and lowers the expected share', () => {
    const wide = fitRange(reference, { iqrWiden: 1.5 });
    const fa = wide.features[0]!;
    expect(fa.lo).toBeLessThan(model.features[0]!.lo);
    expect(fa.hi).toBeGreaterThan(model.features[0]!.hi);
    expect(fa.expectedShare).toBeLessThan(0.01);
    expect(fa.expectedShare).toBeGreaterThan(0);
  });

  it('names bad input', () => {
    expect(() => fitRange({ x: [null, Number.NaN] })).toThrow(/'x' has no finite values/);
    expect(() => fitRange({ x: [1, Number.POSITIVE_INFINITY] })).toThrow(
      /'x'.*value 1 is not a finite number/,
    );
    expect(() => fitRange({ x: [1, 2] }, { qLo: 0.9, qHi: 0.1 })).toThrow(/qLo < qHi/);
    expect(() => evaluateRange(model, { a: [1] }, { alpha: 2 })).toThrow(/alpha/);
  });
});

describe('range — properties', () => {
  const colArb = fc.array(fc.integer({ min: -1000, max: 1000 }), { minLength: 1, maxLength: 200 });

  it('the reference itself has at most about the expected share outside and below + above ≤ n', () => {
    fc.assert(
      fc.property(colArb, colArb, (ref, win) => {
        const m = fitRange({ x: ref });
        const self = evaluateRange(m, { x: ref }).features[0]!;
        // linear interpolation keeps at most ⌈q·(n−1)⌉ values below Q(q) on each side
        expect(self.below).toBeLessThanOrEqual(Math.ceil(0.005 * (ref.length - 1)));
        expect(self.above).toBeLessThanOrEqual(Math.ceil(0.005 * (ref.length - 1)));
        const r = evaluateRange(m, { x: win }).features[0]!;
        expect(r.below + r.above).toBeLessThanOrEqual(r.n);
        expect(r.pValue).toBeGreaterThanOrEqual(0);
        expect(r.pValue).toBeLessThanOrEqual(1);
      }),
    );
  });

  it('binomial tail is non-increasing in k and non-decreasing in p', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 300 }),
        fc.integer({ min: 0, max: 300 }),
        fc.double({ min: 0.001, max: 0.5, noNaN: true }),
        (n, k0, p) => {
          const k = Math.min(k0, n);
          expect(binomialUpperTail(k + 1, n, p)).toBeLessThanOrEqual(binomialUpperTail(k, n, p) + 1e-12);
          expect(binomialUpperTail(k, n, p)).toBeLessThanOrEqual(
            binomialUpperTail(k, n, Math.min(1, p * 1.5)) + 1e-12,
          );
        },
      ),
    );
  });
});

describe('evaluateCategories', () => {
  it('counts unseen categories and lists the most frequent', () => {
    const r = evaluateCategories('city', ['a', 'b', 'c', null], ['a', 'x', 'x', 'y', '', 'b', null]);
    expect(r).toMatchObject({ feature: 'city', n: 5, unseen: 3, share: 0.6, alert: true });
    expect(r.topUnseen).toEqual([
      { value: 'x', count: 2 },
      { value: 'y', count: 1 },
    ]);
    expect(evaluateCategories('c', ['a'], []).share).toBeNull();
  });
});
