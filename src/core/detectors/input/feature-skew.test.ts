import { describe, expect, it } from 'vitest';
import { featureSkew } from '../../skew/feature-skew.js';
import { featureSkewOutcomes } from './feature-skew.js';

const CTX = {
  model: 'm',
  version: 'v2',
  window: { startMs: 0, endMs: 1, kind: 'sliding' as const },
  id: 'loan_id',
};

describe('featureSkewOutcomes', () => {
  const ids = Array.from({ length: 100 }, (_, i) => i);
  const training = {
    loan_id: ids,
    amount: ids.map((i) => 1000 + i),
    term: ids.map((i) => (i % 2 ? 'a' : 'b')),
  };

  it('names the skewed feature with the unit relation the joined rows follow', () => {
    const serving = { ...training, amount: training.amount.map((x) => x * 100) };
    const out = featureSkewOutcomes(featureSkew(training, serving, { id: 'loan_id' }), CTX);
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({
      kind: 'finding',
      finding: {
        detector: 'feature_skew',
        cause: 'train_serving_skew',
        subject: { feature: 'amount' },
        severity: 'critical',
      },
    });
    if (out[0]?.kind === 'finding') expect(out[0].finding.evidence.summary).toMatch(/cents/);
  });

  it('is clear when values match and says when too few rows join', () => {
    expect(
      featureSkewOutcomes(featureSkew(training, training, { id: 'loan_id' }), CTX).map((o) => o.kind),
    ).toEqual(['clear']);
    const few = { loan_id: [1, 2], amount: [1001, 1002], term: ['a', 'b'] };
    expect(featureSkewOutcomes(featureSkew(training, few, { id: 'loan_id' }), CTX)[0]?.kind).toBe(
      'insufficient_data',
    );
    expect(featureSkewOutcomes(null, CTX)[0]?.kind).toBe('not_applicable');
  });
});
