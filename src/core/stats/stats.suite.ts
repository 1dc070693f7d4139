/**
 * Shared helpers for the statistics tests: deterministic lattice samples (rebuilt bit for bit from the
 * parameters stored in the *.scipy.vectors.json files) and tolerance checks.
 */
import { expect } from 'vitest';

export interface LatticeSpec {
  n: number;
  a: number;
  c: number;
  p: number;
  q: number;
  shift?: number;
}

/** `((i·a + c) mod p) / q + shift` for i = 0…n−1 — the same doubles NumPy builds in tools/vectors. */
export function lattice(s: LatticeSpec): Float64Array {
  const out = new Float64Array(s.n);
  const shift = s.shift ?? 0;
  for (let i = 0; i < s.n; i++) out[i] = ((i * s.a + s.c) % s.p) / s.q + shift;
  return out;
}

/** Asserts `|got − want| <= rel·|want|` (or `<= abs` for values near 0), with a readable message. */
export function expectClose(got: number, want: number, rel: number, abs = 0, label = ''): void {
  const ok = Math.abs(got - want) <= Math.max(rel * Math.abs(want), abs);
  if (!ok) expect.fail(`${label} got ${got}, want ${want} (rel ${rel}, abs ${abs})`);
}

/** A deterministic pseudo-random generator for tests (mulberry32). */
export function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Fisher–Yates shuffle of a copy, driven by `rand`. */
export function shuffled(a: Float64Array, rand: () => number): Float64Array {
  const out = Float64Array.from(a);
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    const t = out[i]!;
    out[i] = out[j]!;
    out[j] = t;
  }
  return out;
}
