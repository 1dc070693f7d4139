/**
 * Profiles: throughput of building them (numbers per second on one core), merge and codec times,
 * serialised size per column, and the gap between profile-based and row-based drift on the real data in
 * `data/profiles` (the figures quoted in docs/profiles.md).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { ColumnProfile } from '../src/core/profile/column-profile.js';
import { DatasetProfile } from '../src/core/profile/dataset-profile.js';
import { decodeProfile, encodedColumnSizes, encodeProfile } from '../src/core/profile/profile-codec.js';
import { profileDrift } from '../src/core/profile/profile-drift.js';
import { resolveSettings } from '../src/core/profile/settings.js';
import { seededRng } from '../src/core/rng.js';
import { KllSketch } from '../src/core/sketch/kll.js';
import { categoricalDrift, ks2samp, numericalDrift } from '../src/core/stats/index.js';
import { figure, time } from './util.js';

const rng = seededRng(2024);

/** Best of `reps` timings (ms): the machine is shared, so the fastest run is the least disturbed one. */
function best(reps: number, fn: () => unknown): number {
  let min = Number.POSITIVE_INFINITY;
  for (let i = 0; i < reps; i++) min = Math.min(min, time(fn).ms);
  return min;
}
const dataDir = join(import.meta.dirname, '..', 'data', 'profiles');

function throughput(): void {
  process.stdout.write(' building (one core)\n');
  const n = 5_000_000;
  const doubles = Float64Array.from({ length: n }, () => rng.next() * 1000 - 500);
  const ints = Float64Array.from({ length: n }, () => rng.nextInt(100_000));
  // Warm up the JIT on a small batch first.
  ColumnProfile.empty('w', resolveSettings(), {}, rng).addNumbers(doubles.subarray(0, 200_000));
  const kll = best(3, () => KllSketch.empty({ rng }).addNumbers(doubles));
  figure('KLL alone, k = 200 (values/s)', n / (kll / 1000), 'values/s');
  for (const [label, xs] of [
    ['column profile, random doubles (values/s)', doubles],
    ['column profile, integers 0..1e5 (values/s)', ints],
  ] as const) {
    const t = best(3, () => ColumnProfile.empty('x', resolveSettings(), {}, rng).addNumbers(xs));
    figure(label, n / (t / 1000), 'values/s');
  }
  const rows = 1_000_000;
  const cols: Record<string, Float64Array> = {};
  for (let j = 0; j < 5; j++) cols[`x${j}`] = Float64Array.from({ length: rows }, () => rng.next() * (j + 1));
  const t = best(3, () => DatasetProfile.empty({ rng }).addColumns({ rows, columns: cols }));
  figure('dataset profile, 5 numeric columns + row sample (values/s)', (5 * rows) / (t / 1000), 'values/s');
  const dictionary = Array.from({ length: 5000 }, (_, i) => `category-${i}`);
  const texts = Array.from({ length: rows }, () => dictionary[Math.floor(rng.next() ** 2 * 5000)]!);
  const perValue = best(3, () => {
    const c = ColumnProfile.empty('c', resolveSettings(), {}, rng);
    for (const s of texts) c.addText(s);
  });
  figure('categorical, one text at a time (values/s)', rows / (perValue / 1000), 'values/s');
  const counts = new Map<string, number>();
  for (const s of texts) counts.set(s, (counts.get(s) ?? 0) + 1);
  const dict = best(3, () => {
    const c = ColumnProfile.empty('c', resolveSettings(), {}, rng);
    for (const [s, w] of counts) c.addText(s, w);
  });
  figure('categorical, from a reader dictionary (rows/s)', rows / (dict / 1000), 'rows/s');
}

function numericProfile(n: number, make: () => number): DatasetProfile {
  return DatasetProfile.empty({ rng, settings: { sampleRows: 0 } }).addColumns({
    rows: n,
    columns: { x: Float64Array.from({ length: n }, make) },
  });
}

function categoricalProfile(n: number, make: () => string): DatasetProfile {
  return DatasetProfile.empty({ rng, settings: { sampleRows: 0 } }).addColumns({
    rows: n,
    columns: { x: Array.from({ length: n }, make) },
  });
}

function sizes(): void {
  process.stdout.write(' serialised size per column (default precision)\n');
  const cases: [string, DatasetProfile][] = [
    ['numeric, 1e6 random doubles', numericProfile(1_000_000, () => rng.next() * 1000 - 500)],
    [
      'numeric, 1e6 doubles with 2 decimals',
      numericProfile(1_000_000, () => Math.round(rng.next() * 1e5) / 100),
    ],
    ['numeric, 1e6 integers 0..1e5', numericProfile(1_000_000, () => rng.nextInt(100_000))],
    ['numeric, 1e6 values of 12 distinct integers', numericProfile(1_000_000, () => rng.nextInt(12))],
    ['categorical, 1e5 rows of 20 categories', categoricalProfile(100_000, () => `c${rng.nextInt(20)}`)],
    [
      'categorical, 1e5 rows of 500 categories',
      categoricalProfile(100_000, () => `city-${rng.nextInt(500)}`),
    ],
    [
      'categorical, 1e6 rows of 50k categories (Zipf-like)',
      categoricalProfile(1_000_000, () => `id-${Math.floor(rng.next() ** 3 * 50_000)}`),
    ],
  ];
  for (const [label, p] of cases) figure(label, encodedColumnSizes(p).get('x')!, 'bytes', 0);
}

function mergeAndCodec(): void {
  process.stdout.write(' merge and codec\n');
  const rows = 200_000;
  const make = () => {
    const columns: Record<string, Float64Array | string[]> = {};
    for (let j = 0; j < 10; j++)
      columns[`n${j}`] = Float64Array.from({ length: rows }, () => rng.next() * (j + 1));
    for (let j = 0; j < 5; j++)
      columns[`c${j}`] = Array.from({ length: rows }, () => `v${rng.nextInt(50 * (j + 1))}`);
    return DatasetProfile.empty({ rng }).addColumns({ rows, columns });
  };
  const a = make();
  const b = make();
  for (let i = 0; i < 3; i++) a.clone().merge(b);
  const copies = Array.from({ length: 10 }, () => a.clone());
  const m = best(5, () => a.clone().merge(b)) - best(5, () => a.clone());
  figure('merge two profiles of 15 columns + 1024-row samples', m, 'ms');
  const many = best(3, () => copies.reduce((acc, p) => acc.merge(p), a.clone()));
  figure('merge 10 such profiles into one (per merge)', many / 10, 'ms');
  const bytes = encodeProfile(a);
  figure('size of that profile (15 columns, sample included)', bytes.length / 1024, 'KB');
  figure(
    'encode',
    best(5, () => encodeProfile(a)),
    'ms',
  );
  figure(
    'decode (with checksum and validation)',
    best(5, () => decodeProfile(bytes)),
    'ms',
  );
}

function records(file: string): Record<string, string>[] {
  return parse(readFileSync(join(dataDir, file), 'utf8'), { columns: true }) as Record<string, string>[];
}

function accuracy(): void {
  process.stdout.write(' profile-based vs row-based drift (real data, k = 200)\n');
  const flights = records('flights-2001h1-1pct.csv');
  const weather = records('weather.csv');
  const comparisons: [string, Record<string, string>[], Record<string, string>[], string[], string][] = [];
  const month = (m: string) => flights.filter((r) => r.date!.startsWith(`2001-${m}`));
  for (const m of ['02', '03', '05', '06'])
    comparisons.push([`flights Jan vs ${m}`, month('01'), month(m), ['delay', 'distance'], 'origin']);
  const year = (y: string) => weather.filter((r) => r.date!.startsWith(y));
  for (const y of ['2013', '2015'])
    comparisons.push([
      `weather 2012 vs ${y}`,
      year('2012'),
      year(y),
      ['precipitation', 'temp_max', 'wind'],
      'weather',
    ]);
  const header = `  ${'comparison / column'.padEnd(32)} ${'D rows'.padStart(8)} ${'D prof'.padStart(8)} ${'bound'.padStart(7)} ${'W rows'.padStart(8)} ${'W prof'.padStart(8)} ${'bound'.padStart(7)} ${'PSI rows'.padStart(9)} ${'PSI prof'.padStart(9)}\n`;
  process.stdout.write(header);
  const f = (x: number, d = 4) => x.toFixed(d).padStart(8);
  for (const [label, ra, rb, numeric, cat] of comparisons) {
    const rowsOf = (rs: Record<string, string>[]) =>
      rs.map((r) => ({ ...Object.fromEntries(numeric.map((c) => [c, Number(r[c])])), [cat]: r[cat]! }));
    const pa = DatasetProfile.empty({ rng: seededRng(1), settings: { sampleRows: 0 } }).addRows(rowsOf(ra));
    const pb = DatasetProfile.empty({ rng: seededRng(2), settings: { sampleRows: 0 } }).addRows(rowsOf(rb));
    const drift = profileDrift(pa, pb);
    for (const col of numeric) {
      const R = Float64Array.from(ra, (r) => Number(r[col]));
      const C = Float64Array.from(rb, (r) => Number(r[col]));
      const measures = drift.columns.find((c) => c.column === col)!.measures;
      const ks = measures.find((m) => m.method === 'ks')!;
      const w = measures.find((m) => m.method === 'wasserstein')!;
      const psi = measures.find((m) => m.method === 'psi')!;
      const exactD = ks2samp(R, C).statistic;
      const exactW = numericalDrift(R.slice(), C.slice(), 'wasserstein').score;
      const exactPsi = numericalDrift(R.slice(), C.slice(), 'psi', { binning: 'reference-quantiles' }).score;
      process.stdout.write(
        `  ${`${label} / ${col}`.padEnd(32)} ${f(exactD)} ${f(ks.detail!.statistic as number)} ${ks.errorBound!.toFixed(4).padStart(7)} ${f(exactW)} ${f(w.score)} ${w.errorBound!.toFixed(3).padStart(7)} ${f(exactPsi).padStart(9)} ${f(psi.score).padStart(9)}\n`,
      );
    }
    const counts = (rs: Record<string, string>[]) => {
      const m = new Map<string, number>();
      for (const r of rs) m.set(r[cat]!, (m.get(r[cat]!) ?? 0) + 1);
      return m;
    };
    const js = drift.columns
      .find((c) => c.column === cat)!
      .measures.find((m) => m.method === 'jensenshannon')!;
    const exactJs = categoricalDrift(counts(ra), counts(rb), 'jensenshannon').score;
    process.stdout.write(
      `  ${`${label} / ${cat} (JS)`.padEnd(32)} ${f(exactJs)} ${f(js.score)} ${(js.errorBound ?? 0).toFixed(4).padStart(7)}\n`,
    );
  }
}

export async function run(): Promise<void> {
  throughput();
  sizes();
  mergeAndCodec();
  accuracy();
}
