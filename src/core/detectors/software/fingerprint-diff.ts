/**
 * @module
 * Differences between two environment fingerprints (runtime, OS, architecture, lock-file hash, package versions),
 * written the way a person reads them: "numpy 1.26.4 → 2.0.0; python 3.11.7 → 3.12.1".
 */
import type { Fingerprint } from '../../contract/events.js';
import { shortHash } from './traffic.js';

export interface FingerprintChange {
  /** 'runtime', 'os', 'arch', 'lockfileHash' or 'packages.<name>'. */
  field: string;
  from: string | null;
  to: string | null;
}

export const FINGERPRINT_FIELDS = ['runtime', 'os', 'arch', 'lockfileHash'] as const;
export type FingerprintField = (typeof FINGERPRINT_FIELDS)[number];

export interface DiffOptions {
  /** Only the packages the `from` side lists are compared (the validated fingerprint names what matters). */
  packagesOfFromOnly: boolean;
  ignorePackages: readonly string[];
  fields: readonly FingerprintField[];
}

/**
 * The changes from `from` to `to`: packages first (by name), then runtime, os, arch and lock-file hash. A field
 * is compared only when both sides state it; a package present on one side only is a change from/to null.
 * Equal fingerprints → [].
 */
export function diffFingerprints(
  from: Fingerprint,
  to: Fingerprint,
  options: DiffOptions,
): FingerprintChange[] {
  const out: FingerprintChange[] = [];
  const a = from.packages ?? {};
  const b = to.packages ?? {};
  const names = new Set(Object.keys(a));
  if (!options.packagesOfFromOnly) for (const n of Object.keys(b)) names.add(n);
  if (from.packages && to.packages) {
    for (const name of [...names].sort()) {
      if (options.ignorePackages.includes(name)) continue;
      const x = a[name] ?? null;
      const y = b[name] ?? null;
      if (x !== y) out.push({ field: `packages.${name}`, from: x, to: y });
    }
  }
  for (const f of options.fields) {
    const x = from[f];
    const y = to[f];
    if (x !== undefined && y !== undefined && x !== y) out.push({ field: f, from: x, to: y });
  }
  return out;
}

function runtimeText(from: string, to: string): string {
  // "python 3.11.7" → "python 3.12.1" reads better as "python 3.11.7 → 3.12.1".
  const [n1, ...r1] = from.split(' ');
  const [n2, ...r2] = to.split(' ');
  if (n1 && n1 === n2 && r1.length > 0 && r2.length > 0) return `${n1} ${r1.join(' ')} → ${r2.join(' ')}`;
  return `${from} → ${to}`;
}

/** One change as text: "numpy 1.26.4 → 2.0.0", "torch (absent) → 2.3.0", "os debian 12 → debian 13". */
export function changeText(c: FingerprintChange): string {
  if (c.field.startsWith('packages.')) {
    const name = c.field.slice('packages.'.length);
    return `${name} ${c.from ?? '(absent)'} → ${c.to ?? '(absent)'}`;
  }
  const from = c.from ?? '(absent)';
  const to = c.to ?? '(absent)';
  if (c.field === 'runtime') return runtimeText(from, to);
  if (c.field === 'lockfileHash') return `lock file ${shortHash(c.from)} → ${shortHash(c.to)}`;
  return `${c.field} ${from} → ${to}`;
}

/** All changes as one line: "numpy 1.26.4 → 2.0.0; python 3.11.7 → 3.12.1". */
export function changesText(changes: readonly FingerprintChange[]): string {
  return changes.map(changeText).join('; ');
}
