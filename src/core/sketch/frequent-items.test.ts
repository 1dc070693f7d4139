import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { seededRng } from '../rng.js';
import { ByteReader, ByteWriter } from './bytes.js';
import { FrequentItems } from './frequent-items.js';

function exactCounts(items: string[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const x of items) m.set(x, (m.get(x) ?? 0) + 1);
  return m;
}

function zipf(n: number, universe: number, seed: number): string[] {
  const rng = seededRng(seed);
  // Inverse-CDF draw from a truncated Zipf(1.1) over `universe` items.
  const weights = Array.from({ length: universe }, (_, i) => 1 / (i + 1) ** 1.1);
  const total = weights.reduce((a, b) => a + b, 0);
  const cdf: number[] = [];
  let acc = 0;
  for (const w of weights) cdf.push((acc += w / total));
  return Array.from({ length: n }, () => {
    const u = rng.next();
    let lo = 0;
    let hi = universe - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cdf[mid]! >= u) hi = mid;
      else lo = mid + 1;
    }
    return `item-${lo}`;
  });
}

function checkBounds(fi: FrequentItems, truth: Map<string, number>, n: number, maxItems: number): void {
  expect(fi.n).toBe(n);
  expect(fi.offset).toBeLessThanOrEqual((2 * n) / (maxItems + 1));
  for (const [item, f] of truth) {
    const b = fi.bounds(item);
    expect(b.lowerBound).toBeLessThanOrEqual(f);
    expect(b.upperBound).toBeGreaterThanOrEqual(f);
  }
}

describe('FrequentItems', () => {
  it('is exact while the distinct items fit', () => {
    const items = zipf(10_000, 500, 1);
    const fi = FrequentItems.empty();
    for (const x of items) fi.add(x);
    expect(fi.isExact).toBe(true);
    expect(fi.offset).toBe(0);
    expect(fi.counters()).toEqual(exactCounts(items));
    expect(fi.untrackedWeight).toBe(0);
  });

  it('keeps c <= f <= c + offset with offset <= 2N/(k+1) on a heavy-tailed stream', () => {
    const items = zipf(200_000, 50_000, 2);
    const fi = FrequentItems.empty();
    for (const x of items) fi.add(x);
    expect(fi.isExact).toBe(false);
    checkBounds(fi, exactCounts(items), items.length, fi.maxItems);
    // The heavy hitters are all reported and ordered.
    const top = fi.items({ limit: 5 }).map((i) => i.item);
    expect(top).toEqual(['item-0', 'item-1', 'item-2', 'item-3', 'item-4']);
  });

  it('bounds hold for any stream, small k and any split + merge (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 40 }), { maxLength: 400 }),
        fc.nat(),
        fc.integer({ min: 2, max: 12 }),
        (xs, cut, k) => {
          const items = xs.map((x) => `v${x % (x % 3 === 0 ? 3 : 40)}`);
          const at = items.length === 0 ? 0 : cut % items.length;
          const a = FrequentItems.empty(k);
          const b = FrequentItems.empty(k);
          for (const [i, x] of items.entries()) (i < at ? a : b).add(x);
          const truth = exactCounts(items);
          checkBounds(a.clone().merge(b), truth, items.length, k);
          checkBounds(b.clone().merge(a), truth, items.length, k);
          // Merge is commutative: same counters, same offset.
          expect(a.clone().merge(b).counters()).toEqual(b.clone().merge(a).counters());
          expect(a.clone().merge(b).offset).toBe(b.clone().merge(a).offset);
        },
      ),
    );
  });

  it('merge of many parts keeps the bounds (associativity within the bounds)', () => {
    const items = zipf(100_000, 20_000, 3);
    const parts = Array.from({ length: 10 }, () => FrequentItems.empty());
    for (const [i, x] of items.entries()) parts[i % 10]!.add(x);
    const seq = parts.reduce((acc, p) => acc.merge(p), FrequentItems.empty());
    const tree = parts
      .slice(0, 5)
      .reduce((acc, p) => acc.merge(p), FrequentItems.empty())
      .merge(parts.slice(5).reduce((acc, p) => acc.merge(p), FrequentItems.empty()));
    const truth = exactCounts(items);
    checkBounds(seq, truth, items.length, seq.maxItems);
    checkBounds(tree, truth, items.length, tree.maxItems);
  });

  it('supports weights and rejects bad ones', () => {
    const fi = FrequentItems.empty(4).add('a', 10).add('b', 3);
    expect(fi.bounds('a')).toEqual({ item: 'a', lowerBound: 10, upperBound: 10, estimate: 10 });
    expect(() => fi.add('x', 0)).toThrow(/weight must be a positive integer, got 0/);
    expect(() => fi.merge(FrequentItems.empty(8))).toThrow(/different sizes \(4 and 8\)/);
  });

  it('round-trips bit for bit and rejects corrupt blobs', () => {
    const fi = FrequentItems.empty(16);
    for (const x of zipf(5000, 300, 4)) fi.add(x);
    const w = new ByteWriter();
    fi.write(w);
    const bytes = w.finish();
    const back = FrequentItems.read(new ByteReader(bytes));
    const w2 = new ByteWriter();
    back.write(w2);
    expect(w2.finish()).toEqual(bytes);
    expect(back.counters()).toEqual(fi.counters());
    expect(back.offset).toBe(fi.offset);
    expect(() => FrequentItems.read(new ByteReader(bytes.subarray(0, bytes.length - 3)))).toThrow(
      /frequentItems\.(item|counter): truncated/,
    );
    const bad = new ByteWriter();
    bad.varuint(16);
    bad.varuint(1);
    bad.varuint(0);
    bad.varuint(1);
    bad.string('x');
    bad.varuint(5);
    expect(() => FrequentItems.read(new ByteReader(bad.finish()))).toThrow(
      /counters sum to 5, more than n = 1/,
    );
  });
});
