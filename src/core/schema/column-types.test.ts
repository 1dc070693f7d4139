import { describe, expect, it } from 'vitest';
import { parseColumnTypes } from './column-types.js';
import { DataError } from './data-error.js';

describe('parseColumnTypes', () => {
  it('reads kinds and per-column settings', () => {
    const m = parseColumnTypes({
      zip: 'categorical',
      delay: { kind: 'numerical', method: 'ks', threshold: 0.01 },
      x: {},
    });
    expect(Object.fromEntries(m)).toEqual({
      zip: { kind: 'categorical' },
      delay: { kind: 'numerical', method: 'ks', threshold: 0.01 },
      x: {},
    });
  });

  it('names each bad column and field', () => {
    expect(() => parseColumnTypes({ zip: 'cat' })).toThrow('column "zip": unknown kind "cat"');
    expect(() => parseColumnTypes({ a: { method: 'foo' } })).toThrow(/column "a" field "method"/);
    expect(() => parseColumnTypes({ a: { kind: 'numerical', limit: 1 } })).toThrow(/column "a".*limit/);
    expect(() => parseColumnTypes({ a: { threshold: 'high' } })).toThrow(/column "a" field "threshold"/);
    expect(() => parseColumnTypes([1])).toThrow(/expected a JSON object/);
    expect(() => parseColumnTypes({ zip: 'cat' })).toThrow(DataError);
  });

  it('lists the valid kinds and methods in the hint', () => {
    try {
      parseColumnTypes({ zip: 5 });
      expect.unreachable();
    } catch (err) {
      expect((err as DataError).hint).toMatch(/kinds: numerical, categorical, boolean, datetime, text, id/);
      expect((err as DataError).hint).toMatch(/methods: ks, wasserstein/);
    }
  });
});
