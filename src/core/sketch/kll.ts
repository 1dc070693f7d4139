/**
 * @module
 * KLL quantile sketch (Karnin, Lang & Liberty 2016) with the compaction scheme of Apache DataSketches
 * (`KllDoublesHelper`, `KllHelper` in apache/datasketches-java; `kll_sketch_impl.hpp` in datasketches-cpp):
 * a stack of levels, level h holding items of weight 2^h, level capacities k·(2/3)^depth (at least 8),
 * compaction = sort, keep every other item from a random offset, merge into the level above.
 * methods.md section 6 gives the guarantee: with probability 99% the normalized rank error is at most
 * `2.296/k^0.9723` for a single rank/quantile query and `2.446/k^0.9433` for PMF/CDF (double-sided) queries.
 *
 * - Exact while n <= k (nothing is compacted before the (k+1)-th item).
 * - min and max are kept exactly; `quantile(0)` and `quantile(1)` return them.
 * - The coin flips come from the `Rng` given at construction, so a sketch is deterministic given its seed.
 * - NaN is ignored (as DataSketches does); ±Infinity are ordinary items.
 * - Ranks are inclusive: `rank(x)` = (weight of items <= x)/n, the right-continuous ECDF of methods.md 0.
 */
import type { Rng } from '../rng.js';
import { type ByteReader, type ByteWriter, ProfileFormatError } from './bytes.js';

/** DataSketches' minimum level width `m`. */
const MIN_LEVEL_WIDTH = 8;
/** DataSketches bounds on k. */
export const KLL_MIN_K = MIN_LEVEL_WIDTH;
export const KLL_MAX_K = 65535;
/** The default k (DataSketches' default; whylogs uses 256). */
export const KLL_DEFAULT_K = 200;

const POWERS_OF_THREE = Array.from({ length: 31 }, (_, i) => 3 ** i);

function intCapAuxAux(k: number, depth: number): number {
  // round(k·(2/3)^depth) in integer arithmetic, as DataSketches does: ((2k << depth) / 3^depth + 1) >> 1.
  const tmp = Math.floor((2 * k * 2 ** depth) / POWERS_OF_THREE[depth]!);
  return Math.floor((tmp + 1) / 2);
}

function intCapAux(k: number, depth: number): number {
  if (depth <= 30) return intCapAuxAux(k, depth);
  const half = Math.floor(depth / 2);
  return intCapAuxAux(intCapAuxAux(k, half), depth - half);
}

/** Capacity of level `height` in a sketch with `numLevels` levels: max(8, round(k·(2/3)^depth)). */
export function kllLevelCapacity(k: number, numLevels: number, height: number): number {
  return Math.max(MIN_LEVEL_WIDTH, intCapAux(k, numLevels - height - 1));
}

function totalCapacity(k: number, numLevels: number): number {
  let total = 0;
  for (let h = 0; h < numLevels; h++) total += kllLevelCapacity(k, numLevels, h);
  return total;
}

/**
 * The normalized rank error of a KLL sketch with parameter k at 99% confidence (methods.md section 6;
 * DataSketches `KllSketch.getNormalizedRankError`): `2.446/k^0.9433` for PMF/CDF queries (`pmf = true`),
 * `2.296/k^0.9723` for a single rank or quantile query. k = 200 → 0.016515619085 / 0.013294757465.
 */
export function kllNormalizedRankError(k: number, pmf: boolean): number {
  return pmf ? 2.446 / k ** 0.9433 : 2.296 / k ** 0.9723;
}

interface SortedView {
  values: Float64Array;
  /** cumulative[i] = total weight of values[0..i] (inclusive). */
  cumulative: Float64Array;
}

/** Options for a new sketch. */
export interface KllOptions {
  /** Accuracy parameter, 8..65535 (default 200). */
  k?: number;
  /** Source of the compaction coin flips. */
  rng: Rng;
}

/** A KLL sketch of numbers. Mutable: `add`, `addNumbers` and `merge` change the receiver only. */
export class KllSketch {
  readonly k: number;
  private readonly rng: Rng;
  private nv = 0;
  private minv = 0;
  private maxv = 0;
  private numLevels = 1;
  /** levels[h] = start of level h in `items`; levels[numLevels] = items.length. Free space is [0, levels[0]). */
  private levels: number[];
  private items: Float64Array;
  private view: SortedView | null = null;
  private caps: number[] = [];

  private constructor(k: number, rng: Rng) {
    if (!Number.isInteger(k) || k < KLL_MIN_K || k > KLL_MAX_K) {
      throw new RangeError(`KLL k must be an integer in [${KLL_MIN_K}, ${KLL_MAX_K}], got ${k}`);
    }
    this.k = k;
    this.rng = rng;
    this.items = new Float64Array(k);
    this.levels = [k, k];
  }

  /** The empty sketch (n = 0). */
  static empty(options: KllOptions): KllSketch {
    return new KllSketch(options.k ?? KLL_DEFAULT_K, options.rng);
  }

  /** Number of values added (NaN excluded). */
  get n(): number {
    return this.nv;
  }
  get isEmpty(): boolean {
    return this.nv === 0;
  }
  /** Exact minimum, or null when empty. */
  get min(): number | null {
    return this.nv === 0 ? null : this.minv;
  }
  /** Exact maximum, or null when empty. */
  get max(): number | null {
    return this.nv === 0 ? null : this.maxv;
  }
  /** Number of items kept. */
  get retained(): number {
    return this.levels[this.numLevels]! - this.levels[0]!;
  }
  /** True once a compaction has happened (ranks are then estimates); false means every value is kept. */
  get isEstimationMode(): boolean {
    return this.numLevels > 1;
  }
  /** The rank error bound of this sketch at 99% confidence; 0 while exact. See `kllNormalizedRankError`. */
  normalizedRankError(pmf: boolean): number {
    return this.isEstimationMode ? kllNormalizedRankError(this.k, pmf) : 0;
  }

  /** Adds one value. NaN is ignored. */
  add(x: number): this {
    if (Number.isNaN(x)) return this;
    if (this.nv === 0) {
      this.minv = x;
      this.maxv = x;
    } else {
      if (x < this.minv) this.minv = x;
      if (x > this.maxv) this.maxv = x;
    }
    this.nv++;
    if (this.levels[0] === 0) this.compressWhileUpdating();
    const at = --this.levels[0]!;
    this.items[at] = x;
    this.view = null;
    return this;
  }

  /** Adds `xs[start, end)` (NaN skipped); the fast path for columns of numbers. */
  addNumbers(xs: ArrayLike<number>, start = 0, end = xs.length): this {
    let i = start;
    let lo = this.nv === 0 ? Number.POSITIVE_INFINITY : this.minv;
    let hi = this.nv === 0 ? Number.NEGATIVE_INFINITY : this.maxv;
    let added = 0;
    while (i < end) {
      if (this.levels[0] === 0) this.compressWhileUpdating();
      const items = this.items;
      let pos = this.levels[0]!;
      const stop = Math.min(end, i + pos);
      for (; i < stop; i++) {
        const x = xs[i]!;
        if (Number.isNaN(x)) continue;
        if (x < lo) lo = x;
        if (x > hi) hi = x;
        items[--pos] = x;
        added++;
      }
      this.levels[0] = pos;
    }
    if (added > 0) {
      this.nv += added;
      this.minv = lo;
      this.maxv = hi;
      this.view = null;
    }
    return this;
  }

  /** Level capacities for the current number of levels (recomputed when it changes). */
  private capacities(): number[] {
    if (this.caps.length !== this.numLevels) {
      this.caps = Array.from({ length: this.numLevels }, (_, h) =>
        kllLevelCapacity(this.k, this.numLevels, h),
      );
    }
    return this.caps;
  }

  private findLevelToCompact(): number {
    const caps = this.capacities();
    for (let level = 0; ; level++) {
      const pop = this.levels[level + 1]! - this.levels[level]!;
      if (pop >= caps[level]!) return level;
    }
  }

  private addEmptyTopLevel(): void {
    const curCap = this.levels[this.numLevels]!;
    const delta = kllLevelCapacity(this.k, this.numLevels + 1, 0);
    const items = new Float64Array(curCap + delta);
    items.set(this.items, delta);
    this.items = items;
    this.levels = this.levels.map((x) => x + delta);
    this.levels.push(curCap + delta);
    this.numLevels++;
  }

  /** Compacts the lowest level at or over its capacity (DataSketches `compressWhileUpdatingSketch`). */
  private compressWhileUpdating(): void {
    const level = this.findLevelToCompact();
    if (level === this.numLevels - 1) this.addEmptyTopLevel();
    const levels = this.levels;
    const items = this.items;
    const rawBeg = levels[level]!;
    const rawEnd = levels[level + 1]!;
    const popAbove = levels[level + 2]! - rawEnd;
    const rawPop = rawEnd - rawBeg;
    const odd = rawPop & 1;
    const adjBeg = rawBeg + odd;
    const adjPop = rawPop - odd;
    const half = adjPop >>> 1;
    if (level === 0) sortRange(items, adjBeg, adjBeg + adjPop);
    if (popAbove === 0) {
      halveUp(items, adjBeg, adjPop, this.rng);
    } else {
      halveDown(items, adjBeg, adjPop, this.rng);
      mergeSortedInPlace(items, adjBeg, half, rawEnd, popAbove, adjBeg + half);
    }
    levels[level + 1] = levels[level + 1]! - half;
    if (odd) {
      levels[level] = levels[level + 1]! - 1;
      if (levels[level] !== rawBeg) items[levels[level]!] = items[rawBeg]!;
    } else {
      levels[level] = levels[level + 1]!;
    }
    if (level > 0) {
      const start = levels[0]!;
      items.copyWithin(start + half, start, rawBeg);
      for (let l = 0; l < level; l++) levels[l] = levels[l]! + half;
    }
  }

  /**
   * Merges `other` into this sketch (DataSketches `mergeDoubleImpl`): other's level 0 is inserted as
   * updates, higher levels are merged level by level and compacted until every level fits. `other` is not
   * changed. Both sketches must have the same k.
   */
  merge(other: KllSketch): this {
    if (other.nv === 0) return this;
    if (other === this) other = other.clone();
    if (other.k !== this.k) {
      throw new RangeError(`cannot merge KLL sketches with different k (${this.k} and ${other.k})`);
    }
    const finalN = this.nv + other.nv;
    const lo = this.nv === 0 ? other.minv : Math.min(this.minv, other.minv);
    const hi = this.nv === 0 ? other.maxv : Math.max(this.maxv, other.maxv);
    for (let i = other.levels[0]!; i < other.levels[1]!; i++) {
      if (this.levels[0] === 0) this.compressWhileUpdating();
      const at = --this.levels[0]!;
      this.items[at] = other.items[i]!;
    }
    if (other.numLevels > 1) this.mergeHigherLevels(other);
    this.nv = finalN;
    this.minv = lo;
    this.maxv = hi;
    this.view = null;
    return this;
  }

  private mergeHigherLevels(other: KllSketch): void {
    const myNum = this.numLevels;
    const myLevels = this.levels;
    const myItems = this.items;
    const otherNum = other.numLevels;
    const space = myLevels[myNum]! - myLevels[0]! + (other.levels[otherNum]! - other.levels[1]!);
    const work = new Float64Array(space);
    const provisional = Math.max(myNum, otherNum);
    const workLevels: number[] = new Array(provisional + 2).fill(0);
    const pop = (levels: number[], num: number, l: number) => (l < num ? levels[l + 1]! - levels[l]! : 0);
    const pop0 = pop(myLevels, myNum, 0);
    work.set(myItems.subarray(myLevels[0]!, myLevels[0]! + pop0), 0);
    workLevels[1] = pop0;
    for (let l = 1; l < provisional; l++) {
      const selfPop = pop(myLevels, myNum, l);
      const otherPop = pop(other.levels, otherNum, l);
      const at = workLevels[l]!;
      workLevels[l + 1] = at + selfPop + otherPop;
      if (selfPop > 0 && otherPop === 0) {
        work.set(myItems.subarray(myLevels[l]!, myLevels[l]! + selfPop), at);
      } else if (selfPop === 0 && otherPop > 0) {
        work.set(other.items.subarray(other.levels[l]!, other.levels[l]! + otherPop), at);
      } else if (selfPop > 0 && otherPop > 0) {
        mergeSorted(myItems, myLevels[l]!, selfPop, other.items, other.levels[l]!, otherPop, work, at);
      }
    }
    const outLevels: number[] = [];
    const result = generalCompress(this.k, provisional, work, workLevels, outLevels, this.rng);
    const items = new Float64Array(result.targetItemCount);
    const free = result.targetItemCount - result.currentItemCount;
    items.set(work.subarray(outLevels[0]!, outLevels[0]! + result.currentItemCount), free);
    const shift = free - outLevels[0]!;
    this.levels = Array.from({ length: result.numLevels + 1 }, (_, l) => outLevels[l]! + shift);
    this.items = items;
    this.numLevels = result.numLevels;
  }

  /** A deep copy sharing the same Rng. */
  clone(): KllSketch {
    const c = new KllSketch(this.k, this.rng);
    c.nv = this.nv;
    c.minv = this.minv;
    c.maxv = this.maxv;
    c.numLevels = this.numLevels;
    c.levels = this.levels.slice();
    c.items = this.items.slice();
    return c;
  }

  private sortedView(): SortedView {
    if (this.view) return this.view;
    const count = this.retained;
    const vals = new Float64Array(count);
    const weights = new Float64Array(count);
    let j = 0;
    for (let l = 0; l < this.numLevels; l++) {
      const w = 2 ** l;
      for (let i = this.levels[l]!; i < this.levels[l + 1]!; i++) {
        vals[j] = this.items[i]!;
        weights[j] = w;
        j++;
      }
    }
    const order = new Uint32Array(count);
    for (let i = 0; i < count; i++) order[i] = i;
    order.sort((a, b) => vals[a]! - vals[b]!);
    const values = new Float64Array(count);
    const cumulative = new Float64Array(count);
    let acc = 0;
    for (let i = 0; i < count; i++) {
      const o = order[i]!;
      values[i] = vals[o]!;
      acc += weights[o]!;
      cumulative[i] = acc;
    }
    this.view = { values, cumulative };
    return this.view;
  }

  /** Weight of retained items <= x. */
  private weightAtMost(view: SortedView, x: number): number {
    const v = view.values;
    let lo = 0;
    let hi = v.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (v[mid]! <= x) lo = mid + 1;
      else hi = mid;
    }
    return lo === 0 ? 0 : view.cumulative[lo - 1]!;
  }

  /**
   * Estimated normalized inclusive rank of x: the share of values <= x, in [0, 1]. Exact while n <= k;
   * otherwise within `normalizedRankError(false)` with 99% confidence. Null when empty. NaN → RangeError.
   */
  rank(x: number): number | null {
    if (Number.isNaN(x)) throw new RangeError('rank: x must not be NaN');
    if (this.nv === 0) return null;
    return this.weightAtMost(this.sortedView(), x) / this.nv;
  }

  /** Weight of retained items < x. */
  private weightBelow(view: SortedView, x: number): number {
    const v = view.values;
    let lo = 0;
    let hi = v.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (v[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    return lo === 0 ? 0 : view.cumulative[lo - 1]!;
  }

  /**
   * Estimated CDF at strictly increasing, non-NaN split points: `[F(s_0), …, F(s_{m−1}), 1]`. Inclusive
   * (default) counts values <= s_i; exclusive counts values < s_i (DataSketches' two search criteria).
   * Null when empty. Error ≤ `normalizedRankError(true)` (99%).
   */
  cdf(splitPoints: ArrayLike<number>, options: { inclusive?: boolean } = {}): number[] | null {
    checkSplitPoints(splitPoints);
    if (this.nv === 0) return null;
    const view = this.sortedView();
    const inclusive = options.inclusive ?? true;
    const out: number[] = [];
    for (let i = 0; i < splitPoints.length; i++) {
      const x = splitPoints[i]!;
      out.push((inclusive ? this.weightAtMost(view, x) : this.weightBelow(view, x)) / this.nv);
    }
    out.push(1);
    return out;
  }

  /**
   * Estimated mass of the m + 1 bins cut at the split points, summing to 1: inclusive (default)
   * `(−∞, s_0], (s_0, s_1], …, (s_{m−1}, ∞)`; exclusive `(−∞, s_0), [s_0, s_1), …, [s_{m−1}, ∞)` (NumPy's
   * histogram convention). Null when empty. Each mass is within `normalizedRankError(true)` (99%).
   */
  pmf(splitPoints: ArrayLike<number>, options: { inclusive?: boolean } = {}): number[] | null {
    const c = this.cdf(splitPoints, options);
    if (c === null) return null;
    const out: number[] = [];
    let prev = 0;
    for (const x of c) {
      out.push(x - prev);
      prev = x;
    }
    return out;
  }

  /**
   * Estimated q-quantile, q ∈ [0, 1]: the smallest retained item whose inclusive cumulative weight reaches
   * ceil(q·n) (DataSketches INCLUSIVE search; while exact this is NumPy's `inverted_cdf`). q = 0 and q = 1
   * give the exact min and max. Null when empty.
   */
  quantile(q: number): number | null {
    if (!(q >= 0 && q <= 1)) throw new RangeError(`quantile: q must be in [0, 1], got ${q}`);
    if (this.nv === 0) return null;
    if (q === 0) return this.minv;
    if (q === 1) return this.maxv;
    const view = this.sortedView();
    const target = Math.ceil(q * this.nv);
    const c = view.cumulative;
    let lo = 0;
    let hi = c.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (c[mid]! >= target) hi = mid;
      else lo = mid + 1;
    }
    return view.values[lo]!;
  }

  /** Quantiles at each q (see `quantile`). Null when empty. */
  quantiles(qs: ArrayLike<number>): number[] | null {
    if (this.nv === 0) return null;
    return Array.from(qs as ArrayLike<number>, (q) => this.quantile(q)!);
  }

  /** The distinct retained values, sorted ascending (the points where the sketch CDF can jump). */
  retainedValues(): Float64Array {
    const v = this.sortedView().values;
    let m = 0;
    const out = new Float64Array(v.length);
    for (let i = 0; i < v.length; i++) if (i === 0 || v[i] !== v[i - 1]) out[m++] = v[i]!;
    return out.slice(0, m);
  }

  /**
   * Serialises the state: k, n, min, max, level sizes and items. Items of a level that are all integers
   * after scaling by 10^d (d ≤ 9) and round-trip exactly are written as zig-zag varint deltas; other levels
   * as raw float64. The encoding is a function of the state, so write → read → write is bit-exact.
   */
  write(w: ByteWriter): void {
    w.u16(this.k);
    w.varuint(this.nv);
    if (this.nv === 0) return;
    w.f64(this.minv);
    w.f64(this.maxv);
    w.u8(this.numLevels);
    for (let l = 0; l < this.numLevels; l++) w.varuint(this.levels[l + 1]! - this.levels[l]!);
    for (let l = 0; l < this.numLevels; l++) writeLevel(w, this.items, this.levels[l]!, this.levels[l + 1]!);
  }

  /** Reads a sketch written by `write`; `rng` drives later compactions. Validates the structure. */
  static read(r: ByteReader, rng: Rng, field = 'kll'): KllSketch {
    const k = r.u16(`${field}.k`);
    if (k < KLL_MIN_K)
      throw new ProfileFormatError(`${field}.k`, `k = ${k} is below the minimum ${KLL_MIN_K}`);
    const s = new KllSketch(k, rng);
    const n = r.varuint(`${field}.n`);
    if (n === 0) return s;
    const lo = r.f64(`${field}.min`);
    const hi = r.f64(`${field}.max`);
    if (Number.isNaN(lo) || Number.isNaN(hi) || lo > hi) {
      throw new ProfileFormatError(field, `min ${lo} and max ${hi} must be numbers with min <= max`);
    }
    const numLevels = r.u8(`${field}.levels`);
    if (numLevels < 1 || numLevels > 61) {
      throw new ProfileFormatError(`${field}.levels`, `${numLevels} levels is outside 1..61`);
    }
    const sizes: number[] = [];
    let retained = 0;
    let weight = 0;
    for (let l = 0; l < numLevels; l++) {
      const size = r.varuint(`${field}.levels[${l}]`);
      sizes.push(size);
      retained += size;
      weight += size * 2 ** l;
    }
    const cap = totalCapacity(k, numLevels);
    if (retained > cap) {
      throw new ProfileFormatError(
        field,
        `${retained} retained items exceed the capacity ${cap} of k = ${k}`,
      );
    }
    if (weight !== n) {
      throw new ProfileFormatError(field, `level weights sum to ${weight} but n = ${n}`);
    }
    const items = new Float64Array(cap);
    const levels = [cap - retained];
    for (let l = 0; l < numLevels; l++) {
      const start = levels[l]!;
      readLevel(r, items, start, start + sizes[l]!, `${field}.items[${l}]`);
      for (let i = start; i < start + sizes[l]!; i++) {
        const x = items[i]!;
        if (!(x >= lo && x <= hi))
          throw new ProfileFormatError(`${field}.items[${l}]`, `item ${x} is outside [min, max]`);
        if (l > 0 && i > start && x < items[i - 1]!) {
          throw new ProfileFormatError(`${field}.items[${l}]`, 'level above 0 is not sorted');
        }
      }
      levels.push(start + sizes[l]!);
    }
    s.nv = n;
    s.minv = lo;
    s.maxv = hi;
    s.numLevels = numLevels;
    s.levels = levels;
    s.items = items;
    return s;
  }
}

function checkSplitPoints(sp: ArrayLike<number>): void {
  for (let i = 0; i < sp.length; i++) {
    const x = sp[i]!;
    if (Number.isNaN(x)) throw new RangeError(`split point ${i} is NaN`);
    if (i > 0 && !(x > sp[i - 1]!)) {
      throw new RangeError(
        `split points must be strictly increasing: point ${i} (${x}) <= point ${i - 1} (${sp[i - 1]})`,
      );
    }
  }
}

/** Sorts buf[start, end) ascending: insertion sort for the short runs level 0 usually has. */
function sortRange(buf: Float64Array, start: number, end: number): void {
  if (end - start > 24) {
    buf.subarray(start, end).sort();
    return;
  }
  for (let i = start + 1; i < end; i++) {
    const x = buf[i]!;
    let j = i - 1;
    while (j >= start && buf[j]! > x) {
      buf[j + 1] = buf[j]!;
      j--;
    }
    buf[j + 1] = x;
  }
}

/** Keeps every other item of buf[start, start+len) from a random offset, packed at the top of the range. */
function halveUp(buf: Float64Array, start: number, len: number, rng: Rng): void {
  const half = len >>> 1;
  const offset = rng.nextUint32() & 1;
  let j = start + len - 1 - offset;
  for (let i = start + len - 1; i >= start + half; i--) {
    buf[i] = buf[j]!;
    j -= 2;
  }
}

/** Keeps every other item of buf[start, start+len) from a random offset, packed at the bottom. */
function halveDown(buf: Float64Array, start: number, len: number, rng: Rng): void {
  const half = len >>> 1;
  const offset = rng.nextUint32() & 1;
  let j = start + offset;
  for (let i = start; i < start + half; i++) {
    buf[i] = buf[j]!;
    j += 2;
  }
}

function mergeSorted(
  a: Float64Array,
  aStart: number,
  aLen: number,
  b: Float64Array,
  bStart: number,
  bLen: number,
  out: Float64Array,
  outStart: number,
): void {
  let i = aStart;
  let j = bStart;
  const aEnd = aStart + aLen;
  const bEnd = bStart + bLen;
  let o = outStart;
  while (i < aEnd && j < bEnd) out[o++] = a[i]! <= b[j]! ? a[i++]! : b[j++]!;
  while (i < aEnd) out[o++] = a[i++]!;
  while (j < bEnd) out[o++] = b[j++]!;
}

/** Merges two sorted runs of one buffer into `outStart`; safe because the output never overtakes run B. */
function mergeSortedInPlace(
  buf: Float64Array,
  aStart: number,
  aLen: number,
  bStart: number,
  bLen: number,
  outStart: number,
): void {
  mergeSorted(buf, aStart, aLen, buf, bStart, bLen, buf, outStart);
}

/**
 * DataSketches `generalCompress`: walks the levels bottom-up in `buf` (input and output share the buffer,
 * data only moves down), compacting a level when the sketch is over its total capacity and that level is
 * at or over its own; adds levels as needed.
 */
function generalCompress(
  k: number,
  numLevelsIn: number,
  buf: Float64Array,
  inLevels: number[],
  outLevels: number[],
  rng: Rng,
): { numLevels: number; targetItemCount: number; currentItemCount: number } {
  let numLevels = numLevelsIn;
  let currentItemCount = inLevels[numLevels]! - inLevels[0]!;
  let targetItemCount = totalCapacity(k, numLevels);
  outLevels[0] = 0;
  for (let level = 0; ; level++) {
    if (level === numLevels - 1) inLevels[level + 2] = inLevels[level + 1]!;
    const rawBeg = inLevels[level]!;
    const rawLim = inLevels[level + 1]!;
    const rawPop = rawLim - rawBeg;
    if (currentItemCount < targetItemCount || rawPop < kllLevelCapacity(k, numLevels, level)) {
      buf.copyWithin(outLevels[level]!, rawBeg, rawLim);
      outLevels[level + 1] = outLevels[level]! + rawPop;
    } else {
      const popAbove = inLevels[level + 2]! - rawLim;
      const odd = rawPop & 1;
      const adjBeg = rawBeg + odd;
      const adjPop = rawPop - odd;
      const half = adjPop >>> 1;
      if (odd) {
        buf[outLevels[level]!] = buf[rawBeg]!;
        outLevels[level + 1] = outLevels[level]! + 1;
      } else {
        outLevels[level + 1] = outLevels[level]!;
      }
      if (level === 0) sortRange(buf, adjBeg, adjBeg + adjPop);
      if (popAbove === 0) {
        halveUp(buf, adjBeg, adjPop, rng);
      } else {
        halveDown(buf, adjBeg, adjPop, rng);
        mergeSortedInPlace(buf, adjBeg, half, rawLim, popAbove, adjBeg + half);
      }
      currentItemCount -= half;
      inLevels[level + 1] = inLevels[level + 1]! - half;
      if (level === numLevels - 1) {
        numLevels++;
        targetItemCount += kllLevelCapacity(k, numLevels, 0);
      }
    }
    if (level === numLevels - 1) break;
  }
  return { numLevels, targetItemCount, currentItemCount };
}

const MAX_DECIMALS = 9;

/** The smallest d ≤ 9 such that every item is exactly an integer divided by 10^d, or −1. */
function decimalScale(items: Float64Array, start: number, end: number): number {
  outer: for (let d = 0; d <= MAX_DECIMALS; d++) {
    const scale = 10 ** d;
    for (let i = start; i < end; i++) {
      const x = items[i]!;
      const v = Math.round(x * scale);
      // |v| < 2^50 keeps zig-zag deltas below 2^53.
      if (!(Math.abs(v) < 2 ** 50) || v / scale !== x || Object.is(x, -0)) continue outer;
    }
    return d;
  }
  return -1;
}

function writeLevel(w: ByteWriter, items: Float64Array, start: number, end: number): void {
  if (end === start) return;
  const d = decimalScale(items, start, end);
  if (d < 0) {
    w.u8(0);
    for (let i = start; i < end; i++) w.f64(items[i]!);
    return;
  }
  w.u8(1 + d);
  const scale = 10 ** d;
  let prev = 0;
  for (let i = start; i < end; i++) {
    const v = Math.round(items[i]! * scale);
    w.varint(v - prev);
    prev = v;
  }
}

function readLevel(r: ByteReader, items: Float64Array, start: number, end: number, field: string): void {
  if (end === start) return;
  const mode = r.u8(`${field}.encoding`);
  if (mode === 0) {
    for (let i = start; i < end; i++) items[i] = r.f64(field);
    return;
  }
  if (mode > 1 + MAX_DECIMALS)
    throw new ProfileFormatError(`${field}.encoding`, `unknown item encoding ${mode}`);
  const scale = 10 ** (mode - 1);
  let prev = 0;
  for (let i = start; i < end; i++) {
    prev += r.varint(field);
    if (!Number.isSafeInteger(prev))
      throw new ProfileFormatError(field, `scaled item ${prev} is not a safe integer`);
    items[i] = prev / scale;
  }
}
