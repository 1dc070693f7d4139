/**
 * Window summaries for the analysis tests, built the way the collector builds them: rows go through a real
 * `DatasetProfile` and `summarizeProfile`, so the tests read the same shapes the API answers with.
 */
import type { WindowSummary } from '../../core/contract/index.js';
import { DatasetProfile } from '../../core/profile/dataset-profile.js';
import { summarizeProfile } from '../../core/profile/profile-summary.js';
import { seededRng } from '../../core/rng.js';

export interface FixtureRow {
  id?: string;
  instance?: string;
  features: Record<string, number | string | boolean | null>;
  output?: { class?: string; probabilities?: Record<string, number>; items?: string[] } | null;
  label?: string | number | null;
  latencyMs?: number;
  status?: 'ok' | 'error' | 'timeout';
  errorKind?: string;
}

/** A window summary of `rows` starting at `startMs` (with profiles and the rows as its sample). */
export function windowOf(
  rows: readonly FixtureRow[],
  startMs: number,
  windowMs = 3_600_000,
  version = 'v1',
  extra: Partial<WindowSummary> = {},
): WindowSummary {
  const rng = seededRng(7);
  const features = DatasetProfile.empty({ rng, settings: { sampleRows: 0 } });
  const labels = DatasetProfile.empty({ rng, settings: { sampleRows: 0 } });
  for (const r of rows) {
    features.addRow(r.features);
    if (r.label !== undefined && r.label !== null) labels.addRow({ label: r.label });
  }
  const status = { ok: 0, error: 0, timeout: 0 };
  const errorKinds: Record<string, number> = {};
  for (const r of rows) {
    status[r.status ?? 'ok'] += 1;
    if (r.errorKind) errorKinds[r.errorKind] = (errorKinds[r.errorKind] ?? 0) + 1;
  }
  return {
    model: 'm',
    version,
    start: new Date(startMs).toISOString(),
    end: new Date(startMs + windowMs).toISOString(),
    windowMs,
    buckets: 1,
    closed: true,
    predictions: rows.length,
    status,
    errorKinds,
    latencyMs: null,
    instances: {},
    artifactHashes: {},
    labels: {
      count: rows.filter((r) => r.label !== undefined && r.label !== null).length,
      timeToLabelMs: null,
      classification: null,
      regression: null,
    },
    feedback: { count: 0, actions: {} },
    profiles: {
      features: summarizeProfile(features).columns as unknown as Record<string, unknown>[],
      outputs: [],
      labels: summarizeProfile(labels).columns as unknown as Record<string, unknown>[],
    },
    sample: {
      seen: rows.length,
      rows: rows.map((r, i) => ({
        id: r.id ?? `p${startMs}-${i}`,
        instance: r.instance ?? null,
        features: r.features,
        output: r.output ?? null,
        label: r.label ?? null,
      })),
    },
    ...extra,
  };
}

/** `n` draws of a standard normal shifted by `mean` and scaled by `sd` (seeded). */
export function normals(n: number, mean: number, sd: number, seed: number): number[] {
  const rng = seededRng(seed);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const u = Math.max(1e-12, rng.next());
    out.push(mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.next()));
  }
  return out;
}
