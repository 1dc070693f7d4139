/**
 * @module
 * Accumulates one column while a file streams past: each cell is classified once (number, date-time, text
 * or missing) and written into a typed array, never kept as a row object. Arrays are created only for the
 * types a column actually holds, sized from a row-count estimate and grown by 1.5× when it falls short.
 * With `shared: true` the arrays live on SharedArrayBuffers so that worker threads can read them without
 * copying.
 */
import type { CellCounts, ColumnData } from '../core/schema/table.js';
import { NO_TEXT, TEXT_OVERFLOW } from '../core/schema/table.js';
import { ByteDictionary } from './byte-dictionary.js';
import { parseDateTimeBytes } from './parse-datetime.js';
import { parseNumberBytes } from './parse-number.js';

/** Distinct text values kept per column; past this a column is free text or identifiers, counted, not kept. */
export const TEXT_DICTIONARY_LIMIT = 1_000_000;
/** Bytes of distinct text kept per column (same reason). */
export const TEXT_DICTIONARY_BYTES = 64 * 1024 * 1024;

/** Missing-value tokens, as pandas `read_csv` recognises them by default (`na_values`). */
export const MISSING_TOKENS: ReadonlySet<string> = new Set([
  '',
  '#N/A',
  '#N/A N/A',
  '#NA',
  '-1.#IND',
  '-1.#QNAN',
  '-NaN',
  '-nan',
  '1.#IND',
  '1.#QNAN',
  '<NA>',
  'N/A',
  'NA',
  'NULL',
  'NaN',
  'None',
  'n/a',
  'nan',
  'null',
]);

export interface ColumnBuilderOptions {
  /** Expected number of rows (a guess is fine: arrays grow past it). */
  capacity?: number;
  /** Allocate on SharedArrayBuffer (for worker threads). */
  shared?: boolean;
  /** Try to read text as a number (CSV: yes; JSON strings: no, JSON has its own numbers). */
  numbersInText?: boolean;
}

const encoder = new TextEncoder();

function isMissingToken(bytes: Uint8Array, start: number, end: number): boolean {
  const len = end - start;
  if (len > 8) return false;
  let s = '';
  for (let i = start; i < end; i++) s += String.fromCharCode(bytes[i]!);
  return MISSING_TOKENS.has(s);
}

export class ColumnBuilder {
  private cap: number;
  private n = 0;
  private numbers: Float64Array | null = null;
  private times: Float64Array | null = null;
  private codes: Int32Array | null = null;
  private readonly dict = new ByteDictionary(TEXT_DICTIONARY_LIMIT, TEXT_DICTIONARY_BYTES);
  private readonly shared: boolean;
  private readonly numbersInText: boolean;
  private scratch = new Uint8Array(256);
  readonly counts: CellCounts = {
    rows: 0,
    missing: 0,
    numbers: 0,
    integers: 0,
    times: 0,
    dates: 0,
    texts: 0,
    overflowTexts: 0,
  };

  constructor(
    readonly name: string,
    options: ColumnBuilderOptions = {},
  ) {
    this.cap = Math.max(16, Math.ceil(options.capacity ?? 1024));
    this.shared = options.shared ?? false;
    this.numbersInText = options.numbersInText ?? true;
  }

  /** Rows added so far. */
  get length(): number {
    return this.n;
  }

  private float64(cap: number): Float64Array {
    const a = this.shared ? new Float64Array(new SharedArrayBuffer(cap * 8)) : new Float64Array(cap);
    a.fill(Number.NaN);
    return a;
  }

  private int32(cap: number): Int32Array {
    const a = this.shared ? new Int32Array(new SharedArrayBuffer(cap * 4)) : new Int32Array(cap);
    a.fill(NO_TEXT);
    return a;
  }

  /** Makes room for `rows` rows in total (a better estimate than the one given at construction). */
  reserve(rows: number): void {
    if (rows > this.cap) this.grow(rows);
  }

  private grow(target = Math.ceil(this.cap * 1.5) + 16): void {
    const cap = target;
    if (this.numbers) {
      const a = this.float64(cap);
      a.set(this.numbers.subarray(0, this.n));
      this.numbers = a;
    }
    if (this.times) {
      const a = this.float64(cap);
      a.set(this.times.subarray(0, this.n));
      this.times = a;
    }
    if (this.codes) {
      const a = this.int32(cap);
      a.set(this.codes.subarray(0, this.n));
      this.codes = a;
    }
    this.cap = cap;
  }

  /** Adds a missing cell. */
  addMissing(): void {
    if (this.n >= this.cap) this.grow();
    this.n++;
    this.counts.missing++;
  }

  /** Adds missing cells until the column has `rows` rows (a key absent from some JSON lines). */
  padTo(rows: number): void {
    while (this.n < rows) this.addMissing();
  }

  /** Adds a number (NaN and ±Infinity count as missing). */
  addNumber(v: number): void {
    if (!Number.isFinite(v)) {
      this.addMissing();
      return;
    }
    if (this.n >= this.cap) this.grow();
    if (this.numbers === null) this.numbers = this.float64(this.cap);
    this.numbers[this.n++] = v;
    this.counts.numbers++;
    if (Number.isInteger(v)) this.counts.integers++;
  }

  /** Adds a date-time given as epoch milliseconds (UTC). */
  addTime(ms: number, dateOnly: boolean): void {
    if (!Number.isFinite(ms)) {
      this.addMissing();
      return;
    }
    if (this.n >= this.cap) this.grow();
    if (this.times === null) this.times = this.float64(this.cap);
    this.times[this.n++] = ms;
    this.counts.times++;
    if (dateOnly) this.counts.dates++;
  }

  /**
   * Adds a cell given as bytes (a CSV field, already unquoted): a number if it reads as one, else a
   * date-time, else a missing token (`NA`, `null`, … see `MISSING_TOKENS`), else text.
   */
  addBytes(bytes: Uint8Array, start: number, end: number): void {
    if (start === end) {
      this.addMissing();
      return;
    }
    if (this.numbersInText) {
      const c0 = bytes[start]!;
      // Only bytes that can open a number are worth a parse attempt.
      if ((c0 >= 0x30 && c0 <= 0x39) || c0 === 0x2d || c0 === 0x2e || c0 === 0x2b || c0 === 0x20) {
        const v = parseNumberBytes(bytes, start, end);
        if (!Number.isNaN(v)) {
          this.addNumber(v);
          return;
        }
      }
    }
    this.addNonNumeric(bytes, start, end);
  }

  private addNonNumeric(bytes: Uint8Array, start: number, end: number): void {
    const c0 = bytes[start]!;
    if ((c0 >= 0x30 && c0 <= 0x39) || c0 === 0x20) {
      const t = parseDateTimeBytes(bytes, start, end);
      if (t !== undefined) {
        let s = start;
        let e = end;
        while (s < e && bytes[s] === 0x20) s++;
        while (e > s && bytes[e - 1] === 0x20) e--;
        this.addTime(t, e - s === 10);
        return;
      }
    }
    let code = this.dict.find(bytes, start, end);
    if (code < 0) {
      if (isMissingToken(bytes, start, end)) {
        this.addMissing();
        return;
      }
      code = this.dict.insertMissed(bytes, start, end);
    }
    if (this.n >= this.cap) this.grow();
    if (this.codes === null) this.codes = this.int32(this.cap);
    if (code < 0) {
      this.codes[this.n++] = TEXT_OVERFLOW;
      this.counts.overflowTexts++;
    } else this.codes[this.n++] = code;
    this.counts.texts++;
  }

  /** Adds a text cell given as a JS string (JSON, Parquet): same rules as `addBytes`. */
  addString(s: string): void {
    const need = s.length * 3;
    if (need > this.scratch.length) this.scratch = new Uint8Array(Math.max(need, this.scratch.length * 2));
    const { written } = encoder.encodeInto(s, this.scratch);
    this.addBytes(this.scratch, 0, written);
  }

  /** The finished column. Arrays are trimmed to the row count when the estimate overshot by much. */
  finish(): ColumnData {
    const n = this.n;
    const trim = <T extends Float64Array | Int32Array>(a: T | null): T | null => {
      if (a === null) return null;
      if (a.length === n) return a;
      if (a.length <= n * 1.1 + 1024) return a.subarray(0, n) as T;
      const bytes = n * a.BYTES_PER_ELEMENT;
      const buffer = this.shared ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes);
      const out = (a instanceof Float64Array ? new Float64Array(buffer) : new Int32Array(buffer)) as T;
      out.set(a.subarray(0, n));
      return out;
    };
    const { values, counts } = this.dict.entries();
    this.counts.rows = n;
    return {
      name: this.name,
      length: n,
      numbers: trim(this.numbers),
      times: trim(this.times),
      codes: trim(this.codes),
      dictionary: values,
      codeCounts: counts,
      counts: { ...this.counts },
    };
  }
}
