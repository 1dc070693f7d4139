/**
 * @module
 * Small shared helpers over heartbeats and events: grouping by instance in time order, window membership, and
 * the expected heartbeat interval.
 */
import type { TimeWindow } from '../../findings/finding.js';
import { median } from '../operational/robust-baseline.js';
import type { HeartbeatRecord, ServingEvent } from './inputs.js';

/** Heartbeats grouped by instance, each list in time order; instances in name order. */
export function heartbeatsByInstance(heartbeats: readonly HeartbeatRecord[]): Map<string, HeartbeatRecord[]> {
  const map = new Map<string, HeartbeatRecord[]>();
  for (const h of heartbeats) {
    const list = map.get(h.instance);
    if (list) list.push(h);
    else map.set(h.instance, [h]);
  }
  const sorted = new Map<string, HeartbeatRecord[]>();
  for (const name of [...map.keys()].sort()) {
    sorted.set(
      name,
      map.get(name)!.sort((a, b) => a.timestampMs - b.timestampMs),
    );
  }
  return sorted;
}

/** True when `t` lies in the half-open window [startMs, endMs). */
export function inWindow(t: number, w: TimeWindow): boolean {
  return t >= w.startMs && t < w.endMs;
}

/** Events of the given kinds, in time order. */
export function eventsOfKinds(events: readonly ServingEvent[], kinds: readonly string[]): ServingEvent[] {
  return events.filter((e) => kinds.includes(e.kind)).sort((a, b) => a.timestampMs - b.timestampMs);
}

/**
 * The interval an instance is expected to send heartbeats at: the `intervalMs` its latest heartbeat declares,
 * else the configured one, else the median spacing of its heartbeats (needs `minHeartbeats`); null when none of
 * these is known.
 */
export function expectedIntervalMs(
  sorted: readonly HeartbeatRecord[],
  configured: number | null,
  minHeartbeats: number,
): number | null {
  for (let i = sorted.length - 1; i >= 0; i--) {
    const declared = sorted[i]!.intervalMs;
    if (declared !== undefined && declared > 0) return declared;
  }
  if (configured !== null && configured > 0) return configured;
  if (sorted.length < minHeartbeats) return null;
  const spacings: number[] = [];
  for (let i = 1; i < sorted.length; i++) {
    const d = sorted[i]!.timestampMs - sorted[i - 1]!.timestampMs;
    if (d > 0) spacings.push(d);
  }
  return median(spacings);
}
