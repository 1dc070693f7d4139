import { describe, expect, it } from 'vitest';
import { HOST_METRICS_DEFAULTS, hostMetrics } from './host-metrics.js';
import type { HeartbeatRecord, InstanceOperational, ServingEvent } from './inputs.js';
import { emptyInput, findingsOf, T0, WINDOW_MS, windowStats } from './testing/fixtures.js';

const GIB = 1024 ** 3;

/** An hour of heartbeats every 30 s with steady host metrics, then `during(t)` overrides inside the window. */
function heartbeats(
  instance: string,
  during: (t: number) => Record<string, number> = () => ({}),
): HeartbeatRecord[] {
  const out: HeartbeatRecord[] = [];
  for (let t = T0 - 3_600_000, i = 0; t < T0 + WINDOW_MS; t += 30_000, i++) {
    const host: Record<string, number> = {
      cpuPercent: 40 + (i % 5),
      memoryUsedBytes: (9 + (i % 3) * 0.1) * GIB,
      memoryTotalBytes: 16 * GIB,
      temperatureC: 60 + (i % 4),
      gpuErrors: 2,
      ...(t >= T0 ? during(t) : {}),
    };
    out.push({ instance, timestampMs: t, version: 'v3', host });
  }
  return out;
}

function ops(instance: string, p99Now: number): InstanceOperational {
  const previous = Array.from({ length: 12 }, (_, i) => windowStats(i - 12, 400, 200 + (i % 3) * 5));
  return { instance, current: windowStats(0, 400, p99Now), previous };
}

const run = (hbs: HeartbeatRecord[], p99Now = 205, events: ServingEvent[] = []) =>
  hostMetrics.run(
    emptyInput({
      heartbeats: hbs,
      events,
      operational: { overall: null, instances: [ops('web-1', 205), ops('web-2', p99Now)] },
    }),
    HOST_METRICS_DEFAULTS,
  );

describe('host metrics', () => {
  it('a saturated CPU whose latency also rose is critical, tied to the latency figure', () => {
    const hbs = [...heartbeats('web-1'), ...heartbeats('web-2', () => ({ cpuPercent: 99 }))];
    const [f, ...rest] = findingsOf(run(hbs, 900));
    expect(rest).toEqual([]);
    expect(f!.cause).toBe('hardware_failure');
    expect(f!.subject).toEqual({ model: 'churn', instance: 'web-2', version: 'v3' });
    expect(f!.severity).toBe('critical');
    expect(f!.sinceMs).toBe(T0);
    expect(f!.evidence.summary).toBe(
      'Host of instance web-2: CPU 99 % (limit 95 %), up from 42 % over the previous 120 heartbeats. Its service moved too: p50 latency 300 ms on instance web-2, 4.4× its 12-window baseline of 68.3 ms.',
    );
  });

  it('the same hot host with steady latency is a warning', () => {
    const hbs = heartbeats('web-2', () => ({ cpuPercent: 99 }));
    const [f] = findingsOf(run(hbs));
    expect(f!.severity).toBe('warning');
    expect(f!.evidence.summary).toContain('Its latency and errors did not move.');
  });

  it('an abrupt memory jump below the limit, and one that began mid-window', () => {
    const [f] = findingsOf(run(heartbeats('web-2', () => ({ memoryUsedBytes: 14 * GIB }))));
    expect(f!.evidence.summary).toMatch(/memory 87\.5 %, up from 5\d\.\d %/);
    const late = findingsOf(
      run(
        heartbeats(
          'web-2',
          (t): Record<string, number> => (t >= T0 + 200_000 ? { memoryUsedBytes: 15 * GIB } : {}),
        ),
      ),
    );
    expect(late[0]!.sinceMs).toBe(T0 + 210_000);
  });

  it('throttling, GPU error counters and OOM kills (counters and events)', () => {
    const hbs = heartbeats('web-2', (t) => ({
      throttled: 1,
      gpuErrors: 2 + (t - T0) / 30_000,
      oomKills: t >= T0 + 60_000 ? 1 : 0,
    }));
    const events = [{ kind: 'oom', timestampMs: T0 + 100_000, instance: 'web-2' }];
    const [f] = findingsOf(run(hbs, 205, events));
    expect(f!.evidence.summary).toContain('throttled in 10 of 10 heartbeats');
    expect(f!.evidence.summary).toContain('9 GPU errors');
    expect(f!.evidence.summary).toContain('2 OOM kills');
  });

  it('a counter that restarts from zero does not count as negative errors', () => {
    const hbs = heartbeats('web-2', () => ({ gpuErrors: 0 }));
    expect(run(hbs)[0]!.kind).toBe('clear');
  });

  it('steady hosts are clear; missing metrics are said', () => {
    expect(run([...heartbeats('web-1'), ...heartbeats('web-2')])[0]!.kind).toBe('clear');
    expect(run([])[0]!.kind).toBe('insufficient_data');
    expect(run([{ instance: 'web-1', timestampMs: T0 }])[0]!.kind).toBe('not_applicable');
  });
});
