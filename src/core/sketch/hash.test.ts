import { describe, expect, it } from 'vitest';
import {
  BOOLEAN_SEED,
  hashBooleanInto,
  hashFloat64Into,
  hashNumber64Into,
  hashNumberInto,
  hashStringInto,
  hashUtf16Into,
  murmur3x86128,
  NUMBER_SEED,
} from './hash.js';
import vectors from './hash.vectors.json' with { type: 'json' };

interface Case {
  kind: 'bytes' | 'float64' | 'utf16le';
  hex: string;
  seed: number;
  h: string[];
  value?: number;
  string?: string;
}

function fromHex(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

const words = (h: Uint32Array): string[] => Array.from(h, (w) => w.toString(16).padStart(8, '0'));

describe('MurmurHash3_x86_128', () => {
  const cases = vectors.cases as Case[];

  it.each(cases.filter((c) => c.kind === 'bytes'))('bytes $hex seed $seed matches Perl PurePerl', (c) => {
    expect(words(murmur3x86128(fromHex(c.hex), c.seed))).toEqual(c.h);
  });

  it.each(cases.filter((c) => c.kind === 'float64'))('float64 $value matches the byte hash', (c) => {
    const out = new Uint32Array(4);
    hashFloat64Into(c.value!, c.seed, out);
    expect(words(out)).toEqual(c.h);
    expect(words(murmur3x86128(fromHex(c.hex), c.seed))).toEqual(c.h);
  });

  it.each(cases.filter((c) => c.kind === 'utf16le'))('UTF-16 string "$string" matches the byte hash', (c) => {
    const out = new Uint32Array(4);
    hashUtf16Into(c.string!, c.seed, out);
    expect(words(out)).toEqual(c.h);
  });

  it('hashNumber64Into gives the first 64 bits of hashNumberInto', () => {
    const full = new Uint32Array(4);
    const pair = new Uint32Array(2);
    const f = new Float64Array(1);
    const u = new Uint32Array(f.buffer);
    for (let i = 0; i < 20_000; i++) {
      u[0] = Math.imul(i, 0x9e3779b1);
      u[1] = Math.imul(i + 7, 0x85ebca6b);
      const x = Number.isNaN(f[0]!) ? i : f[0]!;
      hashNumberInto(x, full);
      hashNumber64Into(x, pair);
      if (pair[0] !== full[0] || pair[1] !== full[1]) throw new Error(`differs at ${x}`);
    }
    hashNumber64Into(-0, pair);
    hashNumberInto(0, full);
    expect([pair[0], pair[1]]).toEqual([full[0], full[1]]);
  });

  it('folds -0 into 0 and separates kinds by seed', () => {
    const a = new Uint32Array(4);
    const b = new Uint32Array(4);
    hashNumberInto(-0, a);
    hashNumberInto(0, b);
    expect(words(a)).toEqual(words(b));
    hashFloat64Into(0, NUMBER_SEED, b);
    expect(words(a)).toEqual(words(b));
    hashStringInto('1', a);
    hashNumberInto(1, b);
    expect(words(a)).not.toEqual(words(b));
    hashBooleanInto(true, a);
    expect(words(a)).toEqual(words(murmur3x86128(new Uint8Array([1]), BOOLEAN_SEED)));
    hashBooleanInto(false, a);
    expect(words(a)).toEqual(words(murmur3x86128(new Uint8Array([0]), BOOLEAN_SEED)));
  });

  it('spreads consecutive integers uniformly over the top bits (chi-square, 256 buckets)', () => {
    const out = new Uint32Array(4);
    const counts = new Float64Array(256);
    const counts2 = new Float64Array(256);
    const n = 256_000;
    for (let i = 0; i < n; i++) {
      hashNumberInto(i, out);
      counts[out[0]! >>> 24]! += 1;
      counts2[out[1]! & 255]! += 1;
    }
    const expected = n / 256;
    let chi = 0;
    let chi2 = 0;
    for (let j = 0; j < 256; j++) {
      chi += (counts[j]! - expected) ** 2 / expected;
      chi2 += (counts2[j]! - expected) ** 2 / expected;
    }
    // df = 255: the 99.99th percentile of chi2(255) is about 353.
    expect(chi).toBeLessThan(353);
    expect(chi2).toBeLessThan(353);
  });

  it('has no 64-bit collisions among 200k integers and 200k short strings', () => {
    const out = new Uint32Array(4);
    const seen = new Set<string>();
    for (let i = 0; i < 200_000; i++) {
      hashNumberInto(i * 0.5, out);
      seen.add(`${out[0]}:${out[1]}`);
      hashStringInto(`id-${i}`, out);
      seen.add(`${out[0]}:${out[1]}`);
    }
    expect(seen.size).toBe(400_000);
  });

  it('flips about half the output bits when one input bit flips (avalanche)', () => {
    const a = new Uint32Array(4);
    const b = new Uint32Array(4);
    const f = new Float64Array(1);
    const u = new Uint32Array(f.buffer);
    let flips = 0;
    let trials = 0;
    for (let i = 1; i < 500; i++) {
      f[0] = i * 1.37;
      const x = f[0]!;
      hashNumberInto(x, a);
      for (let bit = 0; bit < 64; bit++) {
        f[0] = x;
        u[bit >>> 5]! ^= 1 << (bit & 31);
        const y = f[0]!;
        if (Number.isNaN(y)) continue;
        hashNumberInto(y, b);
        flips += popcount(a[0]! ^ b[0]!) + popcount(a[1]! ^ b[1]!);
        trials += 64;
      }
    }
    expect(flips / trials).toBeGreaterThan(0.49);
    expect(flips / trials).toBeLessThan(0.51);
  });
});

function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24) & 0xff;
}
