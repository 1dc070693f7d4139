/**
 * Position bias (methods.md §8): click-through rate by display position and the naive relative bias
 * `θ_pos = CTR(pos) / CTR(1)`. Naive because the ranking itself puts better items higher; an unbiased estimate
 * needs randomised positions (RandTop-N, result swapping) or a click model.
 */

export interface PositionCtr {
  /** 1-based display position. */
  position: number;
  impressions: number;
  clicks: number;
  ctr: number | null;
  /** CTR(pos) / CTR(1); null when either is undefined or CTR(1) is 0. */
  relativeBias: number | null;
}

/**
 * CTR and relative position bias from per-position impressions and clicks (index 0 = position 1). Throws when
 * the arrays differ in length, a count is negative, or clicks exceed impressions at a position.
 */
export function ctrByPosition(impressions: readonly number[], clicks: readonly number[]): PositionCtr[] {
  if (impressions.length !== clicks.length)
    throw new RangeError(
      `ctrByPosition: impressions and clicks must have one entry per position, got ${impressions.length} and ${clicks.length}.`,
    );
  impressions.forEach((imp, i) => {
    const c = clicks[i]!;
    if (!(imp >= 0 && Number.isFinite(imp)))
      throw new RangeError(`ctrByPosition: impressions[${i}] must be ≥ 0, got ${imp}.`);
    if (!(c >= 0 && c <= imp))
      throw new RangeError(`ctrByPosition: clicks[${i}] must be in [0, impressions], got ${c}.`);
  });
  const ctrs = impressions.map((imp, i) => (imp === 0 ? null : clicks[i]! / imp));
  const first = ctrs[0] ?? null;
  return ctrs.map((ctr, i) => ({
    position: i + 1,
    impressions: impressions[i]!,
    clicks: clicks[i]!,
    ctr,
    relativeBias: ctr === null || first === null || first === 0 ? null : ctr / first,
  }));
}
