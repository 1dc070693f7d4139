/**
 * @module
 * A streaming CSV/TSV tokenizer over Buffers (RFC 4180: quoted fields, `""` escapes, line breaks inside
 * quotes, CRLF, LF or CR line ends), reporting whole records as byte ranges with the line each starts on.
 *
 * Why hand-written rather than csv-parse: the report must read a million-row file in about a second.
 * csv-parse builds a JS string for every field and an array for every record before we see them; here a
 * record is a set of offsets into the chunk, numbers are parsed from the bytes (`parse-number.ts`) and
 * categories are looked up by their bytes (`byte-dictionary.ts`), so most fields never become strings.
 *
 * Chunks may split a record anywhere: the unfinished tail is kept and retried with the next chunk; a record
 * still unfinished after that is only retried once twice as much data has arrived, so a huge quoted field
 * costs linear, not quadratic, time.
 */
import { InputError } from './input-error.js';

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;

/** Field flags: the field was quoted; the field contains `""` escapes to collapse. */
export const FIELD_QUOTED = 1;
export const FIELD_ESCAPED = 2;

/**
 * Receives one complete record: field `k` is `bytes[starts[k], ends[k])` with `flags[k]`
 * (`FIELD_QUOTED`, `FIELD_ESCAPED`). `line` is the 1-based line the record starts on.
 * The arrays and bytes are only valid during the call.
 */
export type RecordHandler = (
  bytes: Uint8Array,
  starts: Int32Array,
  ends: Int32Array,
  flags: Uint8Array,
  count: number,
  line: number,
) => void;

export class CsvTokenizer {
  private pending: Uint8Array[] = [];
  private pendingBytes = 0;
  private retryAt = 0;
  private line = 1;
  private starts = new Int32Array(64);
  private ends = new Int32Array(64);
  private flags = new Uint8Array(64);
  private first = true;
  /** Bytes handed to `onRecord` so far (complete records only). */
  consumed = 0;

  constructor(
    private readonly delimiter: number,
    private readonly onRecord: RecordHandler,
  ) {}

  /** Feeds the next chunk of the file. */
  push(chunk: Uint8Array): void {
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    if (this.pendingBytes < this.retryAt) return;
    this.run(false);
  }

  /** Signals the end of the file: the last record may lack a line end. */
  end(): void {
    this.run(true);
  }

  /**
   * Parses every complete record at the start of `buf` (the caller's own buffer: unconsumed bytes of the
   * previous call first, then new data) and returns how many bytes it consumed; the caller keeps the rest
   * for the next call. With `final`, the last record may lack a line end. Readers that manage their own
   * buffer use this instead of `push`, so no chunk is copied or allocated per call.
   */
  consume(buf: Uint8Array, final: boolean): number {
    let skip = 0;
    if (this.first && (buf.length >= 3 || final)) {
      this.first = false;
      if (buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) skip = 3;
    } else if (this.first) return 0;
    const used = skip + (buf.length > skip ? this.parse(skip > 0 ? buf.subarray(skip) : buf, final) : 0);
    this.consumed += used;
    return used;
  }

  private run(final: boolean): void {
    let buf: Uint8Array;
    if (this.pending.length === 1) buf = this.pending[0]!;
    else {
      buf = new Uint8Array(this.pendingBytes);
      let at = 0;
      for (const p of this.pending) {
        buf.set(p, at);
        at += p.length;
      }
    }
    if (buf.length === 0) return;
    const used = this.consume(buf, final);
    if (used < buf.length) {
      const rest = buf.subarray(used);
      this.pending = [rest];
      this.pendingBytes = rest.length;
      this.retryAt = used === 0 ? rest.length * 2 : 0;
    } else {
      this.pending = [];
      this.pendingBytes = 0;
      this.retryAt = 0;
    }
  }

  private growFields(): void {
    const n = this.starts.length * 2;
    const s = new Int32Array(n);
    s.set(this.starts);
    const e = new Int32Array(n);
    e.set(this.ends);
    const f = new Uint8Array(n);
    f.set(this.flags);
    this.starts = s;
    this.ends = e;
    this.flags = f;
  }

  /** Parses every complete record of `buf`; returns the offset of the first byte not consumed. */
  private parse(buf: Uint8Array, final: boolean): number {
    const len = buf.length;
    const delim = this.delimiter;
    let pos = 0;
    let line = this.line;
    records: while (pos < len) {
      let i = pos;
      let nf = 0;
      let innerLines = 0;
      for (;;) {
        if (nf >= this.starts.length) this.growFields();
        let c = -1;
        if (i < len && buf[i] === QUOTE) {
          let j = i + 1;
          let escaped = false;
          for (;;) {
            if (j >= len) {
              if (final) {
                throw new InputError(
                  `line ${line}: a quoted field opened here is never closed`,
                  'check for a stray double quote ("); a quote inside a quoted field is written twice ("")',
                );
              }
              break records;
            }
            const b = buf[j]!;
            if (b === QUOTE) {
              if (j + 1 < len) {
                if (buf[j + 1] === QUOTE) {
                  escaped = true;
                  j += 2;
                  continue;
                }
                break;
              }
              if (final) break;
              break records;
            }
            if (b === LF) innerLines++;
            j++;
          }
          this.starts[nf] = i + 1;
          this.ends[nf] = j;
          this.flags[nf] = escaped ? FIELD_QUOTED | FIELD_ESCAPED : FIELD_QUOTED;
          nf++;
          i = j + 1;
          if (i < len) c = buf[i]!;
          else if (!final) break records;
          if (c !== delim && c !== LF && c !== CR && c !== -1) {
            throw new InputError(
              `line ${line + innerLines}: unexpected character after the closing quote of field ${nf}`,
              'a quoted field must end right before a delimiter or a line end; inner quotes are written twice ("")',
            );
          }
        } else {
          let j = i;
          while (j < len) {
            c = buf[j]!;
            if (c === delim || c === LF || c === CR) break;
            j++;
          }
          if (j >= len) {
            if (!final) break records;
            c = -1;
          }
          this.starts[nf] = i;
          this.ends[nf] = j;
          this.flags[nf] = 0;
          nf++;
          i = j;
        }
        if (c === delim) {
          i++;
          continue;
        }
        if (c === CR) {
          if (i + 1 < len) i += buf[i + 1] === LF ? 2 : 1;
          else if (final) i += 1;
          else break records;
        } else if (c === LF) i++;
        break;
      }
      const blank = nf === 1 && this.flags[0] === 0 && this.ends[0] === this.starts[0];
      if (!blank) this.onRecord(buf, this.starts, this.ends, this.flags, nf, line);
      line += innerLines + 1;
      pos = i;
    }
    this.line = line;
    return pos;
  }
}

/** Copies `bytes[start, end)` into `out` with every `""` collapsed to `"`; returns the length written. */
export function unescapeQuotes(bytes: Uint8Array, start: number, end: number, out: Uint8Array): number {
  let n = 0;
  for (let i = start; i < end; i++) {
    const b = bytes[i]!;
    out[n++] = b;
    if (b === QUOTE && i + 1 < end && bytes[i + 1] === QUOTE) i++;
  }
  return n;
}
