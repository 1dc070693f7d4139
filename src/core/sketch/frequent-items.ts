/**
 * @module
 * Frequent items: a Misra–Gries summary with batch decrements, as in DataSketches' frequent-items sketch
 * (whylogs `fi_lg_max_k = 10`: a map of up to 1024 slots of which 768 are active). Each tracked item has a
 * counter c; a global `offset` (the "maximum error") bounds what decrements took away, so for every item
 *
 *     c(x) <= true count f(x) <= c(x) + offset        (untracked items have c = 0)
 *
 * When more than `maxItems` items are tracked, the median counter is subtracted from every counter,
 * counters <= 0 are dropped and the median is added to the offset. Each purge removes at least
 * median·maxItems/2 of counted weight, so offset <= 2·N/maxItems (N = total weight). While the number of
 * distinct items fits (never purged), the counts are exact and offset = 0.
 * Merge adds counters and offsets, then purges; bounds keep holding for the union.
 */
import { type ByteReader, type ByteWriter, ProfileFormatError } from './bytes.js';

/** Default number of active counters (DataSketches/whylogs: 0.75 × 1024). */
export const FREQUENT_ITEMS_DEFAULT_MAX = 768;

/** One tracked item with its bounds. `estimate` is the lower bound plus half the offset. */
export interface FrequentItem {
  item: string;
  /** Counted occurrences (a lower bound of the true count). */
  lowerBound: number;
  /** Counted occurrences plus the offset (an upper bound of the true count). */
  upperBound: number;
  estimate: number;
}

/** Misra–Gries frequent items over string keys. Mutable; `merge` changes only the receiver. */
export class FrequentItems {
  readonly maxItems: number;
  private counts = new Map<string, number>();
  private total = 0;
  private off = 0;

  private constructor(maxItems: number) {
    if (!Number.isInteger(maxItems) || maxItems < 2 || maxItems > 1 << 20) {
      throw new RangeError(`frequent items maxItems must be an integer in [2, 2^20], got ${maxItems}`);
    }
    this.maxItems = maxItems;
  }

  /** The empty summary. */
  static empty(maxItems = FREQUENT_ITEMS_DEFAULT_MAX): FrequentItems {
    return new FrequentItems(maxItems);
  }

  /** Total weight added. */
  get n(): number {
    return this.total;
  }
  /** The maximum error of any count: true count − counted <= offset. 0 means every count is exact. */
  get offset(): number {
    return this.off;
  }
  /** True while no purge has happened: every count is exact and every distinct item is tracked. */
  get isExact(): boolean {
    return this.off === 0;
  }
  /** Number of tracked items. */
  get size(): number {
    return this.counts.size;
  }
  /** Weight not attributed to any tracked item (N − Σ counters): the "other" bin. */
  get untrackedWeight(): number {
    let s = 0;
    for (const c of this.counts.values()) s += c;
    return this.total - s;
  }

  /** Adds `weight` (a positive safe integer, default 1) occurrences of `item`. */
  add(item: string, weight = 1): this {
    if (!(weight > 0) || !Number.isSafeInteger(weight)) {
      throw new RangeError(`frequent items weight must be a positive integer, got ${weight}`);
    }
    this.total += weight;
    this.counts.set(item, (this.counts.get(item) ?? 0) + weight);
    if (this.counts.size > this.maxItems) this.purge();
    return this;
  }

  /**
   * Counts `weight` occurrences of items that are not known (for example texts a reader could not keep):
   * they add to N and, since they could be any item, to the offset.
   */
  addUnknown(weight: number): this {
    if (!(weight > 0) || !Number.isSafeInteger(weight)) {
      throw new RangeError(`frequent items weight must be a positive integer, got ${weight}`);
    }
    this.total += weight;
    this.off += weight;
    return this;
  }

  /** Subtracts the median counter from all counters and drops those that reach 0; repeats until it fits. */
  private purge(): void {
    while (this.counts.size > this.maxItems) {
      const values = Float64Array.from(this.counts.values()).sort();
      const median = values[(values.length - 1) >>> 1]!;
      const next = new Map<string, number>();
      for (const [item, c] of this.counts) if (c > median) next.set(item, c - median);
      this.counts = next;
      this.off += median;
    }
  }

  /** Adds counters and offsets, then purges. Commutative: the result depends only on the two states. */
  merge(other: FrequentItems): this {
    if (other.maxItems !== this.maxItems) {
      throw new RangeError(
        `cannot merge frequent items with different sizes (${this.maxItems} and ${other.maxItems})`,
      );
    }
    const merged = new Map<string, number>();
    const [first, second] = this.counts.size >= other.counts.size ? [this, other] : [other, this];
    for (const [item, c] of first.counts) merged.set(item, c);
    for (const [item, c] of second.counts) merged.set(item, (merged.get(item) ?? 0) + c);
    this.counts = merged;
    this.total += other.total;
    this.off += other.off;
    if (this.counts.size > this.maxItems) this.purge();
    return this;
  }

  clone(): FrequentItems {
    const c = new FrequentItems(this.maxItems);
    c.counts = new Map(this.counts);
    c.total = this.total;
    c.off = this.off;
    return c;
  }

  /** Bounds for one item (tracked or not). */
  bounds(item: string): FrequentItem {
    const c = this.counts.get(item) ?? 0;
    return { item, lowerBound: c, upperBound: c + this.off, estimate: c + this.off / 2 };
  }

  /**
   * Tracked items, most frequent first (ties by item, so the order is deterministic). With
   * `noFalseNegatives` false (default) only items whose lower bound exceeds the offset are returned (they
   * are surely more frequent than any untracked item); with true, every tracked item.
   */
  items(options: { noFalseNegatives?: boolean; limit?: number } = {}): FrequentItem[] {
    const out: FrequentItem[] = [];
    for (const [item, c] of this.counts) {
      if (!options.noFalseNegatives && this.off > 0 && c <= this.off) continue;
      out.push({ item, lowerBound: c, upperBound: c + this.off, estimate: c + this.off / 2 });
    }
    out.sort((a, b) => b.lowerBound - a.lowerBound || (a.item < b.item ? -1 : a.item > b.item ? 1 : 0));
    return options.limit === undefined ? out : out.slice(0, options.limit);
  }

  /** The tracked counters as a map (a copy). */
  counters(): Map<string, number> {
    return new Map(this.counts);
  }

  /** Writes maxItems, total, offset and the counters sorted by item, so equal states encode equally. */
  write(w: ByteWriter): void {
    w.varuint(this.maxItems);
    w.varuint(this.total);
    w.varuint(this.off);
    const keys = [...this.counts.keys()].sort();
    w.varuint(keys.length);
    for (const k of keys) {
      w.string(k);
      w.varuint(this.counts.get(k)!);
    }
  }

  static read(r: ByteReader, field = 'frequentItems'): FrequentItems {
    const maxItems = r.varuint(`${field}.maxItems`);
    if (maxItems < 2 || maxItems > 1 << 20) {
      throw new ProfileFormatError(`${field}.maxItems`, `${maxItems} is outside 2..2^20`);
    }
    const f = new FrequentItems(maxItems);
    f.total = r.varuint(`${field}.n`);
    f.off = r.varuint(`${field}.offset`);
    const count = r.varuint(`${field}.count`);
    if (count > maxItems)
      throw new ProfileFormatError(`${field}.count`, `${count} items > maxItems ${maxItems}`);
    let sum = 0;
    for (let i = 0; i < count; i++) {
      const item = r.string(`${field}.item`);
      const c = r.varuint(`${field}.counter`);
      if (c === 0) throw new ProfileFormatError(`${field}.counter`, `item "${item}" has a zero counter`);
      if (f.counts.has(item)) throw new ProfileFormatError(`${field}.item`, `item "${item}" appears twice`);
      f.counts.set(item, c);
      sum += c;
    }
    if (sum > f.total)
      throw new ProfileFormatError(field, `counters sum to ${sum}, more than n = ${f.total}`);
    return f;
  }
}
