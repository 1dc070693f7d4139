import { describe, expect, it } from 'vitest';
import * as stats from './index.js';

describe('stats front door', () => {
  it('exports the column-level API and the profile-level pieces other layers rely on', () => {
    for (const name of [
      'numericalDrift',
      'categoricalDrift',
      'chooseMethod',
      'correctPValues',
      'datasetDrift',
      'kstwoSf',
      'kolmogorovSf',
      'chi2Sf',
      'psiFromProportions',
      'klFromProportions',
      'jsDistanceFromProportions',
      'hellingerFromProportions',
      'linfFromProportions',
      'zTestProportions',
      'ks2samp',
      'sortFloat64',
      'binSamples',
    ] as const) {
      expect(typeof stats[name], name).toBe('function');
    }
    expect(Object.keys(stats.DEFAULT_THRESHOLDS).sort()).toEqual([...stats.DRIFT_METHODS].sort());
  });
});
