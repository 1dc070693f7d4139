import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isSortedAscending, sortFloat64 } from './sort.js';
import { seeded } from './stats.suite.js';

function reference(a: Float64Array): Float64Array {
  return Float64Array.from(a).sort();
}

function expectSameBits(got: Float64Array, want: Float64Array): void {
  expect(got.length).toBe(want.length);
  for (let i = 0; i < got.length; i++)
    if (!Object.is(got[i], want[i])) expect.fail(`index ${i}: ${got[i]} vs ${want[i]}`);
}

const noNaN = fc.double({ noNaN: true });

describe('sortFloat64', () => {
  it('sorts like the native comparator for any NaN-free input (small and radix paths)', () => {
    fc.assert(
      fc.property(fc.array(noNaN, { maxLength: 2000 }), (xs) => {
        const a = Float64Array.from(xs);
        expectSameBits(sortFloat64(Float64Array.from(a)), reference(a));
      }),
      { numRuns: 200 },
    );
  });

  it('handles -0 and +0, infinities and subnormals on the radix path', () => {
    const values = [0, -0, Infinity, -Infinity, 5e-324, -5e-324, 1, -1, Number.MAX_VALUE, -Number.MAX_VALUE];
    const rand = seeded(7);
    const a = Float64Array.from({ length: 5000 }, () => values[Math.floor(rand() * values.length)]!);
    expectSameBits(sortFloat64(Float64Array.from(a)), reference(a));
  });

  it('finishes long runs that share the high 32 bits (values packed in a tiny range)', () => {
    const rand = seeded(11);
    const a = Float64Array.from({ length: 20000 }, () => 1 + rand() * 1e-9);
    expectSameBits(sortFloat64(Float64Array.from(a)), reference(a));
  });

  it('sorts duplicate-heavy data and typical real-valued data of 10^5 values', () => {
    const rand = seeded(3);
    const ints = Float64Array.from({ length: 100000 }, () => Math.floor(rand() * 50) - 25);
    expectSameBits(sortFloat64(Float64Array.from(ints)), reference(ints));
    const real = Float64Array.from({ length: 100000 }, () => (rand() - 0.3) * 10 ** (rand() * 12 - 6));
    expectSameBits(sortFloat64(Float64Array.from(real)), reference(real));
  });

  it('sorts in place and returns its argument; trivial inputs are returned as is', () => {
    const a = Float64Array.of(3, 1, 2);
    expect(sortFloat64(a)).toBe(a);
    expect(Array.from(a)).toEqual([1, 2, 3]);
    expect(sortFloat64(new Float64Array(0)).length).toBe(0);
    expect(Array.from(sortFloat64(Float64Array.of(4)))).toEqual([4]);
  });

  it('works on a subarray view without touching the rest of the buffer', () => {
    const rand = seeded(5);
    const whole = Float64Array.from({ length: 3000 }, () => rand());
    const before = Float64Array.from(whole);
    const view = whole.subarray(500, 2500);
    sortFloat64(view);
    expect(isSortedAscending(view)).toBe(true);
    expectSameBits(whole.subarray(0, 500), before.subarray(0, 500));
    expectSameBits(whole.subarray(2500), before.subarray(2500));
    expectSameBits(Float64Array.from(view), reference(before.subarray(500, 2500)));
  });

  it('isSortedAscending accepts ties and rejects a single inversion', () => {
    expect(isSortedAscending(Float64Array.of(1, 1, 2))).toBe(true);
    expect(isSortedAscending(Float64Array.of(1, 3, 2))).toBe(false);
  });
});
