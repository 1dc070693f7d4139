/**
 * @module
 * A trend in words for a chart note: the OLS slope of a series over its windows and whether it is significant
 * (methods.md 8, "detecting a loop over time": an OLS slope with its t-test).
 */
import { olsTrend } from '../../core/feedback/trend.js';

/** The slope of the non-null points against their window index, or null with fewer than three points. */
export function seriesTrend(
  values: readonly (number | null)[],
): { slope: number; pValue: number | null; n: number } | null {
  const x: number[] = [];
  const y: number[] = [];
  values.forEach((v, i) => {
    if (v !== null && Number.isFinite(v)) {
      x.push(i);
      y.push(v);
    }
  });
  if (y.length < 3) return null;
  const t = olsTrend(y, x);
  return { slope: t.slope, pValue: t.pValue, n: t.n };
}

/** "trend +0.012 per window (p = 0.003)" or "no trend to speak of". */
export function olsSlopeText(values: readonly (number | null)[], unit: string, alpha = 0.05): string {
  const t = seriesTrend(values);
  if (t === null) return 'too few windows for a trend';
  const sign = t.slope > 0 ? '+' : '';
  const p = t.pValue === null ? '' : t.pValue < 0.001 ? ' (p < 0.001)' : ` (p = ${t.pValue.toFixed(3)})`;
  const significant = t.pValue !== null && t.pValue < alpha;
  return `${significant ? 'trend' : 'no significant trend:'} ${sign}${t.slope.toPrecision(2)} ${unit}${p}`;
}
