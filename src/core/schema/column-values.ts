/**
 * @module
 * The values of a column as its kind sees them. A numerical column reads its numbers (text or dates in it
 * are type mismatches); a datetime column its date-times; categorical, id and text columns read every
 * present cell as a category (numbers written in their shortest decimal form, dates as ISO-8601); a boolean
 * column maps `true`/`yes`/`1` to `true` and `false`/`no`/`0` to `false`.
 */
import type { ColumnKind } from './kinds.js';
import { type ColumnData, TEXT_OVERFLOW } from './table.js';

/** The finite numbers of a column, NaN-free, in row order (a new array). */
export function numericValues(col: ColumnData): Float64Array {
  return presentValues(col.numbers, col.counts.numbers);
}

/** The date-times of a column as epoch milliseconds, NaN-free, in row order (a new array). */
export function timeValues(col: ColumnData): Float64Array {
  return presentValues(col.times, col.counts.times);
}

function presentValues(a: Float64Array | null, count: number): Float64Array {
  if (!a) return new Float64Array(0);
  // No gaps: one block copy.
  if (count === a.length) return a.slice();
  const out = new Float64Array(count);
  let k = 0;
  for (let i = 0; i < a.length; i++) {
    const v = a[i]!;
    if (!Number.isNaN(v)) out[k++] = v;
  }
  return k === count ? out : out.subarray(0, k);
}

const TRUE_TOKENS = new Set(['true', 'yes', '1']);
const FALSE_TOKENS = new Set(['false', 'no', '0']);

/** `true`/`false` for a boolean token (any case; also `1`/`0`), otherwise undefined. */
export function booleanToken(v: string): 'true' | 'false' | undefined {
  const l = v.toLowerCase();
  if (TRUE_TOKENS.has(l)) return 'true';
  if (FALSE_TOKENS.has(l)) return 'false';
  return undefined;
}

/** Label used for text values that did not fit the bounded dictionary. */
export const OVERFLOW_LABEL = '(other values)';

/**
 * Counts per category of a column read as `kind` (categorical, boolean, id or text). Missing cells are not
 * counted; cells that do not fit a boolean are left out (they are type mismatches).
 */
export function categoryCounts(col: ColumnData, kind: ColumnKind): Map<string, number> {
  const out = new Map<string, number>();
  const add = (key: string, n: number) => out.set(key, (out.get(key) ?? 0) + n);
  const asBool = kind === 'boolean';
  col.dictionary.forEach((v, i) => {
    const n = col.codeCounts[i] ?? 0;
    if (n === 0) return;
    if (!asBool) add(v, n);
    else {
      const b = booleanToken(v);
      if (b) add(b, n);
    }
  });
  if (col.counts.overflowTexts > 0 && !asBool) add(OVERFLOW_LABEL, col.counts.overflowTexts);
  if (col.numbers) {
    const nums = col.numbers;
    for (let i = 0; i < nums.length; i++) {
      const v = nums[i]!;
      if (Number.isNaN(v)) continue;
      if (!asBool) add(String(v), 1);
      else if (v === 1 || v === 0) add(v === 1 ? 'true' : 'false', 1);
    }
  }
  if (col.times && !asBool) {
    const times = col.times;
    for (let i = 0; i < times.length; i++) {
      const v = times[i]!;
      if (!Number.isNaN(v)) add(new Date(v).toISOString(), 1);
    }
  }
  return out;
}

/** Category of row `i` as `categoryCounts` names it, or null when missing (or not a boolean for boolean kind). */
export function categoryAt(col: ColumnData, kind: ColumnKind, i: number): string | null {
  const code = col.codes ? col.codes[i]! : -1;
  let v: string | null = null;
  if (code >= 0) v = col.dictionary[code] ?? null;
  else if (code === TEXT_OVERFLOW) v = OVERFLOW_LABEL;
  else if (col.numbers && !Number.isNaN(col.numbers[i]!)) {
    const x = col.numbers[i]!;
    if (kind === 'boolean') return x === 1 ? 'true' : x === 0 ? 'false' : null;
    v = String(x);
  } else if (col.times && !Number.isNaN(col.times[i]!)) v = new Date(col.times[i]!).toISOString();
  if (v === null || kind !== 'boolean') return v;
  return booleanToken(v) ?? null;
}

/** A type mismatch summary: how many present cells do not fit the kind, and up to three examples. */
export interface TypeMismatch {
  count: number;
  examples: string[];
}

/** Present cells that do not fit `kind` (text in a numerical column, a number in a datetime column …). */
export function typeMismatches(col: ColumnData, kind: ColumnKind): TypeMismatch {
  const c = col.counts;
  const examples: string[] = [];
  const textExamples = (accept: (v: string) => boolean) => {
    let count = 0;
    col.dictionary.forEach((v, i) => {
      if (accept(v)) return;
      count += col.codeCounts[i] ?? 0;
      if (examples.length < 3) examples.push(v);
    });
    return count;
  };
  const numberExamples = (accept: (v: number) => boolean) => {
    let count = 0;
    const a = col.numbers;
    if (!a) return 0;
    for (let i = 0; i < a.length; i++) {
      const v = a[i]!;
      if (Number.isNaN(v) || accept(v)) continue;
      count++;
      if (examples.length < 3) examples.push(String(v));
    }
    return count;
  };
  const timeExamples = () => {
    const a = col.times;
    if (a) {
      for (let i = 0; i < a.length && examples.length < 3; i++) {
        if (!Number.isNaN(a[i]!)) examples.push(new Date(a[i]!).toISOString());
      }
    }
    return c.times;
  };
  switch (kind) {
    case 'numerical': {
      const count = textExamples(() => false) + c.overflowTexts + timeExamples();
      return { count, examples };
    }
    case 'datetime': {
      const count = textExamples(() => false) + c.overflowTexts + numberExamples(() => false);
      return { count, examples };
    }
    case 'boolean': {
      const count =
        textExamples((v) => booleanToken(v) !== undefined) +
        c.overflowTexts +
        numberExamples((v) => v === 0 || v === 1) +
        timeExamples();
      return { count, examples };
    }
    default:
      return { count: 0, examples };
  }
}
