import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ks2samp } from '../stats/ks.js';
import { fitTextDescriptors, SCRIPTS, TEXT_DESCRIPTORS, tokenize } from './descriptors.js';

const sample = parse(
  readFileSync(join(import.meta.dirname, '../../../data/spamassassin/spamassassin-sample.csv'), 'utf8'),
  {
    columns: true,
  },
) as { group: string; label: string; body: string }[];

/** KS p-value of a descriptor column, reference vs current (the stats module's ks2samp). */
function ksP(a: (number | null)[], b: (number | null)[]): number {
  const f = (xs: (number | null)[]) => Float64Array.from(xs.filter((x): x is number => x !== null));
  return ks2samp(f(a), f(b)).pValue;
}

function median(xs: (number | null)[]): number {
  const v = xs.filter((x): x is number => x !== null).sort((a, b) => a - b);
  const h = (v.length - 1) / 2;
  return (v[Math.floor(h)]! + v[Math.ceil(h)]!) / 2;
}

describe('text descriptors — per text', () => {
  const model = fitTextDescriptors(['hello world', 'the world is big']);

  it('counts characters, tokens, non-letters and upper case', () => {
    const d = model.describe(['Hello, World 42!']);
    expect(d.chars).toEqual([16]);
    expect(d.tokens).toEqual([3]);
    // visible: 14 (H,e,l,l,o,",",W,o,r,l,d,4,2,!), letters 10
    expect(d.nonLetterShare[0]).toBeCloseTo(4 / 14, 15);
    expect(d.upperShare[0]).toBeCloseTo(2 / 10, 15);
    // hello, world in vocabulary; 42 is not
    expect(d.oovShare[0]).toBeCloseTo(1 / 3, 15);
    expect(d.latinShare).toEqual([1]);
    expect(d.script).toEqual(['latin']);
  });

  it('tokenizes letters and digits with inner apostrophes, lower-cased', () => {
    expect(tokenize("Don't STOP-me now, 3.14 ça")).toEqual(["don't", 'stop', 'me', 'now', '3', '14', 'ça']);
  });

  it('tells scripts apart by Unicode property', () => {
    const d = model.describe([
      'Привет мир',
      '東京 tokyo',
      'مرحبا',
      'שלום',
      'Γειά σου',
      'नमस्ते',
      'สวัสดี',
      'ᚠᚢᚦ',
    ]);
    expect(d.script).toEqual([
      'cyrillic',
      'latin',
      'arabic',
      'hebrew',
      'greek',
      'devanagari',
      'thai',
      'other',
    ]);
    expect(d.cyrillicShare[0]).toBe(1);
    expect(d.cjkShare[1]).toBeCloseTo(2 / 7, 15);
    expect(d.latinShare[1]).toBeCloseTo(5 / 7, 15);
    expect(d.otherScriptShare[7]).toBe(1);
  });

  it('missing texts give nulls; empty texts give 0 lengths and null shares, never NaN', () => {
    const d = model.describe([null, undefined, '', '   ', '...']);
    expect(d.chars).toEqual([null, null, 0, 3, 3]);
    expect(d.tokens).toEqual([null, null, 0, 0, 0]);
    expect(d.oovShare).toEqual([null, null, null, null, null]);
    expect(d.nonLetterShare).toEqual([null, null, null, null, 1]);
    expect(d.upperShare).toEqual([null, null, null, null, null]);
    expect(d.script).toEqual([null, null, null, null, null]);
  });

  it('reference out-of-vocabulary share is leave-one-out', () => {
    const m = fitTextDescriptors(['a b', 'b c']);
    // 'a' and 'c' occur in one text only, so each text has one of its two tokens out of vocabulary
    expect(m.reference.oovShare).toEqual([0.5, 0.5]);
    expect(m.describe(['a d']).oovShare).toEqual([0.5]);
    expect(m.vocabularySize).toBe(3);
    const m2 = fitTextDescriptors(['a b', 'b c'], { minDocumentFrequency: 2 });
    expect(m2.vocabularySize).toBe(1);
    expect(m2.describe(['a b']).oovShare).toEqual([0.5]);
  });

  it('names bad input', () => {
    expect(() => fitTextDescriptors(['a', 3 as unknown as string])).toThrow(/reference row 1 is not text/);
    expect(() => fitTextDescriptors(['a'], { minDocumentFrequency: 0 })).toThrow(/minDocumentFrequency/);
    expect(() => model.describe([{} as unknown as string])).toThrow(/current row 0 is not text/);
  });

  it('property: shares in [0, 1], script shares sum to 1 when there are letters, tokens ≤ chars', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ unit: 'grapheme', maxLength: 40 }), { maxLength: 10 }),
        fc.string({ unit: 'grapheme' }),
        (ref, text) => {
          const d = fitTextDescriptors(ref).describe([text]);
          for (const name of TEXT_DESCRIPTORS) {
            const v = d[name][0]!;
            if (name === 'chars' || name === 'tokens') continue;
            if (v !== null) {
              expect(v).toBeGreaterThanOrEqual(0);
              expect(v).toBeLessThanOrEqual(1);
            }
          }
          expect(d.tokens[0]!).toBeLessThanOrEqual(d.chars[0]!);
          if (d.upperShare[0] !== null) {
            const sum = [...SCRIPTS.map((s) => d[`${s}Share` as const][0]!), d.otherScriptShare[0]!].reduce(
              (a, b) => a + b,
              0,
            );
            expect(sum).toBeCloseTo(1, 12);
          }
        },
      ),
    );
  });
});

describe('text descriptors — SpamAssassin sample', () => {
  const ham1 = sample.filter((r) => r.group === 'easy-ham-1').map((r) => r.body);
  const spam2 = sample.filter((r) => r.group === 'spam-2').map((r) => r.body);

  it('spam differs from ham: more upper case and more out-of-vocabulary tokens', () => {
    const model = fitTextDescriptors(ham1);
    const spam = model.describe(spam2);
    expect(median(spam.upperShare)).toBeGreaterThan(1.5 * median(model.reference.upperShare));
    expect(median(spam.oovShare)).toBeGreaterThan(median(model.reference.oovShare));
  });

  it('two halves of the same folder look alike (leave-one-out keeps the reference honest)', () => {
    const model = fitTextDescriptors(ham1.slice(0, 63));
    const other = model.describe(ham1.slice(63));
    const a = median(model.reference.oovShare);
    const b = median(other.oovShare);
    expect(Math.abs(a - b)).toBeLessThan(0.05);
  });

  it('drift tests on the descriptor columns: ham vs spam drifts on every descriptor (KS)', () => {
    const ham = sample.filter((r) => r.label === 'ham').map((r) => r.body);
    const spam = sample.filter((r) => r.label === 'spam').map((r) => r.body);
    const model = fitTextDescriptors(ham);
    const current = model.describe(spam);
    for (const d of ['chars', 'tokens', 'oovShare', 'nonLetterShare', 'upperShare'] as const)
      expect(ksP(model.reference[d], current[d])).toBeLessThan(1e-6);
  });

  it('spam-1 vs spam-2 (a later collection of the same kind): lengths do not drift', () => {
    const model = fitTextDescriptors(sample.filter((r) => r.group === 'spam-1').map((r) => r.body));
    const current = model.describe(sample.filter((r) => r.group === 'spam-2').map((r) => r.body));
    expect(ksP(model.reference.chars, current.chars)).toBeGreaterThan(0.05);
    expect(ksP(model.reference.tokens, current.tokens)).toBeGreaterThan(0.05);
  });

  it('without leave-one-out the reference would look drifted against its own kind', () => {
    const model = fitTextDescriptors(ham1.slice(0, 63));
    const other = model.describe(ham1.slice(63));
    expect(ksP(model.reference.oovShare, other.oovShare)).toBeGreaterThan(0.05);
    // describing the reference with a vocabulary that contains its own tokens gives OOV 0 everywhere
    const naive = model.describe(ham1.slice(0, 63));
    expect(ksP(naive.oovShare, other.oovShare)).toBeLessThan(1e-6);
  });
});
