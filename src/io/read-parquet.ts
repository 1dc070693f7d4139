/**
 * @module
 * Reads a Parquet file into a columnar `Table` with hyparquet, one row group at a time (memory holds the
 * columns being built and one row group, not the file). Parquet values are typed, so: numbers and bigints
 * are numbers, strings are text (never re-read as numbers), booleans are the text `true`/`false`, dates and
 * timestamps are date-times, null is missing, and nested values are kept as their JSON text.
 */
import { asyncBufferFromFile, parquetMetadataAsync, parquetRead, parquetSchema } from 'hyparquet';
import type { Table } from '../core/schema/table.js';
import { ColumnBuilder } from './column-builder.js';
import { InputError } from './input-error.js';
import type { ReadOptions } from './read-csv.js';

const DAY_MS = 86_400_000;

function addValue(b: ColumnBuilder, v: unknown): void {
  if (v === null || v === undefined) b.addMissing();
  else if (typeof v === 'number') b.addNumber(v);
  else if (typeof v === 'bigint') b.addNumber(Number(v));
  else if (typeof v === 'string') b.addString(v);
  else if (typeof v === 'boolean') b.addString(v ? 'true' : 'false');
  else if (v instanceof Date) b.addTime(v.getTime(), v.getTime() % DAY_MS === 0);
  else if (v instanceof Uint8Array) b.addString(new TextDecoder().decode(v));
  else b.addString(JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? Number(x) : x)));
}

/** Reads a Parquet file into a columnar table. */
export async function readParquet(
  path: string,
  fileBytes: number,
  options: ReadOptions = {},
): Promise<Table> {
  const file = await asyncBufferFromFile(path);
  let metadata: Awaited<ReturnType<typeof parquetMetadataAsync>>;
  try {
    metadata = await parquetMetadataAsync(file);
  } catch (err) {
    throw new InputError(`${path}: not a readable Parquet file (${(err as Error).message})`);
  }
  const names = parquetSchema(metadata).children.map((c) => c.element.name);
  if (options.columns) {
    for (const w of options.columns)
      if (!names.includes(w)) throw new InputError(`${path}: no column named "${w}"`);
  }
  const selected = options.columns ? names.filter((n) => options.columns!.includes(n)) : names;
  const rows = Number(metadata.num_rows);
  if (selected.length === 0) throw new InputError(`${path}: the file has no columns`);
  if (rows === 0) throw new InputError(`${path}: the file has no rows`);
  const builders = new Map(
    selected.map((n) => [
      n,
      new ColumnBuilder(n, { shared: options.shared ?? false, numbersInText: false, capacity: rows }),
    ]),
  );
  let groupStart = 0;
  for (const group of metadata.row_groups) {
    const groupEnd = groupStart + Number(group.num_rows);
    const chunks = new Map<string, { rowStart: number; data: ArrayLike<unknown> }[]>();
    await parquetRead({
      file,
      metadata,
      columns: selected,
      rowStart: groupStart,
      rowEnd: groupEnd,
      onChunk: (c) => {
        const list = chunks.get(c.columnName) ?? [];
        list.push({ rowStart: c.rowStart, data: c.columnData });
        chunks.set(c.columnName, list);
      },
    });
    for (const [name, b] of builders) {
      const list = (chunks.get(name) ?? []).sort((x, y) => x.rowStart - y.rowStart);
      for (const { rowStart, data } of list) {
        // A chunk may start before the requested row range: skip what was already taken.
        const skip = Math.max(0, b.length - rowStart);
        const end = Math.min(data.length, groupEnd - rowStart);
        for (let i = skip; i < end; i++) addValue(b, data[i]);
      }
      b.padTo(groupEnd);
    }
    groupStart = groupEnd;
    options.onProgress?.(Math.round((groupEnd / rows) * fileBytes), fileBytes);
  }
  return {
    source: { path, format: 'parquet', bytes: fileBytes },
    rows,
    columns: [...builders.values()].map((b) => b.finish()),
  };
}
