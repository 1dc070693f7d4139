import fc from 'fast-check';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { describe, expect, it } from 'vitest';
import { diagnose } from '../diagnosis/diagnose.js';
import { DEFAULT_EXPECTATIONS } from '../expectations/defaults.js';
import { evaluate } from '../expectations/evaluate.js';
import type { WindowFigures } from '../expectations/window-figures.js';
import { applyEvaluations } from '../incidents/apply.js';
import {
  escapeHelp,
  escapeLabelValue,
  formatSampleValue,
  type MetricFamily,
  renderExposition,
} from './exposition.js';
import { faultlineMetricFamilies } from './faultline-metrics.js';

function parsed(text: string) {
  return parsePrometheusTextFormat(text);
}

function sampleOf(text: string, name: string, labels: Record<string, string>): number | undefined {
  const fam = parsed(text).find((f) => f.name === name);
  const m = fam?.metrics.find((x) => Object.entries(labels).every(([k, v]) => x.labels?.[k] === v));
  return m?.value === undefined ? undefined : Number(m.value);
}

describe('renderExposition', () => {
  it('writes HELP, TYPE and the samples in the order given', () => {
    const fams: MetricFamily[] = [
      {
        name: 'faultline_error_rate',
        help: 'Share of failed requests.',
        type: 'gauge',
        samples: [
          { labels: { model: 'b', version: 'v1' }, value: 0.25 },
          { labels: { model: 'a', version: 'v1' }, value: 0 },
        ],
      },
      { name: 'faultline_up', help: 'Up.', type: 'gauge', samples: [{ labels: {}, value: 1 }] },
    ];
    expect(renderExposition(fams)).toBe(
      [
        '# HELP faultline_error_rate Share of failed requests.',
        '# TYPE faultline_error_rate gauge',
        'faultline_error_rate{model="b",version="v1"} 0.25',
        'faultline_error_rate{model="a",version="v1"} 0',
        '# HELP faultline_up Up.',
        '# TYPE faultline_up gauge',
        'faultline_up 1',
        '',
      ].join('\n'),
    );
    expect(renderExposition([])).toBe('');
  });

  it('escapes backslash, double quote and newline in label values, and backslash and newline in HELP', () => {
    expect(escapeLabelValue('C:\\dir "x"\nnext')).toBe('C:\\\\dir \\"x\\"\\nnext');
    expect(escapeHelp('a\\b\nc "q"')).toBe('a\\\\b\\nc "q"');
    const text = renderExposition([
      {
        name: 'faultline_feature_drift_score',
        help: 'Drift\nscore with a \\ in it.',
        type: 'gauge',
        samples: [{ labels: { model: 'm', feature: 'path "C:\\tmp"\nline 2', method: 'ks' }, value: 0.5 }],
      },
    ]);
    expect(text).toContain('feature="path \\"C:\\\\tmp\\"\\nline 2"');
    const [fam] = parsed(text);
    expect(fam!.metrics[0]!.labels!.feature).toBe('path "C:\\tmp"\nline 2');
    expect(fam!.help).toBe('Drift\nscore with a \\ in it.');
  });

  it('spells special values as the format does', () => {
    expect(formatSampleValue(Number.NaN)).toBe('NaN');
    expect(formatSampleValue(Number.POSITIVE_INFINITY)).toBe('+Inf');
    expect(formatSampleValue(Number.NEGATIVE_INFINITY)).toBe('-Inf');
    expect(formatSampleValue(1e-7)).toBe('1e-7');
    expect(formatSampleValue(-0.5)).toBe('-0.5');
  });

  it('refuses names and label sets that would break a scrape', () => {
    const fam = (name: string, labels: Record<string, string>[]): MetricFamily => ({
      name,
      help: 'h',
      type: 'gauge',
      samples: labels.map((l) => ({ labels: l, value: 1 })),
    });
    expect(() => renderExposition([fam('1bad', [{}])])).toThrow(/invalid metric name/);
    expect(() => renderExposition([fam('ok', [{ 'bad-label': 'x' }])])).toThrow(/invalid label name/);
    expect(() => renderExposition([fam('ok', [{ __name__: 'x' }])])).toThrow(/reserved/);
    expect(() => renderExposition([fam('ok', [{ a: '1' }, { a: '1' }])])).toThrow(/same labels/);
    expect(() => renderExposition([fam('ok', []), fam('ok', [])])).toThrow(/listed twice/);
  });

  it('round-trips any label value and finite value through a real parser', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.oneof(
              fc.string({ unit: 'grapheme', maxLength: 20 }),
              fc.string({
                unit: fc.constantFrom('\\', '"', '\n', 'a', 'é', '{', '}', ',', '=', ' '),
                maxLength: 20,
              }),
            ),
            fc.double({ noNaN: true, noDefaultInfinity: true }),
          ),
          {
            minLength: 1,
            maxLength: 8,
          },
        ),
        (rows) => {
          const samples = rows.map(([v, x], i) => ({ labels: { id: String(i), value: v }, value: x }));
          const text = renderExposition([{ name: 'faultline_test', help: 'Test.', type: 'gauge', samples }]);
          const fam = parsed(text)[0]!;
          expect(fam.metrics).toHaveLength(rows.length);
          for (const m of fam.metrics) {
            const i = Number(m.labels!.id);
            expect(m.labels!.value).toBe(rows[i]![0]);
            expect(Number(m.value)).toBe(rows[i]![1] === 0 ? 0 : rows[i]![1]);
          }
        },
      ),
    );
  });
});

describe('faultlineMetricFamilies', () => {
  const T = Date.UTC(2025, 6, 1, 8, 0);
  const W = 5 * 60_000;
  const figures: WindowFigures = {
    model: 'churn',
    version: 'v3',
    window: { startMs: T, endMs: T + W },
    operational: {
      requests: 3000,
      errors: 9,
      timeouts: 3,
      latencyMs: { p50: 45, p90: 200, p95: 600, p99: 1450 },
      latencyCount: 3000,
    },
    instances: [
      {
        instance: 'i-1',
        operational: {
          requests: 1500,
          errors: 0,
          timeouts: 0,
          latencyMs: { p50: 40, p90: 90, p95: 120, p99: 300 },
          latencyCount: 1500,
        },
        lastHeartbeatMs: T + W - 10_000,
        longestHeartbeatGapMs: 30_000,
      },
      {
        instance: 'i-3',
        operational: {
          requests: 1500,
          errors: 9,
          timeouts: 3,
          latencyMs: { p50: 50, p90: 800, p95: 1500, p99: 2600 },
          latencyCount: 1500,
        },
        lastHeartbeatMs: T + W - 95_000,
        longestHeartbeatGapMs: 95_000,
      },
    ],
    labels: { predictions: 3000, labelled: 600 },
    realised: { accuracy: { value: 0.93, n: 600 } },
    estimated: { f1: { value: 0.78, lower: 0.71, upper: 0.85, n: 3000 } },
    drift: {
      features: [
        { feature: 'age', method: 'ks', score: 0.31, drifted: true },
        { feature: 'plan', method: 'chisquare', score: 2.5, drifted: false },
      ],
    },
  };

  function build() {
    const evaluations = evaluate(DEFAULT_EXPECTATIONS, [figures], T + W);
    const { incidents } = applyEvaluations(
      [],
      evaluations,
      (ev, onsetMs) => diagnose(ev, [], { onsetMs }),
      T + W,
    );
    return {
      evaluations,
      incidents,
      text: renderExposition(faultlineMetricFamilies({ figures: [figures], evaluations, incidents })),
    };
  }

  it('exposes latency per instance in seconds, error rate, throughput and heartbeats', () => {
    const { text } = build();
    expect(
      sampleOf(text, 'faultline_latency_p99_seconds', { model: 'churn', version: 'v3', instance: 'i-3' }),
    ).toBe(2.6);
    expect(
      sampleOf(text, 'faultline_latency_p99_seconds', { model: 'churn', version: 'v3', instance: '*' }),
    ).toBe(1.45);
    expect(sampleOf(text, 'faultline_error_rate', { instance: '*' })).toBeCloseTo(0.004, 12);
    expect(sampleOf(text, 'faultline_throughput_requests_per_second', { instance: '*' })).toBe(10);
    expect(sampleOf(text, 'faultline_heartbeat_age_seconds', { instance: 'i-3' })).toBe(95);
    expect(sampleOf(text, 'faultline_heartbeat_gap_seconds', { instance: 'i-1' })).toBe(30);
  });

  it('exposes model metrics, drift scores and expectation states', () => {
    const { text, evaluations } = build();
    expect(sampleOf(text, 'faultline_realised_metric', { metric: 'accuracy' })).toBe(0.93);
    expect(sampleOf(text, 'faultline_estimated_metric_lower', { metric: 'f1' })).toBe(0.71);
    expect(sampleOf(text, 'faultline_labelled_ratio', { model: 'churn' })).toBe(0.2);
    expect(sampleOf(text, 'faultline_feature_drift_score', { feature: 'age', method: 'ks' })).toBe(0.31);
    expect(sampleOf(text, 'faultline_drifted_feature_ratio', { model: 'churn' })).toBe(0.5);
    expect(
      sampleOf(text, 'faultline_expectation_state', { expectation: 'latency_p99', state: 'violated' }),
    ).toBe(1);
    expect(sampleOf(text, 'faultline_expectation_state', { expectation: 'latency_p99', state: 'met' })).toBe(
      0,
    );
    expect(sampleOf(text, 'faultline_expectation_state', { expectation: 'artifact', state: 'unknown' })).toBe(
      1,
    );
    expect(sampleOf(text, 'faultline_expectation_value', { expectation: 'latency_p99' })).toBe(1450);
    // Three states for every expectation evaluated.
    const states = parsed(text).find((f) => f.name === 'faultline_expectation_state')!;
    expect(states.metrics).toHaveLength(evaluations.length * 3);
  });

  it('counts open incidents per model and severity, with zeros', () => {
    const { text, incidents } = build();
    const open = incidents.filter((i) => i.status !== 'resolved');
    const critical = open.filter((i) => i.severity === 'critical').length;
    expect(critical).toBeGreaterThan(0);
    expect(sampleOf(text, 'faultline_incidents_open', { model: 'churn', severity: 'critical' })).toBe(
      critical,
    );
    expect(sampleOf(text, 'faultline_incidents_open', { model: 'churn', severity: 'info' })).toBe(0);
  });

  it('parses as a whole with HELP and TYPE for every family, and never writes NaN', () => {
    const { text } = build();
    expect(text).not.toMatch(/NaN|Inf/);
    const fams = parsed(text);
    for (const f of fams) {
      expect(f.name).toMatch(/^faultline_[a-z0-9_]+$/);
      expect(f.type).toBe('GAUGE');
      expect(f.help.length).toBeGreaterThan(5);
    }
    const names = fams.map((f) => f.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'faultline_latency_p99_seconds',
        'faultline_error_rate',
        'faultline_expectation_state',
        'faultline_incidents_open',
        'faultline_feature_drift_score',
      ]),
    );
  });

  it('keeps the latest window per model and version', () => {
    const older = {
      ...figures,
      window: { startMs: T - W, endMs: T },
      operational: { ...figures.operational!, latencyMs: { p50: 1, p90: 1, p95: 1, p99: 9999 } },
    };
    const text = renderExposition(
      faultlineMetricFamilies({ figures: [figures, older], evaluations: [], incidents: [] }),
    );
    expect(sampleOf(text, 'faultline_latency_p99_seconds', { instance: '*' })).toBe(1.45);
  });
});
