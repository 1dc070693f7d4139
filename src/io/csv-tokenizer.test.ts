import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CsvTokenizer, FIELD_ESCAPED, unescapeQuotes } from './csv-tokenizer.js';
import { InputError } from './input-error.js';

interface Rec {
  line: number;
  fields: string[];
}

/** Tokenizes `text` fed in pieces cut at `cuts` (byte offsets) and returns the records. */
function tokenize(text: string | Uint8Array, cuts: number[] = [], delimiter = 0x2c): Rec[] {
  const bytes = typeof text === 'string' ? new TextEncoder().encode(text) : text;
  const out: Rec[] = [];
  const dec = new TextDecoder();
  const t = new CsvTokenizer(delimiter, (buf, starts, ends, flags, count, line) => {
    const fields: string[] = [];
    for (let k = 0; k < count; k++) {
      if (flags[k]! & FIELD_ESCAPED) {
        const tmp = new Uint8Array(ends[k]! - starts[k]!);
        fields.push(dec.decode(tmp.subarray(0, unescapeQuotes(buf, starts[k]!, ends[k]!, tmp))));
      } else fields.push(dec.decode(buf.subarray(starts[k]!, ends[k]!)));
    }
    out.push({ line, fields });
  });
  let at = 0;
  for (const c of [...cuts].sort((a, b) => a - b)) {
    t.push(bytes.slice(at, c));
    at = c;
  }
  t.push(bytes.slice(at));
  t.end();
  return out;
}

describe('CsvTokenizer', () => {
  it('reads plain records with their line numbers', () => {
    expect(tokenize('a,b\n1,2\n3,4\n')).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['1', '2'] },
      { line: 3, fields: ['3', '4'] },
    ]);
  });

  it('reads quoted fields with delimiters, escaped quotes and line breaks inside', () => {
    const recs = tokenize('name,note\n"Smith, J.","said ""hi""\nthen left"\nx,""\n');
    expect(recs).toEqual([
      { line: 1, fields: ['name', 'note'] },
      { line: 2, fields: ['Smith, J.', 'said "hi"\nthen left'] },
      { line: 4, fields: ['x', ''] },
    ]);
  });

  it('accepts CRLF, lone CR and a missing final line end', () => {
    expect(tokenize('a,b\r\n1,2\r\n3,4').map((r) => r.fields)).toEqual([
      ['a', 'b'],
      ['1', '2'],
      ['3', '4'],
    ]);
    expect(tokenize('a,b\r1,2\r').map((r) => r.fields)).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
  });

  it('skips a UTF-8 byte order mark and blank lines', () => {
    const withBom = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode('id,x\n\n1,2\n\n')]);
    expect(tokenize(withBom)).toEqual([
      { line: 1, fields: ['id', 'x'] },
      { line: 3, fields: ['1', '2'] },
    ]);
  });

  it('keeps empty fields, including a trailing one', () => {
    expect(tokenize('a,b,c\n,,\n1,,3\n').map((r) => r.fields)).toEqual([
      ['a', 'b', 'c'],
      ['', '', ''],
      ['1', '', '3'],
    ]);
  });

  it('reads tab-separated values', () => {
    expect(tokenize('a\tb\n"x\ty"\t2\n', [], 0x09).map((r) => r.fields)).toEqual([
      ['a', 'b'],
      ['x\ty', '2'],
    ]);
  });

  it('reports an unclosed quote with the line it opens on', () => {
    expect(() => tokenize('a,b\n1,2\n3,"oops\n4,5\n')).toThrow(
      /line 3: a quoted field opened here is never closed/,
    );
    expect(() => tokenize('a,b\n1,2\n3,"oops\n4,5\n')).toThrow(InputError);
  });

  it('reports text after a closing quote with its line', () => {
    expect(() => tokenize('a,b\n1,"x"y\n')).toThrow(
      /line 2: unexpected character after the closing quote of field 2/,
    );
  });

  it('gives the same records however the input is cut into chunks (property)', () => {
    const field = fc.oneof(
      fc.stringMatching(/^[a-z0-9 .]{0,6}$/),
      fc.string({ maxLength: 6 }).map((s) => `"${s.replaceAll('"', '""')}"`),
    );
    const csv = fc
      .array(fc.array(field, { minLength: 3, maxLength: 3 }), { minLength: 1, maxLength: 12 })
      .chain((rows) =>
        fc.tuple(fc.constant(rows), fc.constantFrom('\n', '\r\n'), fc.array(fc.nat(), { maxLength: 8 })),
      );
    fc.assert(
      fc.property(csv, ([rows, eol, rawCuts]) => {
        const text = `${rows.map((r) => r.join(',')).join(eol)}${eol}`;
        const bytes = new TextEncoder().encode(text);
        const cuts = rawCuts.map((c) => c % (bytes.length + 1));
        expect(tokenize(bytes, cuts)).toEqual(tokenize(bytes));
      }),
      { numRuns: 500 },
    );
  });

  it('reads a quoted field far larger than a chunk', () => {
    const big = 'x'.repeat(200_000);
    const text = `a,b\n"${big}",1\n`;
    const bytes = new TextEncoder().encode(text);
    const cuts = Array.from({ length: 100 }, (_, i) => (i + 1) * 2000);
    expect(tokenize(bytes, cuts)[1]!.fields).toEqual([big, '1']);
  });
});
