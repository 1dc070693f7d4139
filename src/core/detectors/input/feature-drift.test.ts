import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ColumnProfile } from '../../profile/column-profile.js';
import { DatasetProfile } from '../../profile/dataset-profile.js';
import { type Rng, seededRng } from '../../rng.js';
import { correctPValues } from '../../stats/index.js';
import { type ColumnTestResult, compareColumn } from './drift-tests.js';
import {
  assessFeatureDrift,
  driftFigures,
  FEATURE_DRIFT_DEFAULTS,
  featureDriftOutcomes,
  jsNoiseDistance,
} from './feature-drift.js';

const WINDOW = { startMs: 0, endMs: 3_600_000, kind: 'sliding' as const };

function tested(
  feature: string,
  pValue: number,
  effect: number,
  kind: 'numerical' | 'categorical' = 'numerical',
): ColumnTestResult {
  return {
    status: 'tested',
    test: {
      feature,
      kind,
      test: { method: kind === 'numerical' ? 'ks' : 'chisquare', pValue, statistic: 0.1 },
      effect: { method: kind === 'numerical' ? 'psi' : 'jensenshannon', score: effect },
      chosen: { method: 'wasserstein', score: effect, drifted: effect >= 0.1 },
      referenceN: 5000,
      currentN: 1000,
      moved: { kind: 'numbers', before: { p10: 1, p50: 2, p90: 3 }, after: { p10: 2, p50: 3, p90: 4 } },
    },
  };
}

describe('assessFeatureDrift', () => {
  it('needs both a BH-significant test and an effect at the floor', () => {
    const a = assessFeatureDrift([
      tested('both', 1e-9, 0.4),
      tested('significant_only', 1e-9, 0.02),
      tested('large_only', 0.3, 0.5),
      tested('cat', 1e-6, 0.15, 'categorical'),
    ]);
    expect(a.tested.map((t) => [t.feature, t.significant, t.material, t.drifted])).toEqual([
      ['both', true, true, true],
      ['significant_only', true, false, false],
      ['large_only', false, true, false],
      ['cat', true, true, true],
    ]);
    expect(a.drifted).toEqual(['both', 'cat']);
    expect(a.driftShare).toBe(0.5);
    expect(a.datasetDrift).toBe(true);
  });

  it('holds its invariants for any p-values and effects (property)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 2, noNaN: true })),
          {
            minLength: 1,
            maxLength: 30,
          },
        ),
        (cases) => {
          const a = assessFeatureDrift(cases.map(([p, e], i) => tested(`f${i}`, p, e)));
          const bh = correctPValues(
            cases.map(([p]) => p),
            'bh',
            FEATURE_DRIFT_DEFAULTS.alpha,
          );
          a.tested.forEach((t, i) => {
            expect(t.significant).toBe(bh.rejected[i]);
            expect(t.drifted).toBe(t.significant && t.effect.score >= FEATURE_DRIFT_DEFAULTS.psiFloor);
          });
          expect(a.driftShare).toBe(a.drifted.length / cases.length);
          expect(a.datasetDrift).toBe(a.drifted.length > 0 && a.driftShare! >= 0.5);
          // Reordering the features changes no decision.
          const r = assessFeatureDrift(
            [...cases].reverse().map(([p, e], i) => tested(`f${cases.length - 1 - i}`, p, e)),
          );
          expect([...r.drifted].sort()).toEqual([...a.drifted].sort());
        },
      ),
    );
  });
});

/** A categorical column's profile from its values. */
function categories(values: readonly string[]): ColumnProfile {
  const p = DatasetProfile.empty({ rng: seededRng(1), columns: { airport: { kind: 'categorical' } } });
  for (const v of values) p.addRow({ airport: v });
  return p.column('airport')!;
}

/** `n` draws from the categories `c0 … c(K−1)` with the given weights. */
function draw(weights: readonly number[], n: number, rng: Rng): string[] {
  const total = weights.reduce((a, b) => a + b, 0);
  return Array.from({ length: n }, () => {
    let u = rng.next() * total;
    let k = 0;
    while (k < weights.length - 1 && (u -= weights[k]!) > 0) k++;
    return `c${k}`;
  });
}

describe('the JS floor under sampling noise', () => {
  it('is the χ² quantile of the second-order expansion, and the methods.md 0.1 once samples are large', () => {
    // One degree of freedom: χ²(1) at 0.99 is 6.634897; 100 rows a side.
    expect(jsNoiseDistance(2, 100, 100, 0.99)).toBeCloseTo(Math.sqrt((6.634897 * 0.02) / (8 * Math.LN2)), 5);
    expect(jsNoiseDistance(1, 100, 100, 0.99)).toBe(0);
    expect(() => jsNoiseDistance(5, 100, 100, 1)).toThrow('jsNoiseLevel: must be in (0, 1), got 1');
    // It falls as the samples grow, and with more rows than noise can fill, the floor is the fixed one.
    const rng = seededRng(3);
    const big = assessFeatureDrift([
      compareColumn(
        categories(draw(Array(25).fill(1), 5000, rng)),
        categories(draw(Array(25).fill(1), 5000, rng)),
        {
          kind: 'categorical',
        },
      ),
    ]);
    expect(big.tested[0]!.floor).toBe(FEATURE_DRIFT_DEFAULTS.jsFloor);
    expect(jsNoiseDistance(25, 350, 350, 0.99)).toBeGreaterThan(jsNoiseDistance(25, 3500, 350, 0.99));
  });

  it('same-distribution samples of 25 categories at 350 rows a side rarely reach it (property)', () => {
    // Any distribution over 25 categories (each at least 1 % of the whole, so none is pooled away) and any seed.
    const cases = fc.sample(
      fc.record({
        weights: fc.array(fc.double({ min: 1, max: 8, noNaN: true }), { minLength: 25, maxLength: 25 }),
        seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
      }),
      { seed: 42, numRuns: 300 },
    );
    let material = 0;
    let fixedFloor = 0;
    for (const c of cases) {
      const rng = seededRng(c.seed);
      const r = compareColumn(categories(draw(c.weights, 350, rng)), categories(draw(c.weights, 350, rng)), {
        kind: 'categorical',
      });
      const t = assessFeatureDrift([r]).tested[0]!;
      if (t.material) material++;
      if (t.effect.score >= FEATURE_DRIFT_DEFAULTS.jsFloor) fixedFloor++;
    }
    expect(material / cases.length).toBeLessThan(0.05);
    // The fixed floor alone would call nearly every one of them a material change.
    expect(fixedFloor / cases.length).toBeGreaterThan(0.9);
  });

  it('still finds a real shift at that size: one airport from 4 % to 20 % of departures', () => {
    const rng = seededRng(9);
    const even = Array(25).fill(1);
    const shifted = [6, ...Array(24).fill(1)];
    const a = assessFeatureDrift([
      compareColumn(categories(draw(even, 350, rng)), categories(draw(shifted, 350, rng)), {
        kind: 'categorical',
      }),
    ]);
    const t = a.tested[0]!;
    expect(t.floor).toBeGreaterThan(0.15);
    expect(t.drifted).toBe(true);
    const [finding] = featureDriftOutcomes(a, {
      model: 'm',
      window: WINDOW,
      baseline: 'reference',
      detector: 'feature_drift',
    });
    expect(finding).toMatchObject({ kind: 'finding' });
    expect(finding!.kind === 'finding' && finding!.finding.evidence.summary).toContain(
      'raised from 0.1 for the noise of 25 categories at 350 and 350 rows',
    );
  });
});

describe('featureDriftOutcomes', () => {
  it('names the feature, the numbers and the baseline, and leaves explained features out', () => {
    const a = assessFeatureDrift([
      tested('distance', 1e-12, 0.9),
      tested('hour', 1e-10, 0.5),
      tested('origin', 0.5, 0.01),
    ]);
    const out = featureDriftOutcomes(a, {
      model: 'm',
      version: 'v1',
      window: WINDOW,
      baseline: 'reference',
      detector: 'feature_drift',
      explained: { hour: 'a unit change' },
    });
    const findings = out.flatMap((o) => (o.kind === 'finding' ? [o.finding] : []));
    expect(findings.map((f) => [f.detector, f.cause, f.subject.feature ?? null, f.severity])).toEqual([
      ['feature_drift', 'covariate_shift', 'distance', 'critical'],
      ['dataset_drift', 'covariate_shift', null, 'critical'],
    ]);
    expect(findings[0]!.evidence.summary).toMatch(/^`distance` drifted against the reference of v1: PSI 0.9/);
    expect(findings[0]!.evidence.summary).toContain('median 2 → 3');
    expect(findings[0]!.evidence.detail?.window).toBe('sliding');
    expect(driftFigures(a).map((f) => [f.feature, f.drifted])).toEqual([
      ['distance', true],
      ['hour', true],
      ['origin', false],
    ]);
  });

  it('reports skew under its own cause and is clear on a quiet window', () => {
    const skew = featureDriftOutcomes(assessFeatureDrift([tested('hour', 1e-12, 0.6)]), {
      model: 'm',
      window: { ...WINDOW, kind: 'cumulative' },
      baseline: 'reference',
      detector: 'distribution_skew',
    });
    expect(skew).toHaveLength(1);
    expect(skew[0]).toMatchObject({
      kind: 'finding',
      finding: { cause: 'train_serving_skew', subject: { feature: 'hour' } },
    });
    const quiet = featureDriftOutcomes(assessFeatureDrift([tested('x', 0.4, 0.01)]), {
      model: 'm',
      window: WINDOW,
      baseline: 'previous_window',
      detector: 'feature_drift',
    });
    expect(quiet.map((o) => o.kind)).toEqual(['clear', 'clear']);
    expect(
      featureDriftOutcomes(assessFeatureDrift([]), {
        model: 'm',
        window: WINDOW,
        baseline: 'reference',
        detector: 'feature_drift',
      })[0],
    ).toMatchObject({
      kind: 'insufficient_data',
    });
  });
});
