import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { wilsonInterval } from '../metrics/intervals.js';
import { conceptVerdict, type InputDriftSummary } from './verdict.js';

const reference = wilsonInterval(1092, 1200, 0.95, 'accuracy'); // 0.91 [0.892, 0.925]
const fallen = wilsonInterval(960, 1200, 0.95, 'accuracy'); // 0.80 [0.776, 0.821]
const steady = wilsonInterval(1085, 1200, 0.95, 'accuracy'); // 0.904
const still: InputDriftSummary = { featuresTested: 12, driftedFeatures: [], datasetDrift: false };
const shifted: InputDriftSummary = {
  featuresTested: 12,
  driftedFeatures: ['income', 'age', 'region'],
  datasetDrift: true,
};

describe('conceptVerdict', () => {
  it('performance fell while the inputs held still → concept drift', () => {
    const v = conceptVerdict(
      { metric: 'accuracy', reference, current: fallen, streamDetectors: ['adwin'] },
      still,
    );
    expect(v).toMatchObject({
      kind: 'concept_drift',
      cause: 'concept_drift',
      confidence: 'high',
      inputsDrifted: false,
    });
    expect(v.reasons[0]).toMatch(/^accuracy fell: 0\.800 \[0\.776, 0\.822\] \(n=1200\) against 0\.910/);
    expect(v.reasons.join(' ')).toMatch(/None of the 12 input features drifted/);
  });

  it('performance fell and the inputs drifted → covariate shift explains it', () => {
    const v = conceptVerdict({ metric: 'accuracy', reference, current: fallen }, shifted);
    expect(v).toMatchObject({ kind: 'covariate_shift', cause: 'covariate_shift', confidence: 'high' });
    expect(v.reasons.join(' ')).toMatch(/3 of 12 features \(income, age, region\), dataset-level drift/);
  });

  it('inputs drifted but the label-free estimate stays high → concept drift on top of the shift', () => {
    const estimated = { estimate: 0.9, lower: 0.87, upper: 0.93 };
    const v = conceptVerdict({ metric: 'accuracy', reference, current: fallen, estimated }, shifted);
    expect(v.kind).toBe('concept_drift');
    expect(v.inputsDrifted).toBe(true);
    const agreeing = conceptVerdict(
      { metric: 'accuracy', reference, current: fallen, estimated: fallen },
      shifted,
    );
    expect(agreeing.kind).toBe('covariate_shift');
  });

  it('no significant fall → no verdict on the cause; missing drift result → inconclusive', () => {
    expect(conceptVerdict({ metric: 'accuracy', reference, current: steady }, shifted).kind).toBe(
      'no_performance_drop',
    );
    expect(conceptVerdict({ metric: 'accuracy', reference, current: fallen }, null).kind).toBe(
      'inconclusive',
    );
  });

  it('losses: higher is worse; a difference interval is used when given', () => {
    const ref = { estimate: 10, lower: 9.5, upper: 10.5 };
    const cur = { estimate: 13, lower: 12.4, upper: 13.6 };
    expect(
      conceptVerdict({ metric: 'MAE', higherIsBetter: false, reference: ref, current: cur }, still).kind,
    ).toBe('concept_drift');
    const diff = { estimate: 0.5, lower: -0.2, upper: 1.2 };
    expect(
      conceptVerdict(
        { metric: 'MAE', higherIsBetter: false, reference: ref, current: cur, difference: diff },
        still,
      ).kind,
    ).toBe('no_performance_drop');
  });

  it('minDrop: a significant but immaterial fall is not a verdict', () => {
    const big = wilsonInterval(99_000, 100_000);
    const small = wilsonInterval(98_500, 100_000);
    expect(conceptVerdict({ metric: 'accuracy', reference: big, current: small }, still).kind).toBe(
      'concept_drift',
    );
    expect(
      conceptVerdict({ metric: 'accuracy', reference: big, current: small }, still, { minDrop: 0.02 }).kind,
    ).toBe('no_performance_drop');
  });

  it('a better current window is never a drop', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2000 }), fc.double({ min: 0, max: 1, noNaN: true }), (n, p) => {
        const k = Math.round(p * n);
        const r = wilsonInterval(k, n);
        const better = wilsonInterval(Math.min(n, k + Math.ceil(n / 10)), n);
        expect(conceptVerdict({ metric: 'accuracy', reference: r, current: better }, still).kind).toBe(
          'no_performance_drop',
        );
      }),
    );
  });

  it('rejects a malformed interval, naming it', () => {
    expect(() =>
      conceptVerdict({ metric: 'a', reference, current: { estimate: 0.5, lower: 0.6, upper: 0.4 } }, still),
    ).toThrow(/current.lower/);
  });
});
