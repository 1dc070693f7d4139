/**
 * @module
 * The plain columnar shape the input-side detectors take: feature name → one cell per row. A cell is a
 * number, a category (string or boolean) or missing (`table-columns.ts` turns a reader's typed `Table`
 * into it).
 */
/** One cell of a feature column: a number, a category, or missing (null, undefined, NaN, ''). */
export type Cell = number | string | boolean | null | undefined;

/** Feature columns by name, all of the same length. */
export type Columns = Readonly<Record<string, ArrayLike<Cell>>>;

/** Missing: null, undefined, NaN or the empty string. */
export function isMissing(v: Cell): boolean {
  return v === null || v === undefined || v === '' || (typeof v === 'number' && Number.isNaN(v));
}

/** The common row count of `columns`; throws naming the first column whose length differs. */
export function columnLength(columns: Columns, what: string): number {
  const names = Object.keys(columns);
  if (names.length === 0) throw new Error(`${what}: no feature columns`);
  const n = columns[names[0]!]!.length;
  for (const name of names)
    if (columns[name]!.length !== n)
      throw new Error(`${what}: column '${name}' has ${columns[name]!.length} rows, expected ${n}`);
  return n;
}
