import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { binaryRocAuc } from '../../metrics/classification.js';
import { bootstrapInterval, wilsonInterval } from '../../metrics/intervals.js';
import { seededRng } from '../../rng.js';
import {
  type LabelledPrediction,
  predictedClassOf,
  realisedFigures,
  realisedPerformance,
  slicePerformance,
  taskOf,
} from './realised.js';

function classifier(n: number, seed: number, skill = 0.7): LabelledPrediction[] {
  const rng = seededRng(seed);
  return Array.from({ length: n }, (_, i) => {
    const y = rng.next() < 0.3 ? 1 : 0;
    const p = Math.min(1, Math.max(0, (y === 1 ? skill : 1 - skill) + 0.4 * (rng.next() - 0.5)));
    return {
      output: { class: p >= 0.5 ? 1 : 0, probabilities: { '1': p, '0': 1 - p } },
      label: y,
      features: { city: i % 3 === 0 ? 'Oslo' : 'Bergen' },
    };
  });
}

describe('realisedPerformance', () => {
  it('gives Wilson intervals for accuracy, precision and recall over the right denominators', () => {
    const rows = classifier(500, 1);
    const r = realisedPerformance(rows, seededRng(2))!;
    expect(r.task).toBe('classification');
    expect(r.positive).toBe('1');
    let correct = 0;
    let tp = 0;
    let fp = 0;
    let fn = 0;
    for (const x of rows) {
      const p = String(x.output!.class);
      const y = String(x.label);
      if (p === y) correct++;
      if (p === '1' && y === '1') tp++;
      else if (p === '1') fp++;
      else if (y === '1') fn++;
    }
    expect(r.metrics.accuracy).toEqual(wilsonInterval(correct, 500, 0.95, 'accuracy'));
    expect(r.metrics.precision).toEqual(wilsonInterval(tp, tp + fp, 0.95, 'precision'));
    expect(r.metrics.recall).toEqual(wilsonInterval(tp, tp + fn, 0.95, 'recall'));
    expect(r.metrics.f1?.estimate).toBeCloseTo((2 * tp) / (2 * tp + fp + fn), 12);
    const auc = binaryRocAuc(
      Uint8Array.from(rows, (x) => (x.label === 1 ? 1 : 0)),
      Float64Array.from(rows, (x) => x.output!.probabilities!['1']!),
    );
    expect(r.metrics.roc_auc?.estimate).toBe(auc);
    expect(realisedFigures(r).accuracy).toEqual({ value: correct / 500, n: 500 });
  });

  it('states the ROC AUC interval by Hanley–McNeil: as wide as a bootstrap of the same rows or a little wider', () => {
    const rows = classifier(400, 5, 0.62);
    const r = realisedPerformance(rows, seededRng(3))!;
    const y = Uint8Array.from(rows, (x) => (x.label === 1 ? 1 : 0));
    const s = Float64Array.from(rows, (x) => x.output!.probabilities!['1']!);
    const boot = bootstrapInterval(
      rows.length,
      (idx) =>
        binaryRocAuc(
          Uint8Array.from(idx, (i) => y[i]!),
          Float64Array.from(idx, (i) => s[i]!),
        ),
      seededRng(4),
      { resamples: 400 },
    );
    const width = r.metrics.roc_auc!.upper! - r.metrics.roc_auc!.lower!;
    expect(width / (boot.upper! - boot.lower!)).toBeGreaterThan(0.9);
    expect(width / (boot.upper! - boot.lower!)).toBeLessThan(1.6);
  });

  it('measures regressors by MAE and RMSE with bootstrap intervals that contain the estimate', () => {
    const rng = seededRng(9);
    const rows: LabelledPrediction[] = Array.from({ length: 300 }, () => {
      const y = 100 * rng.next();
      return { output: { value: y + 10 * (rng.next() - 0.5) }, label: y };
    });
    const r = realisedPerformance(rows, seededRng(1))!;
    expect(r.task).toBe('regression');
    const mae =
      rows.reduce((a, x) => a + Math.abs((x.output!.value as number) - (x.label as number)), 0) / 300;
    expect(r.metrics.mae?.estimate).toBeCloseTo(mae, 10);
    expect(r.metrics.mae!.lower!).toBeLessThan(mae);
    expect(r.metrics.mae!.upper!).toBeGreaterThan(mae);
  });

  it('reads the task and the predicted class from the outputs', () => {
    expect(predictedClassOf({ probabilities: { a: 0.2, b: 0.7, c: 0.1 } })).toBe('b');
    expect(predictedClassOf({ class: true })).toBe('true');
    expect(predictedClassOf({ value: 3 })).toBeNull();
    expect(taskOf([{ output: { value: 1 }, label: 2 }])).toBe('regression');
    expect(taskOf([{ output: { items: ['a'] }, label: 'a' }])).toBeNull();
    expect(realisedPerformance([{ output: { items: ['a'] }, label: 'a' }], seededRng(1))).toBeNull();
    // A declared task the outputs do not fit falls back to what they hold.
    const misdeclared = realisedPerformance([{ output: { value: 3 }, label: 5 }], seededRng(1), {
      task: 'classification',
    });
    expect(misdeclared?.task).toBe('regression');
    expect(misdeclared?.metrics.mae?.estimate).toBe(2);
  });

  it('keeps every interval inside [0, 1] around its estimate (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 200 }), fc.integer({ min: 0, max: 1000 }), (n, seed) => {
        const r = realisedPerformance(classifier(n, seed), seededRng(seed));
        for (const m of Object.values(r!.metrics)) {
          if (m.estimate === null) continue;
          expect(m.lower!).toBeGreaterThanOrEqual(0);
          expect(m.upper!).toBeLessThanOrEqual(1);
          expect(m.lower!).toBeLessThanOrEqual(m.estimate + 1e-12);
          expect(m.upper!).toBeGreaterThanOrEqual(m.estimate - 1e-12);
        }
      }),
      { numRuns: 50 },
    );
  });
});

describe('slicePerformance', () => {
  it('measures each frequent value of a feature with enough labelled rows', () => {
    const rows = classifier(300, 7);
    const s = slicePerformance(rows, [{ feature: 'city', maxValues: 5 }], seededRng(1), { minRows: 30 });
    expect(s.map((x) => [x.slice, x.performance.n])).toEqual([
      ['city=Bergen', 200],
      ['city=Oslo', 100],
    ]);
  });
});
