/**
 * @module
 * A change that began mid-window dilutes the window's median; the run of points after it does not. This finds
 * that run.
 */
import { median } from '../operational/robust-baseline.js';

/**
 * Length of the longest run at the end of `values` (at least `minLength` long) whose median satisfies `crosses`;
 * 0 when no such run exists. O(n² log n), fine for the tens of points a window holds.
 * @example longestCrossingSuffix([1, 1, 1, 9, 9, 9], 3, (m) => m > 5) // 5 (median of [1, 9, 9, 9, 9]… is 9)
 */
export function longestCrossingSuffix(
  values: readonly number[],
  minLength: number,
  crosses: (median: number) => boolean,
): number {
  let best = 0;
  for (let len = Math.max(1, minLength); len <= values.length; len++) {
    const m = median(values.slice(values.length - len));
    if (m !== null && crosses(m)) best = len;
  }
  return best;
}
