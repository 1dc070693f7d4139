/**
 * @module
 * The mergeable profile of one column (architecture.md "window"; whylogs' column profile):
 *
 * - counts: missing, and per value type — integral, fractional, boolean, string, datetime, other;
 *   `count` is their sum, so it equals the rows the column has seen;
 * - numbers: moments (count, mean, M2, min, max of finite values), a KLL sketch (every non-NaN number),
 *   exact counts of the distinct numbers while there are at most `numericDistinctLimit` of them;
 * - date-times (epoch ms): their own moments (range and mean);
 * - every present value: a HyperLogLog of distinct values;
 * - texts and booleans: a frequent-items summary (booleans as "true"/"false"); text length statistics;
 * - optionally exact counts on fixed histogram edges.
 *
 * `merge` combines two profiles exactly as if one profile had seen both streams, up to the sketches' stated
 * error (moments, counts, HLL and histogram merge exactly).
 */
import type { Rng } from '../rng.js';
import { type ByteReader, type ByteWriter, ProfileFormatError } from '../sketch/bytes.js';
import { FixedHistogram } from '../sketch/fixed-histogram.js';
import { FrequentItems } from '../sketch/frequent-items.js';
import { HyperLogLog } from '../sketch/hll.js';
import { KllSketch } from '../sketch/kll.js';
import { Moments } from '../sketch/moments.js';
import {
  type ColumnSettings,
  PROFILE_COLUMN_KINDS,
  type ProfileColumnKind,
  type ProfileSettings,
  sameSettings,
} from './settings.js';

/** How many values of each type a column has seen. */
export interface TypeCounts {
  missing: number;
  integral: number;
  fractional: number;
  boolean: number;
  string: number;
  datetime: number;
  other: number;
}

const TYPE_KEYS: readonly (keyof TypeCounts)[] = [
  'missing',
  'integral',
  'fractional',
  'boolean',
  'string',
  'datetime',
  'other',
];

/** Category counts of a column with the error of the summary they come from. */
export interface CategoryCounts {
  /** Counted occurrences per category (lower bounds; exact when `maxError` is 0). */
  counts: Map<string, number>;
  /** Every true count lies in [count, count + maxError] (untracked categories: [0, maxError]). */
  maxError: number;
  /** Present values (the denominator of proportions). */
  total: number;
  /** Present values not attributed to any listed category (the "other" bin). */
  untracked: number;
}

function isBooleanText(s: string): 'true' | 'false' | null {
  if (s.length !== 4 && s.length !== 5) return null;
  const l = s.toLowerCase();
  return l === 'true' ? 'true' : l === 'false' ? 'false' : null;
}

/** The profile of one column. Mutable; `merge` changes only the receiver. */
export class ColumnProfile {
  readonly name: string;
  readonly settings: ProfileSettings;
  /** The kind the column was declared to have, if any. */
  readonly declaredKind: ProfileColumnKind | undefined;
  private readonly types: TypeCounts = {
    missing: 0,
    integral: 0,
    fractional: 0,
    boolean: 0,
    string: 0,
    datetime: 0,
    other: 0,
  };
  private infinite = 0;
  private textChars = 0;
  private textSpaced = 0;
  private readonly momentsV: Moments;
  private readonly timesV: Moments;
  private readonly kllV: KllSketch;
  private readonly hllV: HyperLogLog;
  private readonly itemsV: FrequentItems;
  private numericCounts: Map<number, number> | null;
  private readonly histogramV: FixedHistogram | null;

  private constructor(
    name: string,
    settings: ProfileSettings,
    column: ColumnSettings,
    rng: Rng,
    parts?: {
      moments: Moments;
      times: Moments;
      kll: KllSketch;
      hll: HyperLogLog;
      items: FrequentItems;
      histogram: FixedHistogram | null;
      numericCounts: Map<number, number> | null;
    },
  ) {
    this.name = name;
    this.settings = settings;
    this.declaredKind = column.kind;
    this.momentsV = parts?.moments ?? Moments.empty();
    this.timesV = parts?.times ?? Moments.empty();
    this.kllV = parts?.kll ?? KllSketch.empty({ k: settings.kllK, rng });
    this.hllV = parts?.hll ?? HyperLogLog.empty(settings.hllP);
    this.itemsV = parts?.items ?? FrequentItems.empty(settings.frequentItems);
    this.histogramV =
      parts !== undefined
        ? parts.histogram
        : column.histogramEdges
          ? FixedHistogram.empty(column.histogramEdges)
          : null;
    this.numericCounts = parts !== undefined ? parts.numericCounts : new Map();
  }

  /** The empty profile of a column. */
  static empty(name: string, settings: ProfileSettings, column: ColumnSettings, rng: Rng): ColumnProfile {
    return new ColumnProfile(name, settings, column, rng);
  }

  /** Rows seen (present or missing). */
  get count(): number {
    let s = 0;
    for (const k of TYPE_KEYS) s += this.types[k];
    return s;
  }
  get missing(): number {
    return this.types.missing;
  }
  /** Type counts (a copy). */
  typeCounts(): TypeCounts {
    return { ...this.types };
  }
  /** Numbers that were ±Infinity (counted as fractional; in the KLL but not in the moments). */
  get infiniteCount(): number {
    return this.infinite;
  }
  /** Numbers seen (integral + fractional). */
  get numberCount(): number {
    return this.types.integral + this.types.fractional;
  }
  get moments(): Moments {
    return this.momentsV;
  }
  /** Moments of date-time values (epoch milliseconds). */
  get timeMoments(): Moments {
    return this.timesV;
  }
  get kll(): KllSketch {
    return this.kllV;
  }
  get hll(): HyperLogLog {
    return this.hllV;
  }
  get frequentItems(): FrequentItems {
    return this.itemsV;
  }
  get histogram(): FixedHistogram | null {
    return this.histogramV;
  }
  /** Exact counts per distinct number, or null once there were more than `numericDistinctLimit` of them. */
  exactNumberCounts(): Map<number, number> | null {
    return this.numericCounts ? new Map(this.numericCounts) : null;
  }
  /** Mean length of text values (UTF-16 units), or null without texts. */
  get meanTextLength(): number | null {
    return this.types.string === 0 ? null : this.textChars / this.types.string;
  }
  /** Share of text values containing whitespace, or null without texts. */
  get spacedTextShare(): number | null {
    return this.types.string === 0 ? null : this.textSpaced / this.types.string;
  }

  /** Counts `n` missing values. */
  addMissing(n = 1): this {
    this.types.missing += n;
    return this;
  }

  /**
   * Adds the numbers of `xs[start, end)`; NaN entries are skipped and not counted (count them with
   * `addMissing` when they stand for missing rows). The fast path: each sketch runs over the batch.
   */
  addNumbers(xs: ArrayLike<number>, start = 0, end = xs.length): this {
    let integral = 0;
    let fractional = 0;
    let infinite = 0;
    for (let i = start; i < end; i++) {
      const x = xs[i]!;
      if (Number.isNaN(x)) continue;
      if (Number.isInteger(x)) integral++;
      else {
        fractional++;
        if (x === Number.POSITIVE_INFINITY || x === Number.NEGATIVE_INFINITY) infinite++;
      }
    }
    if (integral + fractional === 0) return this;
    this.types.integral += integral;
    this.types.fractional += fractional;
    this.infinite += infinite;
    this.momentsV.addNumbers(xs, start, end);
    this.kllV.addNumbers(xs, start, end);
    this.hllV.addNumbers(xs, start, end);
    this.histogramV?.addNumbers(xs, start, end);
    this.countNumbers(xs, start, end);
    if (this.declaredKind === 'categorical') {
      for (let i = start; i < end; i++) if (!Number.isNaN(xs[i]!)) this.itemsV.add(String(xs[i]!));
    }
    return this;
  }

  private countNumbers(xs: ArrayLike<number>, start: number, end: number): void {
    const m = this.numericCounts;
    if (m === null) return;
    const limit = this.settings.numericDistinctLimit;
    for (let i = start; i < end; i++) {
      const x = xs[i]!;
      if (Number.isNaN(x)) continue;
      const key = x === 0 ? 0 : x;
      const c = m.get(key);
      if (c !== undefined) m.set(key, c + 1);
      else if (m.size < limit) m.set(key, 1);
      else {
        this.numericCounts = null;
        return;
      }
    }
  }

  /** Adds one number (NaN counts as missing). */
  addNumber(x: number): this {
    if (Number.isNaN(x)) return this.addMissing(1);
    return this.addNumbers([x]);
  }

  /** Adds date-times given as epoch milliseconds; NaN entries are skipped and not counted. */
  addTimes(xs: ArrayLike<number>, start = 0, end = xs.length): this {
    let n = 0;
    for (let i = start; i < end; i++) {
      const x = xs[i]!;
      if (Number.isNaN(x)) continue;
      n++;
      this.hllV.addNumber(x);
    }
    this.types.datetime += n;
    this.timesV.addNumbers(xs, start, end);
    return this;
  }

  /**
   * Adds `weight` occurrences of a text value. "true"/"false" (any case) count as booleans and are kept
   * as "true"/"false"; other texts count as strings.
   */
  addText(value: string, weight = 1): this {
    if (weight <= 0) return this;
    const b = isBooleanText(value);
    if (b !== null) {
      this.types.boolean += weight;
      this.hllV.addBoolean(b === 'true');
      this.itemsV.add(b, weight);
      return this;
    }
    this.types.string += weight;
    this.textChars += value.length * weight;
    if (/\s/.test(value)) this.textSpaced += weight;
    this.hllV.addString(value);
    this.itemsV.add(value, weight);
    return this;
  }

  /** Adds `weight` occurrences of a boolean. */
  addBoolean(value: boolean, weight = 1): this {
    if (weight <= 0) return this;
    this.types.boolean += weight;
    this.hllV.addBoolean(value);
    this.itemsV.add(value ? 'true' : 'false', weight);
    return this;
  }

  /**
   * Counts `n` text values whose content is unknown (a reader's dictionary overflowed): they count as
   * strings and raise the frequent-items error bound by n, since they may be any item.
   */
  addUnknownTexts(n: number): this {
    if (n <= 0) return this;
    this.types.string += n;
    this.itemsV.addUnknown(n);
    return this;
  }

  /**
   * Adds one value of any type: numbers (NaN = missing), bigints, strings, booleans, Dates; null and
   * undefined are missing; anything else counts as "other" (distinct-counted by its JSON text).
   */
  addValue(v: unknown): this {
    if (v === null || v === undefined) return this.addMissing(1);
    switch (typeof v) {
      case 'number':
        return this.addNumber(v);
      case 'string':
        return this.addText(v);
      case 'boolean':
        return this.addBoolean(v);
      case 'bigint':
        return this.addNumbers([Number(v)]);
    }
    if (v instanceof Date) {
      const t = v.getTime();
      return Number.isNaN(t) ? this.addMissing(1) : this.addTimes([t]);
    }
    this.types.other += 1;
    let text: string;
    try {
      text = JSON.stringify(v) ?? String(v);
    } catch {
      text = String(v);
    }
    this.hllV.addString(text);
    return this;
  }

  /**
   * The kind of the column: the declared one, else inferred like `core/schema` does from what the
   * column held — the storage most values use (numbers, date-times, texts); texts that are all
   * true/false → boolean; mostly-distinct texts (more than half the rows, at least 20) → text if long or
   * spaced (mean length ≥ 30 or half with whitespace), else id. No values → categorical.
   */
  kind(): ProfileColumnKind {
    if (this.declaredKind) return this.declaredKind;
    const t = this.types;
    const numbers = t.integral + t.fractional;
    const texts = t.string + t.boolean + t.other;
    if (numbers + t.datetime + texts === 0) return 'categorical';
    if (numbers >= t.datetime && numbers >= texts) return 'numerical';
    if (t.datetime >= texts) return 'datetime';
    if (t.string === 0 && t.other === 0) return 'boolean';
    const distinct = this.distinct().estimate;
    if (texts >= 20 && distinct > 0.5 * texts) {
      const meanLength = this.meanTextLength ?? 0;
      const spaced = this.spacedTextShare ?? 0;
      return meanLength >= 30 || spaced >= 0.5 ? 'text' : 'id';
    }
    return 'categorical';
  }

  /**
   * Category counts: texts and booleans from the frequent-items summary, numbers from the exact number
   * counts (keyed by `String(x)`) while they exist. Numbers beyond the exact limit and "other" values go
   * to `untracked`, and then also into `maxError` (they could be any category).
   */
  categoryCounts(): CategoryCounts {
    const counts = this.itemsV.counters();
    let maxError = this.itemsV.offset;
    const t = this.types;
    const numbers = t.integral + t.fractional;
    const categoricalNumbers = this.declaredKind === 'categorical';
    if (!categoricalNumbers && numbers > 0) {
      if (this.numericCounts) {
        for (const [x, c] of this.numericCounts) {
          const key = String(x);
          counts.set(key, (counts.get(key) ?? 0) + c);
        }
      } else {
        maxError += numbers;
      }
    }
    maxError += t.other;
    const total = numbers + t.string + t.boolean + t.other;
    let tracked = 0;
    for (const c of counts.values()) tracked += c;
    return { counts, maxError, total, untracked: total - tracked };
  }

  /**
   * Distinct present values: exact (`lower = upper = estimate`) when every value type is tracked exactly
   * (numbers by the exact counts or an exact KLL, texts by an exact frequent-items summary, no "other"
   * or date-time values); otherwise the HyperLogLog estimate with ±3 RSE bounds.
   */
  distinct(): { estimate: number; lower: number; upper: number; exact: boolean } {
    const t = this.types;
    const numbers = t.integral + t.fractional;
    let exactCount: number | null = 0;
    if (t.other > 0 || t.datetime > 0) exactCount = null;
    if (exactCount !== null && this.declaredKind === 'categorical') {
      exactCount = this.itemsV.isExact ? this.itemsV.size : null;
    } else if (exactCount !== null) {
      if (numbers > 0) {
        if (this.numericCounts) exactCount += this.numericCounts.size;
        else if (!this.kllV.isEstimationMode) exactCount += this.kllV.retainedValues().length;
        else exactCount = null;
      }
      if (exactCount !== null && t.string + t.boolean > 0) {
        exactCount = this.itemsV.isExact ? exactCount + this.itemsV.size : null;
      }
    }
    if (exactCount !== null)
      return { estimate: exactCount, lower: exactCount, upper: exactCount, exact: true };
    const d = this.hllV.distinct(3);
    return { estimate: d.estimate, lower: d.lower, upper: d.upper, exact: false };
  }

  /** Merges `other` (same name and settings) into this profile; `other` is unchanged. */
  merge(other: ColumnProfile): this {
    if (other.name !== this.name) {
      throw new RangeError(`cannot merge column "${other.name}" into column "${this.name}"`);
    }
    if (!sameSettings(this.settings, other.settings)) {
      throw new RangeError(
        `column "${this.name}": cannot merge profiles built with different sketch settings`,
      );
    }
    if (other.declaredKind !== this.declaredKind) {
      throw new RangeError(
        `column "${this.name}": declared kinds differ (${this.declaredKind ?? 'none'} and ${other.declaredKind ?? 'none'})`,
      );
    }
    if (
      (this.histogramV === null) !== (other.histogramV === null) ||
      (this.histogramV && !this.histogramV.sameEdges(other.histogramV!))
    ) {
      throw new RangeError(`column "${this.name}": cannot merge profiles with different histogram edges`);
    }
    for (const k of TYPE_KEYS) this.types[k] += other.types[k];
    this.infinite += other.infinite;
    this.textChars += other.textChars;
    this.textSpaced += other.textSpaced;
    this.momentsV.merge(other.momentsV);
    this.timesV.merge(other.timesV);
    this.kllV.merge(other.kllV);
    this.hllV.merge(other.hllV);
    this.itemsV.merge(other.itemsV);
    this.histogramV?.merge(other.histogramV!);
    if (this.numericCounts === null || other.numericCounts === null) this.numericCounts = null;
    else {
      const m = this.numericCounts;
      for (const [x, c] of other.numericCounts) m.set(x, (m.get(x) ?? 0) + c);
      if (m.size > this.settings.numericDistinctLimit) this.numericCounts = null;
    }
    return this;
  }

  /** A deep copy; the KLL sketch of the copy draws its coin flips from `rng`. */
  clone(rng: Rng): ColumnProfile {
    const c = new ColumnProfile(this.name, this.settings, { kind: this.declaredKind }, rng, {
      moments: this.momentsV.clone(),
      times: this.timesV.clone(),
      kll: this.kllV.clone(),
      hll: this.hllV.clone(),
      items: this.itemsV.clone(),
      histogram: this.histogramV ? this.histogramV.clone() : null,
      numericCounts: this.numericCounts ? new Map(this.numericCounts) : null,
    });
    Object.assign(c.types, this.types);
    c.infinite = this.infinite;
    c.textChars = this.textChars;
    c.textSpaced = this.textSpaced;
    return c;
  }

  /**
   * Writes the column: name, flags, counts, then each sketch. Deterministic given the state (number
   * counts are written in ascending order), so re-encoding a decoded column is bit-exact.
   */
  write(w: ByteWriter): void {
    w.string(this.name);
    const kindIndex = this.declaredKind ? PROFILE_COLUMN_KINDS.indexOf(this.declaredKind) + 1 : 0;
    const flags = (this.histogramV ? 1 : 0) | (this.numericCounts ? 2 : 0) | (kindIndex << 4);
    w.u8(flags);
    for (const k of TYPE_KEYS) w.varuint(this.types[k]);
    w.varuint(this.infinite);
    w.varuint(this.textChars);
    w.varuint(this.textSpaced);
    this.momentsV.write(w);
    this.timesV.write(w);
    this.kllV.write(w);
    this.hllV.write(w);
    this.itemsV.write(w);
    if (this.numericCounts) {
      const keys = [...this.numericCounts.keys()].sort((a, b) => a - b);
      w.varuint(keys.length);
      for (const x of keys) {
        w.f64(x);
        w.varuint(this.numericCounts.get(x)!);
      }
    }
    this.histogramV?.write(w);
  }

  /** Reads a column written by `write`, checking it against the profile's settings. */
  static read(r: ByteReader, settings: ProfileSettings, rng: Rng): ColumnProfile {
    const name = r.string('column.name');
    const f = `column "${name}"`;
    const flags = r.u8(`${f}.flags`);
    const kindIndex = flags >> 4;
    if ((flags & 0x0c) !== 0 || kindIndex > PROFILE_COLUMN_KINDS.length) {
      throw new ProfileFormatError(`${f}.flags`, `unknown flags 0x${flags.toString(16)}`);
    }
    const kind = kindIndex === 0 ? undefined : PROFILE_COLUMN_KINDS[kindIndex - 1];
    const types = {} as TypeCounts;
    for (const k of TYPE_KEYS) types[k] = r.varuint(`${f}.counts.${k}`);
    const infinite = r.varuint(`${f}.counts.infinite`);
    const textChars = r.varuint(`${f}.textChars`);
    const textSpaced = r.varuint(`${f}.textSpaced`);
    const moments = Moments.read(r, `${f}.moments`);
    const times = Moments.read(r, `${f}.times`);
    const kll = KllSketch.read(r, rng, `${f}.kll`);
    const hll = HyperLogLog.read(r, `${f}.hll`);
    const items = FrequentItems.read(r, `${f}.frequentItems`);
    let numericCounts: Map<number, number> | null = null;
    if (flags & 2) {
      numericCounts = new Map();
      const size = r.varuint(`${f}.numberCounts`);
      if (size > settings.numericDistinctLimit) {
        throw new ProfileFormatError(
          `${f}.numberCounts`,
          `${size} entries exceed the limit ${settings.numericDistinctLimit}`,
        );
      }
      for (let i = 0; i < size; i++) {
        const x = r.f64(`${f}.numberCounts.value`);
        const c = r.varuint(`${f}.numberCounts.count`);
        numericCounts.set(x, c);
      }
    }
    const histogram = flags & 1 ? FixedHistogram.read(r, `${f}.histogram`) : null;
    if (kll.k !== settings.kllK || hll.p !== settings.hllP || items.maxItems !== settings.frequentItems) {
      throw new ProfileFormatError(f, 'sketch sizes differ from the profile settings');
    }
    const numbers = types.integral + types.fractional;
    if (kll.n !== numbers || moments.count !== numbers - infinite || times.count !== types.datetime) {
      throw new ProfileFormatError(f, `sketch counts disagree with the type counts (${numbers} numbers)`);
    }
    const c = new ColumnProfile(name, settings, { kind }, rng, {
      moments,
      times,
      kll,
      hll,
      items,
      histogram,
      numericCounts,
    });
    Object.assign(c.types, types);
    c.infinite = infinite;
    c.textChars = textChars;
    c.textSpaced = textSpaced;
    return c;
  }
}
