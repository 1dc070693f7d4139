/**
 * @module
 * Opens a data file by its extension — `.csv`, `.tsv`/`.tab`, `.ndjson`/`.jsonl`, `.parquet` — and reads it
 * into a columnar `Table`. Missing files, folders, unknown extensions and empty files are `InputError`s.
 */
import { stat } from 'node:fs/promises';
import { extname } from 'node:path';
import type { Table, TableFormat } from '../core/schema/table.js';
import { InputError } from './input-error.js';
import { type ReadOptions, readDelimited } from './read-csv.js';
import { readNdjson } from './read-ndjson.js';
import { readParquet } from './read-parquet.js';

const EXTENSIONS: Record<string, TableFormat> = {
  '.csv': 'csv',
  '.tsv': 'tsv',
  '.tab': 'tsv',
  '.ndjson': 'ndjson',
  '.jsonl': 'ndjson',
  '.parquet': 'parquet',
};

/** The format a file name implies, or an `InputError` listing the known extensions. */
export function formatOf(path: string): TableFormat {
  const format = EXTENSIONS[extname(path).toLowerCase()];
  if (!format) {
    throw new InputError(
      `${path}: unknown file type "${extname(path) || '(no extension)'}"`,
      `use one of ${Object.keys(EXTENSIONS).join(', ')}`,
    );
  }
  return format;
}

/** Reads a CSV, TSV, NDJSON or Parquet file into a columnar table. */
export async function readTable(path: string, options: ReadOptions = {}): Promise<Table> {
  const format = formatOf(path);
  let bytes: number;
  try {
    const s = await stat(path);
    if (s.isDirectory()) throw new InputError(`${path}: is a folder, not a data file`);
    bytes = s.size;
  } catch (err) {
    if (err instanceof InputError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    throw new InputError(
      code === 'ENOENT' ? `${path}: no such file` : `${path}: cannot be read (${code ?? String(err)})`,
      code === 'ENOENT' ? 'check the path (relative paths start from the current folder)' : undefined,
    );
  }
  if (bytes === 0) throw new InputError(`${path}: the file is empty`);
  if (format === 'parquet') return readParquet(path, bytes, options);
  if (format === 'ndjson') return readNdjson(path, bytes, options);
  return readDelimited(path, format, bytes, options);
}
