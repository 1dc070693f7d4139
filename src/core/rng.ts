/**
 * @module
 * Seeded pseudo-random numbers for core. Core never calls `Math.random()`: anything random (sketch
 * compaction coins, reservoir sampling, permutation tests, bootstrap) takes an `Rng` argument, so the same
 * input and seed always give the same output.
 *
 * The generator is xoshiro128** 1.1 (Blackman & Vigna, https://prng.di.unimi.it/xoshiro128starstar.c):
 * 128 bits of state, period 2^128 − 1, all 32 output bits of good quality. The state is seeded from a
 * 32-bit seed with splitmix32 (the Mulberry/`splitmix32` finaliser of Vigna's splitmix64 adapted to 32 bits),
 * so that nearby seeds give unrelated streams.
 */

/** A source of uniform random numbers. Implementations must be deterministic given their seed. */
export interface Rng {
  /** A uniform 32-bit unsigned integer in [0, 2^32). */
  nextUint32(): number;
  /** A uniform float in [0, 1) with 53 random bits. */
  next(): number;
  /** A uniform integer in [0, n) without modulo bias. `n` must be an integer in [1, 2^32]. */
  nextInt(n: number): number;
}

/** One step of splitmix32: advances `state` by the golden-ratio increment and returns a mixed 32-bit word. */
function splitmix32(state: { s: number }): number {
  state.s = (state.s + 0x9e3779b9) | 0;
  let z = state.s;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

class Xoshiro128StarStar implements Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(a: number, b: number, c: number, d: number) {
    this.a = a | 0;
    this.b = b | 0;
    this.c = c | 0;
    this.d = d | 0;
    // The all-zero state is the one fixed point of xoshiro.
    if ((this.a | this.b | this.c | this.d) === 0) this.a = 1;
  }

  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.b, 5), 7), 9) >>> 0;
    const t = this.b << 9;
    this.c ^= this.a;
    this.d ^= this.b;
    this.b ^= this.c;
    this.a ^= this.d;
    this.c ^= t;
    this.d = rotl(this.d, 11);
    return result;
  }

  next(): number {
    // 21 high bits from one draw and 32 from another: (hi·2^32 + lo) / 2^53.
    const hi = this.nextUint32() >>> 11;
    const lo = this.nextUint32();
    return (hi * 4294967296 + lo) / 9007199254740992;
  }

  nextInt(n: number): number {
    if (!Number.isInteger(n) || n < 1 || n > 4294967296) {
      throw new RangeError(`nextInt: n must be an integer in [1, 2^32], got ${n}`);
    }
    if (n === 1) return 0;
    // Rejection sampling on the top of the 32-bit range removes the modulo bias.
    const limit = 4294967296 - (4294967296 % n);
    for (;;) {
      const x = this.nextUint32();
      if (x < limit) return x % n;
    }
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/**
 * A deterministic `Rng` (xoshiro128**) seeded from a 32-bit integer (other numbers are truncated to int32).
 * @example
 * const rng = seededRng(42);
 * rng.next(); // same value on every run
 */
export function seededRng(seed: number): Rng {
  if (!Number.isFinite(seed)) throw new RangeError(`seededRng: seed must be a finite number, got ${seed}`);
  const st = { s: Math.trunc(seed) | 0 };
  return new Xoshiro128StarStar(splitmix32(st), splitmix32(st), splitmix32(st), splitmix32(st));
}

/** An xoshiro128** generator started from an explicit 128-bit state (four 32-bit words, not all zero). */
export function xoshiro128StarStar(s0: number, s1: number, s2: number, s3: number): Rng {
  return new Xoshiro128StarStar(s0, s1, s2, s3);
}
