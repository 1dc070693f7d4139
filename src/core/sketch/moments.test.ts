import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ByteReader, ByteWriter } from './bytes.js';
import { Moments } from './moments.js';

const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(1e-300, Math.abs(b));

function naive(xs: number[]) {
  const n = xs.length;
  const mean = xs.reduce((s, x) => s + x, 0) / n;
  const m2 = xs.reduce((s, x) => s + (x - mean) ** 2, 0);
  return { n, mean, m2 };
}

const finite = fc.double({ min: -1e6, max: 1e6, noNaN: true, noDefaultInfinity: true });

describe('Moments', () => {
  it('matches the methods.md section 6 vector (Chan merge of [1,2,3,4] and [10,20])', () => {
    const a = Moments.empty();
    for (const x of [1, 2, 3, 4]) a.add(x);
    const b = Moments.empty().addNumbers([10, 20]);
    const m = a.clone().merge(b).summary();
    expect(m.count).toBe(6);
    expect(rel(m.mean!, 6.666666666667)).toBeLessThan(1e-9);
    expect(rel(a.clone().merge(b).m2, 263.333333333333)).toBeLessThan(1e-9);
    expect(rel(m.variance!, 52.666666666667)).toBeLessThan(1e-9);
    expect(m.min).toBe(1);
    expect(m.max).toBe(20);
  });

  it('empty is a real state: count 0 and nulls, and the identity of merge', () => {
    const e = Moments.empty();
    expect(e.summary()).toEqual({
      count: 0,
      mean: null,
      variancePopulation: null,
      variance: null,
      stddev: null,
      min: null,
      max: null,
    });
    const a = Moments.empty().addNumbers([3, 5]);
    expect(a.clone().merge(e).summary()).toEqual(a.summary());
    expect(e.clone().merge(a).summary()).toEqual(a.summary());
    expect(Moments.empty().add(7).summary().variance).toBeNull();
  });

  it('ignores NaN and ±Infinity', () => {
    const m = Moments.empty()
      .addNumbers([1, Number.NaN, 3, Number.POSITIVE_INFINITY])
      .add(Number.NEGATIVE_INFINITY);
    expect(m.count).toBe(2);
    expect(m.mean).toBe(2);
  });

  it('add, addNumbers and any split + merge agree with the two-pass values to 1e-9 relative', () => {
    fc.assert(
      fc.property(fc.array(finite, { minLength: 2, maxLength: 300 }), fc.nat(), (xs, cut) => {
        const k = cut % xs.length;
        const ref = naive(xs);
        const one = Moments.empty();
        for (const x of xs) one.add(x);
        const batch = Moments.empty().addNumbers(xs);
        const merged = Moments.empty()
          .addNumbers(xs.slice(0, k))
          .merge(Moments.empty().addNumbers(xs.slice(k)));
        for (const m of [one, batch, merged]) {
          expect(m.count).toBe(ref.n);
          expect(Math.abs(m.mean! - ref.mean)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(ref.mean)));
          const scale = Math.max(ref.m2, 1e-9 * xs.reduce((s, x) => s + x * x, 0));
          expect(Math.abs(m.m2 - ref.m2)).toBeLessThanOrEqual(1e-9 * Math.max(scale, 1e-12));
          expect(m.min).toBe(Math.min(...xs));
          expect(m.max).toBe(Math.max(...xs));
        }
      }),
    );
  });

  it('merge is commutative bit for bit and associative to 1e-9 relative', () => {
    const arr = fc.array(finite, { maxLength: 50 });
    fc.assert(
      fc.property(arr, arr, arr, (xa, xb, xc) => {
        const a = Moments.empty().addNumbers(xa);
        const b = Moments.empty().addNumbers(xb);
        const c = Moments.empty().addNumbers(xc);
        expect(a.clone().merge(b).summary()).toEqual(b.clone().merge(a).summary());
        const left = a.clone().merge(b).merge(c);
        const right = a.clone().merge(b.clone().merge(c));
        expect(left.count).toBe(right.count);
        if (left.count > 0) {
          expect(Math.abs(left.mean! - right.mean!)).toBeLessThanOrEqual(
            1e-9 * Math.max(1, Math.abs(left.mean!)),
          );
          expect(Math.abs(left.m2 - right.m2)).toBeLessThanOrEqual(1e-9 * Math.max(1, left.m2));
        }
      }),
    );
  });

  it('stays accurate with a large offset (catastrophic cancellation case)', () => {
    const xs = Array.from({ length: 10_000 }, (_, i) => 1e9 + (i % 7));
    const ref = naive(xs.map((x) => x - 1e9));
    const m = Moments.empty().addNumbers(xs);
    expect(rel(m.m2, ref.m2)).toBeLessThan(1e-9);
    const w = Moments.empty();
    for (const x of xs) w.add(x);
    expect(rel(w.m2, ref.m2)).toBeLessThan(1e-9);
  });

  it('round-trips through bytes exactly and rejects impossible states', () => {
    const m = Moments.empty().addNumbers([0.1, 0.2, 0.7, -3]);
    const w = new ByteWriter();
    m.write(w);
    const bytes = w.finish();
    const back = Moments.read(new ByteReader(bytes));
    expect(back.summary()).toEqual(m.summary());
    const w2 = new ByteWriter();
    back.write(w2);
    expect(w2.finish()).toEqual(bytes);
    const bad = bytes.slice();
    new DataView(bad.buffer).setFloat64(1 + 8, -1, true); // M2 < 0
    expect(() => Moments.read(new ByteReader(bad))).toThrow(/moments: .*M2 >= 0/);
    expect(() => Moments.read(new ByteReader(bytes.subarray(0, 10)))).toThrow(/moments\.m2: truncated/);
  });
});
