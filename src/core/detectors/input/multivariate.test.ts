import { describe, expect, it } from 'vitest';
import { multivariateOutcome, reconstructionAlarm, reconstructionZ } from './multivariate.js';

const CTX = {
  model: 'm',
  version: 'v1',
  window: { startMs: 0, endMs: 1, kind: 'sliding' as const },
  univariateDrifted: [],
};
const recon = {
  n: 400,
  meanError: 1.5,
  referenceMean: 1,
  samplingError: 0.05,
  components: 2,
  features: ['a', 'b', 'c'],
};
const mmd = { pValue: 0.01, mmd2: 0.2, nReference: 300, nCurrent: 300, permutations: 100 };

describe('multivariateOutcome', () => {
  it('judges the reconstruction error by the sampling error of the window size', () => {
    expect(reconstructionZ(recon)).toBeCloseTo(10, 12);
    expect(reconstructionAlarm(recon)).toBe(true);
    expect(reconstructionAlarm({ ...recon, meanError: 1.05 })).toBe(false); // z 1, rise 5 %
    expect(reconstructionAlarm({ ...recon, n: 10 })).toBe(false);
  });

  it('needs PCA and MMD to agree and no univariate drift to explain it', () => {
    const hit = multivariateOutcome(recon, mmd, CTX);
    expect(hit).toMatchObject({
      kind: 'finding',
      finding: { detector: 'multivariate_drift', cause: 'covariate_shift' },
    });
    expect(multivariateOutcome(recon, { ...mmd, pValue: 0.3 }, CTX).kind).toBe('clear');
    expect(multivariateOutcome(recon, null, CTX).kind).toBe('clear');
    const explained = multivariateOutcome(recon, mmd, { ...CTX, univariateDrifted: ['a'] });
    expect(explained).toMatchObject({ kind: 'clear', evidence: { summary: expect.stringContaining('`a`') } });
    expect(multivariateOutcome(null, null, CTX).kind).toBe('not_applicable');
  });
});
