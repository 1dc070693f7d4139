/**
 * @module
 * Serving instances as the dashboard shows them: how each one's environment differs from the one its version
 * was validated in, whether it serves the registered artifact, whether its heartbeats are late, and its
 * heartbeats and host metrics bucketed onto the chart axis.
 */
import type { Fingerprint, StoredHeartbeat } from '../../core/contract/index.js';

export interface FingerprintDiff {
  /** Top-level fields that differ (runtime, os, arch, lockfileHash), with validated → served values. */
  fields: { field: string; validated: string | null; served: string | null }[];
  /** Packages whose version differs, or that appear on one side only. */
  packages: { name: string; validated: string | null; served: string | null }[];
}

/** Differences between the validated fingerprint and a served one; empty when either is unknown. */
export function fingerprintDiff(validated: Fingerprint | null, served: Fingerprint | null): FingerprintDiff {
  const out: FingerprintDiff = { fields: [], packages: [] };
  if (!validated || !served) return out;
  for (const field of ['runtime', 'os', 'arch', 'lockfileHash'] as const) {
    const a = validated[field] ?? null;
    const b = served[field] ?? null;
    if (a !== null && b !== null && a !== b) out.fields.push({ field, validated: a, served: b });
  }
  const pa = validated.packages ?? {};
  const pb = served.packages ?? {};
  for (const name of [...new Set([...Object.keys(pa), ...Object.keys(pb)])].sort()) {
    const a = pa[name] ?? null;
    const b = pb[name] ?? null;
    if (a !== b && validated.packages && served.packages)
      out.packages.push({ name, validated: a, served: b });
  }
  return out;
}

/** The typical interval between an instance's heartbeats (median gap, ms); null with fewer than two. */
export function typicalIntervalMs(timesMs: readonly number[]): number | null {
  if (timesMs.length < 2) return null;
  const sorted = [...timesMs].sort((a, b) => a - b);
  const gaps: number[] = [];
  for (let i = 1; i < sorted.length; i++) gaps.push(sorted[i]! - sorted[i - 1]!);
  gaps.sort((a, b) => a - b);
  const mid = gaps.length >> 1;
  return gaps.length % 2 ? gaps[mid]! : (gaps[mid - 1]! + gaps[mid]!) / 2;
}

/**
 * Whether an instance is late: its last heartbeat is older than `missed + 1` of its intervals (the declared
 * `intervalMs`, else the typical gap). Null when no interval is known.
 */
export function isLate(
  lastSeenMs: number,
  intervalMs: number | null,
  nowMs: number,
  missed = 2,
): boolean | null {
  if (intervalMs === null || !(intervalMs > 0)) return null;
  return nowMs - lastSeenMs > intervalMs * (missed + 1);
}

/** Heartbeats per instance per window of the axis (0 where none arrived). */
export function heartbeatCounts(
  beats: readonly StoredHeartbeat[],
  axis: readonly number[],
  windowMs: number,
): { instance: string; counts: number[] }[] {
  const by = new Map<string, number[]>();
  const t0 = axis[0] ?? 0;
  for (const b of beats) {
    const i = Math.floor((Date.parse(b.timestamp) - t0) / windowMs);
    if (i < 0 || i >= axis.length) continue;
    let counts = by.get(b.instance);
    if (!counts) by.set(b.instance, (counts = axis.map(() => 0)));
    counts[i]! += 1;
  }
  return [...by.entries()]
    .sort((a, b) => (a[0] < b[0] ? -1 : 1))
    .map(([instance, counts]) => ({ instance, counts }));
}

/** The mean of one host metric per instance per window (null where no heartbeat carried it). */
export function hostMetricSeries(
  beats: readonly StoredHeartbeat[],
  metric: string,
  axis: readonly number[],
  windowMs: number,
): { instance: string; values: (number | null)[] }[] {
  const sums = new Map<string, { s: number[]; n: number[] }>();
  const t0 = axis[0] ?? 0;
  for (const b of beats) {
    const v = b.host[metric];
    if (typeof v !== 'number' || !Number.isFinite(v)) continue;
    const i = Math.floor((Date.parse(b.timestamp) - t0) / windowMs);
    if (i < 0 || i >= axis.length) continue;
    let acc = sums.get(b.instance);
    if (!acc) sums.set(b.instance, (acc = { s: axis.map(() => 0), n: axis.map(() => 0) }));
    acc.s[i]! += v;
    acc.n[i]! += 1;
  }
  return [...sums.entries()]
    .sort((a, b) => (a[0] < b[0] ? -1 : 1))
    .map(([instance, { s, n }]) => ({ instance, values: s.map((x, i) => (n[i]! > 0 ? x / n[i]! : null)) }));
}

/** Host metric names present in the heartbeats, most common first. */
export function hostMetricNames(beats: readonly StoredHeartbeat[]): string[] {
  const counts = new Map<string, number>();
  for (const b of beats)
    for (const [k, v] of Object.entries(b.host))
      if (typeof v === 'number') counts.set(k, (counts.get(k) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([k]) => k);
}
