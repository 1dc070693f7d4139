import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { EvaluationView, EvidenceView, ExpectationView } from '../views.js';
import {
  analysedExpectation,
  driftVerdicts,
  evaluatedSeries,
  expectationsOn,
  flaggedCells,
  hasUnevaluated,
  limitOf,
  verdictOf,
} from './collector.js';

const T = Date.UTC(2025, 2, 1);
const MIN = 60_000;
const HOUR = 60 * MIN;

function ev(
  startMs: number,
  endMs: number,
  value: number | null,
  extra: Partial<EvaluationView> = {},
): EvaluationView {
  return {
    model: 'churn',
    expectationId: 'estimated_accuracy',
    metric: 'estimated_accuracy',
    status: value === null ? 'unknown' : 'met',
    reason: value === null ? 'no_data' : null,
    version: null,
    windowStartMs: startMs,
    windowEndMs: endMs,
    value,
    lower: value === null ? null : value - 0.05,
    upper: value === null ? null : value + 0.05,
    n: value === null ? null : 240,
    unit: 'share',
    threshold: 0.8,
    comparator: '>=',
    summary: null,
    ...extra,
  };
}

function finding(
  detector: string,
  feature: string,
  startMs: number,
  endMs: number,
  cause = 'covariate_shift',
): EvidenceView {
  return {
    detector,
    cause,
    summary: `${feature} moved (${detector})`,
    figures: [],
    severity: 'warning',
    score: 0.9,
    subject: { model: 'churn', version: 'v2', feature },
    sinceMs: null,
    windowStartMs: startMs,
    windowEndMs: endMs,
  };
}

function expectation(id: string, metric: string | null, overMs: number | null): ExpectationView {
  return {
    model: 'churn',
    id,
    kind: 'threshold',
    metric,
    overMs,
    description: null,
    text: id,
    status: 'met',
    summary: null,
    evaluatedAtMs: null,
  };
}

const axis = (n: number, windowMs: number) => Array.from({ length: n }, (_, i) => T + i * windowMs);

describe('evaluatedSeries', () => {
  it('shows an hourly evaluation on both half-hour windows it covers, and nothing where none was made', () => {
    const evals = [
      ev(T, T + HOUR, 0.9),
      ev(T + HOUR, T + 2 * HOUR, 0.5),
      ev(T + 2 * HOUR, T + 3 * HOUR, null),
    ];
    const s = evaluatedSeries(evals, axis(8, 30 * MIN), 30 * MIN);
    expect(s.value).toEqual([0.9, 0.9, 0.5, 0.5, null, null, null, null]);
    expect(s.lower[2]).toBeCloseTo(0.45, 12);
    expect(s.upper[0]).toBeCloseTo(0.95, 12);
    expect(s.shown[3]).toBe(evals[1]);
    expect(s.shown[4]).toBeNull();
  });

  it('shows, in a chart window holding several evaluations, the one furthest on the wrong side of the limit', () => {
    const hours = [0.91, 0.62, 0.88].map((v, i) => ev(T + i * HOUR, T + (i + 1) * HOUR, v));
    expect(evaluatedSeries(hours, [T], 3 * HOUR).value).toEqual([0.62]);
    const upper = hours.map((e) => ({ ...e, comparator: '<' }));
    expect(evaluatedSeries(upper, [T], 3 * HOUR).value).toEqual([0.91]);
    // Equal figures: the latest window.
    const tie = [ev(T, T + HOUR, 0.7), ev(T + HOUR, T + 2 * HOUR, 0.7)];
    expect(evaluatedSeries(tie, [T], 3 * HOUR).shown[0]).toBe(tie[1]);
  });

  it('never shows a figure no overlapping evaluation has, nor hides a worse one (property)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            start: fc.integer({ min: 0, max: 40 }),
            len: fc.integer({ min: 1, max: 12 }),
            value: fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: null }),
          }),
          { maxLength: 30 },
        ),
        fc.integer({ min: 1, max: 8 }),
        fc.constantFrom('>=', '<'),
        (raw, width, comparator) => {
          const evals = raw.map((r) =>
            ev(T + r.start * 5 * MIN, T + (r.start + r.len) * 5 * MIN, r.value, { comparator }),
          );
          const windowMs = width * 5 * MIN;
          const ax = axis(Math.ceil(60 / width), windowMs);
          const s = evaluatedSeries(evals, ax, windowMs);
          ax.forEach((t, i) => {
            const over = evals.filter(
              (e) => e.value !== null && e.windowStartMs < t + windowMs && t < e.windowEndMs,
            );
            const values = over.map((e) => e.value!);
            if (over.length === 0) expect(s.value[i]).toBeNull();
            else expect(s.value[i]).toBe(comparator === '>=' ? Math.min(...values) : Math.max(...values));
          });
        },
      ),
    );
  });
});

describe('limits and expectations', () => {
  it('takes the limit of the latest evaluation that states one', () => {
    expect(limitOf([])).toBeNull();
    expect(
      limitOf([
        ev(T + HOUR, T + 2 * HOUR, 0.9, { threshold: 0.85 }),
        ev(T, T + HOUR, 0.9, { threshold: 0.8 }),
        ev(T + 2 * HOUR, T + 3 * HOUR, 0.9, { threshold: null }),
      ]),
    ).toEqual({ threshold: 0.85, comparator: '>=' });
  });

  it('finds the expectations on a metric and the one that tells where the collector analysed', () => {
    const list = [
      expectation('p99', 'latency_p99_ms', 5 * MIN),
      expectation('acc', 'estimated_accuracy', HOUR),
      expectation('beats', null, HOUR),
      expectation('daily', 'accuracy', 24 * HOUR),
    ];
    expect(expectationsOn(list, 'estimated_accuracy')).toEqual(['acc']);
    expect(expectationsOn(list, 'drifted_feature_share')).toEqual([]);
    // A day of 5-minute windows fits in 5000 evaluations; 30 days do not, so the hourly one is read.
    expect(analysedExpectation(list, 24 * HOUR, 5000)).toBe('p99');
    expect(analysedExpectation(list, 30 * 24 * HOUR, 5000)).toBe('acc');
    expect(analysedExpectation(list, 10_000 * 24 * HOUR, 5000)).toBe('daily');
    expect(
      analysedExpectation([...list, expectation('drift', 'drifted_feature_share', HOUR)], HOUR, 5000),
    ).toBe('drift');
    expect(analysedExpectation([expectation('x', null, null)], HOUR, 5000)).toBeNull();
  });
});

describe('driftVerdicts', () => {
  const ax = axis(6, 30 * MIN);
  const analysed = [
    ev(T, T + HOUR, 0.1),
    ev(T + HOUR, T + 2 * HOUR, 0.2),
    ev(T + 2 * HOUR, T + 3 * HOUR, null),
  ];

  it('marks drifted, skewed and data-quality cells from findings, clear where the collector analysed, null elsewhere', () => {
    const v = driftVerdicts({
      axisMs: ax,
      windowMs: 30 * MIN,
      features: ['age', 'plan', 'tenure'],
      findings: [
        finding('feature_drift', 'tenure', T + HOUR, T + 2 * HOUR),
        finding('distribution_skew', 'plan', T, T + HOUR, 'train_serving_skew'),
        finding('unit_change', 'tenure', T, T + HOUR, 'data_quality'),
        finding('feature_drift', 'tenure', T, T + HOUR),
        finding('prediction_drift', 'class', T, T + HOUR, 'label_shift'),
      ],
      analysed,
      hasData: [true, true, true, false, true, true],
    });
    // Flagged features first, most flagged windows first.
    expect(v.features).toEqual(['tenure', 'plan', 'age']);
    expect(v.flagged).toEqual({ tenure: 4, plan: 2 });
    expect(v.evaluated).toEqual([true, true, true, false, false, false]);
    expect(v.cells).toEqual([
      ['drifted', 'drifted', 'drifted', 'drifted', null, null],
      ['skewed', 'skewed', 'clear', null, null, null],
      ['clear', 'clear', 'clear', null, null, null],
    ]);
    expect(v.notes.get('0:0')).toEqual(['tenure moved (unit_change)', 'tenure moved (feature_drift)']);
    expect(v.notes.has('2:0')).toBe(false);
    expect(flaggedCells(v, ['age', 'tenure', 'region'])).toEqual([
      [false, false, false, false, false, false],
      [true, true, true, true, false, false],
      [false, false, false, false, false, false],
    ]);
    expect(hasUnevaluated(v, [true, true, true, false, true, true])).toBe(true);
    expect(hasUnevaluated(v, [true, true, true, true, false, false])).toBe(true);
    expect(hasUnevaluated(v, [true, true, true, false, false, false])).toBe(false);
  });

  it('shows a data-quality finding alone as such, and drift over it', () => {
    const v = driftVerdicts({
      axisMs: ax.slice(0, 2),
      windowMs: 30 * MIN,
      features: ['tenure'],
      findings: [
        finding('unit_change', 'tenure', T, T + HOUR, 'data_quality'),
        finding('feature_drift', 'tenure', T + 30 * MIN, T + HOUR),
      ],
      analysed,
      hasData: [true, true],
    });
    expect(v.cells).toEqual([['quality', 'drifted']]);
  });

  it('reads which findings are verdicts on a feature', () => {
    expect(verdictOf(finding('feature_drift', 'a', T, T + HOUR))).toBe('drifted');
    expect(verdictOf(finding('distribution_skew', 'a', T, T + HOUR, 'train_serving_skew'))).toBe('skewed');
    expect(verdictOf(finding('out_of_range', 'a', T, T + HOUR, 'data_quality'))).toBe('quality');
    expect(verdictOf(finding('prediction_drift', 'a', T, T + HOUR, 'label_shift'))).toBeNull();
    const modelWide = { ...finding('feature_drift', 'a', T, T + HOUR), subject: { model: 'churn' } };
    expect(verdictOf(modelWide)).toBeNull();
  });
});
