/**
 * @module
 * Builds columns and tables from plain JS values — for small in-memory data (tests, examples, the SDK's
 * samples) where streaming a file would be overkill. Numbers become numbers, `Date`s date-times, strings
 * text (not re-read as numbers), booleans the text `true`/`false`, and null, undefined and NaN missing.
 */
import type { CellCounts, ColumnData, Table, TableSource } from './table.js';
import { NO_TEXT } from './table.js';

export type CellValue = number | string | boolean | Date | null | undefined;

/** One column from its values, in row order. */
export function columnFromValues(name: string, values: readonly CellValue[]): ColumnData {
  const n = values.length;
  let numbers: Float64Array | null = null;
  let times: Float64Array | null = null;
  let codes: Int32Array | null = null;
  const dictionary: string[] = [];
  const codeCounts: number[] = [];
  const index = new Map<string, number>();
  const counts: CellCounts = {
    rows: n,
    missing: 0,
    numbers: 0,
    integers: 0,
    times: 0,
    dates: 0,
    texts: 0,
    overflowTexts: 0,
  };
  values.forEach((v, i) => {
    if (v === null || v === undefined || (typeof v === 'number' && !Number.isFinite(v))) {
      counts.missing++;
    } else if (typeof v === 'number') {
      numbers ??= new Float64Array(n).fill(Number.NaN);
      numbers[i] = v;
      counts.numbers++;
      if (Number.isInteger(v)) counts.integers++;
    } else if (v instanceof Date) {
      times ??= new Float64Array(n).fill(Number.NaN);
      times[i] = v.getTime();
      counts.times++;
      if (v.getTime() % 86_400_000 === 0) counts.dates++;
    } else {
      const s = typeof v === 'boolean' ? String(v) : v;
      codes ??= new Int32Array(n).fill(NO_TEXT);
      let code = index.get(s);
      if (code === undefined) {
        code = dictionary.length;
        index.set(s, code);
        dictionary.push(s);
        codeCounts.push(0);
      }
      codes[i] = code;
      codeCounts[code]!++;
      counts.texts++;
    }
  });
  return { name, length: n, numbers, times, codes, dictionary, codeCounts, counts };
}

/** A table from named value lists (all of the same length). */
export function tableFromColumns(
  columns: Record<string, readonly CellValue[]>,
  source: Partial<TableSource> = {},
): Table {
  const cols = Object.entries(columns).map(([name, values]) => columnFromValues(name, values));
  const rows = cols[0]?.length ?? 0;
  for (const c of cols) {
    if (c.length !== rows)
      throw new RangeError(`column "${c.name}" has ${c.length} values, expected ${rows}`);
  }
  return {
    source: { path: source.path ?? '(memory)', format: source.format ?? 'csv', bytes: source.bytes ?? 0 },
    rows,
    columns: cols,
  };
}
