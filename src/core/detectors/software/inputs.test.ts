import { describe, expect, it } from 'vitest';
import { softwareInputProblems } from './inputs.js';
import { probeSpecProblem } from './probe-spec.js';
import { emptyInput, T0, windowStats } from './testing/fixtures.js';

describe('input checks', () => {
  it('a well-formed input has no problem', () => {
    expect(softwareInputProblems(emptyInput())).toEqual([]);
  });

  it('names every bad field with its reason', () => {
    const problems = softwareInputProblems(
      emptyInput({
        model: '',
        window: { startMs: T0, endMs: T0 },
        operational: {
          overall: null,
          instances: [
            {
              instance: 'web-1',
              current: { ...windowStats(0, -1), errors: { segfault: 1 } as never },
              previous: [{ ...windowStats(-1, 5), latencyMs: { p50: 1, p95: Number.NaN, p99: 3 } }],
            },
          ],
        },
        heartbeats: [{ instance: '', timestampMs: Number.POSITIVE_INFINITY }],
        events: [{ kind: 'crash', timestampMs: Number.NaN }],
        traffic: [
          {
            version: 'v3',
            artifactHash: '',
            instance: 'web-1',
            count: 3,
            firstSeenMs: T0 + 10,
            lastSeenMs: T0,
          },
        ],
        registry: [{ version: 'v3', artifactHash: null, intended: 'yes' as never, fingerprint: null }],
        probes: {
          specs: [{ name: 'db', kind: 'tcp', target: 'db.internal', intervalMs: 30_000, timeoutMs: 1000 }],
          results: [{ dependency: 'db', timestampMs: T0, ok: false, latencyMs: -1 }],
        },
      }),
    );
    expect(problems).toEqual([
      'model: must be a non-empty string',
      `window: startMs and endMs must be finite with endMs > startMs, got ${T0}…${T0}`,
      'operational.instances[0].current.count: must be a number ≥ 0, got -1',
      'operational.instances[0].current.errors.segfault: unknown error kind; use one of timeout, client_error, server_error, oom, crash, other',
      'operational.instances[0].previous[0].latencyMs.p95: must be a number ≥ 0, got NaN',
      'heartbeats[0].instance: must be a non-empty string',
      'heartbeats[0].timestampMs: must be a finite number, got Infinity',
      'events[0].timestampMs: must be a finite number, got NaN',
      'traffic[0].artifactHash: must be a non-empty string or null, got ""',
      'traffic[0]: firstSeenMs and lastSeenMs must be finite with lastSeenMs ≥ firstSeenMs',
      'registry[0].intended: must be true or false',
      'probes.specs[0].target: a tcp target is host:port, got "db.internal"',
      'probes.results[0].latencyMs: must be null or a number ≥ 0, got -1',
    ]);
  });

  it('probe specs: kind, target form, positive interval and timeout', () => {
    const ok = {
      name: 'fs',
      kind: 'http' as const,
      target: 'https://fs/health',
      intervalMs: 1000,
      timeoutMs: 500,
    };
    expect(probeSpecProblem(ok)).toBeNull();
    expect(probeSpecProblem({ ...ok, kind: 'udp' as never })).toBe(
      'probe.kind: must be one of http, tcp, got "udp"',
    );
    expect(probeSpecProblem({ ...ok, target: 'fs/health' })).toBe(
      'probe.target: an http target is an http(s):// URL, got "fs/health"',
    );
    expect(probeSpecProblem({ ...ok, intervalMs: 0 })).toBe(
      'probe.intervalMs: must be a positive number of milliseconds, got 0',
    );
    expect(probeSpecProblem({ ...ok, slowMs: -5 }, 'probes[2]')).toBe(
      'probes[2].slowMs: must be a positive number of milliseconds, got -5',
    );
  });
});
