import { describe, expect, it } from 'vitest';
import type { StoredHeartbeat } from '../../core/contract/index.js';
import {
  fingerprintDiff,
  heartbeatCounts,
  hostMetricNames,
  hostMetricSeries,
  isLate,
  typicalIntervalMs,
} from './instances.js';

const beat = (instance: string, ms: number, host: Record<string, number | null> = {}): StoredHeartbeat => ({
  id: `${instance}-${ms}`,
  instance,
  model: 'm',
  version: 'v',
  artifactHash: null,
  timestamp: new Date(ms).toISOString(),
  receivedAt: new Date(ms).toISOString(),
  intervalMs: null,
  fingerprint: null,
  host,
  checks: [],
  sdk: null,
});

describe('instances', () => {
  it('lists what differs from the validated environment', () => {
    const validated = {
      runtime: 'python 3.11',
      os: 'linux',
      lockfileHash: 'a',
      packages: { numpy: '1.26', sk: '1.3' },
    };
    const served = {
      runtime: 'python 3.11',
      os: 'linux',
      lockfileHash: 'b',
      packages: { numpy: '2.0', sk: '1.3', extra: '1' },
    };
    expect(fingerprintDiff(validated, served)).toEqual({
      fields: [{ field: 'lockfileHash', validated: 'a', served: 'b' }],
      packages: [
        { name: 'extra', validated: null, served: '1' },
        { name: 'numpy', validated: '1.26', served: '2.0' },
      ],
    });
    expect(fingerprintDiff(validated, validated)).toEqual({ fields: [], packages: [] });
    expect(fingerprintDiff(null, served)).toEqual({ fields: [], packages: [] });
  });

  it('calls an instance late after more than three typical intervals without a heartbeat', () => {
    expect(typicalIntervalMs([0, 30_000, 60_000, 95_000])).toBe(30_000);
    expect(typicalIntervalMs([5])).toBeNull();
    expect(isLate(0, 30_000, 90_000)).toBe(false);
    expect(isLate(0, 30_000, 90_001)).toBe(true);
    expect(isLate(0, null, 1e9)).toBeNull();
  });

  it('buckets heartbeats and host metrics onto the chart axis', () => {
    const beats = [
      beat('a', 10, { cpu: 10 }),
      beat('a', 20, { cpu: 30 }),
      beat('b', 1500, { cpu: 50, mem: null }),
      beat('a', 5000),
    ];
    expect(heartbeatCounts(beats, [0, 1000], 1000)).toEqual([
      { instance: 'a', counts: [2, 0] },
      { instance: 'b', counts: [0, 1] },
    ]);
    expect(hostMetricSeries(beats, 'cpu', [0, 1000], 1000)).toEqual([
      { instance: 'a', values: [20, null] },
      { instance: 'b', values: [null, 50] },
    ]);
    expect(hostMetricNames(beats)).toEqual(['cpu']);
  });
});
