import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { correctPValues } from '../../stats/index.js';
import type { ColumnTestResult } from './drift-tests.js';
import {
  assessFeatureDrift,
  driftFigures,
  FEATURE_DRIFT_DEFAULTS,
  featureDriftOutcomes,
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
