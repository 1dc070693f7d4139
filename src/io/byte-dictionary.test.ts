import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ByteDictionary } from './byte-dictionary.js';

const enc = new TextEncoder();

describe('ByteDictionary', () => {
  it('gives dense codes in first-seen order and counts like a Map (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 6 }), { maxLength: 300 }), (values) => {
        const d = new ByteDictionary(1e6, 1e8);
        const codes = values.map((v) => {
          const b = enc.encode(v);
          return d.lookup(b, 0, b.length);
        });
        const first = [...new Set(values)];
        expect(codes).toEqual(values.map((v) => first.indexOf(v)));
        const { values: held, counts } = d.entries();
        expect(held).toEqual(first);
        expect(counts).toEqual(first.map((v) => values.filter((x) => x === v).length));
      }),
    );
  });

  it('answers -1 for new values once full, and keeps counting known ones', () => {
    const d = new ByteDictionary(2, 1000);
    const at = (s: string) => {
      const b = enc.encode(s);
      return d.lookup(b, 0, b.length);
    };
    expect([at('a'), at('b'), at('c'), at('a'), at('d')]).toEqual([0, 1, -1, 0, -1]);
    expect(d.entries()).toEqual({ values: ['a', 'b'], counts: [2, 1] });
  });

  it('finds values in the middle of a larger buffer', () => {
    const d = new ByteDictionary(10, 100);
    const b = enc.encode('xxLYONyyLYON');
    expect(d.lookup(b, 2, 6)).toBe(0);
    expect(d.lookup(b, 8, 12)).toBe(0);
    expect(d.entries().values).toEqual(['LYON']);
  });
});
