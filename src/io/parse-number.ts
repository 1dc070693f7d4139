/**
 * @module
 * Decimal numbers straight from bytes, without making a string first. Most fields of a large CSV are
 * numbers, and building a JS string for each one costs more than parsing it: this is one reason the CSV
 * reader is hand-written (see `csv-tokenizer.ts`).
 *
 * Accepted grammar (surrounding spaces allowed): `[+-]? (digits [. digits*] | . digits) ([eE] [+-]? digits)?`.
 * Results equal `Number(text)` exactly: the fast path is Clinger's (a mantissa below 2^53 and a power of ten
 * at most 10^22 are both exact doubles, so one IEEE multiplication or division rounds correctly); longer
 * inputs fall back to `Number()` on the validated text.
 */

const POW10 = Array.from({ length: 23 }, (_, i) => 10 ** i);
const TWO53 = 2 ** 53;

/**
 * Parses `bytes[start, end)` as a decimal number.
 * Returns the number, or `undefined` when the bytes are not a number in the grammar above
 * (empty, `NaN`, `inf`, `1,5`, `12abc`, hexadecimal …) or overflow to ±Infinity (`1e400`).
 * @example parseNumberBytes(Buffer.from('-12.5e1'), 0, 7) // → -125
 */
export function parseNumberBytes(bytes: Uint8Array, start: number, end: number): number | undefined {
  while (start < end && bytes[start] === 0x20) start++;
  while (end > start && bytes[end - 1] === 0x20) end--;
  if (start >= end) return undefined;
  let i = start;
  let neg = false;
  let c = bytes[i]!;
  if (c === 0x2d || c === 0x2b) {
    neg = c === 0x2d;
    i++;
  }
  let mant = 0;
  let exact = true;
  let digits = 0;
  let scale = 0;
  while (i < end) {
    c = bytes[i]!;
    const d = c - 0x30;
    if (d < 0 || d > 9) break;
    if (mant < TWO53 / 10) mant = mant * 10 + d;
    else exact = false;
    digits++;
    i++;
  }
  if (i < end && bytes[i] === 0x2e) {
    i++;
    while (i < end) {
      c = bytes[i]!;
      const d = c - 0x30;
      if (d < 0 || d > 9) break;
      if (mant < TWO53 / 10) {
        mant = mant * 10 + d;
        scale--;
      } else exact = false;
      digits++;
      i++;
    }
  }
  if (digits === 0) return undefined;
  let exp = 0;
  if (i < end && (bytes[i] === 0x65 || bytes[i] === 0x45)) {
    i++;
    let expNeg = false;
    if (i < end && (bytes[i] === 0x2d || bytes[i] === 0x2b)) {
      expNeg = bytes[i] === 0x2d;
      i++;
    }
    const expStart = i;
    while (i < end) {
      const d = bytes[i]! - 0x30;
      if (d < 0 || d > 9) break;
      if (exp < 100000) exp = exp * 10 + d;
      i++;
    }
    if (i === expStart) return undefined;
    if (expNeg) exp = -exp;
  }
  if (i !== end) return undefined;
  const e = scale + exp;
  if (exact && e >= -22 && e <= 22) {
    const v = e < 0 ? mant / POW10[-e]! : mant * POW10[e]!;
    return neg ? -v : v;
  }
  let text = '';
  for (let k = start; k < end; k++) text += String.fromCharCode(bytes[k]!);
  const v = Number(text);
  return Number.isFinite(v) ? v : undefined;
}

/**
 * Parses a string with the same grammar as `parseNumberBytes`; `undefined` when it is not a number.
 * @example parseNumberString(' 3.25 ') // → 3.25
 */
export function parseNumberString(text: string): number | undefined {
  const t = text.trim();
  if (t === '' || !/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t)) return undefined;
  const v = Number(t);
  return Number.isFinite(v) ? v : undefined;
}
