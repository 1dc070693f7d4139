import { describe, expect, it } from 'vitest';
import {
  booleanToken,
  categoryAt,
  categoryCounts,
  numericValues,
  timeValues,
  typeMismatches,
} from './column-values.js';
import { columnFromValues } from './from-values.js';

describe('column values by kind', () => {
  const mixed = columnFromValues('x', [1, 'a', null, 2.5, new Date(Date.UTC(2024, 0, 1)), 'a']);

  it('gives the numbers and the times without missing cells', () => {
    expect([...numericValues(mixed)]).toEqual([1, 2.5]);
    expect([...timeValues(mixed)]).toEqual([Date.UTC(2024, 0, 1)]);
  });

  it('counts categories of every present cell, numbers and dates written out', () => {
    expect(Object.fromEntries(categoryCounts(mixed, 'categorical'))).toEqual({
      a: 2,
      '1': 1,
      '2.5': 1,
      '2024-01-01T00:00:00.000Z': 1,
    });
    expect(categoryAt(mixed, 'categorical', 0)).toBe('1');
    expect(categoryAt(mixed, 'categorical', 1)).toBe('a');
    expect(categoryAt(mixed, 'categorical', 2)).toBeNull();
  });

  it('maps boolean tokens and 0/1 for boolean columns', () => {
    const b = columnFromValues('b', ['True', 'no', 1, 0, 'maybe', 7]);
    expect(Object.fromEntries(categoryCounts(b, 'boolean'))).toEqual({ true: 2, false: 2 });
    expect([0, 1, 2, 3, 4, 5].map((i) => categoryAt(b, 'boolean', i))).toEqual([
      'true',
      'false',
      'true',
      'false',
      null,
      null,
    ]);
    expect(booleanToken('YES')).toBe('true');
    expect(booleanToken('off')).toBeUndefined();
  });

  it('counts type mismatches with examples', () => {
    expect(typeMismatches(mixed, 'numerical')).toEqual({
      count: 3,
      examples: ['a', '2024-01-01T00:00:00.000Z'],
    });
    expect(typeMismatches(mixed, 'datetime')).toEqual({ count: 4, examples: ['a', '1', '2.5'] });
    expect(typeMismatches(mixed, 'categorical')).toEqual({ count: 0, examples: [] });
    const b = columnFromValues('b', ['true', 'false', 'maybe', 3]);
    expect(typeMismatches(b, 'boolean')).toEqual({ count: 2, examples: ['maybe', '3'] });
  });
});
