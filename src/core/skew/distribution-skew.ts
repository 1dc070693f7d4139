/**
 * @module
 * Distribution skew: the training data (reference) against the first serving window, feature by feature,
 * with TFDV / Vertex AI semantics (methods.md §9): categorical features by the L-infinity distance of
 * their value proportions (normalised separately), numerical features by the Jensen–Shannon **divergence**
 * (base 2, capped at 1) of equal-width histograms. A feature is skewed when its value is `>` its threshold.
 *
 * When to use: at the first serving window of a model version, when no id joins serving rows to training
 * rows (otherwise use feature skew, which is sharper). Assumptions: the first serving window is a fair
 * sample of serving traffic. Minimum sample: ~100 rows per side; histogram distances of tiny samples are
 * biased upwards.
 *
 * Binning (named, methods.md §10.1): `tfdv-equal-width` — `bins` (default 10, TFDV's
 * `num_histogram_buckets`) equal-width bins over the pooled [min, max] of both samples. TFDV builds one
 * histogram per dataset and aligns them by splitting bucket counts uniformly; with both samples at hand,
 * common edges give the exact counts that alignment approximates.
 * Thresholds: TFDV has none (a comparator without one is not evaluated); the default here is 0.3, the
 * default of BigQuery `ML.TFDV_VALIDATE`, for both metrics.
 */
import { type Cell, type Columns, isMissing } from '../multivariate/columns.js';
import { binSamples } from '../stats/binning.js';
import { jsDivergenceFromProportions, linfFromProportions } from '../stats/divergence.js';
import { sortFloat64 } from '../stats/sort.js';

export interface DistributionSkewOptions {
  /** Features to compare; default: every column present on both sides. */
  features?: readonly string[];
  /** Threshold on the L∞ distance of categorical features; default 0.3. */
  categoricalThreshold?: number;
  /** Threshold on the JS divergence of numerical features; default 0.3. */
  numericalThreshold?: number;
  /** Per-feature thresholds, overriding the two above. */
  thresholds?: Readonly<Record<string, number>>;
  /** Equal-width bins for numerical features; default 10. */
  bins?: number;
}

export interface DistributionSkewResult {
  feature: string;
  kind: 'numerical' | 'categorical';
  metric: 'jensen_shannon_divergence' | 'l_infinity';
  /** null when one side has no values (then `skewed` is false and `reason` says why). */
  value: number | null;
  threshold: number;
  skewed: boolean;
  nTraining: number;
  nServing: number;
  /** Categorical: the category attaining L∞ with its two proportions. */
  topCategory?: { value: string; training: number; serving: number };
  /** Numerical: the histogram edges used. */
  edges?: number[];
  reason?: string;
}

function kindOf(a: ArrayLike<Cell>, b: ArrayLike<Cell>): 'numerical' | 'categorical' {
  let sawNumber = false;
  for (const col of [a, b])
    for (let i = 0; i < col.length; i++) {
      const v = col[i];
      if (isMissing(v)) continue;
      if (typeof v !== 'number') return 'categorical';
      sawNumber = true;
    }
  return sawNumber ? 'numerical' : 'categorical';
}

function finite(col: ArrayLike<Cell>): Float64Array {
  const out: number[] = [];
  for (let i = 0; i < col.length; i++) {
    const v = col[i];
    if (typeof v === 'number' && Number.isFinite(v)) out.push(v);
  }
  return sortFloat64(Float64Array.from(out));
}

function counts(col: ArrayLike<Cell>): Map<string, number> {
  const m = new Map<string, number>();
  for (let i = 0; i < col.length; i++) {
    const v = col[i];
    if (!isMissing(v)) m.set(String(v), (m.get(String(v)) ?? 0) + 1);
  }
  return m;
}

/** Equal-width edges over [lo, hi] (a constant range becomes [v − 0.5, v + 0.5], as NumPy). */
function equalWidthEdges(lo: number, hi: number, bins: number): number[] {
  const [a, b] = lo === hi ? [lo - 0.5, hi + 0.5] : [lo, hi];
  return Array.from({ length: bins + 1 }, (_, i) => (i === bins ? b : a + ((b - a) * i) / bins));
}

/**
 * Compares training and the first serving window feature by feature (methods.md §9). Errors: a
 * threshold that is not a positive number names the feature; `bins` must be an integer ≥ 1.
 * Edge cases: a feature with no value on one side is reported with value null and not skewed.
 */
export function distributionSkew(
  training: Columns,
  serving: Columns,
  options: DistributionSkewOptions = {},
): DistributionSkewResult[] {
  const bins = options.bins ?? 10;
  if (!(Number.isInteger(bins) && bins >= 1))
    throw new Error(`distribution skew: bins must be an integer ≥ 1, got ${bins}`);
  const features = options.features ?? Object.keys(training).filter((f) => f in serving);
  return features.map((feature): DistributionSkewResult => {
    const a = training[feature];
    const b = serving[feature];
    if (!a) throw new Error(`distribution skew: training has no column '${feature}'`);
    if (!b) throw new Error(`distribution skew: serving has no column '${feature}'`);
    const kind = kindOf(a, b);
    const threshold =
      options.thresholds?.[feature] ??
      (kind === 'numerical' ? options.numericalThreshold : options.categoricalThreshold) ??
      0.3;
    if (!(threshold > 0 && Number.isFinite(threshold)))
      throw new Error(
        `distribution skew: threshold for '${feature}' must be a positive number, got ${threshold}`,
      );
    const metric = kind === 'numerical' ? 'jensen_shannon_divergence' : 'l_infinity';
    if (kind === 'numerical') {
      const r = finite(a);
      const c = finite(b);
      const base = { feature, kind, metric, threshold, nTraining: r.length, nServing: c.length } as const;
      if (r.length === 0 || c.length === 0)
        return {
          ...base,
          value: null,
          skewed: false,
          reason: `no values in ${r.length === 0 ? 'training' : 'serving'}`,
        };
      const edges = equalWidthEdges(
        Math.min(r[0]!, c[0]!),
        Math.max(r[r.length - 1]!, c[c.length - 1]!),
        bins,
      );
      const p = binSamples(r, c, { kind: 'fixed-edges', edges });
      const value = jsDivergenceFromProportions(p.ref, p.cur);
      return { ...base, value, skewed: value > threshold, edges };
    }
    const ca = counts(a);
    const cb = counts(b);
    let nTraining = 0;
    let nServing = 0;
    for (const x of ca.values()) nTraining += x;
    for (const x of cb.values()) nServing += x;
    const base = { feature, kind, metric, threshold, nTraining, nServing } as const;
    if (nTraining === 0 || nServing === 0)
      return {
        ...base,
        value: null,
        skewed: false,
        reason: `no values in ${nTraining === 0 ? 'training' : 'serving'}`,
      };
    // lexicographic key order, so ties for the maximum go to the last key as in TFDV
    const keys = [...new Set([...ca.keys(), ...cb.keys()])].sort();
    const pr = keys.map((k) => (ca.get(k) ?? 0) / nTraining);
    const pc = keys.map((k) => (cb.get(k) ?? 0) / nServing);
    const { distance, index } = linfFromProportions(pr, pc);
    return {
      ...base,
      value: distance,
      skewed: distance > threshold,
      topCategory: { value: keys[index]!, training: pr[index]!, serving: pc[index]! },
    };
  });
}
