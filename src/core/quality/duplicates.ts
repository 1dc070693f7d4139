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

function mixInto(
  h: Int32Array,
  words: Uint32Array | Int32Array,
  stride: number,
  offset: number,
  seed: number,
): void {
  const n = h.length;
  for (let i = 0; i < n; i++) {
    let k = words[i * stride + offset]! ^ seed;
    k = Math.imul(k, C1);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, C2);
    let x = h[i]! ^ k;
    x = (x << 13) | (x >>> 19);
    h[i] = (Math.imul(x, 5) + 0xe6546b64) | 0;
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
    if (c.numbers) {
      const w = new Uint32Array(c.numbers.buffer, c.numbers.byteOffset, n * 2);
      mixInto(a, w, 2, 0, col);
      mixInto(b, w, 2, 1, col * 31);
    }
    if (c.times) {
      const w = new Uint32Array(c.times.buffer, c.times.byteOffset, n * 2);
      mixInto(a, w, 2, 1, col + 0x1000);
      mixInto(b, w, 2, 0, col * 37);
    }
    if (c.codes) {
      mixInto(a, c.codes, 1, 0, col + 0x2000);
      mixInto(b, c.codes, 1, 0, col * 41 + 7);
    }
  }
  const keys = new Float64Array(n);
  for (let i = 0; i < n; i++) keys[i] = fmix(a[i]!) * 2097152 + (fmix(b[i]! ^ 0x2545f491) >>> 11);
  sortFloat64(keys);
  let count = 0;
  for (let i = 1; i < n; i++) if (keys[i] === keys[i - 1]) count++;
  return { count, share: count / n };
}
