import { describe, expect, it } from 'vitest';
import { ByteReader, ByteWriter } from './bytes.js';
import { HyperLogLog, hllRelativeStandardError } from './hll.js';

function bytesOf(h: HyperLogLog): Uint8Array {
  const w = new ByteWriter();
  h.write(w);
  return w.finish();
}

describe('HyperLogLog', () => {
  it('has the relative standard errors of methods.md section 6', () => {
    expect(hllRelativeStandardError(10)).toBeCloseTo(0.0325, 12);
    expect(hllRelativeStandardError(12)).toBeCloseTo(0.01625, 12);
    expect(hllRelativeStandardError(14)).toBeCloseTo(0.008125, 12);
  });

  it('estimates 1e5 distinct numbers and strings within 3 RSE', () => {
    const rse = hllRelativeStandardError(12);
    for (const offset of [0, 1e6, 2e6]) {
      const h = HyperLogLog.empty();
      const s = HyperLogLog.empty();
      for (let i = 0; i < 100_000; i++) {
        h.addNumber(offset + i);
        s.addString(`user-${offset + i}`);
      }
      expect(Math.abs(h.estimate() / 1e5 - 1)).toBeLessThan(3 * rse);
      expect(Math.abs(s.estimate() / 1e5 - 1)).toBeLessThan(3 * rse);
      const d = h.distinct();
      expect(d.lower).toBeLessThanOrEqual(1e5);
      expect(d.upper).toBeGreaterThanOrEqual(1e5);
    }
  });

  it('is unbiased across the range (mean relative error over 20 sketches within 1 RSE/sqrt(20)·3)', () => {
    const rse = hllRelativeStandardError(12);
    for (const n of [10, 300, 3000, 12_000, 40_000]) {
      let sum = 0;
      for (let t = 0; t < 20; t++) {
        const h = HyperLogLog.empty();
        for (let i = 0; i < n; i++) h.addNumber(t * 1e7 + i * 0.25);
        sum += h.estimate() / n - 1;
      }
      expect(Math.abs(sum / 20)).toBeLessThan((3 * rse) / Math.sqrt(20) + (n <= 10 ? 0.01 : 0));
    }
  });

  it('ignores duplicates and counts 1, "1" and true as different values', () => {
    const h = HyperLogLog.empty();
    for (let i = 0; i < 1000; i++) h.addNumber(i % 10);
    expect(h.estimate()).toBeGreaterThan(9.5);
    expect(h.estimate()).toBeLessThan(10.5);
    const mix = HyperLogLog.empty().addNumber(1).addString('1').addBoolean(true).addNumber(-0).addNumber(0);
    expect(Math.round(mix.estimate())).toBe(4);
    expect(HyperLogLog.empty().estimate()).toBe(0);
  });

  it('merges exactly: merge(hll(A), hll(B)) = hll(A ∪ B), commutative and associative', () => {
    const a = HyperLogLog.empty();
    const b = HyperLogLog.empty();
    const c = HyperLogLog.empty();
    const all = HyperLogLog.empty();
    for (let i = 0; i < 30_000; i++) {
      const x = i * 3;
      [a, b, c][i % 3]!.addNumber(x);
      all.addNumber(x);
    }
    expect(bytesOf(a.clone().merge(b).merge(c))).toEqual(bytesOf(all));
    expect(bytesOf(c.clone().merge(b).merge(a))).toEqual(bytesOf(all));
    expect(bytesOf(a.clone().merge(b.clone().merge(c)))).toEqual(bytesOf(all));
    expect(() => a.merge(HyperLogLog.empty(10))).toThrow(/different p \(12 and 10\)/);
  });

  it('round-trips bit for bit in both encodings and stays small', () => {
    for (const n of [0, 5, 500, 200_000]) {
      const h = HyperLogLog.empty();
      for (let i = 0; i < n; i++) h.addString(`k${i}`);
      const bytes = bytesOf(h);
      const back = HyperLogLog.read(new ByteReader(bytes));
      expect(bytesOf(back)).toEqual(bytes);
      expect(back.estimate()).toBe(h.estimate());
      expect(bytes.length).toBeLessThanOrEqual(2 + 1 + 2048 + 3 * 20 + 5);
    }
  });

  it('rejects corrupt registers with a clear message', () => {
    const h = HyperLogLog.empty().addNumber(1);
    const bytes = bytesOf(h);
    const bad = bytes.slice();
    bad[bad.length - 1] = 99;
    expect(() => HyperLogLog.read(new ByteReader(bad))).toThrow(/hll\.register: value 99 is outside 1\.\.53/);
    const badP = bytes.slice();
    badP[0] = 30;
    expect(() => HyperLogLog.read(new ByteReader(badP))).toThrow(/hll\.p: p = 30 is outside 4\.\.16/);
    expect(() => HyperLogLog.read(new ByteReader(bytes.subarray(0, 4)))).toThrow(/truncated/);
  });
});
