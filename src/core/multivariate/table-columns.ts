/**
 * @module
 * Converts a reader's typed `Table` into the plain `Columns` the input-side detectors take.
 */
import { type ColumnData, type Table, TEXT_OVERFLOW } from '../schema/table.js';
import type { Cell } from './columns.js';

function cellsOf(col: ColumnData): Cell[] {
  const out = new Array<Cell>(col.length).fill(null);
  const { numbers, times, codes, dictionary } = col;
  for (let i = 0; i < col.length; i++) {
    const code = codes ? codes[i]! : -1;
    if (code >= 0) out[i] = dictionary[code] ?? null;
    else if (code === TEXT_OVERFLOW) out[i] = null;
    else if (numbers && !Number.isNaN(numbers[i]!)) out[i] = numbers[i]!;
    else if (times && !Number.isNaN(times[i]!)) out[i] = times[i]!;
  }
  return out;
}

/**
 * Cells of every column of a reader's `Table`: numbers as numbers, date-times as epoch milliseconds, text as
 * strings, missing as null. Text beyond the reader's bounded dictionary (`TEXT_OVERFLOW`) is unknown and
 * becomes null.
 */
export function columnsFromTable(table: Table, only?: readonly string[]): Record<string, Cell[]> {
  const out: Record<string, Cell[]> = {};
  for (const col of table.columns) if (!only || only.includes(col.name)) out[col.name] = cellsOf(col);
  return out;
}
