import { describe, expect, it } from 'vitest';
import { DatasetProfile } from '../../profile/dataset-profile.js';
import { seededRng } from '../../rng.js';
import { compareColumn } from './drift-tests.js';
import { labelDriftOutcomes, predictionDriftOutcomes } from './output-drift.js';

const CTX = {
  model: 'm',
  version: 'v1',
  window: { startMs: 0, endMs: 1, kind: 'sliding' as const },
  baseline: 'reference' as const,
  inputDrifted: [] as string[],
};

function labels(ones: number, n: number, seed: number) {
  return DatasetProfile.empty({ rng: seededRng(seed) }).addRows(
    Array.from({ length: n }, (_, i) => ({ y: i < ones ? 1 : 0 })),
  );
}

describe('output and label drift', () => {
  const ref = labels(2000, 10_000, 1);
  const same = compareColumn(ref.column('y')!, labels(205, 1000, 2).column('y')!, { kind: 'categorical' });
  const shifted = compareColumn(ref.column('y')!, labels(500, 1000, 3).column('y')!, { kind: 'categorical' });

  it('reports a label shift with the share that moved', () => {
    expect(labelDriftOutcomes([same], CTX).map((o) => o.kind)).toEqual(['clear']);
    const out = labelDriftOutcomes([shifted], CTX);
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({
      kind: 'finding',
      finding: { detector: 'label_drift', cause: 'label_shift' },
    });
    if (out[0]?.kind === 'finding')
      expect(out[0].finding.evidence.summary).toContain('share of "0" 80 % → 50 %');
    expect(labelDriftOutcomes([], CTX)[0]?.kind).toBe('not_applicable');
  });

  it('reports prediction drift only while the inputs hold still', () => {
    expect(predictionDriftOutcomes([shifted], CTX)[0]).toMatchObject({
      kind: 'finding',
      finding: { detector: 'prediction_drift' },
    });
    expect(predictionDriftOutcomes([shifted], { ...CTX, inputDrifted: ['distance'] })[0]).toMatchObject({
      kind: 'clear',
      evidence: { summary: expect.stringContaining('`distance`') },
    });
  });
});
