/**
 * Keeps docs/expectations.md in step with the code: every metric id, every default, every prior and every
 * exported Prometheus family is documented as the code has it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CAUSE_PRIORS } from '../diagnosis/priors.js';
import { CAUSES } from '../findings/finding.js';
import { faultlineMetricFamilies } from '../prometheus/faultline-metrics.js';
import { DEFAULT_EXPECTATIONS } from './defaults.js';
import { METRICS } from './metrics.js';

const doc = readFileSync(join(import.meta.dirname, '..', '..', '..', 'docs', 'expectations.md'), 'utf8');

function tableRow(first: string): string[] | undefined {
  const line = doc.split('\n').find((l) => l.startsWith(`| ${first} |`));
  return line
    ?.split('|')
    .slice(1, -1)
    .map((c) => c.trim());
}

describe('docs/expectations.md', () => {
  it('lists every metric id with its unit-defining minimum sample size', () => {
    for (const m of METRICS) {
      const row = tableRow(`\`${m.id}\``);
      expect(row, m.id).toBeDefined();
      expect(row![4], `${m.id} min n`).toBe(String(m.minSamples));
      expect(row![6], `${m.id} symptom`).toBe(m.symptom);
    }
  });

  it('lists every default expectation', () => {
    for (const e of DEFAULT_EXPECTATIONS) expect(tableRow(`\`${e.id}\``), e.id).toBeDefined();
  });

  it('shows the prior table exactly as the code has it', () => {
    const header = tableRow('cause')!;
    const symptoms = header.slice(1);
    expect(new Set(symptoms)).toEqual(new Set(Object.keys(CAUSE_PRIORS)));
    for (const c of CAUSES) {
      const row = tableRow(c)!;
      symptoms.forEach((s, i) => {
        const cell = row[i + 1]!;
        const expected = CAUSE_PRIORS[s as keyof typeof CAUSE_PRIORS][c];
        expect(cell === '·' ? undefined : Number(cell), `${c} / ${s}`).toBe(expected);
      });
    }
  });

  it('names every Prometheus family Faultline exports', () => {
    const names = faultlineMetricFamilies({ figures: [], evaluations: [], incidents: [] }).map((f) => f.name);
    for (const n of names) {
      const short = n.replace(/^faultline_latency_(p50|p90|p95)_seconds$/, '_$1_');
      const suffix = n.match(/^faultline_estimated_metric_(lower|upper)$/)?.[1];
      expect(
        doc.includes(`\`${n}\``) ||
          doc.includes(`\`${short}\``) ||
          (suffix !== undefined && doc.includes(`\`_${suffix}\``)),
        n,
      ).toBe(true);
    }
  });
});
