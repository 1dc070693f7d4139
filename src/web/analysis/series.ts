/**
 * @module
 * Operational series from window summaries: traffic, errors by kind, latency quantiles, label coverage and
 * realised performance. A window answer holds one summary per version and window start; counts add up exactly
 * across versions, while latency quantiles of different versions cannot be merged from quantiles alone, so a
 * window with several versions shows the worst (largest) one — the figure an on-call engineer cares about.
 */
import type { WindowSummary } from '../../core/contract/index.js';
import { wilsonInterval } from '../../core/metrics/intervals.js';

/** Window starts (ms) covering [fromMs, toMs), aligned to `windowMs`. */
export function timeAxis(fromMs: number, toMs: number, windowMs: number): number[] {
  const out: number[] = [];
  for (let t = Math.floor(fromMs / windowMs) * windowMs; t < toMs; t += windowMs) out.push(t);
  return out;
}

/**
 * How much of each window has elapsed by `nowMs` (ms): the full window, except the one in progress (and none
 * for windows in the future). Counts divided by it are rates that do not dip in the window still filling up.
 */
export function coverageMs(axis: readonly number[], windowMs: number, nowMs: number): number[] {
  return axis.map((t) => Math.max(0, Math.min(windowMs, nowMs - t)));
}

/**
 * `counts[i]` per `unitMs` over the elapsed part of each window; null where less than `minCoverageMs` has
 * elapsed (a few minutes of a new window give a rate too noisy to plot).
 */
export function perUnit(
  counts: readonly number[],
  coverage: readonly number[],
  unitMs: number,
  minCoverageMs = 0,
): (number | null)[] {
  return counts.map((n, i) => {
    const c = coverage[i] ?? 0;
    return c > 0 && c >= minCoverageMs ? (n * unitMs) / c : null;
  });
}

/** Window summaries grouped by start (ms), in the order of `axis`; an empty list where nothing was seen. */
export function byStart(windows: readonly WindowSummary[], axis: readonly number[]): WindowSummary[][] {
  const index = new Map<number, number>();
  for (let i = 0; i < axis.length; i++) index.set(axis[i]!, i);
  const out: WindowSummary[][] = axis.map(() => []);
  for (const w of windows) {
    const i = index.get(Date.parse(w.start));
    if (i !== undefined) out[i]!.push(w);
  }
  return out;
}

export type Values = (number | null)[];

export interface TrafficSeries {
  predictions: number[];
  /** Requests per second over the elapsed part of each window. */
  rps: (number | null)[];
  errors: number[];
  timeouts: number[];
  /** (errors + timeouts) / predictions; null for an empty window. */
  errorRate: Values;
}

/** Predictions, errors, timeouts and rates per window (0 for windows with no traffic). */
export function trafficSeries(
  groups: readonly WindowSummary[][],
  coverage: readonly number[],
): TrafficSeries {
  const predictions = groups.map((g) => g.reduce((s, w) => s + w.predictions, 0));
  const errors = groups.map((g) => g.reduce((s, w) => s + (w.status.error ?? 0), 0));
  const timeouts = groups.map((g) => g.reduce((s, w) => s + (w.status.timeout ?? 0), 0));
  return {
    predictions,
    rps: perUnit(predictions, coverage, 1000),
    errors,
    timeouts,
    errorRate: predictions.map((n, i) => (n > 0 ? (errors[i]! + timeouts[i]!) / n : null)),
  };
}

/** Failed requests by error kind per window; kinds ordered by total, largest first. */
export function errorKindSeries(groups: readonly WindowSummary[][]): { kind: string; counts: number[] }[] {
  const totals = new Map<string, number>();
  for (const g of groups)
    for (const w of g)
      for (const [k, n] of Object.entries(w.errorKinds)) totals.set(k, (totals.get(k) ?? 0) + n);
  const kinds = [...totals.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([k]) => k);
  return kinds.map((kind) => ({
    kind,
    counts: groups.map((g) => g.reduce((s, w) => s + (w.errorKinds[kind] ?? 0), 0)),
  }));
}

export interface LatencySeries {
  p50: Values;
  p90: Values;
  p99: Values;
  max: Values;
}

/** Latency quantiles per window (ms); with several versions in a window, the largest of each quantile. */
export function latencySeries(groups: readonly WindowSummary[][]): LatencySeries {
  const pick = (g: readonly WindowSummary[], k: 'p50' | 'p90' | 'p99' | 'max'): number | null => {
    let best: number | null = null;
    for (const w of g) if (w.latencyMs && (best === null || w.latencyMs[k] > best)) best = w.latencyMs[k];
    return best;
  };
  return {
    p50: groups.map((g) => pick(g, 'p50')),
    p90: groups.map((g) => pick(g, 'p90')),
    p99: groups.map((g) => pick(g, 'p99')),
    max: groups.map((g) => pick(g, 'max')),
  };
}

/** Share of the window's predictions that have a label so far; null for an empty window. */
export function labelledShareSeries(groups: readonly WindowSummary[][]): Values {
  return groups.map((g) => {
    const n = g.reduce((s, w) => s + w.predictions, 0);
    const l = g.reduce((s, w) => s + w.labels.count, 0);
    return n > 0 ? Math.min(1, l / n) : null;
  });
}

export interface BandedSeries {
  value: Values;
  lower: Values;
  upper: Values;
  n: number[];
}

/**
 * Realised accuracy per window (correct / classified, summed over versions) with its 95 % Wilson interval
 * (methods.md 10.4: every metric with its n). Null where no labelled prediction has a class.
 */
export function accuracySeries(groups: readonly WindowSummary[][]): BandedSeries {
  const out: BandedSeries = { value: [], lower: [], upper: [], n: [] };
  for (const g of groups) {
    let correct = 0;
    let total = 0;
    for (const w of g) {
      correct += w.labels.classification?.correct ?? 0;
      total += w.labels.classification?.total ?? 0;
    }
    const ci = wilsonInterval(correct, total, 0.95, 'accuracy');
    out.value.push(ci.estimate);
    out.lower.push(ci.lower);
    out.upper.push(ci.upper);
    out.n.push(total);
  }
  return out;
}

/** Realised mean absolute error per window (count-weighted over versions); null without labelled values. */
export function maeSeries(groups: readonly WindowSummary[][]): Values {
  return groups.map((g) => {
    let n = 0;
    let sum = 0;
    for (const w of g) {
      const r = w.labels.regression;
      if (r && r.mae !== null && r.count > 0) {
        n += r.count;
        sum += r.mae * r.count;
      }
    }
    return n > 0 ? sum / n : null;
  });
}

/** Error rate ((errors + timeouts) / predictions) of each instance per window; null where it served nothing. */
export function instanceErrorRates(
  groups: readonly WindowSummary[][],
): { instance: string; values: Values }[] {
  const names = new Set<string>();
  for (const g of groups) for (const w of g) for (const i of Object.keys(w.instances)) names.add(i);
  return [...names].sort().map((instance) => ({
    instance: instance === '' ? '(none)' : instance,
    values: groups.map((g) => {
      let n = 0;
      let bad = 0;
      for (const w of g) {
        const c = w.instances[instance];
        if (!c) continue;
        n += c.predictions;
        bad += c.errors + c.timeouts;
      }
      return n > 0 ? bad / n : null;
    }),
  }));
}

/** Predictions per version per window, versions by total traffic. */
export function versionTraffic(groups: readonly WindowSummary[][]): { version: string; counts: number[] }[] {
  const totals = new Map<string, number>();
  for (const g of groups)
    for (const w of g) totals.set(w.version, (totals.get(w.version) ?? 0) + w.predictions);
  return [...totals.entries()]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .map(([version]) => ({
      version,
      counts: groups.map((g) =>
        g.filter((w) => w.version === version).reduce((s, w) => s + w.predictions, 0),
      ),
    }));
}

/** Where each version runs: predictions per instance and artifact hashes seen, over all windows. */
export function deployments(windows: readonly WindowSummary[]): {
  version: string;
  instances: Record<string, number>;
  artifactHashes: Record<string, number>;
  lastSeen: number;
}[] {
  const by = new Map<
    string,
    {
      version: string;
      instances: Record<string, number>;
      artifactHashes: Record<string, number>;
      lastSeen: number;
    }
  >();
  for (const w of windows) {
    if (w.predictions === 0) continue;
    const d = by.get(w.version) ?? { version: w.version, instances: {}, artifactHashes: {}, lastSeen: 0 };
    for (const [inst, c] of Object.entries(w.instances))
      d.instances[inst] = (d.instances[inst] ?? 0) + c.predictions;
    for (const [hash, c] of Object.entries(w.artifactHashes))
      d.artifactHashes[hash] = (d.artifactHashes[hash] ?? 0) + c;
    d.lastSeen = Math.max(d.lastSeen, Date.parse(w.end));
    by.set(w.version, d);
  }
  return [...by.values()].sort((a, b) => b.lastSeen - a.lastSeen || (a.version < b.version ? -1 : 1));
}
