/**
 * @module
 * A bounded uniform sample without replacement (Vitter's algorithm R) that merges: the merge of the samples
 * of populations A and B is a uniform sample of A ∪ B. Each output slot is drawn from A with probability
 * (A's remaining population)/(both remaining populations) — a hypergeometric split of the union — and then
 * uniformly, without replacement, from that side's sample. A uniform subset of a uniform subset is uniform,
 * and the side never runs out because at most min(N_A, capacity) slots come from A.
 */
import type { Rng } from '../rng.js';

export const RESERVOIR_DEFAULT_CAPACITY = 1024;

const TWO_32 = 4294967296;

function uniformIndex(rng: Rng, n: number): number {
  return n <= TWO_32 ? rng.nextInt(n) : Math.floor(rng.next() * n);
}

/** A reservoir of up to `capacity` items from a stream of `seen` items. */
export class Reservoir<T> {
  private cap: number;
  private readonly rng: Rng;
  private seenCount = 0;
  private held: T[] = [];

  private constructor(capacity: number, rng: Rng) {
    if (!Number.isInteger(capacity) || capacity < 0) {
      throw new RangeError(`reservoir capacity must be a non-negative integer, got ${capacity}`);
    }
    this.cap = capacity;
    this.rng = rng;
  }

  /** The empty reservoir. Capacity 0 keeps nothing but still counts. */
  static empty<T>(capacity: number, rng: Rng): Reservoir<T> {
    return new Reservoir<T>(capacity, rng);
  }

  /** Rebuilds a reservoir from its parts (for deserialisation). `items.length` must be min(seen, capacity). */
  static of<T>(capacity: number, seen: number, items: T[], rng: Rng): Reservoir<T> {
    const r = new Reservoir<T>(capacity, rng);
    if (!Number.isSafeInteger(seen) || seen < 0)
      throw new RangeError(`reservoir seen must be a count, got ${seen}`);
    if (items.length !== Math.min(seen, capacity)) {
      throw new RangeError(
        `reservoir of capacity ${capacity} after ${seen} items must hold ${Math.min(seen, capacity)}, not ${items.length}`,
      );
    }
    r.seenCount = seen;
    r.held = items.slice();
    return r;
  }

  /** The most items kept. */
  get capacity(): number {
    return this.cap;
  }

  /** Items offered so far (the population size). */
  get seen(): number {
    return this.seenCount;
  }

  /** The sampled items (a copy), in no particular order. */
  items(): T[] {
    return this.held.slice();
  }

  get size(): number {
    return this.held.length;
  }

  /** Offers one item. */
  add(item: T): this {
    this.seenCount++;
    if (this.held.length < this.capacity) this.held.push(item);
    else if (this.capacity > 0) {
      const j = uniformIndex(this.rng, this.seenCount);
      if (j < this.capacity) this.held[j] = item;
    }
    return this;
  }

  /**
   * Offers `count` items, materialising only those that enter the sample: `make(i)` is called for the
   * i-th item of the batch when (and only when) it is kept. The fast path for columnar batches.
   */
  addBatch(count: number, make: (i: number) => T): this {
    if (this.capacity === 0) {
      this.seenCount += count;
      return this;
    }
    for (let i = 0; i < count; i++) {
      this.seenCount++;
      if (this.held.length < this.capacity) this.held.push(make(i));
      else if (this.capacity > 0) {
        const j = uniformIndex(this.rng, this.seenCount);
        if (j < this.capacity) this.held[j] = make(i);
      }
    }
    return this;
  }

  /**
   * Replaces this reservoir's content with a uniform sample of the union with `other` (see the module
   * comment). With different capacities the result keeps the smaller one: at most that many slots are
   * drawn, so neither side can run out.
   */
  merge(other: Reservoir<T>): this {
    const capacity = Math.min(this.cap, other.cap);
    let remA = this.seenCount;
    let remB = other.seenCount;
    const poolA = this.held.slice();
    const poolB = other.held.slice();
    let leftA = poolA.length;
    let leftB = poolB.length;
    const slots = Math.min(capacity, remA + remB);
    const out: T[] = [];
    const take = (pool: T[], left: number): T => {
      // Partial Fisher–Yates: swap a uniform pick into the tail and shrink.
      const j = this.rng.nextInt(left);
      const x = pool[j]!;
      pool[j] = pool[left - 1]!;
      pool[left - 1] = x;
      return x;
    };
    for (let s = 0; s < slots; s++) {
      if (this.rng.next() * (remA + remB) < remA) {
        out.push(take(poolA, leftA));
        leftA--;
        remA--;
      } else {
        out.push(take(poolB, leftB));
        leftB--;
        remB--;
      }
    }
    this.seenCount += other.seenCount;
    this.held = out;
    this.cap = capacity;
    return this;
  }

  /** A copy with the same Rng; `copy` copies each item (identity by default). */
  clone(copy: (item: T) => T = (x) => x): Reservoir<T> {
    const r = new Reservoir<T>(this.capacity, this.rng);
    r.seenCount = this.seenCount;
    r.held = this.held.map(copy);
    return r;
  }
}
