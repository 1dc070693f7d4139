/**
 * @module
 * Latency symptoms: p50/p95/p99 per window, model-wide and per instance, against a robust baseline (median and MAD
 * of previous windows) and against fixed limits.
 *
 * A quantile is judged only when the window holds enough requests for it to be more than the maximum: q needs
 * `count ≥ minTailCount / (1 − q)` (with the default 3: p50 ≥ 6, p95 ≥ 60, p99 ≥ 300 requests). A shift needs
 * both a robust z ≥ `zThreshold` and a ratio to the baseline median ≥ `minRatio`, so that neither a flat
 * history (tiny MAD) nor a noisy one raises it alone.
 */
import { formatMs, formatRatio } from '../software/format.js';
import type { LatencyQuantiles, SoftwareWindowInput } from '../software/inputs.js';
import { lastWindows, type SymptomMeasure, subjectSeries } from './measure.js';
import { robustBaseline, robustZ } from './robust-baseline.js';
import type { Symptom, SymptomMetric } from './symptom.js';

export interface LatencyConfig {
  /** Previous windows in the baseline. */
  baselineWindows: number;
  /** Fewer qualifying previous windows than this → the shift test is not made (limits still are). */
  minBaselineWindows: number;
  /** Requests expected beyond a quantile for it to be judged: count ≥ minTailCount / (1 − q). */
  minTailCount: number;
  /** Robust z at or above which a quantile has shifted. */
  zThreshold: number;
  /** …and the ratio to the baseline median it must also reach. */
  minRatio: number;
  /** Floor of the robust scale as a share of the median (a flat history cannot make z explode). */
  relativeSpreadFloor: number;
  /** Fixed limits per quantile (null: none). */
  limitsMs: Record<keyof LatencyQuantiles, number | null>;
}

export const LATENCY_DEFAULTS: Readonly<LatencyConfig> = {
  baselineWindows: 12,
  minBaselineWindows: 4,
  minTailCount: 3,
  zThreshold: 5,
  minRatio: 1.5,
  relativeSpreadFloor: 0.05,
  limitsMs: { p50: null, p95: null, p99: 1000 },
};

const QUANTILES: { key: keyof LatencyQuantiles; q: number; metric: SymptomMetric }[] = [
  { key: 'p50', q: 0.5, metric: 'latency_p50_ms' },
  { key: 'p95', q: 0.95, metric: 'latency_p95_ms' },
  { key: 'p99', q: 0.99, metric: 'latency_p99_ms' },
];

/**
 * Latency quantile symptoms of one window (model-wide and per instance): value, baseline median of the previous
 * `baselineWindows` windows that had enough requests, robust z, limit. Windows with too few requests for a
 * quantile give no symptom for it. Edge cases: no previous windows → limits only; latency null → nothing.
 */
export function measureLatency(
  input: SoftwareWindowInput,
  config: LatencyConfig = LATENCY_DEFAULTS,
): Symptom[] {
  const out: Symptom[] = [];
  for (const { subject, label, series } of subjectSeries(input)) {
    const cur = series.current;
    if (!cur.latencyMs) continue;
    for (const { key, q, metric } of QUANTILES) {
      const minCount = config.minTailCount / (1 - q);
      if (cur.count < minCount) continue;
      const value = cur.latencyMs[key];
      const history = lastWindows(series.previous, config.baselineWindows)
        .filter((w) => w.latencyMs !== null && w.count >= minCount)
        .map((w) => w.latencyMs![key]);
      const base = history.length >= config.minBaselineWindows ? robustBaseline(history) : null;
      const z = base ? robustZ(value, base, config.relativeSpreadFloor) : null;
      const ratio = base && base.median > 0 ? value / base.median : null;
      const shifted = z !== null && ratio !== null && z >= config.zThreshold && ratio >= config.minRatio;
      const limit = config.limitsMs[key];
      const overLimit = limit !== null && value > limit;
      const parts = [`${key} latency ${formatMs(value)} on ${label}`];
      if (base && ratio !== null)
        parts.push(`${formatRatio(ratio)} its ${history.length}-window baseline of ${formatMs(base.median)}`);
      if (overLimit) parts.push(`over the ${formatMs(limit)} limit`);
      out.push({
        measure: 'latency',
        metric,
        subject,
        window: input.window,
        value,
        unit: 'ms',
        baseline: base ? base.median : null,
        baselineWindows: history.length,
        statistic: z === null ? null : { name: 'robust_z', value: z },
        limit,
        shifted,
        overLimit,
        direction: shifted || overLimit ? 'up' : null,
        summary: `${parts.join(', ')}.`,
      });
    }
  }
  return out;
}

export const latencyMeasure: SymptomMeasure<'latency', LatencyConfig> = {
  id: 'latency',
  defaults: LATENCY_DEFAULTS,
  measure: measureLatency,
};
