import { describe, expect, it } from 'vitest';
import { DatasetProfile } from '../../profile/dataset-profile.js';
import { type Rng, seededRng } from '../../rng.js';
import { unitChange } from '../../skew/unit-change.js';
import { assessDataQuality, type DataQualityInput, schemaFacts, unitChanged } from './data-quality.js';

const WINDOW = { startMs: 0, endMs: 3_600_000, kind: 'sliding' as const };
const CTX = { model: 'm', version: 'v1', window: WINDOW };
const cities = ['Oslo', 'Bergen', 'Tromsø', 'Bodø'];

function row(rng: Rng): { amount: number; city: string; age: number } {
  return {
    amount: Math.round(100 + 900 * rng.next() ** 2),
    city: cities[rng.nextInt(4)]!,
    age: 18 + rng.nextInt(60),
  };
}

function input(
  current: Record<string, number | string | boolean | null>[],
  over: Partial<DataQualityInput> = {},
): DataQualityInput {
  const rng = seededRng(1);
  const reference = Array.from({ length: 3000 }, () => row(rng));
  const profile = DatasetProfile.empty({ rng: seededRng(2) }).addRows(reference);
  return {
    features: ['amount', 'city', 'age'],
    kinds: { amount: 'numerical', city: 'categorical', age: 'numerical' },
    declared: true,
    current: DatasetProfile.empty({ rng: seededRng(3) }).addRows(current),
    baseline: profile,
    baselineName: 'reference',
    rows: current.map((features) => ({ features })),
    referenceRows: profile.sample(),
    ...over,
  };
}

const detectors = (
  rows: Record<string, number | string | boolean | null>[],
  over: Partial<DataQualityInput> = {},
) => assessDataQuality(input(rows, over), CTX).findings.map((f) => [f.detector, f.subject.feature ?? null]);

describe('assessDataQuality', () => {
  const rng = seededRng(9);
  const clean = Array.from({ length: 800 }, () => row(rng));

  it('finds nothing in a clean window of the same data', () => {
    expect(detectors(clean)).toEqual([]);
  });

  it('finds a unit change with the quantiles before and after, and leaves the range to it', () => {
    const cents = clean.map((r) => ({ ...r, amount: (r.amount as number) * 100 }));
    const a = assessDataQuality(input(cents), CTX);
    expect(a.findings.map((f) => [f.detector, f.cause, f.subject.feature])).toEqual([
      ['unit_change', 'data_quality', 'amount'],
    ]);
    expect(a.findings[0]!.evidence.summary).toContain('100 × reference');
    expect(a.explains.amount).toMatch(/unit change/);
  });

  it('finds a rise of missing values, a stuck column, unseen categories and schema violations', () => {
    const broken = clean.map((r, i) => ({
      ...r,
      amount: i % 4 === 0 ? null : (r.amount as number | null),
      age: 42,
      city: i % 10 === 0 ? 'Atlantis' : r.city,
      ...(i % 20 === 0 ? { extra: 1 } : {}),
    }));
    expect(detectors(broken)).toEqual([
      ['schema_violations', 'extra'],
      ['missing_values', 'amount'],
      ['unseen_categories', 'city'],
      ['stuck_column', 'age'],
    ]);
  });

  it('finds values outside the reference range when a large share of them is', () => {
    const sentinel = clean.map((r, i) => ({ ...r, amount: i % 3 === 0 ? -999 : r.amount }));
    expect(detectors(sentinel)).toEqual([['out_of_range', 'amount']]);
  });

  it('finds duplicated events against a reference sample of the same size', () => {
    const dup = clean.slice(0, 400).flatMap((r) => [r, r]);
    expect(detectors(dup)).toEqual([['duplicate_rows', null]]);
  });

  it('counts schema violations by field and reason', () => {
    const facts = schemaFacts({
      rows: [
        { features: { amount: 'ten', city: 'Oslo' } },
        { features: { amount: 3, other: true } },
        { features: { amount: 2 } },
      ],
      kinds: { amount: 'numerical', city: 'categorical' },
      declared: true,
    });
    expect(facts).toEqual({
      rowsChecked: 3,
      rowsViolating: 2,
      violations: [
        { field: 'amount', reason: 'expected numerical, got string', count: 1 },
        { field: 'other', reason: 'not in the schema', count: 1 },
      ],
    });
  });
});

describe('unitChanged', () => {
  it('accepts a unit change whose noisy tails the strict test refuses, and never "no change"', () => {
    const rng = seededRng(4);
    const ref = Array.from({ length: 1000 }, () => 100 + 2000 * rng.next() ** 3);
    const cur = Array.from({ length: 200 }, () => 100 * (100 + 2000 * rng.next() ** 3));
    const r = unitChange('x', ref, cur, { tolerance: 0.2 });
    expect(unitChanged(r, 0.2)).toBe(true);
    const same = unitChange(
      'x',
      ref,
      Array.from({ length: 200 }, () => 100 + 2000 * rng.next() ** 3),
      { tolerance: 0.2 },
    );
    expect(unitChanged(same, 0.2)).toBe(false);
  });
});
