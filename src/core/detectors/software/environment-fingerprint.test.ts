import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Fingerprint } from '../../contract/events.js';
import { ENVIRONMENT_FINGERPRINT_DEFAULTS, environmentFingerprint } from './environment-fingerprint.js';
import { changesText, diffFingerprints, FINGERPRINT_FIELDS } from './fingerprint-diff.js';
import type { HeartbeatRecord, InstanceOperational, RegisteredVersion } from './inputs.js';
import { emptyInput, findingsOf, regularHeartbeats, T0, WINDOW_MS, windowStats } from './testing/fixtures.js';

const validated: Fingerprint = {
  runtime: 'python 3.11.7',
  os: 'linux 6.1.0 debian 12',
  lockfileHash: 'sha256:aa51c0ffee7d2b8e91f4c6a3d5e7b9c1',
  packages: { numpy: '1.26.4', pandas: '2.2.2', scipy: '1.13.0' },
};
const changed: Fingerprint = {
  ...validated,
  runtime: 'python 3.12.1',
  lockfileHash: 'sha256:bb62d1e0aa8e3c9f02a5d7b4e6f8a0c2',
  packages: { ...validated.packages, numpy: '2.0.0', torch: '2.3.0' },
};
const registry: RegisteredVersion[] = [
  { version: 'v3', artifactHash: null, intended: true, fingerprint: validated },
];
const opts = { packagesOfFromOnly: false, ignorePackages: [], fields: FINGERPRINT_FIELDS };

describe('fingerprint differences', () => {
  it('lists packages first, then runtime and lock file, as a person reads them', () => {
    const changes = diffFingerprints(validated, changed, opts);
    expect(changesText(changes)).toBe(
      'numpy 1.26.4 → 2.0.0; torch (absent) → 2.3.0; python 3.11.7 → 3.12.1; lock file sha256:aa51c0ff… → sha256:bb62d1e0…',
    );
    expect(
      diffFingerprints(validated, changed, { ...opts, packagesOfFromOnly: true }).map((c) => c.field),
    ).toEqual(['packages.numpy', 'runtime', 'lockfileHash']);
    expect(changesText(diffFingerprints({ runtime: 'python 3.11' }, { runtime: 'node 20.1' }, opts))).toBe(
      'python 3.11 → node 20.1',
    );
  });

  it('a fingerprint has no difference with itself, and the differences are symmetric', () => {
    const fp = fc.record({
      runtime: fc.constantFrom('python 3.11.7', 'python 3.12.1'),
      packages: fc.dictionary(
        fc.constantFrom('numpy', 'pandas', 'scipy', 'torch'),
        fc.constantFrom('1.0', '2.0'),
      ),
    });
    fc.assert(
      fc.property(fp, fp, (a, b) => {
        expect(diffFingerprints(a, a, opts)).toEqual([]);
        const ab = diffFingerprints(a, b, opts);
        const ba = diffFingerprints(b, a, opts);
        expect(ba).toEqual(ab.map((c) => ({ field: c.field, from: c.to, to: c.from })));
      }),
    );
  });
});

function instanceOps(instance: string, errorsNow: number): InstanceOperational {
  const previous = Array.from({ length: 12 }, (_, i) => windowStats(i - 12, 400, 200, { client_error: 1 }));
  return { instance, current: windowStats(0, 400, 200, { server_error: errorsNow }), previous };
}

const hbs = (fpAfterChange: Fingerprint, changeAt = T0 + 120_000): HeartbeatRecord[] => [
  ...regularHeartbeats('web-1', T0 - 600_000, T0 + WINDOW_MS, 30_000, {
    fingerprint: validated,
    version: 'v3',
  }),
  ...regularHeartbeats('web-2', T0 - 600_000, changeAt, 30_000, { fingerprint: validated, version: 'v3' }),
  ...regularHeartbeats('web-2', changeAt, T0 + WINDOW_MS, 30_000, {
    fingerprint: fpAfterChange,
    version: 'v3',
  }),
];

describe('environment fingerprint', () => {
  const run = (heartbeats: HeartbeatRecord[], errorsNow = 0, reg = registry) =>
    environmentFingerprint.run(
      emptyInput({
        heartbeats,
        registry: reg,
        operational: { overall: null, instances: [instanceOps('web-1', 0), instanceOps('web-2', errorsNow)] },
      }),
      ENVIRONMENT_FINGERPRINT_DEFAULTS,
    );

  it('an instance that moved away from the validated environment, dated at the change', () => {
    const [f, ...rest] = findingsOf(run(hbs(changed)));
    expect(rest).toEqual([]);
    expect(f!.cause).toBe('dependency_failure');
    expect(f!.subject).toEqual({ model: 'churn', instance: 'web-2', version: 'v3' });
    expect(f!.severity).toBe('warning');
    expect(f!.sinceMs).toBe(T0 + 120_000);
    expect(f!.evidence.summary).toBe(
      'Instance web-2 runs numpy 1.26.4 → 2.0.0; python 3.11.7 → 3.12.1; lock file sha256:aa51c0ff… → sha256:bb62d1e0… compared with the environment v3 was validated in; changed at 2025-01-06 10:02:00 UTC.',
    );
    expect(f!.evidence.figures[0]).toEqual({ name: 'packages.numpy', value: '2.0.0', baseline: '1.26.4' });
  });

  it('is critical when the same instance’s errors rose in the window', () => {
    const [f] = findingsOf(run(hbs(changed), 30));
    expect(f!.severity).toBe('critical');
    expect(f!.evidence.summary).toContain('error rate 7.5 % (30 of 400) on instance web-2, 30× the 0.25 %');
  });

  it('without a validated fingerprint, a change in the window is still reported against the previous heartbeat', () => {
    const [f] = findingsOf(run(hbs(changed), 0, [{ ...registry[0]!, fingerprint: null }]));
    expect(f!.evidence.summary).toContain('compared with its previous heartbeat');
    expect(f!.evidence.summary).toContain('torch (absent) → 2.3.0');
  });

  it('returning to the validated environment, or never leaving it, is clear', () => {
    const back = [
      ...regularHeartbeats('web-1', T0 - 600_000, T0 + 60_000, 30_000, { fingerprint: changed }),
      ...regularHeartbeats('web-1', T0 + 60_000, T0 + WINDOW_MS, 30_000, { fingerprint: validated }),
    ];
    expect(run(back)[0]!.kind).toBe('clear');
    expect(run(hbs(validated))[0]!.kind).toBe('clear');
  });

  it('ignorePackages leaves a package out', () => {
    const onlyNumpy: Fingerprint = { ...validated, packages: { ...validated.packages, numpy: '2.0.0' } };
    const out = environmentFingerprint.run(emptyInput({ heartbeats: hbs(onlyNumpy), registry }), {
      ...ENVIRONMENT_FINGERPRINT_DEFAULTS,
      ignorePackages: ['numpy'],
    });
    expect(out[0]!.kind).toBe('clear');
  });

  it('says when it cannot compare', () => {
    expect(run([])[0]!.kind).toBe('insufficient_data');
    expect(run(regularHeartbeats('web-1', T0, T0 + WINDOW_MS))[0]!.kind).toBe('not_applicable');
    const noValidated = [{ ...registry[0]!, fingerprint: null }];
    expect(run(hbs(validated), 0, noValidated)[0]!.kind).toBe('insufficient_data');
  });
});
