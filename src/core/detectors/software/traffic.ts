/**
 * @module
 * Shared helpers over the window's traffic slices and the registry.
 */
import type { RegisteredVersion, TrafficSlice } from './inputs.js';

export function totalCount(slices: readonly TrafficSlice[]): number {
  return slices.reduce((a, s) => a + s.count, 0);
}

export function registryByVersion(registry: readonly RegisteredVersion[]): Map<string, RegisteredVersion> {
  return new Map(registry.map((r) => [r.version, r]));
}

/** Slices grouped by a key, groups in key order. */
export function groupSlices(
  slices: readonly TrafficSlice[],
  key: (s: TrafficSlice) => string,
): [string, TrafficSlice[]][] {
  const map = new Map<string, TrafficSlice[]>();
  for (const s of slices) {
    const k = key(s);
    const list = map.get(k);
    if (list) list.push(s);
    else map.set(k, [s]);
  }
  return [...map.entries()].sort((a, b) => a[0].localeCompare(b[0]));
}

/** A short form of a hash for sentences: "sha256:4b7e9c01…". */
export function shortHash(hash: string | null): string {
  if (hash === null) return '(none)';
  return hash.length > 19 ? `${hash.slice(0, 15)}…` : hash;
}
