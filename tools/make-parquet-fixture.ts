/**
 * Writes src/io/fixtures/mixed.parquet, the Parquet file the reader tests read (hyparquet cannot write).
 * Run: npx tsx tools/make-parquet-fixture.ts
 * Seven rows in three row groups (3 + 3 + 1) so the reader's row-group loop is exercised; one column of each
 * Parquet type the reader maps, with nulls.
 */
import { join } from 'node:path';
import { parquetWriteFile } from 'hyparquet-writer';

const out = join(import.meta.dirname, '..', 'src', 'io', 'fixtures', 'mixed.parquet');
parquetWriteFile({
  filename: out,
  rowGroupSize: 3,
  columnData: [
    { name: 'id', data: [1, 2, 3, 4, 5, 6, 7], type: 'INT32' },
    { name: 'price', data: [9.5, 12.25, null, 7, 15.5, 3.75, 11], type: 'DOUBLE' },
    { name: 'city', data: ['Lyon', 'Oslo', 'Lyon', null, 'Kyiv', 'Oslo', 'Lyon'], type: 'STRING' },
    { name: 'member', data: [true, false, true, true, null, false, true], type: 'BOOLEAN' },
    {
      name: 'seen',
      data: [0, 1, 2, 3, 4, 5, 6].map((d) => new Date(Date.UTC(2024, 0, 1 + d, 12, 30))),
      type: 'TIMESTAMP',
    },
    { name: 'count64', data: [10n, 20n, 30n, 40n, 50n, 60n, 70n], type: 'INT64' },
  ],
});
process.stdout.write(`wrote ${out}\n`);
