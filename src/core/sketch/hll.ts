/**
 * @module
 * HyperLogLog distinct-count sketch (Flajolet, Fusy, Gandouet & Meunier 2007) on 64-bit hashes
 * (the first 64 bits of MurmurHash3_x86_128, `hash.ts`), with 2^p one-byte registers (p = 12 by default,
 * as DataSketches and whylogs `hll_lg_k = 12`). Relative standard error ≈ 1.04/sqrt(2^p) (methods.md
 * section 6: p = 10/12/14 → 0.0325 / 0.01625 / 0.008125).
 *
 * The estimate is Ertl's improved raw estimator ("New cardinality estimation algorithms for HyperLogLog
 * sketches", 2017, algorithm 6), computed from the histogram of register values: it needs no empirical bias
 * tables and no switch to linear counting, and is unbiased from 0 to far beyond 2^32 with 64-bit hashes.
 * Merge is the register-wise maximum, so it is exact: merge(hll(A), hll(B)) = hll(A ∪ B).
 */
import { type ByteReader, type ByteWriter, ProfileFormatError } from './bytes.js';
import { hashBooleanInto, hashNumber64Into, hashStringInto } from './hash.js';

export const HLL_DEFAULT_P = 12;
export const HLL_MIN_P = 4;
export const HLL_MAX_P = 16;

/** Relative standard error of a HyperLogLog sketch with 2^p registers: 1.04/sqrt(2^p). */
export function hllRelativeStandardError(p: number): number {
  return 1.04 / Math.sqrt(2 ** p);
}

/** A distinct-count estimate with bounds at ±z standard errors (clipped below at 0). */
export interface DistinctEstimate {
  estimate: number;
  lower: number;
  upper: number;
  /** The number of standard errors the bounds span. */
  z: number;
}

const scratch = new Uint32Array(4);

/** A HyperLogLog sketch. Mutable; `merge` changes only the receiver. */
export class HyperLogLog {
  readonly p: number;
  private readonly registers: Uint8Array;

  private constructor(p: number) {
    if (!Number.isInteger(p) || p < HLL_MIN_P || p > HLL_MAX_P) {
      throw new RangeError(`HyperLogLog p must be an integer in [${HLL_MIN_P}, ${HLL_MAX_P}], got ${p}`);
    }
    this.p = p;
    this.registers = new Uint8Array(2 ** p);
  }

  /** The empty sketch (estimate 0). */
  static empty(p = HLL_DEFAULT_P): HyperLogLog {
    return new HyperLogLog(p);
  }

  /** Records a 64-bit hash given as its high and low 32-bit words. */
  addHash(h1: number, h2: number): this {
    const p = this.p;
    const idx = h1 >>> (32 - p);
    const w = (h1 << p) >>> 0;
    // Rank = 1 + leading zeros of the 64 − p bits after the index (at most 65 − p when they are all zero).
    const rank = w !== 0 ? Math.clz32(w) + 1 : 32 - p + Math.clz32(h2 >>> 0) + 1;
    if (rank > this.registers[idx]!) this.registers[idx] = rank;
    return this;
  }

  /** Adds a number (NaN is the caller's to exclude; -0 counts as 0). */
  addNumber(x: number): this {
    hashNumber64Into(x, scratch);
    return this.addHash(scratch[0]!, scratch[1]!);
  }

  /** Adds every value of `xs[start, end)` except NaN. */
  addNumbers(xs: ArrayLike<number>, start = 0, end = xs.length): this {
    for (let i = start; i < end; i++) {
      const x = xs[i]!;
      if (Number.isNaN(x)) continue;
      hashNumber64Into(x, scratch);
      this.addHash(scratch[0]!, scratch[1]!);
    }
    return this;
  }

  addString(s: string): this {
    hashStringInto(s, scratch);
    return this.addHash(scratch[0]!, scratch[1]!);
  }

  addBoolean(b: boolean): this {
    hashBooleanInto(b, scratch);
    return this.addHash(scratch[0]!, scratch[1]!);
  }

  /** Register-wise maximum. Both sketches must have the same p. */
  merge(other: HyperLogLog): this {
    if (other.p !== this.p) {
      throw new RangeError(`cannot merge HyperLogLog sketches with different p (${this.p} and ${other.p})`);
    }
    const a = this.registers;
    const b = other.registers;
    for (let i = 0; i < a.length; i++) if (b[i]! > a[i]!) a[i] = b[i]!;
    return this;
  }

  clone(): HyperLogLog {
    const c = new HyperLogLog(this.p);
    c.registers.set(this.registers);
    return c;
  }

  get isEmpty(): boolean {
    return this.registers.every((r) => r === 0);
  }

  /**
   * Ertl's improved raw estimate α∞·m²/z from the register histogram C (m = 2^p, q = 64 − p):
   * z = m·τ(1 − C[q+1]/m); z = (z + C[k])/2 for k = q…1; z += m·σ(C[0]/m); α∞ = 1/(2 ln 2).
   * Empty → 0.
   */
  estimate(): number {
    const m = this.registers.length;
    const q = 64 - this.p;
    const c = new Float64Array(q + 2);
    for (const r of this.registers) c[r]! += 1;
    if (c[0] === m) return 0;
    let z = m * tau(1 - c[q + 1]! / m);
    for (let k = q; k >= 1; k--) z = 0.5 * (z + c[k]!);
    z += m * sigma(c[0]! / m);
    return (m * m) / (2 * Math.LN2 * z);
  }

  /** The estimate with bounds at ±z·RSE·estimate (z = 3 by default, about 99.7%). */
  distinct(z = 3): DistinctEstimate {
    const e = this.estimate();
    const d = z * hllRelativeStandardError(this.p) * e;
    return { estimate: e, lower: Math.max(0, e - d), upper: e + d, z };
  }

  /** Relative standard error 1.04/sqrt(2^p). */
  get relativeStandardError(): number {
    return hllRelativeStandardError(this.p);
  }

  /**
   * Writes p, then the registers in the smaller of two encodings: sparse (count, then index u16 and value
   * u8 per non-zero register) or dense 4-bit (base = min register, nibbles of min(r − base, 15), then the
   * registers with r − base >= 15 as exceptions). A function of the state, so re-encoding is bit-exact.
   */
  write(w: ByteWriter): void {
    const regs = this.registers;
    const m = regs.length;
    w.u8(this.p);
    let nonZero = 0;
    let base = 255;
    for (const r of regs) {
      if (r !== 0) nonZero++;
      if (r < base) base = r;
    }
    let exceptions = 0;
    for (const r of regs) if (r - base >= 15) exceptions++;
    const sparseBytes = 3 * nonZero;
    const denseBytes = m / 2 + 3 * exceptions;
    if (sparseBytes <= denseBytes) {
      w.u8(0);
      w.varuint(nonZero);
      for (let i = 0; i < m; i++) {
        if (regs[i] === 0) continue;
        w.u16(i);
        w.u8(regs[i]!);
      }
      return;
    }
    w.u8(1);
    w.u8(base);
    for (let i = 0; i < m; i += 2) {
      w.u8(Math.min(regs[i]! - base, 15) | (Math.min(regs[i + 1]! - base, 15) << 4));
    }
    w.varuint(exceptions);
    for (let i = 0; i < m; i++) {
      if (regs[i]! - base < 15) continue;
      w.u16(i);
      w.u8(regs[i]!);
    }
  }

  static read(r: ByteReader, field = 'hll'): HyperLogLog {
    const p = r.u8(`${field}.p`);
    if (p < HLL_MIN_P || p > HLL_MAX_P) {
      throw new ProfileFormatError(`${field}.p`, `p = ${p} is outside ${HLL_MIN_P}..${HLL_MAX_P}`);
    }
    const h = new HyperLogLog(p);
    const regs = h.registers;
    const m = regs.length;
    const maxRank = 65 - p;
    const mode = r.u8(`${field}.encoding`);
    const readPairs = (count: number) => {
      for (let j = 0; j < count; j++) {
        const i = r.u16(`${field}.index`);
        const v = r.u8(`${field}.register`);
        if (i >= m) throw new ProfileFormatError(`${field}.index`, `register index ${i} >= ${m}`);
        if (v < 1 || v > maxRank)
          throw new ProfileFormatError(`${field}.register`, `value ${v} is outside 1..${maxRank}`);
        regs[i] = v;
      }
    };
    if (mode === 0) {
      const count = r.varuint(`${field}.count`);
      if (count > m) throw new ProfileFormatError(`${field}.count`, `${count} registers > ${m}`);
      readPairs(count);
    } else if (mode === 1) {
      const base = r.u8(`${field}.base`);
      if (base > maxRank) throw new ProfileFormatError(`${field}.base`, `base ${base} > ${maxRank}`);
      const packed = r.bytes(m / 2, `${field}.registers`);
      for (let i = 0; i < m; i += 2) {
        const b = packed[i >>> 1]!;
        regs[i] = base + (b & 15);
        regs[i + 1] = base + (b >>> 4);
        if (regs[i]! > maxRank || regs[i + 1]! > maxRank) {
          throw new ProfileFormatError(`${field}.registers`, `register ${i} exceeds ${maxRank}`);
        }
      }
      const count = r.varuint(`${field}.exceptions`);
      if (count > m) throw new ProfileFormatError(`${field}.exceptions`, `${count} exceptions > ${m}`);
      readPairs(count);
    } else {
      throw new ProfileFormatError(`${field}.encoding`, `unknown register encoding ${mode}`);
    }
    return h;
  }
}

/** σ(x) = x + Σ_{k≥1} x^(2^k)·2^(k−1), σ(1) = ∞ (Ertl 2017). */
function sigma(x: number): number {
  if (x === 1) return Number.POSITIVE_INFINITY;
  let y = 1;
  let z = x;
  for (;;) {
    x *= x;
    const prev = z;
    z += x * y;
    y += y;
    if (z === prev) return z;
  }
}

/** τ(x) = (1 − x − Σ_{k≥1} (1 − x^(2^−k))²·2^−k)/3, τ(0) = τ(1) = 0 (Ertl 2017). */
function tau(x: number): number {
  if (x === 0 || x === 1) return 0;
  let y = 1;
  let z = 1 - x;
  for (;;) {
    x = Math.sqrt(x);
    const prev = z;
    y *= 0.5;
    z -= (1 - x) ** 2 * y;
    if (z === prev) return z / 3;
  }
}
