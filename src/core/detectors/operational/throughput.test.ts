import { describe, expect, it } from 'vitest';
import type { InstanceOperational } from '../software/inputs.js';
import { emptyInput, windowStats } from '../software/testing/fixtures.js';
import { measureThroughput } from './throughput.js';

function series(instance: string, counts: number[]): InstanceOperational {
  const stats = counts.map((c, i) => windowStats(i - counts.length + 1, c));
  return { instance, current: stats.at(-1)!, previous: stats.slice(0, -1) };
}

describe('throughput symptoms', () => {
  it('reports requests per second and flags a sudden drop against the previous window', () => {
    const out = measureThroughput(
      emptyInput({
        operational: { overall: series('all', [900, 910, 300]), instances: [] },
      }),
    );
    const [overall] = out;
    expect(overall!.metric).toBe('throughput_per_s');
    expect(overall!.value).toBe(1);
    expect(overall!.baseline).toBeCloseTo(910 / 300, 12);
    expect(overall!.shifted).toBe(true);
    expect(overall!.direction).toBe('down');
    expect(overall!.summary).toContain('a drop to 33 %');
  });

  it('does not call a diurnal 20 % decline between windows a drop, nor a small-count dip', () => {
    const slope = measureThroughput(
      emptyInput({ operational: { overall: series('all', [1000, 800]), instances: [] } }),
    );
    expect(slope[0]!.shifted).toBe(false);
    const small = measureThroughput(
      emptyInput({ operational: { overall: series('all', [12, 3]), instances: [] } }),
    );
    expect(small[0]!.shifted).toBe(false);
  });

  it('flags an instance whose share of traffic collapses while the others absorb it', () => {
    const base = Array(12).fill(300);
    const out = measureThroughput(
      emptyInput({
        operational: {
          overall: null,
          instances: [
            series('web-1', [...base, 30]),
            series('web-2', [...base, 420]),
            series('web-3', [...base, 450]),
          ],
        },
      }),
    );
    const share = out.filter((s) => s.metric === 'traffic_share');
    expect(share.map((s) => s.subject.instance)).toEqual(['web-1', 'web-2', 'web-3']);
    expect(share[0]!.shifted).toBe(true);
    expect(share[0]!.baseline).toBeCloseTo(1 / 3, 12);
    expect(share[0]!.value).toBeCloseTo(30 / 900, 12);
    expect(share[0]!.summary).toBe(
      'Instance web-1 took 3.33 % of the traffic, against a median of 33.3 % over 12 windows.',
    );
    expect(share.slice(1).every((s) => !s.shifted)).toBe(true);
  });

  it('gives no share for a single instance and no baseline without history', () => {
    const out = measureThroughput(
      emptyInput({ operational: { overall: null, instances: [series('web-1', [50])] } }),
    );
    expect(out).toHaveLength(1);
    expect(out[0]!.baseline).toBeNull();
    expect(out[0]!.statistic).toBeNull();
  });
});
