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

const POW10 = Float64Array.from({ length: 23 }, (_, i) => 10 ** i);
/** Largest mantissa that can take one more digit and stay below 2^53. */
const MANT_LIMIT = 2 ** 53 / 10;

/**
 * Parses `bytes[start, end)` as a decimal number.
 * Returns the number, or NaN when the bytes are not a number in the grammar above (empty, `NaN`, `inf`,
 * `1,5`, `12abc`, hexadecimal …) or overflow to ±Infinity (`1e400`). NaN rather than `undefined` keeps the
 * result a plain double, which V8 passes without allocating.
 * @example parseNumberBytes(Buffer.from('-12.5e1'), 0, 7) // → -125
 */
export function parseNumberBytes(bytes: Uint8Array, start: number, end: number): number {
  while (start < end && bytes[start] === 0x20) start++;
  while (end > start && bytes[end - 1] === 0x20) end--;
  if (start >= end) return Number.NaN;
  let i = start;
  let neg = false;
  const c0 = bytes[i]!;
  if (c0 === 0x2d || c0 === 0x2b) {
    neg = c0 === 0x2d;
    i++;
  }
  let mant = 0;
  let exact = true;
  let digits = 0;
  let scale = 0;
  for (; i < end; i++) {
    const d = (bytes[i]! - 0x30) >>> 0;
    if (d > 9) break;
    if (mant < MANT_LIMIT) mant = mant * 10 + d;
    else exact = false;
    digits++;
  }
  if (i < end && bytes[i] === 0x2e) {
    for (i++; i < end; i++) {
      const d = (bytes[i]! - 0x30) >>> 0;
      if (d > 9) break;
      if (mant < MANT_LIMIT) {
        mant = mant * 10 + d;
        scale--;
      } else exact = false;
      digits++;
    }
  }
  if (digits === 0) return Number.NaN;
  if (i < end) {
    const ch = bytes[i];
    if (ch !== 0x65 && ch !== 0x45) return Number.NaN;
    i++;
    let expNeg = false;
    if (i < end && (bytes[i] === 0x2d || bytes[i] === 0x2b)) {
      expNeg = bytes[i] === 0x2d;
      i++;
    }
    const expStart = i;
    let exp = 0;
    for (; i < end; i++) {
      const d = (bytes[i]! - 0x30) >>> 0;
      if (d > 9) break;
      if (exp < 100000) exp = exp * 10 + d;
    }
    if (i === expStart || i !== end) return Number.NaN;
    scale += expNeg ? -exp : exp;
  }
  if (exact && scale >= -22 && scale <= 22) {
    const v = scale < 0 ? mant / POW10[-scale]! : mant * POW10[scale]!;
    return neg ? -v : v;
  }
  let text = '';
  for (let k = start; k < end; k++) text += String.fromCharCode(bytes[k]!);
  const v = Number(text);
  return Number.isFinite(v) ? v : Number.NaN;
}

/**
 * Parses a string with the same grammar as `parseNumberBytes`; NaN when it is not a number.
 * @example parseNumberString(' 3.25 ') // → 3.25
 */
export function parseNumberString(text: string): number {
  const t = text.trim();
  if (t === '' || !/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t)) return Number.NaN;
  const v = Number(t);
  return Number.isFinite(v) ? v : Number.NaN;
}
