/**
 * @module
 * Numbers written for people on call: shares as percentages, latencies in ms, three significant digits.
 */
import type { Comparator } from './expectation.js';
import type { MetricUnit } from './metrics.js';

/** The unit of an evaluation figure: a metric unit, or a count of instances for the integrity kinds. */
export type FigureUnit = MetricUnit | 'instances';

/** Up to `digits` significant digits, no trailing zeros, no exponent for everyday magnitudes. */
export function formatNumber(x: number, digits = 3): string {
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return '0';
  if (Number.isInteger(x) && Math.abs(x) < 1e15) return String(x);
  const abs = Math.abs(x);
  if (abs >= 10 ** digits) return String(Math.round(x));
  return String(Number(x.toPrecision(digits)));
}

/** A figure with its unit: `1450 ms`, `0.81 %`, `12.5 req/s`, `2 instances`. */
export function formatFigure(value: number | null, unit: FigureUnit): string {
  if (value === null) return 'no figure';
  switch (unit) {
    case 'ms':
      return `${formatNumber(value)} ms`;
    case 'share':
      return `${formatNumber(value * 100)} %`;
    case 'per_second':
      return `${formatNumber(value)} req/s`;
    case 'instances':
      return `${formatNumber(value)} instance${value === 1 ? '' : 's'}`;
    case 'value':
      return formatNumber(value);
  }
}

const WORDS: Record<Comparator, string> = { '<': 'below', '<=': 'at most', '>': 'above', '>=': 'at least' };

/** `below 1000 ms`, `at least 99 %`. */
export function formatLimit(comparator: Comparator, threshold: number, unit: FigureUnit): string {
  return `${WORDS[comparator]} ${formatFigure(threshold, unit)}`;
}
