import { describe, expect, it } from 'vitest';
import type { ClassificationMetrics } from '../metrics/classification.js';
import { seededRng } from '../rng.js';
import { DataError } from '../schema/data-error.js';
import { type CellValue, tableFromColumns } from '../schema/from-values.js';
import { buildReport } from './build-report.js';
import type { ColumnReport } from './types.js';

const rng = seededRng(7);
const normal = () => {
  // Box–Muller from the seeded generator.
  const u = 1 - rng.next();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.next());
};
const gen = (n: number, f: (i: number) => CellValue) => Array.from({ length: n }, (_, i) => f(i));

const N = 2000;
const reference = tableFromColumns(
  {
    stable: gen(N, () => normal()),
    shifted: gen(N, () => normal()),
    color: gen(N, (i) => ['red', 'green', 'blue'][i % 3]),
    label: gen(N, (i) => (i % 4 === 0 ? 1 : 0)),
    guess: gen(N, (i) => (i % 4 === 0 || i % 10 === 1 ? 1 : 0)),
    score: gen(N, (i) => (i % 4 === 0 ? 0.7 : 0.3) + (i % 7) * 0.01),
    when: gen(N, (i) => new Date(Date.UTC(2024, 0, 1) + i * 60_000)),
  },
  { path: 'ref.csv' },
);
const current = tableFromColumns(
  {
    stable: gen(N, () => normal()),
    shifted: gen(N, () => normal() + 1),
    color: gen(N, (i) => ['red', 'green', 'blue', 'blue'][i % 4]),
    label: gen(N, (i) => (i % 3 === 0 ? 1 : 0)),
    guess: gen(N, (i) => (i % 4 === 0 ? 1 : 0)),
    score: gen(N, (i) => (i % 4 === 0 ? 0.7 : 0.3) + (i % 5) * 0.01),
    when: gen(N, (i) => new Date(Date.UTC(2024, 5, 1) + i * 60_000)),
  },
  { path: 'cur.csv' },
);

function finiteEverywhere(value: unknown, path = '$'): string[] {
  if (typeof value === 'number') return Number.isFinite(value) ? [] : [path];
  if (Array.isArray(value)) return value.flatMap((v, i) => finiteEverywhere(v, `${path}[${i}]`));
  if (value && typeof value === 'object')
    return Object.entries(value).flatMap(([k, v]) => finiteEverywhere(v, `${path}.${k}`));
  return [];
}

describe('buildReport', () => {
  const report = buildReport(reference, current, {
    target: 'label',
    prediction: 'guess',
    proba: ['score'],
    timestamp: 'when',
  });
  const col = (name: string) => report.columns.find((c) => c.name === name) as ColumnReport;

  it('gives every column the fields the JSON promises, and a dataset verdict', () => {
    for (const c of report.columns) {
      for (const key of ['name', 'kind', 'method', 'score', 'pValue', 'threshold', 'drifted'] as const) {
        expect(c).toHaveProperty(key);
      }
    }
    expect(report.dataset).toMatchObject({ drifted: expect.any(Boolean), driftShare: expect.any(Number) });
    expect(finiteEverywhere(JSON.parse(JSON.stringify(report)))).toEqual([]);
    expect(finiteEverywhere(report)).toEqual([]);
  });

  it('finds the shifted column and spares the stable one (automatic methods, n > 1000)', () => {
    expect(col('shifted')).toMatchObject({
      kind: 'numerical',
      method: 'wasserstein',
      drifted: true,
      pValue: null,
    });
    expect(col('stable')).toMatchObject({ method: 'wasserstein', drifted: false });
    expect(col('color')).toMatchObject({ kind: 'categorical', method: 'jensenshannon' });
    // Blue goes from 1/3 to 1/2: JS distance ≈ 0.12 ≥ 0.1.
    expect(col('color').drifted).toBe(true);
  });

  it('reports target and prediction apart, outside the dataset share', () => {
    expect(report.targetDrift?.name).toBe('label');
    expect(report.predictionDrift.map((c) => [c.name, c.role])).toEqual([
      ['guess', 'prediction'],
      ['score', 'proba'],
    ]);
    // Features tested: stable, shifted, color → 2 of 3 drifted.
    expect(report.dataset).toEqual({
      drifted: true,
      driftShare: 2 / 3,
      driftedColumns: 2,
      testedColumns: 3,
      driftShareThreshold: 0.5,
    });
    expect(col('when')).toMatchObject({
      role: 'timestamp',
      tested: false,
      method: null,
      score: null,
      drifted: false,
    });
  });

  it('computes classification metrics on both files side by side', () => {
    const p = report.performance!;
    expect(p.task).toBe('classification');
    // Reference: label 1 on i%4==0 (500 rows); guess adds i%10==1 rows that are not i%4==0 (200 rows).
    expect(p.reference).toMatchObject({ rows: N, accuracy: 0.9, precision: 500 / 700, recall: 1 });
    expect(p.current).toMatchObject({ rows: N });
    expect(p.reference && 'rocAuc' in p.reference ? p.reference.rocAuc : null).toBe(1);
  });

  it('applies --method where it fits and notes where it does not', () => {
    const r = buildReport(reference, current, { method: 'ks' });
    expect(r.columns.find((c) => c.name === 'shifted')).toMatchObject({
      method: 'ks',
      methodSource: 'option',
      statisticKind: 'p_value',
    });
    expect(r.columns.find((c) => c.name === 'color')?.method).toBe('jensenshannon');
    expect(r.notes.join('\n')).toMatch(/--method ks does not apply to categorical columns \(color\)/);
  });

  it('applies --threshold and per-column settings', () => {
    const r = buildReport(reference, current, {
      threshold: 5,
      columnSettings: new Map([['color', { method: 'chisquare' as const, threshold: 0.01 }]]),
    });
    expect(r.columns.find((c) => c.name === 'shifted')).toMatchObject({ threshold: 5, drifted: false });
    expect(r.columns.find((c) => c.name === 'color')).toMatchObject({
      method: 'chisquare',
      threshold: 0.01,
      methodSource: 'column-types',
    });
  });

  it('refuses unknown columns, double roles and methods that do not fit', () => {
    expect(() => buildReport(reference, current, { target: 'nope' })).toThrow(DataError);
    expect(() => buildReport(reference, current, { target: 'nope' })).toThrow(
      '--target names column "nope", which is in neither file',
    );
    expect(() => buildReport(reference, current, { target: 'label', prediction: 'label' })).toThrow(
      /given two roles/,
    );
    expect(() =>
      buildReport(reference, current, { columnSettings: new Map([['color', { method: 'ks' as const }]]) }),
    ).toThrow('the column types file sets method "ks" for column "color", which is categorical');
    expect(() =>
      buildReport(reference, current, { columnSettings: new Map([['zzz', { kind: 'numerical' as const }]]) }),
    ).toThrow(/names column "zzz"/);
    expect(() =>
      buildReport(reference, current, { target: 'label', prediction: 'guess', positiveLabel: 'maybe' }),
    ).toThrow(/--positive-label "maybe" is not a label/);
  });

  it('computes regression metrics for a numeric target with many values', () => {
    const r = buildReport(reference, current, { target: 'stable', prediction: 'shifted' });
    expect(r.performance?.task).toBe('regression');
    expect(r.performance?.current).toMatchObject({
      rows: N,
      mae: expect.any(Number),
      r2: expect.any(Number),
    });
  });

  it('skips columns present in one file only and says so', () => {
    const cur2 = tableFromColumns({ stable: gen(10, () => 1), extra: gen(10, () => 'x') });
    const ref2 = tableFromColumns({ stable: gen(10, () => 1), gone: gen(10, () => 2) });
    const r = buildReport(ref2, cur2);
    expect(r.columns.map((c) => [c.name, c.presentIn, c.skipped])).toEqual([
      ['stable', 'both', null],
      ['gone', 'reference', 'only in the reference file'],
      ['extra', 'current', 'only in the current file'],
    ]);
  });
});

describe('buildReport with multiclass probabilities', () => {
  it('matches probability columns to labels by name suffix', () => {
    const y = ['cat', 'dog', 'bird', 'cat'];
    const t = tableFromColumns({
      y,
      yhat: ['cat', 'dog', 'cat', 'cat'],
      p_dog: [0.1, 0.8, 0.1, 0.2],
      p_bird: [0.1, 0.1, 0.3, 0.1],
      p_cat: [0.8, 0.1, 0.6, 0.7],
    });
    const r = buildReport(t, t, { target: 'y', prediction: 'yhat', proba: ['p_dog', 'p_bird', 'p_cat'] });
    const m = r.performance!.current as ClassificationMetrics;
    expect(m.labels).toEqual(['bird', 'cat', 'dog']);
    // Each class's true rows score highest for that class: one-vs-rest AUC 1 for all three.
    expect(m.rocAuc).toBe(1);
    expect(m.logLoss).toBeCloseTo(-(Math.log(0.8) + Math.log(0.8) + Math.log(0.3) + Math.log(0.7)) / 4, 12);
    expect(r.notes).toEqual(['no feature column could be tested for drift']);
  });
});
