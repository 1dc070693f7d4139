/**
 * @module
 * Error-rate symptoms, overall (`error_rate`: every non-ok prediction) and by kind (`error_rate_timeout`,
 * `error_rate_client_error`, `error_rate_server_error`, `error_rate_oom`, `error_rate_crash`, `error_rate_other`),
 * model-wide and per instance.
 *
 * Errors are counts, and rare ones: the per-window rates of the baseline are mostly 0, so their median would
 * collapse to 0 and any error would look like a shift. The baseline rate is therefore the POOLED rate of the
 * previous windows (errors over requests), floored at `baselineFloorRate`, and a shift is a one-sided binomial
 * test: at least `minErrors` errors, a rate ≥ `minRatio` × the baseline, and P(X ≥ errors | n, baseline) <
 * `alpha`. A limit is exceeded when the rate is above it with P(X ≥ errors | n, limit) < `limitAlpha`, so that
 * 1 error in 50 requests does not "exceed 1 %".
 */
import { formatRatio, formatShare } from '../software/format.js';
import {
  ERROR_KINDS,
  type ErrorKind,
  type SoftwareWindowInput,
  type WindowStats,
} from '../software/inputs.js';
import { binomialUpperTail } from './binomial-tail.js';
import { lastWindows, type SymptomMeasure, subjectSeries } from './measure.js';
import type { Symptom, SymptomMetric } from './symptom.js';

export type ErrorRateKey = 'all' | ErrorKind;

export interface ErrorRateConfig {
  baselineWindows: number;
  /** Fewer previous windows with traffic than this → the shift test uses only the floor rate as baseline. */
  minBaselineWindows: number;
  /** One-sided binomial tail below which a rise over the baseline is significant. */
  alpha: number;
  /** A rise must also reach this multiple of the baseline rate. */
  minRatio: number;
  /** …and at least this many errors in the window. */
  minErrors: number;
  /** The baseline rate is never taken below this (a clean history does not make one error an alarm). */
  baselineFloorRate: number;
  /** Fixed limits as rates in [0, 1] (null: none). */
  limits: Record<ErrorRateKey, number | null>;
  /** One-sided binomial tail below which a rate is over its limit. */
  limitAlpha: number;
  /** Which rates to measure. */
  kinds: readonly ErrorRateKey[];
}

export const ERROR_RATE_DEFAULTS: Readonly<ErrorRateConfig> = {
  baselineWindows: 12,
  minBaselineWindows: 4,
  alpha: 1e-6,
  minRatio: 3,
  minErrors: 5,
  baselineFloorRate: 0.001,
  limits: {
    all: 0.01,
    timeout: null,
    client_error: null,
    server_error: null,
    oom: null,
    crash: null,
    other: null,
  },
  limitAlpha: 0.01,
  kinds: ['all', ...ERROR_KINDS],
};

/** Errors of one kind ('all' = every kind) in a window. */
export function errorCount(w: WindowStats, key: ErrorRateKey): number {
  if (key !== 'all') return w.errors[key] ?? 0;
  let n = 0;
  for (const k of ERROR_KINDS) n += w.errors[k] ?? 0;
  return n;
}

function metricOf(key: ErrorRateKey): SymptomMetric {
  return key === 'all' ? 'error_rate' : `error_rate_${key}`;
}

/**
 * Error-rate symptoms of one window (model-wide and per instance) for each configured kind. A kind with no error
 * in the window and none in the baseline gives no symptom (nothing to report); `all` is always reported when the
 * window has traffic. Edge cases: count 0 → no symptom; no baseline → the floor rate is the baseline.
 */
export function measureErrorRates(
  input: SoftwareWindowInput,
  config: ErrorRateConfig = ERROR_RATE_DEFAULTS,
): Symptom[] {
  const out: Symptom[] = [];
  for (const { subject, label, series } of subjectSeries(input)) {
    const cur = series.current;
    if (cur.count <= 0) continue;
    const history = lastWindows(series.previous, config.baselineWindows).filter((w) => w.count > 0);
    const histCount = history.reduce((a, w) => a + w.count, 0);
    for (const key of config.kinds) {
      const k = errorCount(cur, key);
      const histErrors = history.reduce((a, w) => a + errorCount(w, key), 0);
      if (key !== 'all' && k === 0 && histErrors === 0) continue;
      const rate = k / cur.count;
      const pooled =
        history.length >= config.minBaselineWindows && histCount > 0 ? histErrors / histCount : null;
      const baseRate = Math.max(pooled ?? 0, config.baselineFloorRate);
      const p = binomialUpperTail(k, cur.count, baseRate);
      const shifted = k >= config.minErrors && rate >= config.minRatio * baseRate && p < config.alpha;
      const limit = config.limits[key];
      const overLimit =
        limit !== null && rate > limit && binomialUpperTail(k, cur.count, limit) < config.limitAlpha;
      const what = key === 'all' ? 'error rate' : `${key} error rate`;
      let summary = `${what} ${formatShare(rate)} (${k} of ${cur.count}) on ${label}`;
      if (pooled !== null && pooled > 0)
        summary += `, ${formatRatio(rate / pooled)} the ${formatShare(pooled)} of the previous ${history.length} windows`;
      else if (pooled !== null) summary += `, none in the previous ${history.length} windows`;
      if (overLimit) summary += `, over the ${formatShare(limit)} limit`;
      out.push({
        measure: 'error_rate',
        metric: metricOf(key),
        subject,
        window: input.window,
        value: rate,
        unit: 'share',
        baseline: pooled,
        baselineWindows: pooled === null ? 0 : history.length,
        statistic: { name: 'binomial_tail_p', value: p },
        limit,
        shifted,
        overLimit,
        direction: shifted || overLimit ? 'up' : null,
        summary: `${summary}.`,
      });
    }
  }
  return out;
}

export const errorRateMeasure: SymptomMeasure<'error_rate', ErrorRateConfig> = {
  id: 'error_rate',
  defaults: ERROR_RATE_DEFAULTS,
  measure: measureErrorRates,
};
