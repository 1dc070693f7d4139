import { describe, expect, it } from 'vitest';
import { type ColumnData, NO_TEXT, type Table, TEXT_OVERFLOW } from '../schema/table.js';
import { columnsFromTable } from './table-columns.js';

function column(name: string, parts: Partial<ColumnData>): ColumnData {
  return {
    name,
    length: 4,
    numbers: null,
    times: null,
    codes: null,
    dictionary: [],
    codeCounts: [],
    counts: { rows: 4, missing: 0, numbers: 0, integers: 0, times: 0, dates: 0, texts: 0, overflowTexts: 0 },
    ...parts,
  };
}

describe('columnsFromTable', () => {
  const table: Table = {
    source: { path: 'x.csv', format: 'csv', bytes: 1 },
    rows: 4,
    columns: [
      column('amount', { numbers: Float64Array.from([1.5, Number.NaN, 3, 4]) }),
      column('city', {
        codes: Int32Array.from([0, 1, NO_TEXT, TEXT_OVERFLOW]),
        dictionary: ['Oslo', 'Rome'],
      }),
      column('mixed', {
        numbers: Float64Array.from([7, Number.NaN, Number.NaN, Number.NaN]),
        times: Float64Array.from([Number.NaN, 86_400_000, Number.NaN, Number.NaN]),
        codes: Int32Array.from([NO_TEXT, NO_TEXT, 0, NO_TEXT]),
        dictionary: ['n/a?'],
      }),
    ],
  };

  it('reads numbers, text, times (epoch ms) and missing cells by row', () => {
    expect(columnsFromTable(table)).toEqual({
      amount: [1.5, null, 3, 4],
      city: ['Oslo', 'Rome', null, null],
      mixed: [7, 86_400_000, 'n/a?', null],
    });
  });

  it('keeps only the named columns', () => {
    expect(Object.keys(columnsFromTable(table, ['city']))).toEqual(['city']);
  });
});
