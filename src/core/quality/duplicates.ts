/**
 * @module
 * Duplicated rows: rows equal, cell for cell, to an earlier row of the same table.
 *
 * Rows are never materialised: each row gets a 53-bit hash built column by column (two independent 32-bit
 * MurmurHash3-style lanes over the cell's bits: the number's IEEE bits, the date-time's, the text's
 * dictionary code), the hashes are sorted and equal neighbours counted. Two different rows share a hash
 * with probability about n²/2⁵⁴ (≈ 6·10⁻⁵ for a million rows), so the count is exact in practice.
 * Text beyond the bounded dictionary hashes as one value, so such columns can only over-count.
 */
import type { Table } from '../schema/table.js';
import { sortFloat64 } from '../stats/index.js';

const C1 = 0xcc9e2d51;
const C2 = 0x1b873593;

/** One MurmurHash3 x86_32 block step: mixes the 32-bit word `k` into the running hash `h`. */
function step(h: number, k: number): number {
  k = Math.imul(k, C1);
  k = (k << 15) | (k >>> 17);
  k = Math.imul(k, C2);
  h ^= k;
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

/** Mixes 64-bit cells (two words each, e.g. a Float64Array's bits) into both lanes, in one pass. */
function mixWords(a: Int32Array, b: Int32Array, words: Uint32Array, seed: number): void {
  const n = a.length;
  for (let i = 0; i < n; i++) {
    const lo = words[2 * i]!;
    const hi = words[2 * i + 1]!;
    a[i] = step(step(a[i]!, lo ^ seed), hi);
    b[i] = step(step(b[i]!, hi), lo ^ ~seed);
  }
}

/** Mixes 32-bit cells (dictionary codes) into both lanes, in one pass. */
function mixInts(a: Int32Array, b: Int32Array, codes: Int32Array, seed: number): void {
  const n = a.length;
  for (let i = 0; i < n; i++) {
    const k = codes[i]!;
    a[i] = step(a[i]!, k ^ seed);
    b[i] = step(b[i]!, k ^ ~seed);
  }
}

function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A count and its share of the rows. */
export interface CountShare {
  count: number;
  share: number;
}

/**
 * Counts rows that repeat an earlier row of `table` (all columns compared; a row seen three times counts
 * twice). Share is over all rows; an empty table gives `{count: 0, share: 0}`.
 */
export function duplicateRows(table: Table): CountShare {
  const n = table.rows;
  if (n === 0) return { count: 0, share: 0 };
  const a = new Int32Array(n);
  const b = new Int32Array(n).fill(0x5bd1e995);
  let col = 0;
  for (const c of table.columns) {
    col++;
    // Distinct seeds per column and per storage, so equal bits in different places hash differently.
    if (c.numbers) mixWords(a, b, new Uint32Array(c.numbers.buffer, c.numbers.byteOffset, n * 2), col * 3);
    if (c.times) mixWords(a, b, new Uint32Array(c.times.buffer, c.times.byteOffset, n * 2), col * 3 + 1);
    if (c.codes) mixInts(a, b, c.codes, col * 3 + 2);
  }
  const keys = new Float64Array(n);
  for (let i = 0; i < n; i++) keys[i] = fmix(a[i]!) * 2097152 + (fmix(b[i]! ^ 0x2545f491) >>> 11);
  sortFloat64(keys);
  let count = 0;
  for (let i = 1; i < n; i++) if (keys[i] === keys[i - 1]) count++;
  return { count, share: count / n };
}
