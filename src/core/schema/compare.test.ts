import { describe, expect, it } from 'vitest';
import { compareSchemas, resolveKinds } from './compare.js';
import { DataError } from './data-error.js';
import { tableFromColumns } from './from-values.js';

describe('compareSchemas', () => {
  it('lists shared, missing and extra columns in file order', () => {
    const ref = tableFromColumns({ a: [1], b: [2], c: [3] });
    const cur = tableFromColumns({ c: [1], a: [2], d: [3], e: [4] });
    expect(compareSchemas(ref, cur)).toEqual({
      shared: ['a', 'c'],
      missingInCurrent: ['b'],
      extraInCurrent: ['d', 'e'],
    });
  });
});

describe('resolveKinds', () => {
  it('infers one kind per column from both files', () => {
    const ref = tableFromColumns({ n: [1, 2], c: ['x', 'y'], only: [1, 2] });
    const cur = tableFromColumns({ n: [3, 4], c: ['x', 'z'] });
    const kinds = resolveKinds(ref, cur);
    expect(kinds.get('n')).toMatchObject({ kind: 'numerical', source: 'inferred' });
    expect(kinds.get('c')).toMatchObject({ kind: 'categorical' });
    expect(kinds.get('only')).toMatchObject({ kind: 'numerical' });
  });

  it('refuses a column holding numbers in one file and text in the other, naming it', () => {
    const ref = tableFromColumns({ zip: [75001, 69001] });
    const cur = tableFromColumns({ zip: ['75001A', 'B69001'] });
    expect(() => resolveKinds(ref, cur)).toThrow(DataError);
    expect(() => resolveKinds(ref, cur)).toThrow(
      'column "zip" holds numbers in the reference file but text in the current file',
    );
  });

  it('accepts that column when an override names its kind', () => {
    const ref = tableFromColumns({ zip: [75001, 69001] });
    const cur = tableFromColumns({ zip: ['75001A', 'B69001'] });
    expect(resolveKinds(ref, cur, new Map([['zip', 'categorical']])).get('zip')).toMatchObject({
      kind: 'categorical',
      source: 'override',
    });
  });

  it('does not mind a column that is empty in one file', () => {
    const ref = tableFromColumns({ x: [1, 2] });
    const cur = tableFromColumns({ x: [null, null] });
    expect(resolveKinds(ref, cur).get('x')?.kind).toBe('numerical');
  });
});
