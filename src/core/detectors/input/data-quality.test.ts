import { describe, expect, it } from 'vitest';
import { DatasetProfile } from '../../profile/dataset-profile.js';
import { type Rng, seededRng } from '../../rng.js';
import { unitChange } from '../../skew/unit-change.js';
import {
  assessDataQuality,
  DATA_QUALITY_DEFAULTS,
  type DataQualityInput,
  schemaFacts,
  unitChanged,
  unitChangeOf,
} from './data-quality.js';

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

/** Daily rain (mm): dry on 70 % of days, a heavy-tailed amount on the others (lognormal, median 2.7 mm). */
function rain(rng: Rng): number {
  if (rng.next() < 0.7) return 0;
  const z = Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next());
  return Math.round(Math.exp(1 + 1.2 * z) * 10) / 10;
}

describe('unit change on a zero-inflated column', () => {
  const reference = (() => {
    const rng = seededRng(21);
    return Array.from({ length: 3000 }, () => ({ rain: rain(rng) }));
  })();
  const profile = DatasetProfile.empty({ rng: seededRng(22) }).addRows(reference);
  const rainInput = (current: { rain: number }[]): DataQualityInput => ({
    features: ['rain'],
    kinds: { rain: 'numerical' },
    declared: true,
    current: DatasetProfile.empty({ rng: seededRng(23) }).addRows(current),
    baseline: profile,
    baselineName: 'reference',
    rows: current.map((features) => ({ features })),
    referenceRows: profile.sample(),
  });
  const windows = Array.from({ length: 60 }, (_, i) => {
    const rng = seededRng(100 + i);
    return Array.from({ length: 350 }, () => ({ rain: rain(rng) }));
  });

  it('does not fire on windows of the same distribution, where the quantile fit alone often would', () => {
    const fired = windows.filter((w) =>
      assessDataQuality(rainInput(w), CTX).findings.some((f) => f.detector === 'unit_change'),
    );
    expect(fired).toEqual([]);
    // The quantiles of a column that is mostly 0 fit a scale factor on a few noisy upper values: without the
    // separate judgement, several of these same-distribution windows look like miles turned into kilometres.
    const before = profile.sample().map((r) => r.rain as number);
    const quantileOnly = windows.filter((w) => {
      const r = unitChange(
        'rain',
        before,
        w.map((x) => x.rain),
        { tolerance: DATA_QUALITY_DEFAULTS.unitTolerance },
      );
      return unitChanged(r, DATA_QUALITY_DEFAULTS.unitTolerance);
    });
    expect(quantileOnly.length).toBeGreaterThanOrEqual(2);
  });

  it('finds a true change to a unit a thousand times smaller, on the non-zero values', () => {
    const micro = windows[0]!.map((r) => ({ rain: r.rain * 1000 }));
    const a = assessDataQuality(rainInput(micro), CTX);
    expect(a.findings.map((f) => [f.detector, f.subject.feature])).toEqual([['unit_change', 'rain']]);
    const f = a.findings[0]!;
    expect(f.evidence.summary).toMatch(
      /^`rain` changed unit or scale on its non-zero values: .*current = 1000 × reference/,
    );
    expect(f.evidence.summary).toContain('zeros 70');
    expect(f.evidence.detail).toMatchObject({ relation: { slope: 1000, intercept: 0 } });
    expect(a.explains.rain).toMatch(/unit change/);
  });

  it('refuses a scale relation when the share of zeros moved, and needs enough non-zero values', () => {
    const before = reference.map((r) => r.rain);
    const rng = seededRng(5);
    // Fewer dry days and the wet ones ×1000: a scale change would have kept the zeros.
    const wetter = Array.from({ length: 400 }, () =>
      rng.next() < 0.4 ? 0 : 1000 * Math.max(rain(rng), 0.1),
    );
    expect(unitChangeOf('rain', before, wetter, DATA_QUALITY_DEFAULTS, 0.001)).toBeNull();
    const dry = Array.from({ length: 400 }, (_, i) => (i < 385 ? 0 : 1000 * (1 + i)));
    expect(unitChangeOf('rain', before, dry, DATA_QUALITY_DEFAULTS, 0.001)).toBeNull();
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
