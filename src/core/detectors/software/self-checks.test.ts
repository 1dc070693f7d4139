import { describe, expect, it } from 'vitest';
import type { HeartbeatRecord } from './inputs.js';
import { SELF_CHECKS_DEFAULTS, selfChecks } from './self-checks.js';
import { emptyInput, findingsOf, regularHeartbeats, T0, WINDOW_MS } from './testing/fixtures.js';

const ok = [
  { name: 'read_model', ok: true },
  { name: 'write_output_dir', ok: true },
];
const denied = [
  { name: 'read_model', ok: true },
  { name: 'write_output_dir', ok: false, detail: "EACCES: permission denied, open '/var/lib/churn/out'" },
];
const run = (hbs: HeartbeatRecord[], config = SELF_CHECKS_DEFAULTS) =>
  selfChecks.run(emptyInput({ heartbeats: hbs }), config);

describe('self-checks', () => {
  it('a failing write check → deployment_permissions on the instance, with the detail, since it began failing', () => {
    const hbs = [
      ...regularHeartbeats('web-1', T0 - 600_000, T0 + WINDOW_MS, 30_000, { checks: ok }),
      ...regularHeartbeats('web-2', T0 - 600_000, T0 + 90_000, 30_000, { checks: ok, version: 'v3' }),
      ...regularHeartbeats('web-2', T0 + 90_000, T0 + WINDOW_MS, 30_000, { checks: denied, version: 'v3' }),
    ];
    const [f, ...rest] = findingsOf(run(hbs));
    expect(rest).toEqual([]);
    expect(f!.cause).toBe('deployment_permissions');
    expect(f!.subject).toEqual({ model: 'churn', instance: 'web-2', version: 'v3' });
    expect(f!.sinceMs).toBe(T0 + 90_000);
    expect(f!.evidence.summary).toBe(
      "Instance web-2 fails 1 self-check(s) since 2025-01-06 10:01:30 UTC: write_output_dir (EACCES: permission denied, open '/var/lib/churn/out').",
    );
  });

  it('a start-up check sent once before the window still counts', () => {
    const hbs = [
      { instance: 'web-1', timestampMs: T0 - 1_200_000, checks: denied },
      ...regularHeartbeats('web-1', T0 - 1_170_000, T0 + WINDOW_MS),
    ];
    expect(findingsOf(run(hbs))).toHaveLength(1);
  });

  it('checkNames narrows what is considered', () => {
    const hbs = regularHeartbeats('web-1', T0, T0 + WINDOW_MS, 30_000, { checks: denied });
    expect(run(hbs, { checkNames: ['read_model'] })[0]!.kind).toBe('clear');
  });

  it('clear when all pass; not applicable without checks; insufficient without heartbeats', () => {
    expect(run(regularHeartbeats('web-1', T0, T0 + WINDOW_MS, 30_000, { checks: ok }))[0]!.kind).toBe(
      'clear',
    );
    expect(run(regularHeartbeats('web-1', T0, T0 + WINDOW_MS))[0]!.kind).toBe('not_applicable');
    expect(run([])[0]!.kind).toBe('insufficient_data');
  });
});
