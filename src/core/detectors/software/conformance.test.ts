/**
 * What every software detector promises, checked on realistic windows (clean and faulty): deterministic, blind to
 * the order of its input lists, scores in [0, 1], findings only of the causes it declares, in the window it was
 * given, no NaN anywhere, and "can't tell" rather than "clear" when it has nothing to look at.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runSoftwareDetectors, softwareDetectors, symptomMeasures } from '../index.js';
import type { SoftwareWindowInput } from './inputs.js';
import { windowInputs } from './testing/assemble.js';
import { emptyInput } from './testing/fixtures.js';
import { type Fault, generateScenario, ROGUE_HASH } from './testing/scenario.js';

const H = 3_600_000;
const START = Date.UTC(2025, 0, 6, 8);
const faults: Fault[] = [
  { kind: 'silence', instance: 'web-2', from: 2 * H + 100_000 },
  { kind: 'wrong_artifact', instance: 'web-1', from: 2 * H, artifactHash: ROGUE_HASH },
  { kind: 'hardware', instance: 'web-3', from: 2 * H, resource: 'memory' },
  { kind: 'upstream_down', dependency: 'postgres', from: 2 * H + 50_000 },
  { kind: 'crash_loop', instance: 'web-3', from: H, everyMs: 300_000 },
];
const scenario = generateScenario({ seed: 21, startMs: START, durationMs: 3 * H, faults });
const windows = windowInputs(scenario);
const samples: SoftwareWindowInput[] = [3, 13, 24, 25, 26, 30].map((i) => windows.input(i));

/** Flattens defaults to `a.b` → value rows as docs/detectors.md writes them. */
function documentedDefaults(o: unknown, prefix = ''): [string, string][] {
  if (o && typeof o === 'object' && !Array.isArray(o))
    return Object.entries(o).flatMap(([k, v]): [string, string][] =>
      k === 'symptoms' ? [[`${prefix}${k}`, '(symptom defaults)']] : documentedDefaults(v, `${prefix}${k}.`),
    );
  const value = Array.isArray(o) ? o.map((x) => `'${x}'`).join(', ') : String(o);
  return [[prefix.slice(0, -1), value]];
}

function nonFiniteNumbers(value: unknown, path = '$'): string[] {
  if (typeof value === 'number') return Number.isFinite(value) ? [] : [path];
  if (Array.isArray(value)) return value.flatMap((v, i) => nonFiniteNumbers(v, `${path}[${i}]`));
  if (value && typeof value === 'object')
    return Object.entries(value).flatMap(([k, v]) => nonFiniteNumbers(v, `${path}.${k}`));
  return [];
}

function shuffled<T>(xs: readonly T[], seed: number): T[] {
  const out = [...xs];
  let s = seed >>> 0 || 1;
  for (let i = out.length - 1; i > 0; i--) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

describe('every software detector', () => {
  it('the sample windows hold findings of several causes (the checks below are not vacuous)', () => {
    const causes = new Set(
      samples.flatMap((s) =>
        runSoftwareDetectors(s).outcomes.flatMap((o) => (o.kind === 'finding' ? [o.finding.cause] : [])),
      ),
    );
    expect([...causes].sort()).toEqual([
      'dependency_failure',
      'deployment_wrong_model',
      'downtime',
      'hardware_failure',
    ]);
  });

  it.each(softwareDetectors.map((d) => [d.id, d] as const))('%s keeps the contract', (id, d) => {
    for (const input of samples) {
      const run = () =>
        (d.run as (i: SoftwareWindowInput, c: unknown) => ReturnType<typeof d.run>)(input, d.defaults);
      const out = run();
      expect(out.length).toBeGreaterThan(0);
      expect(run()).toEqual(out);
      expect(nonFiniteNumbers(out)).toEqual([]);
      expect(JSON.parse(JSON.stringify(out))).toEqual(out);
      for (const o of out) {
        if (o.kind !== 'finding') {
          expect(o.detector).toBe(id);
          expect(o.subject.model).toBe('churn');
          continue;
        }
        expect(o.finding.detector).toBe(id);
        expect(d.causes).toContain(o.finding.cause);
        expect(o.finding.window).toEqual(input.window);
        expect(o.finding.score).toBeGreaterThanOrEqual(0);
        expect(o.finding.score).toBeLessThanOrEqual(1);
        expect(o.finding.evidence.summary.length).toBeGreaterThan(20);
        expect(o.finding.evidence.summary).not.toMatch(/NaN|undefined|Infinity/);
        if (o.finding.sinceMs !== undefined) expect(o.finding.sinceMs).toBeLessThan(input.window.endMs);
      }
    }
  });

  it('does not depend on the order of heartbeats, events, probe results, traffic or registry', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: samples.length - 1 }),
        fc.integer({ min: 1, max: 2 ** 31 - 1 }),
        (k, seed) => {
          const input = samples[k]!;
          const mixed: SoftwareWindowInput = {
            ...input,
            heartbeats: shuffled(input.heartbeats, seed),
            events: shuffled(input.events, seed + 1),
            traffic: shuffled(input.traffic, seed + 2),
            registry: shuffled(input.registry, seed + 3),
            probes: {
              specs: shuffled(input.probes.specs, seed + 4),
              results: shuffled(input.probes.results, seed + 5),
            },
            operational: { ...input.operational, instances: shuffled(input.operational.instances, seed + 6) },
          };
          expect(runSoftwareDetectors(mixed)).toEqual(runSoftwareDetectors(input));
        },
      ),
      { numRuns: 12 },
    );
  });

  it('with nothing to look at, says it cannot tell (never clear, never a finding)', () => {
    const out = runSoftwareDetectors(emptyInput());
    expect(out.outcomes.map((o) => o.kind).sort()).toEqual([
      'insufficient_data',
      'insufficient_data',
      'insufficient_data',
      'insufficient_data',
      'insufficient_data',
      'insufficient_data',
      'insufficient_data',
      'not_applicable',
      'not_applicable',
      'not_applicable',
    ]);
    expect(out.symptoms).toEqual([]);
  });

  it('ids are unique snake_case and every default is documented, with its value, in docs/detectors.md', () => {
    const all = [...symptomMeasures, ...softwareDetectors];
    const ids = all.map((d) => d.id);
    expect(new Set(ids).size).toBe(ids.length);
    const doc = readFileSync(
      join(import.meta.dirname, '..', '..', '..', '..', 'docs', 'detectors.md'),
      'utf8',
    );
    const missing: string[] = [];
    for (const d of all) {
      expect(d.id).toMatch(/^[a-z][a-z0-9_]*$/);
      const start = doc.indexOf(`### \`${d.id}\``);
      expect(start, `no section for ${d.id}`).toBeGreaterThan(0);
      const next = doc.indexOf('\n### ', start + 1);
      const section = doc.slice(start, next < 0 ? undefined : next);
      for (const [key, value] of documentedDefaults(d.defaults))
        if (!section.includes(`| \`${key}\` | ${value} |`)) missing.push(`${d.id}: ${key} = ${value}`);
    }
    expect(missing).toEqual([]);
  });

  it('rejects malformed input with the field and the reason', () => {
    const bad = { ...samples[0]!, heartbeats: [{ instance: 'web-1', timestampMs: Number.NaN }] };
    expect(() => runSoftwareDetectors(bad)).toThrow(
      'heartbeats[0].timestampMs: must be a finite number, got NaN',
    );
  });

  it('applies per-detector overrides over the defaults', () => {
    const input = samples[4]!;
    const loose = runSoftwareDetectors(input, { artifact_mismatch: { minCount: 1e9 } });
    expect(
      loose.outcomes.some((o) => o.kind === 'finding' && o.finding.detector === 'artifact_mismatch'),
    ).toBe(false);
    const strict = runSoftwareDetectors(input);
    expect(
      strict.outcomes.some((o) => o.kind === 'finding' && o.finding.detector === 'artifact_mismatch'),
    ).toBe(true);
  });
});
