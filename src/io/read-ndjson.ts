/**
 * @module
 * Reads newline-delimited JSON (one object per line) into a columnar `Table`, streaming. Columns are the
 * union of the keys seen; a key absent from a line is a missing cell. JSON numbers are numbers, JSON strings
 * are text (or date-times when they read as one; a string such as "12" stays text, JSON has its own
 * numbers), booleans are the text `true`/`false`, `null` is missing, and nested values are kept as their
 * JSON text. Blank lines are skipped; any other line that is not a JSON object is an error naming its line.
 */
import { createReadStream } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import type { Table } from '../core/schema/table.js';
import { ColumnBuilder } from './column-builder.js';
import { InputError } from './input-error.js';
import type { ReadOptions } from './read-csv.js';

/** Reads an NDJSON file into a columnar table. */
export async function readNdjson(path: string, fileBytes: number, options: ReadOptions = {}): Promise<Table> {
  const builders = new Map<string, ColumnBuilder>();
  const wanted = options.columns ? new Set(options.columns) : null;
  let rows = 0;
  let line = 0;
  let capacity = 1 << 14;
  let consumed = 0;
  let estimated = false;

  const addValue = (b: ColumnBuilder, v: unknown): void => {
    if (v === null || v === undefined) b.addMissing();
    else if (typeof v === 'number') b.addNumber(v);
    else if (typeof v === 'string') b.addString(v);
    else if (typeof v === 'boolean') b.addString(v ? 'true' : 'false');
    else b.addString(JSON.stringify(v));
  };

  const onLine = (text: string): void => {
    line++;
    consumed += text.length + 1;
    if (text.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (err) {
      throw new InputError(
        `${path}: line ${line}: not valid JSON (${(err as Error).message})`,
        'each line must hold one JSON object, such as {"age": 41, "city": "Lyon"}',
      );
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new InputError(
        `${path}: line ${line}: expected a JSON object, found ${Array.isArray(value) ? 'an array' : typeof value}`,
        'each line must hold one JSON object, such as {"age": 41, "city": "Lyon"}',
      );
    }
    for (const [key, v] of Object.entries(value)) {
      if (wanted && !wanted.has(key)) continue;
      let b = builders.get(key);
      if (!b) {
        b = new ColumnBuilder(key, { shared: options.shared ?? false, numbersInText: false, capacity });
        b.padTo(rows);
        builders.set(key, b);
      }
      if (b.length > rows) {
        throw new InputError(`${path}: line ${line}: the key "${key}" appears twice in one object`);
      }
      addValue(b, v);
    }
    rows++;
    for (const b of builders.values()) if (b.length < rows) b.addMissing();
    if (!estimated && rows === 1000) {
      estimated = true;
      capacity = Math.ceil((fileBytes / consumed) * rows * 1.05) + 64;
      for (const b of builders.values()) b.reserve(capacity);
    }
  };

  const decoder = new StringDecoder('utf8');
  let rest = '';
  let read = 0;
  let first = true;
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    read += chunk.length;
    let text = rest + decoder.write(chunk);
    if (first) {
      first = false;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    let from = 0;
    for (;;) {
      const nl = text.indexOf('\n', from);
      if (nl < 0) break;
      const end = nl > from && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
      onLine(text.slice(from, end));
      from = nl + 1;
    }
    rest = text.slice(from);
    options.onProgress?.(read, fileBytes);
  }
  rest += decoder.end();
  if (rest !== '') onLine(rest.endsWith('\r') ? rest.slice(0, -1) : rest);
  if (rows === 0) {
    throw new InputError(
      line === 0 || builders.size === 0 ? `${path}: the file is empty` : `${path}: the file has no rows`,
      'expected one JSON object per line',
    );
  }
  if (wanted) {
    for (const w of wanted) if (!builders.has(w)) throw new InputError(`${path}: no column named "${w}"`);
  }
  return {
    source: { path, format: 'ndjson', bytes: fileBytes },
    rows,
    columns: [...builders.values()].map((b) => b.finish()),
  };
}
