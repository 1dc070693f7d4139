import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { seededRng } from '../rng.js';
import {
  CBPE_METRICS,
  confusionMetrics,
  estimateCbpe,
  estimateCbpeMulticlass,
  estimatedRocAuc,
  expectedConfusion,
  fitCbpe,
  samplingComponents,
} from './cbpe.js';
import vectors from './cbpe.vectors.json' with { type: 'json' };

const rel = (a: number, b: number) => (b === 0 ? Math.abs(a) : Math.abs(a - b) / Math.abs(b));

describe('CBPE vectors (methods.md §5.1)', () => {
  const v = vectors.methods;
  it('expected confusion matrix and the ratio-of-expectation metrics: all 0.7625', () => {
    const c = expectedConfusion(v.p, v.predictions);
    for (const k of ['tp', 'fp', 'tn', 'fn'] as const) expect(c[k]).toBeCloseTo(v.confusion[k], 12);
    const m = confusionMetrics(c);
    for (const k of ['accuracy', 'precision', 'recall', 'f1', 'specificity'] as const)
      expect(m[k]!).toBeCloseTo(v.metric, 12);
  });
  it('estimated ROC AUC 0.8675 (NannyML curve, not the pairwise expectation 0.8643)', () => {
    expect(estimatedRocAuc(v.p)!).toBeCloseTo(v.estimatedRocAuc, 12);
  });
  it('accuracy sampling error: std 0.433012701892, SE 0.043301270189 at n = 100', () => {
    const c = samplingComponents({ scores: v.p, predictions: v.predictions, labels: v.labels });
    expect(c.accuracy!.std).toBeCloseTo(v.accuracyStd, 12);
    expect(c.accuracy!.std / Math.sqrt(100 * c.accuracy!.fraction)).toBeCloseTo(v.seAt100, 12);
  });
  it.each([
    [
      'methods',
      vectors.methods.p,
      vectors.methods.labels,
      vectors.methods.predictions,
      vectors.methods.components,
    ],
    [
      'random 500',
      vectors.random.scores,
      vectors.random.labels,
      vectors.random.predictions,
      vectors.random.components,
    ],
  ] as const)(
    'sampling components match the NumPy transcription of NannyML (%s)',
    (_, scores, labels, predictions, want) => {
      const got = samplingComponents({ scores, predictions, labels });
      for (const k of CBPE_METRICS) {
        const [std, fraction] = want[k] as [number, number];
        expect(rel(got[k]!.std, std)).toBeLessThan(1e-9);
        expect(rel(got[k]!.fraction, fraction)).toBeLessThan(1e-12);
      }
    },
  );
  it('estimated ROC AUC on a 200-row chunk matches the transcription', () => {
    expect(rel(estimatedRocAuc(vectors.random.chunk)!, vectors.random.chunkEstimatedRocAuc)).toBeLessThan(
      1e-9,
    );
  });
});

/** Labelled rows from a perfectly calibrated model: y ~ Bernoulli(score). */
function calibratedRows(n: number, seed: number, scoreOf: (u: number) => number = (u) => u) {
  const rng = seededRng(seed);
  const scores = Array.from({ length: n }, () => scoreOf(rng.next()));
  const labels = scores.map((s) => (rng.next() < s ? 1 : 0));
  const predictions = scores.map((s) => (s >= 0.5 ? 1 : 0));
  return { scores, labels, predictions };
}

describe('CBPE behaviour', () => {
  it('on calibrated scores the estimate tracks the realised accuracy within its ±3·SE band', () => {
    const model = fitCbpe(calibratedRows(5000, 1), seededRng(2), { chunkSize: 500 });
    let inside = 0;
    for (let c = 0; c < 20; c++) {
      const chunk = calibratedRows(500, 100 + c, (u) => u ** (1 + c / 10)); // covariate shift in the scores
      const est = estimateCbpe(model, chunk).metrics.accuracy;
      const realised = chunk.labels.filter((y, i) => y === chunk.predictions[i]).length / 500;
      if (realised >= est.lower! && realised <= est.upper!) inside++;
    }
    expect(inside).toBeGreaterThanOrEqual(19);
  });

  it('decides to calibrate over-confident scores and leaves calibrated ones alone', () => {
    const honest = calibratedRows(4000, 3);
    expect(fitCbpe(honest, seededRng(4), { chunkSize: 500 }).calibrated).toBe(false);
    const overconfident = { ...honest, scores: honest.scores.map((s) => (s > 0.5 ? Math.sqrt(s) : s * s)) };
    const m = fitCbpe(overconfident, seededRng(4), { chunkSize: 500 });
    expect(m.calibrated).toBe(true);
    expect(m.calibrationCheck!.calibratedEce).toBeLessThan(m.calibrationCheck!.rawEce);
  });

  it('raises an alert when the estimate leaves the reference thresholds', () => {
    const model = fitCbpe(calibratedRows(5000, 5), seededRng(6), { chunkSize: 500 });
    const th = model.thresholds.accuracy;
    expect(th.lower!).toBeLessThan(th.upper!);
    const hard = calibratedRows(500, 7, (u) => 0.4 + 0.2 * u); // scores near 0.5: accuracy ≈ 0.55
    expect(estimateCbpe(model, hard).metrics.accuracy.alert).toBe(true);
    expect(estimateCbpe(model, calibratedRows(500, 8)).metrics.accuracy.alert).toBe(false);
  });

  it('is a JSON round trip and never returns NaN', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 50 }), fc.integer({ min: 1, max: 1e6 }), (n, seed) => {
        const model = JSON.parse(
          JSON.stringify(fitCbpe(calibratedRows(300, seed), seededRng(seed), { chunkSize: 100 })),
        );
        const est = estimateCbpe(model, calibratedRows(n, seed + 1));
        for (const k of CBPE_METRICS) {
          const m = est.metrics[k];
          for (const x of [m.value, m.samplingError, m.lower, m.upper])
            if (x !== null) expect(Number.isFinite(x)).toBe(true);
        }
      }),
      { numRuns: 30 },
    );
  });

  it('rejects bad rows, naming them', () => {
    expect(() =>
      fitCbpe({ scores: [0.2, 1.5], predictions: [0, 1], labels: [0, 1] }, seededRng(1), { chunkSize: 1 }),
    ).toThrow(/scores\[1\]/);
    expect(() =>
      estimateCbpe(fitCbpe(calibratedRows(100, 1), seededRng(1), { chunkSize: 50 }), {
        scores: [0.1],
        predictions: [2],
      }),
    ).toThrow(/predictions\[0\]/);
  });
});

describe('multiclass CBPE (one-vs-rest macro)', () => {
  it('reduces to the binary estimate for two classes, up to the macro average', () => {
    const p = vectors.methods.p;
    const probs = p.map((q) => [1 - q, q]);
    const preds = vectors.methods.predictions;
    const m = estimateCbpeMulticlass(probs, preds);
    const bin = confusionMetrics(expectedConfusion(p, preds));
    expect(m.accuracy!).toBeCloseTo(bin.accuracy!, 12);
    // Class 1 precision = class 0 precision here (symmetric vector), so the macro mean equals the binary value.
    expect(m.precision!).toBeCloseTo(bin.precision!, 12);
  });
  it('accuracy is the mean probability of the predicted class', () => {
    const m = estimateCbpeMulticlass(
      [
        [0.7, 0.2, 0.1],
        [0.1, 0.3, 0.6],
      ],
      [0, 2],
    );
    expect(m.accuracy!).toBeCloseTo(0.65, 12);
  });
});
