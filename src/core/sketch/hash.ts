/**
 * @module
 * MurmurHash3_x86_128 (Austin Appleby, SMHasher, public domain), done with 32-bit integer arithmetic
 * (`Math.imul`), and typed front doors for the values a profile sees: numbers, strings and booleans.
 * The sketches use the first 64 bits (`h1`, `h2`) of the 128-bit result.
 *
 * - Numbers hash the 8 little-endian bytes of their IEEE-754 double, with `-0` folded into `0` so that equal
 *   numbers hash equally. NaN is never hashed (profiles count it as missing).
 * - Strings hash their UTF-16LE code units (no UTF-8 encoding step: the hash is only compared with itself).
 * - Each kind uses its own seed, so the number 1, the string "1" and `true` do not collide by construction.
 *
 * Checked against an independent implementation in `hash.vectors.json`.
 */

const C1 = 0x239b961b;
const C2 = 0xab0e9789;
const C3 = 0x38b34ae5;
const C4 = 0xa1e38b93;

/** Seeds that separate the value kinds. */
export const NUMBER_SEED = 0x4e554d31;
export const STRING_SEED = 0x53545231;
export const BOOLEAN_SEED = 0x424f4f31;

function rotl(x: number, r: number): number {
  return (x << r) | (x >>> (32 - r));
}

function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/**
 * The shared body of MurmurHash3_x86_128 over a little-endian word view of the key. `word(i)` returns the
 * i-th 32-bit word, zero-padded past `len` bytes. Writes h1..h4 (unsigned) into `out`.
 */
function murmurWords(word: (i: number) => number, len: number, seed: number, out: Uint32Array): void {
  let h1 = seed | 0;
  let h2 = h1;
  let h3 = h1;
  let h4 = h1;
  const nblocks = len >>> 4;
  for (let b = 0; b < nblocks; b++) {
    const i = b << 2;
    let k1 = word(i);
    let k2 = word(i + 1);
    let k3 = word(i + 2);
    let k4 = word(i + 3);
    k1 = Math.imul(rotl(Math.imul(k1, C1), 15), C2);
    h1 ^= k1;
    h1 = (Math.imul(rotl(h1, 19) + h2, 5) + 0x561ccd1b) | 0;
    k2 = Math.imul(rotl(Math.imul(k2, C2), 16), C3);
    h2 ^= k2;
    h2 = (Math.imul(rotl(h2, 17) + h3, 5) + 0x0bcaa747) | 0;
    k3 = Math.imul(rotl(Math.imul(k3, C3), 17), C4);
    h3 ^= k3;
    h3 = (Math.imul(rotl(h3, 15) + h4, 5) + 0x96cd1c35) | 0;
    k4 = Math.imul(rotl(Math.imul(k4, C4), 18), C1);
    h4 ^= k4;
    h4 = (Math.imul(rotl(h4, 13) + h1, 5) + 0x32ac3b17) | 0;
  }
  const tail = len & 15;
  const base = nblocks << 2;
  if (tail > 12) h4 ^= Math.imul(rotl(Math.imul(word(base + 3), C4), 18), C1);
  if (tail > 8) h3 ^= Math.imul(rotl(Math.imul(word(base + 2), C3), 17), C4);
  if (tail > 4) h2 ^= Math.imul(rotl(Math.imul(word(base + 1), C2), 16), C3);
  if (tail > 0) h1 ^= Math.imul(rotl(Math.imul(word(base), C1), 15), C2);
  finish(h1, h2, h3, h4, len, out);
}

function finish(h1: number, h2: number, h3: number, h4: number, len: number, out: Uint32Array): void {
  h1 ^= len;
  h2 ^= len;
  h3 ^= len;
  h4 ^= len;
  h1 = (h1 + h2 + h3 + h4) | 0;
  h2 = (h2 + h1) | 0;
  h3 = (h3 + h1) | 0;
  h4 = (h4 + h1) | 0;
  h1 = fmix32(h1);
  h2 = fmix32(h2);
  h3 = fmix32(h3);
  h4 = fmix32(h4);
  h1 = (h1 + h2 + h3 + h4) | 0;
  h2 = (h2 + h1) | 0;
  h3 = (h3 + h1) | 0;
  h4 = (h4 + h1) | 0;
  out[0] = h1;
  out[1] = h2;
  out[2] = h3;
  out[3] = h4;
}

/**
 * MurmurHash3_x86_128 of a byte array, as in SMHasher's `MurmurHash3_x86_128`.
 * @returns the four 32-bit words h1..h4 (unsigned).
 * @example murmur3x86128(new TextEncoder().encode('hello'), 0) // Uint32Array [0x2b2444a0, …]
 */
export function murmur3x86128(bytes: Uint8Array, seed = 0): Uint32Array {
  const out = new Uint32Array(4);
  const n = bytes.length;
  const word = (i: number): number => {
    const p = i << 2;
    return (
      (p < n ? bytes[p]! : 0) |
      (p + 1 < n ? bytes[p + 1]! << 8 : 0) |
      (p + 2 < n ? bytes[p + 2]! << 16 : 0) |
      (p + 3 < n ? bytes[p + 3]! << 24 : 0)
    );
  };
  murmurWords(word, n, seed, out);
  return out;
}

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
const littleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * Hashes a number (its float64 bytes, `-0` folded into `0`) into `out[0..3]`. This is MurmurHash3_x86_128 of
 * the 8 little-endian bytes of the double with seed `NUMBER_SEED`, unrolled: an 8-byte key is all tail.
 */
export function hashNumberInto(x: number, out: Uint32Array): void {
  hashFloat64Into(x === 0 ? 0 : x, NUMBER_SEED, out);
}

const NUMBER_H3 = NUMBER_SEED ^ 8;

/**
 * The first 64 bits (h1, h2) of `hashNumberInto(x)`, written to `out[0..1]`: the same hash with the two
 * lanes that only feed h1 folded together (for an 8-byte key h3 and h4 are equal), for the hot path of
 * distinct counting.
 */
export function hashNumber64Into(x: number, out: Uint32Array): void {
  f64[0] = x === 0 ? 0 : x;
  const lo = littleEndian ? u32[0]! : u32[1]!;
  const hi = littleEndian ? u32[1]! : u32[0]!;
  let h1 = NUMBER_SEED ^ Math.imul(rotl(Math.imul(lo, C1), 15), C2) ^ 8;
  let h2 = NUMBER_SEED ^ Math.imul(rotl(Math.imul(hi, C2), 16), C3) ^ 8;
  h1 = (h1 + h2 + NUMBER_H3 + NUMBER_H3) | 0;
  h2 = fmix32((h2 + h1) | 0);
  const h34 = fmix32((NUMBER_H3 + h1) | 0);
  h1 = fmix32(h1);
  h1 = (h1 + h2 + h34 + h34) | 0;
  out[0] = h1;
  out[1] = h2 + h1;
}

/** MurmurHash3_x86_128 of the 8 little-endian bytes of the double `x` with the given seed. */
export function hashFloat64Into(x: number, seed: number, out: Uint32Array): void {
  f64[0] = x;
  const lo = littleEndian ? u32[0]! : u32[1]!;
  const hi = littleEndian ? u32[1]! : u32[0]!;
  const h1 = seed ^ Math.imul(rotl(Math.imul(lo, C1), 15), C2);
  const h2 = seed ^ Math.imul(rotl(Math.imul(hi, C2), 16), C3);
  finish(h1, h2, seed, seed, 8, out);
}

/** Hashes a string (its UTF-16LE code units) into `out[0..3]` with seed `STRING_SEED`. */
export function hashStringInto(s: string, out: Uint32Array): void {
  hashUtf16Into(s, STRING_SEED, out);
}

/** MurmurHash3_x86_128 of the UTF-16LE bytes of `s` with the given seed. */
export function hashUtf16Into(s: string, seed: number, out: Uint32Array): void {
  // charCodeAt past the end is NaN, and NaN | 0 === 0: exactly the zero padding of the tail.
  const word = (i: number): number => s.charCodeAt(2 * i) | 0 | ((s.charCodeAt(2 * i + 1) | 0) << 16);
  murmurWords(word, 2 * s.length, seed, out);
}

/** Hashes a boolean into `out[0..3]` with seed `BOOLEAN_SEED`. */
export function hashBooleanInto(b: boolean, out: Uint32Array): void {
  finish(
    BOOLEAN_SEED ^ Math.imul(rotl(Math.imul(b ? 1 : 0, C1), 15), C2),
    BOOLEAN_SEED,
    BOOLEAN_SEED,
    BOOLEAN_SEED,
    1,
    out,
  );
}
