import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type ColumnData, columnByName, type Table } from '../core/schema/table.js';
import { InputError } from './input-error.js';
import { readTable } from './read-table.js';

const dir = mkdtempSync(join(tmpdir(), 'faultline-io-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, content: string | Uint8Array): string {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
}

function col(t: Table, name: string): ColumnData {
  const c = columnByName(t, name);
  if (!c) throw new Error(`no column ${name}`);
  return c;
}

const nums = (c: ColumnData) => (c.numbers ? [...c.numbers] : null);
const texts = (c: ColumnData) =>
  c.codes ? [...c.codes].map((k) => (k >= 0 ? c.dictionary[k] : null)) : null;

describe('readTable: CSV', () => {
  it('reads numbers, text, dates and missing cells into typed columns', async () => {
    const t = await readTable(
      file(
        'mixed.csv',
        'id,price,city,when,flag\n1,9.5,Lyon,2024-01-02,true\n2,,"Oslo",2024-01-03 10:00,false\n3,NA,Lyon,,TRUE\n',
      ),
    );
    expect(t.rows).toBe(3);
    expect(t.source.format).toBe('csv');
    expect(t.columns.map((c) => c.name)).toEqual(['id', 'price', 'city', 'when', 'flag']);
    expect(nums(col(t, 'id'))).toEqual([1, 2, 3]);
    expect(nums(col(t, 'price'))).toEqual([9.5, Number.NaN, Number.NaN]);
    expect(col(t, 'price').counts).toMatchObject({ rows: 3, missing: 2, numbers: 1 });
    expect(texts(col(t, 'city'))).toEqual(['Lyon', 'Oslo', 'Lyon']);
    expect(col(t, 'city').codeCounts).toEqual([2, 1]);
    expect(col(t, 'when').times ? [...col(t, 'when').times!] : null).toEqual([
      Date.UTC(2024, 0, 2),
      Date.UTC(2024, 0, 3, 10),
      Number.NaN,
    ]);
    expect(col(t, 'when').counts).toMatchObject({ times: 2, dates: 1, missing: 1 });
    expect(col(t, 'flag').dictionary).toEqual(['true', 'false', 'TRUE']);
    expect(col(t, 'id').codes).toBeNull();
  });

  it('handles CRLF, a BOM and quoted headers', async () => {
    const body = new TextEncoder().encode('"a b",c\r\n1,x\r\n2,y');
    const t = await readTable(file('crlf.csv', new Uint8Array([0xef, 0xbb, 0xbf, ...body])));
    expect(t.columns.map((c) => c.name)).toEqual(['a b', 'c']);
    expect(nums(col(t, 'a b'))).toEqual([1, 2]);
    expect(texts(col(t, 'c'))).toEqual(['x', 'y']);
  });

  it('collapses escaped quotes in values', async () => {
    const t = await readTable(file('esc.csv', 'q\n"say ""hi"""\n"12"\n'));
    expect(col(t, 'q').dictionary).toEqual(['say "hi"']);
    expect(nums(col(t, 'q'))).toEqual([Number.NaN, 12]);
  });

  it('reads a 120 000-row file across many chunks the same as in one piece', async () => {
    const lines = ['k,v,s'];
    for (let i = 0; i < 120_000; i++) lines.push(`${i},${(i * 0.37).toFixed(2)},"c${i % 7}"`);
    const t = await readTable(file('big.csv', `${lines.join('\n')}\n`));
    expect(t.rows).toBe(120_000);
    const v = col(t, 'v').numbers!;
    expect(v[119_999]).toBe(Number((119_999 * 0.37).toFixed(2)));
    expect(col(t, 's').dictionary.length).toBe(7);
    expect(col(t, 's').codeCounts.reduce((a, b) => a + b, 0)).toBe(120_000);
  });

  it('reads a record larger than its read buffer (a 5 MB quoted field)', async () => {
    const big = `say ""${'x'.repeat(5 * 1024 * 1024)}"" twice`;
    const t = await readTable(file('huge.csv', `id,text\n1,"${big}"\n2,short\n`));
    expect(t.rows).toBe(2);
    expect(col(t, 'text').dictionary[0]!.length).toBe(big.length - 2);
    expect(col(t, 'text').dictionary[1]).toBe('short');
  });

  it('reads TSV', async () => {
    const t = await readTable(file('x.tsv', 'a\tb\n1\thello world\n2\t"x\ty"\n'));
    expect(t.source.format).toBe('tsv');
    expect(texts(col(t, 'b'))).toEqual(['hello world', 'x\ty']);
  });

  it('names a malformed row by its line number', async () => {
    const p = file('bad.csv', 'a,b\n1,2\n3,4\n5,6,7\n');
    await expect(readTable(p)).rejects.toThrow(
      /bad\.csv: line 4: expected 2 fields \(as in the header\), found 3/,
    );
    await expect(readTable(p)).rejects.toBeInstanceOf(InputError);
  });

  it('counts lines inside quoted fields when naming a malformed row', async () => {
    const p = file('bad2.csv', 'a,b\n"multi\nline",2\n3\n');
    await expect(readTable(p)).rejects.toThrow(/bad2\.csv: line 4: expected 2 fields/);
  });

  it('rejects an empty file, a header without rows, a missing file and an unknown extension', async () => {
    await expect(readTable(file('empty.csv', ''))).rejects.toThrow(/empty\.csv: the file is empty/);
    await expect(readTable(file('blank.csv', '\n\n'))).rejects.toThrow(/the file is empty/);
    await expect(readTable(file('header.csv', 'a,b\n'))).rejects.toThrow(/has a header but no rows/);
    await expect(readTable(join(dir, 'nope.csv'))).rejects.toThrow(/nope\.csv: no such file/);
    await expect(readTable(file('data.xlsx', 'x'))).rejects.toThrow(/unknown file type ".xlsx"/);
  });

  it('rejects a duplicated header name', async () => {
    await expect(readTable(file('dup.csv', 'a,a\n1,2\n'))).rejects.toThrow(/names column "a" twice/);
  });

  it('reads only the requested columns, and names an unknown one', async () => {
    const p = file('sel.csv', 'a,b,c\n1,2,3\n');
    const t = await readTable(p, { columns: ['c', 'a'] });
    expect(t.columns.map((c) => c.name)).toEqual(['a', 'c']);
    await expect(readTable(p, { columns: ['zz'] })).rejects.toThrow(/no column named "zz"/);
  });

  it('allocates shared memory when asked', async () => {
    const t = await readTable(file('shared.csv', 'a,b\n1,x\n'), { shared: true });
    expect(col(t, 'a').numbers!.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(col(t, 'b').codes!.buffer).toBeInstanceOf(SharedArrayBuffer);
  });
});

describe('readTable: NDJSON', () => {
  it('reads objects, keys that come and go, nulls, booleans and nested values', async () => {
    const t = await readTable(
      file(
        'rows.ndjson',
        '{"a":1,"b":"x","c":true}\r\n\n{"a":2.5,"d":{"k":1}}\n{"a":null,"b":"2024-05-01T00:00:00Z","c":false}',
      ),
    );
    expect(t.source.format).toBe('ndjson');
    expect(t.rows).toBe(3);
    expect(t.columns.map((c) => c.name)).toEqual(['a', 'b', 'c', 'd']);
    expect(nums(col(t, 'a'))).toEqual([1, 2.5, Number.NaN]);
    expect(texts(col(t, 'b'))).toEqual(['x', null, null]);
    expect(col(t, 'b').counts).toMatchObject({ texts: 1, times: 1, missing: 1 });
    expect(col(t, 'c').dictionary).toEqual(['true', 'false']);
    expect(texts(col(t, 'd'))).toEqual([null, '{"k":1}', null]);
  });

  it('keeps numeric-looking JSON strings as text', async () => {
    const t = await readTable(file('s.jsonl', '{"zip":"01234"}\n{"zip":"75001"}\n'));
    expect(col(t, 'zip').dictionary).toEqual(['01234', '75001']);
    expect(col(t, 'zip').numbers).toBeNull();
  });

  it('names a line that is not JSON, or not an object', async () => {
    await expect(readTable(file('bad.ndjson', '{"a":1}\n{"a":\n'))).rejects.toThrow(
      /bad\.ndjson: line 2: not valid JSON/,
    );
    await expect(readTable(file('arr.ndjson', '{"a":1}\n\n[1,2]\n'))).rejects.toThrow(
      /line 3: expected a JSON object, found an array/,
    );
  });

  it('rejects an empty file', async () => {
    await expect(readTable(file('e.ndjson', '\n\n'))).rejects.toThrow(/the file is empty/);
  });
});

describe('readTable: Parquet', () => {
  it('reads every row group of src/io/fixtures/mixed.parquet (tools/make-parquet-fixture.ts)', async () => {
    const t = await readTable(join(import.meta.dirname, 'fixtures', 'mixed.parquet'));
    expect(t.source.format).toBe('parquet');
    expect(t.rows).toBe(7);
    expect(nums(col(t, 'id'))).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(nums(col(t, 'price'))).toEqual([9.5, 12.25, Number.NaN, 7, 15.5, 3.75, 11]);
    expect(texts(col(t, 'city'))).toEqual(['Lyon', 'Oslo', 'Lyon', null, 'Kyiv', 'Oslo', 'Lyon']);
    expect(col(t, 'member').dictionary).toEqual(['true', 'false']);
    expect(col(t, 'member').counts.missing).toBe(1);
    expect([...col(t, 'seen').times!]).toEqual(
      [0, 1, 2, 3, 4, 5, 6].map((d) => Date.UTC(2024, 0, 1 + d, 12, 30)),
    );
    expect(nums(col(t, 'count64'))).toEqual([10, 20, 30, 40, 50, 60, 70]);
  });

  it('rejects a file that is not Parquet', async () => {
    await expect(readTable(file('fake.parquet', 'not parquet at all'))).rejects.toThrow(
      /not a readable Parquet file/,
    );
  });
});

describe('readTable: tokenizer errors name the file', () => {
  it('prefixes the path to an unclosed quote', async () => {
    await expect(readTable(file('q.csv', 'a,b\n1,"2\n'))).rejects.toThrow(
      /q\.csv: line 2: a quoted field opened here is never closed/,
    );
  });
});
