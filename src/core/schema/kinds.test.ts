import { describe, expect, it } from 'vitest';
import { columnFromValues } from './from-values.js';
import { dominantStorage, inferKind } from './kinds.js';

const kindOf = (name: string, values: Parameters<typeof columnFromValues>[1]) =>
  inferKind(name, [columnFromValues(name, values)]).kind;
const range = (n: number, f: (i: number) => unknown) => Array.from({ length: n }, (_, i) => f(i));

describe('inferKind', () => {
  it('reads numbers as numerical, including 0/1 flags and small codes', () => {
    expect(kindOf('price', [1.5, 2, 3.25, null])).toBe('numerical');
    expect(kindOf('flag', range(50, (i) => i % 2) as number[])).toBe('numerical');
  });

  it('reads whole, all-distinct numbers named like an id as id', () => {
    expect(kindOf('user_id', range(30, (i) => 1000 + i) as number[])).toBe('id');
    expect(kindOf('id', range(30, (i) => i) as number[])).toBe('id');
    // Not all distinct, or not named like an id, or too few rows: numerical.
    expect(kindOf('user_id', range(30, (i) => i % 10) as number[])).toBe('numerical');
    expect(kindOf('count', range(30, (i) => i) as number[])).toBe('numerical');
    expect(kindOf('user_id', [1, 2, 3])).toBe('numerical');
    expect(kindOf('valid', range(30, (i) => i) as number[])).toBe('numerical');
  });

  it('reads dates as datetime', () => {
    expect(kindOf('when', [new Date(0), new Date(86_400_000), null])).toBe('datetime');
  });

  it('reads true/false and yes/no text as boolean', () => {
    expect(kindOf('member', ['true', 'false', 'TRUE', null])).toBe('boolean');
    expect(kindOf('member', ['yes', 'No'])).toBe('boolean');
    expect(kindOf('member', ['yes', 'no', 'maybe'])).toBe('categorical');
  });

  it('reads repeated short text as categorical', () => {
    expect(kindOf('city', range(100, (i) => ['Lyon', 'Oslo', 'Kyiv'][i % 3]) as string[])).toBe(
      'categorical',
    );
  });

  it('reads mostly distinct short text as id, long or spaced text as text', () => {
    expect(kindOf('ref', range(40, (i) => `A${i}X`) as string[])).toBe('id');
    expect(kindOf('comment', range(40, (i) => `the parcel number ${i} arrived late`) as string[])).toBe(
      'text',
    );
  });

  it('lets the majority storage win and calls an empty column categorical', () => {
    expect(kindOf('age', [1, 2, 3, 'unknown'])).toBe('numerical');
    expect(kindOf('x', [null, null])).toBe('categorical');
    expect(dominantStorage(columnFromValues('x', [null]))).toBeNull();
    expect(dominantStorage(columnFromValues('x', ['a', 'b', 1]))).toBe('texts');
  });

  it('infers from both files together', () => {
    const ref = columnFromValues('m', ['true', 'false']);
    const cur = columnFromValues('m', ['true', 'perhaps']);
    expect(inferKind('m', [ref]).kind).toBe('boolean');
    expect(inferKind('m', [ref, cur]).kind).toBe('categorical');
  });
});
