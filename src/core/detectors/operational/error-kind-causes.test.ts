import { describe, expect, it } from 'vitest';
import type { WindowStats } from '../software/inputs.js';
import { emptyInput, findingsOf, windowStats } from '../software/testing/fixtures.js';
import { ERROR_KIND_CAUSES_DEFAULTS, errorKindCauses } from './error-kind-causes.js';

const clean = Array.from({ length: 12 }, (_, i) => windowStats(i - 12, 500, 200, { client_error: 1 }));
const run = (current: WindowStats) =>
  errorKindCauses.run(
    emptyInput({
      operational: { overall: null, instances: [{ instance: 'web-2', current, previous: clean }] },
    }),
    ERROR_KIND_CAUSES_DEFAULTS,
  );

describe('error kinds that name their cause', () => {
  it('oom errors → hardware_failure on the instance', () => {
    const [f] = findingsOf(run(windowStats(0, 500, 200, { oom: 8 })));
    expect(f!.cause).toBe('hardware_failure');
    expect(f!.subject).toEqual({ model: 'churn', instance: 'web-2' });
    expect(f!.severity).toBe('critical');
    expect(f!.evidence.summary).toContain('ran out of memory');
  });

  it('crash errors → downtime, a warning below 1 %', () => {
    const [f] = findingsOf(run(windowStats(0, 500, 200, { crash: 3 })));
    expect(f!.cause).toBe('downtime');
    expect(f!.severity).toBe('warning');
    expect(f!.score).toBeGreaterThanOrEqual(0.5);
  });

  it('other kinds are symptoms only; one or two oom errors are not enough', () => {
    expect(run(windowStats(0, 500, 200, { server_error: 50, timeout: 20 }))[0]!.kind).toBe('clear');
    expect(run(windowStats(0, 500, 200, { oom: 2 }))[0]!.kind).toBe('clear');
  });

  it('says when there are no counters at all', () => {
    expect(errorKindCauses.run(emptyInput(), ERROR_KIND_CAUSES_DEFAULTS)[0]!.kind).toBe('insufficient_data');
  });
});
