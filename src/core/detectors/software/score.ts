/**
 * @module
 * One convention for finding scores: a signal exactly at its threshold scores 0.5, and the score rises towards 1
 * as the signal grows past it. Scores are strengths, not probabilities.
 */
import { clampScore } from '../../findings/finding.js';

/**
 * Score of a signal `x` against a positive `threshold` it must reach: 0.5 at `x = threshold`, 0.75 at twice the
 * threshold, → 1 as `x` grows; 0 for `x ≤ 0`. Edge cases: threshold ≤ 0 or non-finite input → 1 for x > 0.
 * @example scoreAbove(4, 2) // 0.75
 */
export function scoreAbove(x: number, threshold: number): number {
  if (!(x > 0)) return 0;
  if (!(threshold > 0) || !Number.isFinite(threshold) || !Number.isFinite(x)) return 1;
  if (x < threshold) return clampScore(0.5 * (x / threshold));
  return clampScore(1 - 0.5 * (threshold / x));
}

/** Score of a share in [0, 1] of traffic affected: `floor` at zero share, 1 at the whole traffic. */
export function scoreShare(share: number, floor = 0.5): number {
  return clampScore(floor + (1 - floor) * clampScore(share));
}
