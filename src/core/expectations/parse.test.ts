import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { DEFAULT_EXPECTATION_IDS, DEFAULT_EXPECTATIONS, expectationsFor } from './defaults.js';
import { formatDurationMs, parseDurationMs } from './duration.js';
import { METRIC_IDS } from './metrics.js';
import { closestMatch, parseExpectationsJson, parseExpectationsYaml } from './parse.js';

const examplePath = join(import.meta.dirname, '..', '..', '..', 'examples', 'expectations.yaml');

function issuesOf(text: string): string[] {
  const r = parseExpectationsYaml(text);
  if (r.ok) throw new Error('expected the file to be rejected');
  return r.issues.map((i) => i.text);
}

describe('durations', () => {
  it('parses units and sums', () => {
    expect(parseDurationMs('500ms')).toBe(500);
    expect(parseDurationMs('30s')).toBe(30_000);
    expect(parseDurationMs('5m')).toBe(300_000);
    expect(parseDurationMs('1h30m')).toBe(5_400_000);
    expect(parseDurationMs('1d')).toBe(86_400_000);
    expect(parseDurationMs('1.5h')).toBe(5_400_000);
  });
  it('rejects what is not a duration', () => {
    for (const bad of ['', '5', 'm', '5x', '0s', '-5m', '5 m', 'five minutes'])
      expect(parseDurationMs(bad)).toBeNull();
  });
  it('formats readably', () => {
    expect(formatDurationMs(120_000)).toBe('2m');
    expect(formatDurationMs(3 * 3_600_000)).toBe('3h');
    expect(formatDurationMs(5_400_000)).toBe('1h30m');
    expect(formatDurationMs(2_500)).toBe('2.5s');
    expect(formatDurationMs(250)).toBe('250ms');
    expect(formatDurationMs(0)).toBe('0s');
  });
});

describe('parseExpectationsYaml', () => {
  it('loads the complete example file', () => {
    const r = parseExpectationsYaml(readFileSync(examplePath, 'utf8'), 'examples/expectations.yaml');
    if (!r.ok) throw new Error(r.issues.map((i) => i.text).join('\n'));
    const churn = expectationsFor(r.file, 'churn');
    const ids = churn.map((e) => e.id);
    // Defaults first (in their order, minus the disabled one), the overriding ones in place, then the rest.
    expect(ids.slice(0, 5)).toEqual(['artifact', 'heartbeat', 'self_checks', 'schema', 'latency_p99']);
    expect(ids).not.toContain('exposure_gini');
    expect(ids).toEqual(expect.arrayContaining(['latency_p50', 'throughput', 'recall', 'labels_arrive']));
    const p99 = churn.find((e) => e.id === 'latency_p99');
    expect(p99).toMatchObject({ kind: 'threshold', comparator: '<', threshold: 300, overMs: 300_000 });
    const hb = churn.find((e) => e.id === 'heartbeat');
    expect(hb).toMatchObject({ kind: 'heartbeat', everyMs: 15_000, missedBeats: 2 });
    const f1 = churn.find((e) => e.id === 'estimated_f1');
    expect(f1).toMatchObject({ whenLabelledShareBelow: 0.5, overMs: 3_600_000, comparator: '>=' });
    const fraud = expectationsFor(r.file, 'fraud').map((e) => e.id);
    expect(fraud).toEqual(['artifact', 'self_checks', 'drifted_features', 'estimated_roc_auc']);
    // A model the file does not name gets the defaults.
    expect(expectationsFor(r.file, 'unknown-model').map((e) => e.id)).toEqual(DEFAULT_EXPECTATION_IDS);
  });

  it('gives every default when there is no file', () => {
    expect(expectationsFor(null, 'm')).toEqual(DEFAULT_EXPECTATIONS);
    const kinds = new Set(DEFAULT_EXPECTATIONS.map((e) => e.kind));
    expect(kinds).toEqual(new Set(['artifact', 'heartbeat', 'self_checks', 'schema', 'threshold']));
  });

  it('names file, line and column, field, rule and the value it got', () => {
    const text = [
      'version: 1',
      'models:',
      '  churn:',
      '    expectations:',
      '      - id: acc',
      '        metric: accuracy',
      '        comparator: ">="',
      '        threshold: high',
      '',
    ].join('\n');
    expect(issuesOf(text)).toEqual([
      'expectations.yaml:8:20: `threshold` must be a number between 0 and 1, got "high"',
    ]);
  });

  it('rejects a share threshold outside [0, 1] and a negative latency', () => {
    const text = `version: 1
models:
  m:
    expectations:
      - { id: a, metric: error_rate, comparator: "<", threshold: 5 }
      - { id: b, metric: latency_p99_ms, comparator: "<", threshold: -3 }
`;
    expect(issuesOf(text)).toEqual([
      'expectations.yaml:5:66: `threshold` must be a number between 0 and 1, got 5',
      'expectations.yaml:6:70: `threshold` must be a number ≥ 0 (in ms), got -3',
    ]);
  });

  it('suggests the metric id and the key that were meant', () => {
    const text = `version: 1
models:
  m:
    expectations:
      - id: p99
        metric: latency_p99
        comparator: "<"
        treshold: 100
`;
    const issues = issuesOf(text);
    expect(issues).toContain(
      'expectations.yaml:6:17: `metric` must be one of the metric ids listed in docs/expectations.md (did you mean "latency_p99_ms"?), got "latency_p99"',
    );
    expect(issues).toContain('expectations.yaml:8:9: unknown key `treshold` (did you mean `threshold`?)');
    expect(issues).toContain('expectations.yaml:5:9: `threshold` is missing (it must be a number ≥ 0)');
  });

  it('reports a missing field at the map that lacks it', () => {
    const text = 'version: 1\nmodels:\n  m:\n    expectations:\n      - id: hb\n        kind: heartbeat\n';
    expect(issuesOf(text)).toEqual([
      'expectations.yaml:5:9: `every` is missing (it must be a duration such as "30s", "5m", "1h" or "1d")',
    ]);
  });

  it('rejects unknown kinds, bad durations, severities, duplicates and unknown defaults', () => {
    const text = `version: 1
models:
  m:
    disable: [latency_p98]
    expectations:
      - { id: a, kind: latency }
      - { id: b, metric: error_rate, comparator: "<", threshold: 0.1, over: 5 minutes }
      - { id: b, kind: artifact, severity: urgent }
`;
    const issues = issuesOf(text);
    expect(issues).toEqual([
      expect.stringMatching(
        /^expectations\.yaml:4:15: item 1 of `disable` must name a default expectation: artifact, /,
      ),
      expect.stringMatching(
        /^expectations\.yaml:6:24: `kind` must be one of threshold, heartbeat, artifact, /,
      ),
      'expectations.yaml:7:77: `over` must be a duration such as "30s", "5m", "1h" or "1d", got "5 minutes"',
      'expectations.yaml:8:15: `id` must be unique within the model (also used by expectation 2), got "b"',
      'expectations.yaml:8:44: `severity` must be one of info, warning, critical, got "urgent"',
    ]);
  });

  it('explains a bare > and reports YAML syntax errors with their position', () => {
    const bare =
      'version: 1\nmodels:\n  m:\n    expectations:\n      - id: a\n        metric: error_rate\n        comparator: >\n        threshold: 0.1\n';
    expect(issuesOf(bare)[0]).toMatch(/`comparator` must be one of .*a bare > starts a YAML block/);
    const broken = 'version: 1\nmodels:\n  m:\n    expectations:\n      - id: a\n        comparator: >=\n';
    expect(issuesOf(broken)[0]).toMatch(/^expectations\.yaml:6:\d+: invalid YAML: .*quote the comparator/);
    expect(issuesOf('version: 1\nversion: 2\n')[0]).toMatch(
      /^expectations\.yaml:2:1: invalid YAML: Map keys must be unique/,
    );
  });

  it('rejects an empty file and a wrong version', () => {
    expect(issuesOf('')).toEqual([
      'expectations.yaml:1:1: the document must be a map with `version` and `models`, got nothing',
    ]);
    expect(issuesOf('version: 2\n')).toEqual([
      'expectations.yaml:1:10: `version` must be 1 (the only version of this format), got 2',
    ]);
  });
});

describe('parseExpectationsJson', () => {
  it('accepts the same shape and reports paths instead of lines', () => {
    const ok = parseExpectationsJson({
      version: 1,
      models: {
        m: { expectations: [{ id: 'a', metric: 'f1', comparator: '>=', threshold: 0.8, over: '1d' }] },
      },
    });
    expect(ok.ok).toBe(true);
    const bad = parseExpectationsJson({
      version: 1,
      models: { m: { expectations: [{ id: 'a', metric: 'f1', comparator: '>=', threshold: '0.8' }] } },
    });
    expect(bad.ok).toBe(false);
    if (!bad.ok)
      expect(bad.issues.map((i) => i.text)).toEqual([
        'models.m.expectations[0].threshold: `threshold` must be a number between 0 and 1, got "0.8"',
      ]);
  });
});

describe('closestMatch', () => {
  it('finds near misses and refuses far ones', () => {
    expect(closestMatch('acuracy', ['accuracy', 'recall'])).toBe('accuracy');
    expect(closestMatch('zzzzzz', ['accuracy', 'recall'])).toBeNull();
  });
});

describe('YAML and JSON agree', () => {
  const arbExpectation = fc.oneof(
    fc.record({
      id: fc.stringMatching(/^[a-z][a-z0-9_]{0,10}$/),
      metric: fc.constantFrom(...METRIC_IDS),
      comparator: fc.constantFrom('<', '<=', '>', '>=', 'lt', 'lte', 'gt', 'gte'),
      threshold: fc.double({ min: 0, max: 1, noNaN: true }),
      over: fc.constantFrom('30s', '5m', '1h', '1d', '1h30m'),
      severity: fc.constantFrom('info', 'warning', 'critical'),
    }),
    fc.record({
      id: fc.stringMatching(/^[a-z][a-z0-9_]{0,10}$/),
      kind: fc.constant('heartbeat'),
      every: fc.constantFrom('10s', '30s', '1m'),
      missedBeats: fc.integer({ min: 0, max: 5 }),
    }),
    fc.record({
      id: fc.stringMatching(/^[a-z][a-z0-9_]{0,10}$/),
      kind: fc.constantFrom('artifact', 'self_checks'),
    }),
  );

  it('a valid document parses the same from YAML and from JSON, to the same expectations', () => {
    fc.assert(
      fc.property(fc.uniqueArray(arbExpectation, { selector: (e) => e.id, maxLength: 6 }), (expectations) => {
        const docJs = { version: 1, models: { m: { expectations } } };
        const fromYaml = parseExpectationsYaml(stringify(docJs));
        const fromJson = parseExpectationsJson(docJs);
        if (!fromYaml.ok) throw new Error(fromYaml.issues.map((i) => i.text).join('\n'));
        expect(fromJson.ok).toBe(true);
        if (fromJson.ok)
          expect(expectationsFor(fromYaml.file, 'm')).toEqual(expectationsFor(fromJson.file, 'm'));
      }),
    );
  });

  it('a non-numeric threshold is reported on its own line and column', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 5 }),
        fc.constantFrom('high', 'low', 'yes please'),
        (before, word) => {
          const filler = Array.from({ length: before }, (_, i) => `      - { id: f${i}, kind: artifact }`);
          const lines = [
            'version: 1',
            'models:',
            '  m:',
            '    expectations:',
            ...filler,
            '      - id: x',
            '        metric: accuracy',
            '        comparator: gte',
            `        threshold: ${word}`,
          ];
          expect(issuesOf(`${lines.join('\n')}\n`)).toEqual([
            `expectations.yaml:${lines.length}:20: \`threshold\` must be a number between 0 and 1, got "${word}"`,
          ]);
        },
      ),
    );
  });
});
