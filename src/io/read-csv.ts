/**
 * @module
 * Reads a CSV or TSV file into a columnar `Table`, streaming: memory holds the columns' typed arrays and
 * one read chunk, never the file or row objects, so files larger than memory-as-text are fine.
 * The first record is the header. Every other record must have as many fields as the header; otherwise
 * the error names the line.
 */
import { open } from 'node:fs/promises';
import type { Table, TableFormat } from '../core/schema/table.js';
import { ColumnBuilder } from './column-builder.js';
import { CsvTokenizer, FIELD_ESCAPED, unescapeQuotes } from './csv-tokenizer.js';
import { InputError } from './input-error.js';

export interface ReadOptions {
  /** Allocate column arrays on SharedArrayBuffer (to hand them to worker threads without copying). */
  shared?: boolean;
  /** Called now and then with the bytes read so far and the file size. */
  onProgress?: (bytesRead: number, totalBytes: number) => void;
  /** Read only these columns (by name); all when omitted. Unknown names are an error. */
  columns?: readonly string[];
}

const CHUNK_BYTES = 1 << 20;
const utf8 = new TextDecoder();

/** Reads a delimited text file (`format` 'csv' or 'tsv') into a columnar table. */
export async function readDelimited(
  path: string,
  format: Extract<TableFormat, 'csv' | 'tsv'>,
  fileBytes: number,
  options: ReadOptions = {},
): Promise<Table> {
  const delimiter = format === 'tsv' ? 0x09 : 0x2c;
  let builders: ColumnBuilder[] | null = null;
  let targets: (ColumnBuilder | null)[] = [];
  let width = 0;
  let rows = 0;
  let scratch = new Uint8Array(1024);

  const onRecord = (
    bytes: Uint8Array,
    starts: Int32Array,
    ends: Int32Array,
    flags: Uint8Array,
    count: number,
    line: number,
  ): void => {
    if (builders === null) {
      const names: string[] = [];
      for (let k = 0; k < count; k++) {
        let name = utf8.decode(fieldBytes(bytes, starts[k]!, ends[k]!, flags[k]!)).trim();
        if (name === '') name = `unnamed_${k}`;
        if (names.includes(name)) {
          throw new InputError(
            `${path}: line ${line}: the header names column "${name}" twice`,
            'give every column a distinct name',
          );
        }
        names.push(name);
      }
      width = count;
      const wanted = options.columns ? new Set(options.columns) : null;
      if (wanted) {
        for (const w of wanted) {
          if (!names.includes(w)) throw new InputError(`${path}: no column named "${w}"`);
        }
      }
      builders = [];
      targets = names.map((name) => {
        if (wanted && !wanted.has(name)) return null;
        const b = new ColumnBuilder(name, { shared: options.shared ?? false, capacity: 1 << 14 });
        builders!.push(b);
        return b;
      });
      return;
    }
    if (count !== width) {
      throw new InputError(
        `${path}: line ${line}: expected ${width} fields (as in the header), found ${count}`,
        format === 'csv'
          ? 'check for an unquoted comma inside a value, or a missing or extra delimiter on that line'
          : 'check for a tab inside a value, or a missing or extra tab on that line',
      );
    }
    for (let k = 0; k < count; k++) {
      const b = targets[k];
      if (!b) continue;
      const f = flags[k]!;
      if (f & FIELD_ESCAPED) {
        const s = starts[k]!;
        const e = ends[k]!;
        if (e - s > scratch.length) scratch = new Uint8Array(e - s);
        const n = unescapeQuotes(bytes, s, e, scratch);
        b.addBytes(scratch, 0, n);
      } else b.addBytes(bytes, starts[k]!, ends[k]!);
    }
    rows++;
  };

  const fieldBytes = (bytes: Uint8Array, s: number, e: number, f: number): Uint8Array => {
    if (!(f & FIELD_ESCAPED)) return bytes.subarray(s, e);
    const out = new Uint8Array(e - s);
    return out.subarray(0, unescapeQuotes(bytes, s, e, out));
  };

  const tokenizer = new CsvTokenizer(delimiter, onRecord);
  // One working buffer, refilled in place: unconsumed bytes (a partial record) move to the front, new
  // bytes are read after them. It doubles when a single record does not fit, so rescans stay linear.
  let work = new Uint8Array(CHUNK_BYTES * 2);
  let held = 0;
  let read = 0;
  let estimated = false;
  const fh = await open(path, 'r');
  try {
    for (;;) {
      if (work.length - held < CHUNK_BYTES) {
        const next = new Uint8Array(work.length * 2);
        next.set(work.subarray(0, held));
        work = next;
      }
      const { bytesRead } = await fh.read(work, held, work.length - held, null);
      const eof = bytesRead === 0;
      held += bytesRead;
      read += bytesRead;
      const used = tokenizer.consume(work.subarray(0, held), eof);
      if (used > 0) {
        work.copyWithin(0, used, held);
        held -= used;
      }
      if (!estimated && builders !== null && rows > 0 && tokenizer.consumed > 0) {
        // Size the arrays from the bytes per row seen so far, so a large file is not grown ten times.
        estimated = true;
        const expected = Math.ceil((fileBytes / tokenizer.consumed) * rows * 1.05) + 64;
        for (const b of builders as ColumnBuilder[]) b.reserve(expected);
      }
      options.onProgress?.(read, fileBytes);
      if (eof) break;
    }
  } catch (err) {
    // The tokenizer names the line; add the file.
    if (err instanceof InputError && !err.message.startsWith(`${path}:`)) {
      throw new InputError(`${path}: ${err.message}`, err.hint);
    }
    throw err;
  } finally {
    await fh.close();
  }
  if (builders === null)
    throw new InputError(`${path}: the file is empty`, 'expected a header line and rows');
  if (rows === 0) throw new InputError(`${path}: the file has a header but no rows`);
  return {
    source: { path, format, bytes: fileBytes },
    rows,
    columns: (builders as ColumnBuilder[]).map((b) => b.finish()),
  };
}
