/**
 * @module
 * Turns a generated stream into the per-window detector inputs the collector would assemble from its store:
 * per-instance and model-wide window stats (`windowStatsOf`: count, exact latency quantiles, errors by kind) for the current
 * window and the ones before it, heartbeats, events and probe results of the window and its lookback, the
 * window's traffic slices with the start of their contiguous run, and the registry.
 */
import { windowStatsOf } from '../from-rows.js';
import type { InstanceOperational, SoftwareWindowInput, TrafficSlice, WindowStats } from '../inputs.js';
import type { PredictionRecord, Scenario } from './scenario.js';

export interface AssembleOptions {
  /** Previous windows passed as history. */
  baselineWindows?: number;
  /** Heartbeats, events and probe results are passed from this long before the window start. */
  lookbackMs?: number;
}

export interface WindowInputs {
  /** Number of windows in the stream. */
  count: number;
  /** Index of the window holding event time `ms`. */
  indexOf(ms: number): number;
  /** The detector input of window `i`. */
  input(i: number): SoftwareWindowInput;
}

function between<T extends { timestampMs: number }>(sorted: readonly T[], from: number, to: number): T[] {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]!.timestampMs < from) lo = mid + 1;
    else hi = mid;
  }
  const out: T[] = [];
  for (let i = lo; i < sorted.length && sorted[i]!.timestampMs < to; i++) out.push(sorted[i]!);
  return out;
}

/**
 * Precomputes every window's stats and slices once, then serves each window's input in O(its size).
 * @example const w = windowInputs(generateScenario({ seed: 1 })); w.input(w.indexOf(start + 10 * 3_600_000))
 */
export function windowInputs(scenario: Scenario, options: AssembleOptions = {}): WindowInputs {
  const baselineWindows = options.baselineWindows ?? 12;
  const lookbackMs = options.lookbackMs ?? 3_600_000;
  const { startMs, windowMs, instances } = scenario;
  const count = Math.ceil((scenario.endMs - startMs) / windowMs);
  const buckets: PredictionRecord[][] = Array.from({ length: count }, () => []);
  for (const p of scenario.predictions) buckets[Math.floor((p.timestampMs - startMs) / windowMs)]!.push(p);
  const bounds = (i: number) => [startMs + i * windowMs, startMs + (i + 1) * windowMs] as const;
  const overall: WindowStats[] = buckets.map((rows, i) => windowStatsOf(rows, ...bounds(i)));
  const perInstance = new Map<string, WindowStats[]>(
    instances.map((name) => [
      name,
      buckets.map((rows, i) =>
        windowStatsOf(
          rows.filter((r) => r.instance === name),
          ...bounds(i),
        ),
      ),
    ]),
  );
  // Traffic slices per window, keyed by (version, artifactHash, instance), with first/last event time.
  const slices = buckets.map((rows) => {
    const map = new Map<string, TrafficSlice>();
    for (const r of rows) {
      const key = `${r.version}\u0000${r.artifactHash}\u0000${r.instance}`;
      const s = map.get(key);
      if (s) {
        s.count++;
        s.lastSeenMs = r.timestampMs;
      } else
        map.set(key, {
          version: r.version,
          artifactHash: r.artifactHash,
          instance: r.instance,
          count: 1,
          firstSeenMs: r.timestampMs,
          lastSeenMs: r.timestampMs,
        });
    }
    return map;
  });
  const series = (list: WindowStats[], i: number) => ({
    current: list[i]!,
    previous: list.slice(Math.max(0, i - baselineWindows), i),
  });
  return {
    count,
    indexOf: (ms) => Math.floor((ms - startMs) / windowMs),
    input(i) {
      if (!(Number.isInteger(i) && i >= 0 && i < count))
        throw new RangeError(`window index must be an integer in [0, ${count}), got ${i}`);
      const [from, to] = bounds(i);
      const traffic = [...slices[i]!.entries()].map(([key, s]) => {
        // The run of consecutive windows in which this triple was served, back from this one.
        let j = i;
        while (j > 0 && slices[j - 1]!.has(key)) j--;
        return { ...s, firstSeenMs: slices[j]!.get(key)!.firstSeenMs };
      });
      const instanceSeries: InstanceOperational[] = instances.map((name) => ({
        instance: name,
        ...series(perInstance.get(name)!, i),
      }));
      return {
        model: scenario.model,
        window: { startMs: from, endMs: to, kind: 'sliding' },
        operational: { overall: series(overall, i), instances: instanceSeries },
        heartbeats: between(scenario.heartbeats, from - lookbackMs, to),
        events: between(scenario.events, from - lookbackMs, to),
        traffic,
        registry: scenario.registry,
        probes: {
          specs: scenario.probeSpecs,
          results: between(scenario.probeResults, from - lookbackMs, to),
        },
      };
    },
  };
}
