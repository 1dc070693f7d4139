/**
 * `faultline report` run in-process through `main(argv)` on real files (data/flights) and on small files
 * written to a temporary folder: output files, exit codes 0/1/2 and the messages of input errors.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { Report } from '../../core/report/index.js';
import { runCli } from '../testing.js';

const root = join(import.meta.dirname, '..', '..', '..');
const jan = join(root, 'data', 'flights', 'jan.csv');
const jun = join(root, 'data', 'flights', 'jun.csv');
const dir = mkdtempSync(join(tmpdir(), 'faultline-report-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => {
  process.exitCode = undefined;
});

function file(name: string, content: string): string {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
}

const run = (...args: string[]) => runCli(['report', ...args]);

const lines = (header: string, rows: (string | number)[][]) =>
  `${header}\n${rows.map((r) => r.join(',')).join('\n')}\n`;
const seq = (n: number, f: (i: number) => (string | number)[]) => Array.from({ length: n }, (_, i) => f(i));

describe('faultline report on data/flights (January vs June)', () => {
  const json = join(dir, 'flights.json');
  const html = join(dir, 'flights.html');
  let result: Awaited<ReturnType<typeof run>>;
  let report: Report;

  it('runs, prints the summary and writes JSON and HTML', async () => {
    result = await run(
      '--reference',
      jan,
      '--current',
      jun,
      '--target',
      'delayed',
      '--prediction',
      'predicted',
      '--proba',
      'delay_proba',
      '--timestamp',
      'date',
      '--json',
      json,
      '--html',
      html,
    );
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Faultline drift report');
    expect(result.stdout).toMatch(/Feature drift[\s\S]*origin\s+categorical\s+jensenshannon/);
    expect(result.stdout).toContain('Target and prediction drift');
    expect(result.stdout).toMatch(/Model performance[\s\S]*accuracy/);
    expect(result.stdout).not.toContain('\x1b[');
    report = JSON.parse(readFileSync(json, 'utf8')) as Report;
  });

  it('writes every column with name, kind, method, score, pValue, threshold, drifted', () => {
    expect(report.columns.map((c) => c.name)).toEqual([
      'date',
      'distance',
      'origin',
      'destination',
      'delay',
      'delayed',
      'predicted',
      'delay_proba',
      'predicted_delay',
    ]);
    for (const c of report.columns) {
      expect(Object.keys(c)).toEqual(
        expect.arrayContaining(['name', 'kind', 'method', 'score', 'pValue', 'threshold', 'drifted']),
      );
      if (c.tested && c.statisticKind === 'distance') expect(c.pValue).toBeNull();
    }
    expect(report.columns.find((c) => c.name === 'origin')).toMatchObject({
      kind: 'categorical',
      method: 'jensenshannon',
      threshold: 0.1,
      pValue: null,
    });
    expect(report.columns.find((c) => c.name === 'date')).toMatchObject({
      kind: 'datetime',
      role: 'timestamp',
      method: null,
      score: null,
    });
  });

  it('has a dataset verdict over features only, and target and prediction drift apart', () => {
    expect(report.dataset).toMatchObject({
      drifted: expect.any(Boolean),
      driftShare: expect.any(Number),
      testedColumns: 5,
    });
    expect(report.targetDrift?.name).toBe('delayed');
    expect(report.predictionDrift.map((c) => c.name)).toEqual(['predicted', 'delay_proba']);
  });

  it('compares model performance side by side', () => {
    const p = report.performance!;
    expect(p.task).toBe('classification');
    expect(p.reference).toMatchObject({ rows: 12706, positiveLabel: '1' });
    expect(p.current).toMatchObject({ rows: 12556 });
    for (const m of [p.reference, p.current] as { accuracy: number; rocAuc: number }[]) {
      expect(m.accuracy).toBeGreaterThan(0);
      expect(m.rocAuc).toBeGreaterThan(0.5);
    }
  });

  it('writes a self-contained, escaped HTML file with a chart per column', () => {
    const text = readFileSync(html, 'utf8');
    expect(text.startsWith('<!doctype html>')).toBe(true);
    expect(text).not.toMatch(/<script|<link|@import|url\(|https?:\/\/|src=/i);
    expect((text.match(/<svg class="chart"/g) ?? []).length).toBe(8);
    expect(text).toContain('Drift overview');
  });
});

describe('faultline report: exit codes', () => {
  const ref = file(
    'ref.csv',
    lines(
      'x,c',
      seq(300, (i) => [i % 50, ['a', 'b'][i % 2]!]),
    ),
  );
  const same = file(
    'same.csv',
    lines(
      'x,c',
      seq(300, (i) => [(i * 7) % 50, ['a', 'b'][(i + 1) % 2]!]),
    ),
  );
  const moved = file(
    'moved.csv',
    lines(
      'x,c',
      seq(300, (i) => [100 + (i % 50), 'c']),
    ),
  );

  it('exits 0 when it ran, drift or not, without --fail-on-drift', async () => {
    expect((await run('--reference', ref, '--current', moved)).code).toBe(0);
  });

  it('exits 1 with --fail-on-drift when the dataset drifted, 0 when it did not', async () => {
    const drifted = await run('--reference', ref, '--current', moved, '--fail-on-drift');
    expect(drifted.code).toBe(1);
    expect(drifted.stdout).toMatch(/Dataset: DRIFTED — 2 of 2/);
    expect((await run('--reference', ref, '--current', same, '--fail-on-drift')).code).toBe(0);
  });

  it('reads Parquet (src/io/fixtures/mixed.parquet against itself)', async () => {
    const pq = join(root, 'src', 'io', 'fixtures', 'mixed.parquet');
    const out = join(dir, 'pq.json');
    const r = await run('--reference', pq, '--current', pq, '--json', out, '--id', 'id');
    expect(r.code).toBe(0);
    const rep = JSON.parse(readFileSync(out, 'utf8')) as Report;
    expect(rep.reference.format).toBe('parquet');
    expect(rep.columns.map((c) => [c.name, c.kind])).toEqual([
      ['id', 'numerical'],
      ['price', 'numerical'],
      ['city', 'categorical'],
      ['member', 'boolean'],
      ['seen', 'datetime'],
      ['count64', 'numerical'],
    ]);
    expect(rep.dataset.drifted).toBe(false);
  });

  it('reads TSV, NDJSON and mixes formats', async () => {
    const tsv = file('ref.tsv', 'x\tc\n1\ta\n2\tb\n3\ta\n');
    const nd = file('cur.ndjson', '{"x":1,"c":"a"}\n{"x":2,"c":"b"}\n{"x":9,"c":"a"}\n');
    const r = await run('--reference', tsv, '--current', nd, '--json', join(dir, 'mix.json'));
    expect(r.code).toBe(0);
    const rep = JSON.parse(readFileSync(join(dir, 'mix.json'), 'utf8')) as Report;
    expect(rep.reference.format).toBe('tsv');
    expect(rep.current.format).toBe('ndjson');
    expect(rep.columns.map((c) => [c.name, c.kind])).toEqual([
      ['x', 'numerical'],
      ['c', 'categorical'],
    ]);
  });
});

describe('faultline report: usage and input errors exit 2 with a message, never a stack trace', () => {
  const good = file('good.csv', 'a,b\n1,x\n2,y\n');
  const cases: [string, () => string[], RegExp][] = [
    [
      'a missing file',
      () => ['--reference', good, '--current', join(dir, 'absent.csv')],
      /absent\.csv: no such file/,
    ],
    [
      'an empty file',
      () => ['--reference', good, '--current', file('empty.csv', '')],
      /empty\.csv: the file is empty/,
    ],
    [
      'a malformed row, with its line number',
      () => ['--reference', good, '--current', file('bad.csv', 'a,b\n1,x\n2,y,3\n')],
      /bad\.csv: line 3: expected 2 fields \(as in the header\), found 3/,
    ],
    [
      'an unknown column',
      () => ['--reference', good, '--current', good, '--target', 'nope'],
      /--target names column "nope", which is in neither file/,
    ],
    [
      'a column of a different kind in the two files',
      () => ['--reference', good, '--current', file('kind.csv', 'a,b\nx1,x\ny2,y\n')],
      /column "a" holds numbers in the reference file but text in the current file/,
    ],
    [
      'an unknown method',
      () => ['--reference', good, '--current', good, '--method', 'magic'],
      /argument 'magic' is invalid/,
    ],
    [
      'a threshold that is not a number',
      () => ['--reference', good, '--current', good, '--threshold', 'high'],
      /expected a number, got "high"/,
    ],
    ['no --reference', () => ['--current', good], /--reference is required/],
    [
      'a column types file that is not JSON',
      () => ['--reference', good, '--current', good, '--column-types', file('types.json', '{a: 1')],
      /--column-types .*types\.json: not valid JSON/,
    ],
    [
      'a column types file with an unknown kind',
      () => [
        '--reference',
        good,
        '--current',
        good,
        '--column-types',
        file('types2.json', '{"a": "decimal"}'),
      ],
      /column "a": unknown kind "decimal"/,
    ],
    [
      'an unknown file type',
      () => ['--reference', file('data.xlsx', 'x'), '--current', good],
      /unknown file type ".xlsx"/,
    ],
    [
      'an output folder that does not exist',
      () => ['--reference', good, '--current', good, '--json', join(dir, 'no', 'r.json')],
      /--json .*: cannot write \(no such folder\)/,
    ],
  ];
  it.each(cases)('%s', async (_name, args, message) => {
    const r = await run(...args());
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('gives a hint with the message', async () => {
    const r = await run('--reference', good, '--current', good, '--target', 'nope');
    expect(r.stderr).toMatch(/hint: columns: a, b/);
  });
});

describe('faultline report: column types file', () => {
  it('overrides a kind and a method per column', async () => {
    const ref = file(
      'ct-ref.csv',
      lines(
        'zip,v',
        seq(40, (i) => [75000 + (i % 4), i]),
      ),
    );
    const cur = file(
      'ct-cur.csv',
      lines(
        'zip,v',
        seq(40, (i) => [75000 + (i % 5), i + 3]),
      ),
    );
    const types = file(
      'ct.json',
      JSON.stringify({ zip: 'categorical', v: { method: 'ks', threshold: 0.01 } }),
    );
    const out = join(dir, 'ct.json.out');
    const r = await run('--reference', ref, '--current', cur, '--column-types', types, '--json', out);
    expect(r.code).toBe(0);
    const rep = JSON.parse(readFileSync(out, 'utf8')) as Report;
    expect(rep.columns.find((c) => c.name === 'zip')).toMatchObject({
      kind: 'categorical',
      kindSource: 'override',
      method: 'chisquare',
    });
    expect(rep.columns.find((c) => c.name === 'v')).toMatchObject({
      method: 'ks',
      threshold: 0.01,
      methodSource: 'column-types',
    });
  });
});

describe('faultline report with saved profiles', () => {
  const flp = join(dir, 'jan.flp');

  it('compares a reference profile with a current data file', async () => {
    const profiled = await runCli(['profile', jan, '-o', flp]);
    expect(profiled.code).toBe(0);
    expect(profiled.stdout).toContain('profiled');
    const json = join(dir, 'from-profile.json');
    const r = await run(
      '--reference-profile',
      flp,
      '--current',
      jun,
      '--target',
      'delayed',
      '--prediction',
      'predicted',
      '--json',
      json,
    );
    expect(r.code).toBe(0);
    const rep = JSON.parse(readFileSync(json, 'utf8')) as Report;
    expect(rep.reference).toMatchObject({ format: 'profile', rows: 12706 });
    expect(rep.current).toMatchObject({ format: 'csv', rows: 12556 });
    expect(rep.columns.find((c) => c.name === 'origin')).toMatchObject({
      tested: true,
      method: 'jensenshannon',
    });
    expect(rep.columns.find((c) => c.name === 'delay')?.detail).toHaveProperty('errorBound');
    expect(rep.performance).toBeNull();
    expect(r.stdout).toContain('model performance needs rows');
  });

  it('compares two profiles', async () => {
    const r = await run('--reference-profile', flp, '--current-profile', flp, '--fail-on-drift');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Dataset: no drift — 0 of \d+ tested/);
  });

  it('refuses a side given twice, or a file that is not a profile', async () => {
    const both = await run('--reference', jan, '--reference-profile', flp, '--current', jun);
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/give --reference or --reference-profile, not both/);
    const bad = await run('--reference-profile', jan, '--current', jun);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/jan\.csv: /);
    expect(bad.stderr).toMatch(/hint: profiles are written by "faultline profile DATA -o FILE\.flp"/);
  });
});
