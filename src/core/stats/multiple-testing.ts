/**
 * Multiple testing across columns and the dataset-level drift decision (methods.md section 2).
 *
 * @module
 */

export interface CorrectedPValues {
  /** Per input p-value (input order): rejected, i.e. the column counts as drifted. */
  rejected: boolean[];
  /** The per-test threshold in force: α (none), α/K (Bonferroni), q_{i*} or α/K when none (BH). */
  threshold: number;
  /** Adjusted p-values (input order): min(1, K·p) for Bonferroni, the BH step-up values for BH. */
  adjusted?: number[];
}

/**
 * Multiple-testing correction over K per-column p-values, with strict comparisons as alibi-detect:
 *
 * - `'none'`: reject `p < α`.
 * - `'bonferroni'`: reject `p < α/K`; adjusted `min(1, K p)`.
 * - `'bh'` (Benjamini–Hochberg FDR, alibi-detect `fdr`): sort p ascending, `q_i = α i/K`; `i*` = largest i with
 *   `p_(i) < q_i`; reject `p_(1..i*)` (step-up); threshold `q_{i*}`, or `α/K` when nothing is rejected;
 *   adjusted `p̃_(i) = min_{j >= i} min(1, K p_(j)/j)`.
 *
 * Edge cases: an empty list → no rejections, threshold α; p-values must lie in [0, 1] and α in (0, 1)
 * (RangeError naming the offending index otherwise).
 *
 * @example correctPValues([0.001, 0.008, 0.039, 0.041, 0.042, 0.06, 0.074, 0.205, 0.212, 0.216], 'bh')
 * // rejected: [true, true, false, …], threshold 0.01 (methods.md 2)
 */
export function correctPValues(
  p: readonly number[],
  how: 'none' | 'bonferroni' | 'bh',
  alpha = 0.05,
): CorrectedPValues {
  if (!(alpha > 0 && alpha < 1)) throw new RangeError(`alpha must be in (0, 1) (got ${alpha})`);
  p.forEach((v, i) => {
    if (!(v >= 0 && v <= 1)) throw new RangeError(`p[${i}] must be a p-value in [0, 1] (got ${v})`);
  });
  const K = p.length;
  if (how === 'none') return { rejected: p.map((v) => v < alpha), threshold: alpha };
  if (K === 0) return { rejected: [], threshold: alpha, adjusted: [] };
  if (how === 'bonferroni') {
    const t = alpha / K;
    return { rejected: p.map((v) => v < t), threshold: t, adjusted: p.map((v) => Math.min(1, v * K)) };
  }
  if (how !== 'bh')
    throw new RangeError(`how must be 'none', 'bonferroni' or 'bh' (got ${JSON.stringify(how)})`);
  const order = p.map((_, i) => i).sort((a, b) => p[a]! - p[b]! || a - b);
  let iStar = 0;
  for (let r = 1; r <= K; r++) if (p[order[r - 1]!]! < (alpha * r) / K) iStar = r;
  const rejected = new Array<boolean>(K).fill(false);
  for (let r = 0; r < iStar; r++) rejected[order[r]!] = true;
  const adjusted = new Array<number>(K);
  let running = 1;
  for (let r = K; r >= 1; r--) {
    const idx = order[r - 1]!;
    running = Math.min(running, (p[idx]! * K) / r);
    adjusted[idx] = Math.min(1, running);
  }
  return { rejected, threshold: iStar > 0 ? (alpha * iStar) / K : alpha / K, adjusted };
}

/**
 * Evidently dataset drift (`DatasetDriftMetric`, `drift_share = 0.5`): `share = drifted / tested`,
 * `drifted = share >= driftShare`. No multiplicity correction (apply {@link correctPValues} first if wanted).
 *
 * Edge cases: no columns → share 0, not drifted; driftShare outside (0, 1] → RangeError.
 *
 * @example datasetDrift([{ drifted: true }, { drifted: false }]) // { drifted: true, driftShare: 0.5, … }
 */
export function datasetDrift(
  columns: readonly { drifted: boolean }[],
  driftShare = 0.5,
): { drifted: boolean; driftShare: number; driftedColumns: number; columns: number } {
  if (!(driftShare > 0 && driftShare <= 1))
    throw new RangeError(`driftShare must be in (0, 1] (got ${driftShare})`);
  const driftedColumns = columns.filter((c) => c.drifted).length;
  const share = columns.length === 0 ? 0 : driftedColumns / columns.length;
  return {
    drifted: columns.length > 0 && share >= driftShare,
    driftShare: share,
    driftedColumns,
    columns: columns.length,
  };
}
