/**
 * @module
 * The columnar table every reader produces and the report consumes. Rows are never kept as objects: each
 * column holds typed arrays, one slot per row, so a million rows of twenty-five columns cost a few hundred
 * megabytes and statistics run over contiguous memory.
 *
 * A cell holds at most one of three things, each in its own lazily created array:
 * - a number (`numbers[i]`, NaN where the row held no number),
 * - a date or time as epoch milliseconds, UTC (`times[i]`, NaN where the row held none),
 * - a text value as a dictionary code (`codes[i]` ≥ 0 indexes `dictionary`; `NO_TEXT` where the row held no
 *   text, `TEXT_OVERFLOW` where the text did not fit in the bounded dictionary).
 * A row holding none of them is missing (empty field, `NA`, `null`, …). Booleans arrive as text tokens
 * (`true`/`false`, `yes`/`no`), so a boolean column is a two-entry dictionary.
 */

/** `codes[i]` for a row that held no text. */
export const NO_TEXT = -1;
/** `codes[i]` for a text value that arrived after the dictionary reached its bound (see `TEXT_DICTIONARY_LIMIT`). */
export const TEXT_OVERFLOW = -2;

/** One column of a table: what each row held, stored by type. */
export interface ColumnData {
  readonly name: string;
  /** Number of rows (the length of every array below that is not null). */
  readonly length: number;
  /** Parsed numbers; NaN where the row held no number. Null when no row held a number. */
  readonly numbers: Float64Array | null;
  /** Dates and times as epoch milliseconds (UTC); NaN where the row held none. Null when no row held one. */
  readonly times: Float64Array | null;
  /** Dictionary codes of text values; `NO_TEXT` or `TEXT_OVERFLOW` otherwise. Null when no row held text. */
  readonly codes: Int32Array | null;
  /** The distinct text values, indexed by code, in order of first appearance. */
  readonly dictionary: readonly string[];
  /** How many rows hold each dictionary entry, indexed by code. */
  readonly codeCounts: readonly number[];
  /** Counts per storage type, the evidence kind inference works from. */
  readonly counts: CellCounts;
}

/** How many rows of a column held each type of value. `missing + numbers + times + texts === rows`. */
export interface CellCounts {
  rows: number;
  missing: number;
  numbers: number;
  /** Of `numbers`, how many were whole numbers. */
  integers: number;
  times: number;
  /** Of `times`, how many had no time-of-day part (a plain date). */
  dates: number;
  texts: number;
  /** Text values that did not fit in the dictionary (counted in `texts`). */
  overflowTexts: number;
}

/** Where a table came from. */
export interface TableSource {
  path: string;
  format: TableFormat;
  bytes: number;
}

export type TableFormat = 'csv' | 'tsv' | 'ndjson' | 'parquet';

/** A table read from one file: columns in file order, all of the same length. */
export interface Table {
  readonly source: TableSource;
  readonly rows: number;
  readonly columns: readonly ColumnData[];
}

/** Finds a column by name, or undefined. */
export function columnByName(table: Table, name: string): ColumnData | undefined {
  return table.columns.find((c) => c.name === name);
}
