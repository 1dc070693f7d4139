import { describe, expect, it } from 'vitest';
import { simulateRecommender } from '../../feedback/simulate.js';
import { seededRng } from '../../rng.js';
import { conceptDriftOutcome } from './concept-drift.js';
import { feedbackLoopOutcome, type RecommenderWindow } from './feedback-loop.js';
import { generalisationOutcome, normaliseValidationMetrics } from './hyperparameters.js';
import { type LabelledPrediction, realisedPerformance, slicePerformance } from './realised.js';
import { sliceOutcomes } from './slices.js';

const WINDOW = { startMs: 0, endMs: 3_600_000, kind: 'sliding' as const };
const iv = (estimate: number, half: number, n = 400) => ({
  estimate,
  lower: estimate - half,
  upper: estimate + half,
  n,
});

describe('conceptDriftOutcome', () => {
  const base = {
    metric: 'accuracy',
    higherIsBetter: true,
    reference: iv(0.8, 0.02, 2000),
    referenceSource: 'reference' as const,
    inputs: { featuresTested: 4, driftedFeatures: [], datasetDrift: false },
  };
  it('calls a significant fall with steady inputs concept drift', () => {
    const { outcome } = conceptDriftOutcome(
      { ...base, current: iv(0.6, 0.05) },
      { model: 'm', version: 'v1', window: WINDOW },
    );
    expect(outcome).toMatchObject({
      kind: 'finding',
      finding: { cause: 'concept_drift', subject: { version: 'v1' } },
    });
  });
  it('stays clear when inputs or labels explain the fall, or nothing fell', () => {
    const drifted = { featuresTested: 4, driftedFeatures: ['(labels)'], datasetDrift: false };
    expect(
      conceptDriftOutcome(
        { ...base, current: iv(0.6, 0.05), inputs: drifted },
        { model: 'm', window: WINDOW },
      ).outcome.kind,
    ).toBe('clear');
    expect(
      conceptDriftOutcome({ ...base, current: iv(0.79, 0.04) }, { model: 'm', window: WINDOW }).outcome.kind,
    ).toBe('clear');
    expect(
      conceptDriftOutcome({ ...base, current: iv(0.5, 0.1, 50) }, { model: 'm', window: WINDOW }).outcome
        .kind,
    ).toBe('insufficient_data');
    expect(
      conceptDriftOutcome({ ...base, reference: null, current: iv(0.5, 0.1) }, { model: 'm', window: WINDOW })
        .outcome.kind,
    ).toBe('not_applicable');
  });
});

function rows(accuracy: number, n: number): LabelledPrediction[] {
  return Array.from({ length: n }, (_, i) => ({
    output: { class: i % 2 },
    label: i < accuracy * n ? i % 2 : 1 - (i % 2),
  }));
}

describe('generalisationOutcome', () => {
  it('recognises validation metric names', () => {
    expect(
      normaliseValidationMetrics({ val_accuracy: 0.9, AUC: 0.8, 'F1-score': 0.7, loss: 0.3, test_RMSE: 4 }),
    ).toEqual({
      accuracy: 0.9,
      roc_auc: 0.8,
      f1: 0.7,
      rmse: 4,
    });
  });
  const ctx = { model: 'm', version: 'v1', window: { ...WINDOW, kind: 'cumulative' as const } };
  it('finds a gap from the first windows on, with no drift or skew', () => {
    const production = realisedPerformance(rows(0.7, 500), seededRng(1));
    const out = generalisationOutcome(
      { validation: { accuracy: 0.95 }, production, windowIndex: 0, drifted: [], skewed: [] },
      ctx,
    );
    expect(out).toMatchObject({
      kind: 'finding',
      finding: { cause: 'poor_hyperparameters', window: { kind: 'cumulative' } },
    });
    expect(
      generalisationOutcome(
        { validation: { accuracy: 0.72 }, production, windowIndex: 0, drifted: [], skewed: [] },
        ctx,
      ).kind,
    ).toBe('clear');
    expect(
      generalisationOutcome(
        { validation: { accuracy: 0.95 }, production, windowIndex: 0, drifted: ['x'], skewed: [] },
        ctx,
      ).kind,
    ).toBe('clear');
    expect(
      generalisationOutcome(
        { validation: { accuracy: 0.95 }, production, windowIndex: 5, drifted: [], skewed: [] },
        ctx,
      ).kind,
    ).toBe('not_applicable');
  });
});

describe('sliceOutcomes', () => {
  it('reports a slice that fell far below its own reference while the model held up', () => {
    const mk = (oslo: number, bergen: number) => [
      ...rows(oslo, 100).map((r) => ({ ...r, features: { city: 'Oslo' } })),
      ...rows(bergen, 900).map((r) => ({ ...r, features: { city: 'Bergen' } })),
    ];
    const spec = [{ feature: 'city', maxValues: 5 }];
    const ref = mk(0.8, 0.8);
    const cur = mk(0.4, 0.8);
    const refSlices = slicePerformance(ref, spec, seededRng(1));
    const overallRef = realisedPerformance(ref, seededRng(1))!.metrics.accuracy!;
    const out = sliceOutcomes(
      slicePerformance(cur, spec, seededRng(2)),
      refSlices,
      { current: realisedPerformance(cur, seededRng(2)), reference: overallRef },
      { model: 'm', window: WINDOW },
    );
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({
      kind: 'finding',
      finding: { cause: 'edge_cases', subject: { slice: 'city=Oslo' } },
    });
    const same = sliceOutcomes(
      refSlices,
      refSlices,
      { current: realisedPerformance(ref, seededRng(1)), reference: overallRef },
      { model: 'm', window: WINDOW },
    );
    expect(same.map((o) => o.kind)).toEqual(['clear']);
  });
});

function windowsOf(policy: 'greedy' | 'epsilon_greedy'): {
  windows: RecommenderWindow[];
  popularity: Record<string, number>;
} {
  const sim = simulateRecommender(seededRng(11), { policy });
  return {
    popularity: sim.trainingPopularity,
    windows: sim.windows.map((w) => ({
      startMs: w.index * 3_600_000,
      endMs: (w.index + 1) * 3_600_000,
      lists: w.lists,
      cases: w.cases,
      impressionsByPosition: w.impressionsByPosition,
      clicksByPosition: w.clicksByPosition,
    })),
  };
}

describe('feedbackLoopOutcome', () => {
  const ctx = { model: 'recs', version: 'v1', window: { startMs: 7 * 3_600_000, endMs: 8 * 3_600_000 } };
  it('finds the loop of a greedy recommender and not of an exploring one', () => {
    const greedy = feedbackLoopOutcome(windowsOf('greedy'), ctx);
    expect(greedy.outcome).toMatchObject({
      kind: 'finding',
      finding: { cause: 'feedback_loop', window: { kind: 'cumulative' } },
    });
    expect(greedy.current?.impressions).toBe(20_000);
    expect(greedy.current?.ctr[0]?.position).toBe(1);
    expect(feedbackLoopOutcome(windowsOf('epsilon_greedy'), ctx).outcome.kind).toBe('clear');
    expect(feedbackLoopOutcome({ windows: [], popularity: {} }, ctx).outcome.kind).toBe('not_applicable');
  });
});
