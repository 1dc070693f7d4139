/** The three wrong-model detectors on hand-made traffic: artifact mismatch, unintended version, mixed versions. */
import { describe, expect, it } from 'vitest';
import { ARTIFACT_MISMATCH_DEFAULTS, artifactMismatch } from './artifact-mismatch.js';
import type { RegisteredVersion, TrafficSlice } from './inputs.js';
import { MIXED_VERSIONS_DEFAULTS, mixedVersions } from './mixed-versions.js';
import { emptyInput, findingsOf, T0 } from './testing/fixtures.js';
import { UNINTENDED_VERSION_DEFAULTS, unintendedVersion } from './unintended-version.js';

const H3 = 'sha256:4b7e9c0152d8a3f6e1b2c4d5a6f7e8d9c0b1a2f3e4d5c6b7a8f9e0d1c2b3a4f5';
const H2 = 'sha256:2c1d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b0c9d';
const ROGUE = 'sha256:9f0e1d2c3b4a5f6e7d8c9b0a1f2e3d4c5b6a7f8e9d0c1b2a3f4e5d6c7b8a9f0e';
const registry: RegisteredVersion[] = [
  { version: 'v2', artifactHash: H2, intended: false, createdAtMs: T0 - 30 * 86_400_000, fingerprint: null },
  {
    version: 'v3',
    artifactHash: H3,
    intended: true,
    createdAtMs: T0 - 3 * 86_400_000,
    intendedSinceMs: T0 - 86_400_000,
    fingerprint: null,
  },
];
const slice = (
  instance: string,
  version: string,
  artifactHash: string | null,
  count: number,
  firstSeenMs = T0 - 86_400_000,
): TrafficSlice => ({
  version,
  artifactHash,
  instance,
  count,
  firstSeenMs,
  lastSeenMs: T0 + 290_000,
});
const healthy = [slice('web-1', 'v3', H3, 300), slice('web-2', 'v3', H3, 300), slice('web-3', 'v3', H3, 300)];

describe('artifact mismatch', () => {
  const run = (traffic: TrafficSlice[], reg = registry) =>
    artifactMismatch.run(emptyInput({ traffic, registry: reg }), ARTIFACT_MISMATCH_DEFAULTS);

  it('names the instance serving foreign bytes under the registered version name, with share and since', () => {
    const traffic = [
      slice('web-1', 'v3', ROGUE, 200, T0 + 60_000),
      slice('web-2', 'v3', H3, 400),
      slice('web-3', 'v3', H3, 400),
    ];
    const [f, ...rest] = findingsOf(run(traffic));
    expect(rest).toEqual([]);
    expect(f!.cause).toBe('deployment_wrong_model');
    expect(f!.subject).toEqual({ model: 'churn', version: 'v3', instance: 'web-1' });
    expect(f!.severity).toBe('critical');
    expect(f!.sinceMs).toBe(T0 + 60_000);
    expect(f!.evidence.summary).toBe(
      'Instance web-1 serves v3 from artifact sha256:9f0e1d2c…, not the registered sha256:4b7e9c01…: 200 predictions, 20 % of the traffic (20 % of v3), since 2025-01-06 10:01:00 UTC.',
    );
  });

  it('is clear when every hash matches, and says when it cannot check', () => {
    expect(run(healthy)[0]!.kind).toBe('clear');
    expect(run(healthy.map((s) => ({ ...s, artifactHash: null })))[0]!.kind).toBe('insufficient_data');
    expect(run([])[0]!.kind).toBe('insufficient_data');
    expect(
      run(
        healthy,
        registry.map((r) => ({ ...r, artifactHash: null })),
      )[0]!.kind,
    ).toBe('not_applicable');
  });
});

describe('unintended version', () => {
  const run = (traffic: TrafficSlice[], reg = registry) =>
    unintendedVersion.run(emptyInput({ traffic, registry: reg }), UNINTENDED_VERSION_DEFAULTS);

  it('an older version back in traffic on one instance', () => {
    const traffic = [...healthy.slice(0, 2), slice('web-3', 'v2', H2, 300, T0 + 150_000)];
    const [f] = findingsOf(run(traffic));
    expect(f!.subject).toEqual({ model: 'churn', version: 'v2', instance: 'web-3' });
    expect(f!.severity).toBe('critical');
    expect(f!.score).toBeCloseTo(0.5 + 0.5 / 3, 12);
    expect(f!.evidence.summary).toBe(
      'The older version v2 is serving on instance web-3 although v3 is intended: 300 predictions, 33.3 % of the traffic, since 2025-01-06 10:02:30 UTC.',
    );
  });

  it('an unregistered version, and a trickle under the critical share as a warning', () => {
    const traffic = [...healthy, slice('web-1', 'v9', null, 10)];
    const [f] = findingsOf(run(traffic));
    expect(f!.evidence.summary).toContain('unregistered version v9');
    expect(f!.severity).toBe('warning');
  });

  it('lets the previous version drain after a takeover', () => {
    const justSwitched = registry.map((r) => (r.intended ? { ...r, intendedSinceMs: T0 } : r));
    const draining = [...healthy, { ...slice('web-3', 'v2', H2, 20), lastSeenMs: T0 + 120_000 }];
    expect(run(draining, justSwitched)[0]!.kind).toBe('clear');
  });

  it('not applicable without an intended version; insufficient without traffic', () => {
    expect(
      run(
        healthy,
        registry.map((r) => ({ ...r, intended: false })),
      )[0]!.kind,
    ).toBe('not_applicable');
    expect(run([])[0]!.kind).toBe('insufficient_data');
  });
});

describe('mixed versions', () => {
  const run = (traffic: TrafficSlice[]) =>
    mixedVersions.run(emptyInput({ traffic }), MIXED_VERSIONS_DEFAULTS);

  it('instances on different versions for longer than a rollout', () => {
    const traffic = [...healthy.slice(0, 2), slice('web-3', 'v2', H2, 300, T0 - 3_600_000)];
    const [f] = findingsOf(run(traffic));
    expect(f!.subject).toEqual({ model: 'churn' });
    expect(f!.severity).toBe('warning');
    expect(f!.sinceMs).toBe(T0 - 3_600_000);
    expect(f!.evidence.summary).toContain(
      'web-3 → v2 (sha256:2c1d8e7f…); web-1, web-2 → v3 (sha256:4b7e9c01…)',
    );
    expect(f!.evidence.figures[0]!.value).toBeCloseTo(1 / 3, 12);
  });

  it('one version from two artifacts across instances', () => {
    const traffic = [...healthy.slice(0, 2), slice('web-3', 'v3', ROGUE, 300, T0 - 3_600_000)];
    expect(findingsOf(run(traffic))[0]!.evidence.summary).toContain('one version from different artifacts');
  });

  it('a fresh rollout mixes versions for a while without a finding', () => {
    const traffic = [...healthy.slice(0, 2), slice('web-3', 'v4', 'sha256:new', 300, T0 - 600_000)];
    const out = run(traffic);
    expect(out[0]!.kind).toBe('clear');
    expect(run(healthy)[0]!.kind).toBe('clear');
    expect(run(healthy.slice(0, 1))[0]!.kind).toBe('insufficient_data');
  });
});
