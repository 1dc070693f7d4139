/**
 * @module
 * Throughput symptoms and sudden traffic drops.
 *
 * Load is diurnal, so a window is never compared with an hours-old median of raw counts. Two diurnal-proof
 * comparisons are made instead:
 * - `throughput_per_s` (model-wide and per instance) against the PREVIOUS window: a drop is a count below
 *   `dropRatio` × the previous count whose one-sided binomial tail (splitting the two windows' requests in
 *   proportion to their lengths) is below `alpha`. Diurnal change between neighbouring windows is far smaller.
 * - `traffic_share` (per instance, when there are ≥ 2 instances) against the median share of the previous
 *   windows: the load balancer's split does not follow the time of day. A drop is a share below `dropRatio` × the
 *   median share with a binomial lower tail below `alpha`.
 * A drop is judged only when the baseline expects at least `minExpectedCount` requests.
 */
import { formatNumber, formatShare } from '../software/format.js';
import type { SoftwareWindowInput, WindowStats } from '../software/inputs.js';
import { binomialLowerTail } from './binomial-tail.js';
import { lastWindows, type SymptomMeasure, subjectSeries } from './measure.js';
import { median } from './robust-baseline.js';
import type { Symptom } from './symptom.js';

export interface ThroughputConfig {
  /** A count or share below this fraction of its baseline is a drop (if also significant). */
  dropRatio: number;
  /** One-sided binomial tail below which a drop is significant. */
  alpha: number;
  /** Drops are judged only when the baseline expects at least this many requests in the window. */
  minExpectedCount: number;
  /** Previous windows in the traffic-share baseline. */
  baselineWindows: number;
  /** Fewer previous windows with traffic than this → no share baseline. */
  minBaselineWindows: number;
}

export const THROUGHPUT_DEFAULTS: Readonly<ThroughputConfig> = {
  dropRatio: 0.5,
  alpha: 1e-6,
  minExpectedCount: 20,
  baselineWindows: 12,
  minBaselineWindows: 4,
};

function seconds(w: WindowStats): number {
  return (w.endMs - w.startMs) / 1000;
}

/**
 * Throughput (requests/s) of the current window model-wide and per instance, with a sudden-drop test against the
 * previous window, and per-instance traffic shares against their median share. Edge cases: no previous window →
 * value only; a single instance → no share symptom.
 */
export function measureThroughput(
  input: SoftwareWindowInput,
  config: ThroughputConfig = THROUGHPUT_DEFAULTS,
): Symptom[] {
  const out: Symptom[] = [];
  for (const { subject, label, series } of subjectSeries(input)) {
    const cur = series.current;
    const prev = series.previous.at(-1);
    const rate = cur.count / seconds(cur);
    let shifted = false;
    let p: number | null = null;
    let summary = `${formatNumber(rate, 2)} requests/s on ${label}`;
    if (prev) {
      const prevRate = prev.count / seconds(prev);
      // Under "same rate", the current window's share of the two windows' requests is its share of their time.
      const n = cur.count + prev.count;
      const p0 = seconds(cur) / (seconds(cur) + seconds(prev));
      const expected = prevRate * seconds(cur);
      if (expected >= config.minExpectedCount) {
        p = binomialLowerTail(cur.count, n, p0);
        shifted = cur.count < config.dropRatio * expected && p < config.alpha;
      }
      summary += `, against ${formatNumber(prevRate, 2)} requests/s in the previous window`;
      if (shifted) summary += ` (a drop to ${formatShare(cur.count / Math.max(expected, 1e-9))})`;
    }
    out.push({
      measure: 'throughput',
      metric: 'throughput_per_s',
      subject,
      window: input.window,
      value: rate,
      unit: 'requests/s',
      baseline: prev ? prev.count / seconds(prev) : null,
      baselineWindows: prev ? 1 : 0,
      statistic: p === null ? null : { name: 'binomial_tail_p', value: p },
      limit: null,
      shifted,
      overLimit: false,
      direction: shifted ? 'down' : null,
      summary: `${summary}.`,
    });
  }
  out.push(...measureShares(input, config));
  return out;
}

function measureShares(input: SoftwareWindowInput, config: ThroughputConfig): Symptom[] {
  const instances = input.operational.instances;
  if (instances.length < 2) return [];
  const total = (pick: (s: (typeof instances)[number]) => WindowStats | undefined) =>
    instances.reduce((acc, s) => acc + (pick(s)?.count ?? 0), 0);
  const curTotal = total((s) => s.current);
  const depth = Math.min(config.baselineWindows, ...instances.map((s) => s.previous.length));
  const out: Symptom[] = [];
  for (const s of [...instances].sort((a, b) => a.instance.localeCompare(b.instance))) {
    const shares: number[] = [];
    for (let back = 1; back <= depth; back++) {
      const t = total((x) => x.previous[x.previous.length - back]);
      const mine = s.previous[s.previous.length - back]?.count ?? 0;
      if (t > 0) shares.push(mine / t);
    }
    const recent = lastWindows(shares.reverse(), config.baselineWindows);
    const baseShare = recent.length >= config.minBaselineWindows ? median(recent) : null;
    const value = curTotal > 0 ? s.current.count / curTotal : null;
    let p: number | null = null;
    let shifted = false;
    if (baseShare !== null && value !== null && baseShare * curTotal >= config.minExpectedCount) {
      p = binomialLowerTail(s.current.count, curTotal, baseShare);
      shifted = value < config.dropRatio * baseShare && p < config.alpha;
    }
    const summary =
      value === null
        ? `No traffic in the window for any instance.`
        : `Instance ${s.instance} took ${formatShare(value)} of the traffic` +
          (baseShare === null
            ? '.'
            : `, against a median of ${formatShare(baseShare)} over ${recent.length} windows.`);
    out.push({
      measure: 'throughput',
      metric: 'traffic_share',
      subject: { model: input.model, instance: s.instance },
      window: input.window,
      value,
      unit: 'share',
      baseline: baseShare,
      baselineWindows: recent.length,
      statistic: p === null ? null : { name: 'binomial_tail_p', value: p },
      limit: null,
      shifted,
      overLimit: false,
      direction: shifted ? 'down' : null,
      summary,
    });
  }
  return out;
}

export const throughputMeasure: SymptomMeasure<'throughput', ThroughputConfig> = {
  id: 'throughput',
  defaults: THROUGHPUT_DEFAULTS,
  measure: measureThroughput,
};
