import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  binaryRocAuc,
  type ClassificationRows,
  classificationMetrics,
  confusionMatrix,
  logLoss,
  positiveIndex,
} from './classification.js';
import vectors from './classification.vectors.json' with { type: 'json' };

interface Case {
  name: string;
  labels: string[];
  actual: string[];
  predicted: string[];
  proba: number[] | number[][] | null;
  accuracy: number;
  precision: number;
  recall: number;
  f1: number;
  confusionMatrix: number[][];
  rocAuc?: number;
  logLoss?: number;
}

function rowsOf(c: Case): ClassificationRows {
  const code = (l: string) => c.labels.indexOf(l);
  let scores: Float64Array[] | null = null;
  if (c.proba && typeof c.proba[0] === 'number') scores = [Float64Array.from(c.proba as number[])];
  else if (c.proba) {
    const p = c.proba as number[][];
    scores = c.labels.map((_, k) => Float64Array.from(p.map((row) => row[k]!)));
  }
  return {
    labels: c.labels,
    actual: Int32Array.from(c.actual.map(code)),
    predicted: Int32Array.from(c.predicted.map(code)),
    scores,
  };
}

const close = (a: number | null, b: number) => {
  expect(a).not.toBeNull();
  expect(Math.abs((a as number) - b)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(b)));
};

describe('classification metrics against scikit-learn (classification.vectors.json)', () => {
  it.each(vectors.cases as Case[])('$name', (c) => {
    const m = classificationMetrics(rowsOf(c));
    close(m.accuracy, c.accuracy);
    close(m.precision, c.precision);
    close(m.recall, c.recall);
    close(m.f1, c.f1);
    expect(m.confusionMatrix.counts).toEqual(c.confusionMatrix);
    if (c.rocAuc !== undefined) close(m.rocAuc, c.rocAuc);
    else expect(m.rocAuc).toBeNull();
    if (c.logLoss !== undefined) close(m.logLoss, c.logLoss);
    else expect(m.logLoss).toBeNull();
  });
});

describe('classification metrics from their definitions', () => {
  it('computes a 2x2 case by hand', () => {
    // actual 1,1,1,0,0 ; predicted 1,0,1,1,0 → TP 2, FN 1, FP 1, TN 1.
    // precision = 2/3, recall = 2/3, F1 = 2·2/(2·2+1+1) = 2/3, accuracy 3/5.
    const m = classificationMetrics({
      labels: ['0', '1'],
      actual: Int32Array.of(1, 1, 1, 0, 0),
      predicted: Int32Array.of(1, 0, 1, 1, 0),
    });
    expect(m.confusionMatrix.counts).toEqual([
      [1, 1],
      [1, 2],
    ]);
    expect(m.accuracy).toBeCloseTo(0.6, 15);
    expect(m.precision).toBeCloseTo(2 / 3, 15);
    expect(m.recall).toBeCloseTo(2 / 3, 15);
    expect(m.f1).toBeCloseTo(2 / 3, 15);
    expect(m.positiveLabel).toBe('1');
    expect(m.rocAuc).toBeNull();
  });

  it('ROC AUC counts ties as one half (Mann–Whitney)', () => {
    // Positives score 0.8 and 0.5; negatives 0.5 and 0.2. Pairs: (0.8>0.5) 1, (0.8>0.2) 1, (0.5=0.5) ½,
    // (0.5>0.2) 1 → 3.5 / 4.
    expect(binaryRocAuc(Uint8Array.of(1, 1, 0, 0), Float64Array.of(0.8, 0.5, 0.5, 0.2))).toBe(0.875);
    expect(binaryRocAuc(Uint8Array.of(1, 1), Float64Array.of(0.8, 0.5))).toBeNull();
  });

  it('log loss of a single row is −ln p of the actual class, clipped at 1e-15', () => {
    expect(logLoss(Int32Array.of(1), [Float64Array.of(0.25)], 2)).toBeCloseTo(-Math.log(0.25), 14);
    expect(logLoss(Int32Array.of(0), [Float64Array.of(1)], 2)).toBeCloseTo(-Math.log(1e-15), 10);
  });

  it('takes the positive label it is given', () => {
    // Positive "bad" (code 0): TP 1 (row 0), FN 1 (row 2), FP 1 (row 3) → precision ½, recall ½.
    const m = classificationMetrics({
      labels: ['bad', 'good'],
      actual: Int32Array.of(0, 1, 0, 1),
      predicted: Int32Array.of(0, 1, 1, 0),
      positive: 0,
    });
    expect(m.positiveLabel).toBe('bad');
    expect(m.precision).toBe(0.5);
    expect(m.recall).toBe(0.5);
  });

  it('picks the positive label: 1, true or yes, else the second label', () => {
    expect(positiveIndex(['0', '1'])).toBe(1);
    expect(positiveIndex(['true', 'false'])).toBe(0);
    expect(positiveIndex(['bad', 'good'])).toBe(1);
  });

  it('confusion matrix rows are actual labels, columns predicted', () => {
    expect(confusionMatrix(Int32Array.of(0, 1, 1), Int32Array.of(0, 0, 1), 2)).toEqual([
      [1, 0],
      [1, 1],
    ]);
  });
});

describe('classification metric invariants (property tests)', () => {
  const binaryRows = fc
    .array(fc.tuple(fc.integer({ min: 0, max: 1 }), fc.integer({ min: 0, max: 20 })), {
      minLength: 2,
      maxLength: 60,
    })
    .filter((rows) => rows.some(([y]) => y === 1) && rows.some(([y]) => y === 0));

  it('ROC AUC lies in [0, 1] and reversing the scores gives 1 − AUC', () => {
    fc.assert(
      fc.property(binaryRows, (rows) => {
        const y = Uint8Array.from(rows.map(([a]) => a));
        const s = Float64Array.from(rows.map(([, b]) => b / 20));
        const auc = binaryRocAuc(y, s)!;
        const flipped = binaryRocAuc(
          y,
          s.map((v) => -v),
        )!;
        expect(auc).toBeGreaterThanOrEqual(0);
        expect(auc).toBeLessThanOrEqual(1);
        expect(auc + flipped).toBeCloseTo(1, 12);
      }),
    );
  });

  it('ROC AUC equals the share of (positive, negative) pairs ordered right, ties ½', () => {
    fc.assert(
      fc.property(binaryRows, (rows) => {
        let wins = 0;
        let pairs = 0;
        for (const [ya, sa] of rows)
          for (const [yb, sb] of rows) {
            if (ya !== 1 || yb !== 0) continue;
            pairs++;
            wins += sa > sb ? 1 : sa === sb ? 0.5 : 0;
          }
        const auc = binaryRocAuc(
          Uint8Array.from(rows.map(([a]) => a)),
          Float64Array.from(rows.map(([, b]) => b)),
        );
        expect(auc).toBeCloseTo(wins / pairs, 12);
      }),
    );
  });

  it('accuracy is the confusion-matrix diagonal over the rows', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 3 })), { minLength: 1 }),
        (rows) => {
          const m = classificationMetrics({
            labels: ['a', 'b', 'c', 'd'],
            actual: Int32Array.from(rows.map(([a]) => a)),
            predicted: Int32Array.from(rows.map(([, p]) => p)),
          });
          const diag = m.confusionMatrix.counts.reduce((s, row, i) => s + row[i]!, 0);
          expect(m.accuracy).toBeCloseTo(diag / rows.length, 14);
          for (const v of [m.precision, m.recall, m.f1]) {
            expect(v).toBeGreaterThanOrEqual(0);
            expect(v).toBeLessThanOrEqual(1);
          }
        },
      ),
    );
  });
});
