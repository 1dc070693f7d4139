/**
 * @module
 * The expectations every model gets out of the box, and how a file's inputs become normalised expectations.
 * Each default carries the reason for its numbers; docs/expectations.md repeats them.
 */
import type { Severity } from '../findings/finding.js';
import { parseDurationMs } from './duration.js';
import { type Expectation, parseComparator } from './expectation.js';
import { type MetricId, metricDefinition } from './metrics.js';
import type { ExpectationInput, ExpectationsFile } from './schema.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** The built-in expectations, in the order they are listed and evaluated. */
export const DEFAULT_EXPECTATIONS: readonly Expectation[] = [
  // Integrity first: a wrong artifact, a silent instance or a failed self-check opens an incident before any
  // metric moves.
  {
    kind: 'artifact',
    id: 'artifact',
    description: 'every instance serves the registered artifact of the intended version',
    severity: 'critical',
    overMs: 5 * MINUTE,
  },
  {
    kind: 'heartbeat',
    id: 'heartbeat',
    description: 'every instance sends a heartbeat every 30 s (one missed beat tolerated)',
    severity: 'critical',
    overMs: 5 * MINUTE,
    everyMs: 30_000,
    missedBeats: 1,
  },
  {
    kind: 'self_checks',
    id: 'self_checks',
    description: 'every instance passes its start-up self-checks',
    severity: 'critical',
    overMs: 5 * MINUTE,
  },
  {
    kind: 'schema',
    id: 'schema',
    description: 'every logged row matches the registered schema',
    severity: 'warning',
    overMs: 5 * MINUTE,
    maxViolatingShare: 0,
    minSamples: 1,
  },
  // Operational.
  {
    kind: 'threshold',
    id: 'latency_p99',
    description: 'p99 latency under 1000 ms over 5 min',
    severity: 'critical',
    overMs: 5 * MINUTE,
    metric: 'latency_p99_ms',
    comparator: '<',
    threshold: 1000,
    minSamples: metricDefinition('latency_p99_ms').minSamples,
    decideOn: 'point',
  },
  {
    kind: 'threshold',
    id: 'error_rate',
    description: 'error rate under 0.5 % over 5 min',
    severity: 'critical',
    overMs: 5 * MINUTE,
    metric: 'error_rate',
    comparator: '<',
    threshold: 0.005,
    minSamples: metricDefinition('error_rate').minSamples,
    // One error in 100 requests is 1 %: decide on the Wilson interval so a handful of errors is not an incident.
    decideOn: 'interval',
  },
  // ML performance.
  {
    kind: 'threshold',
    id: 'accuracy',
    description: 'realised accuracy at least 0.99 over 1 day',
    severity: 'warning',
    overMs: DAY,
    metric: 'accuracy',
    comparator: '>=',
    threshold: 0.99,
    minSamples: metricDefinition('accuracy').minSamples,
    decideOn: 'interval',
  },
  {
    kind: 'threshold',
    id: 'estimated_f1',
    description: 'estimated F1 at least 0.8 over 1 h while fewer than half the predictions have labels',
    severity: 'warning',
    overMs: HOUR,
    metric: 'estimated_f1',
    comparator: '>=',
    threshold: 0.8,
    minSamples: metricDefinition('estimated_f1').minSamples,
    // The estimator's band is ± 3 SE (methods.md 5.1); like NannyML, alert on the estimate itself.
    decideOn: 'point',
    whenLabelledShareBelow: 0.5,
  },
  {
    kind: 'threshold',
    id: 'drifted_features',
    description: 'no more than 20 % of features drifted over 1 h',
    severity: 'warning',
    overMs: HOUR,
    metric: 'drifted_feature_share',
    comparator: '<=',
    threshold: 0.2,
    minSamples: metricDefinition('drifted_feature_share').minSamples,
    decideOn: 'point',
  },
  {
    kind: 'threshold',
    id: 'exposure_gini',
    description: 'Gini of item exposure under 0.6 over 1 day (recommenders)',
    severity: 'warning',
    overMs: DAY,
    metric: 'exposure_gini',
    comparator: '<',
    threshold: 0.6,
    minSamples: metricDefinition('exposure_gini').minSamples,
    decideOn: 'point',
  },
];

export const DEFAULT_EXPECTATION_IDS: readonly string[] = DEFAULT_EXPECTATIONS.map((e) => e.id);

const DEFAULT_OVER_MS = 5 * MINUTE;

function severityFor(input: ExpectationInput): Severity {
  if (input.severity !== undefined) return input.severity;
  if (input.kind !== 'threshold') return input.kind === 'schema' ? 'warning' : 'critical';
  const source = metricDefinition(input.metric as MetricId).source;
  return source === 'operational' ? 'critical' : 'warning';
}

function optional<T extends object>(value: T | undefined): T | Record<string, never> {
  return value ?? {};
}

/**
 * Turns one validated input into a normalised expectation: durations in ms, comparator as a symbol, and the
 * metric's defaults for anything left out. Input must have passed `ExpectationInputSchema`.
 */
export function toExpectation(input: ExpectationInput): Expectation {
  const base = {
    id: input.id,
    ...optional(input.description === undefined ? undefined : { description: input.description }),
    severity: severityFor(input),
    overMs: input.over === undefined ? DEFAULT_OVER_MS : (parseDurationMs(input.over) ?? DEFAULT_OVER_MS),
  };
  switch (input.kind) {
    case 'threshold': {
      const metric = input.metric as MetricId;
      const def = metricDefinition(metric);
      return {
        ...base,
        kind: 'threshold',
        metric,
        comparator: parseComparator(input.comparator) ?? '<',
        threshold: input.threshold as number,
        minSamples: input.minSamples ?? def.minSamples,
        decideOn: input.decideOn ?? 'point',
        ...optional(
          input.when === undefined ? undefined : { whenLabelledShareBelow: input.when.labelledShareBelow },
        ),
      };
    }
    case 'heartbeat':
      return {
        ...base,
        kind: 'heartbeat',
        everyMs: parseDurationMs(input.every) ?? 30_000,
        missedBeats: input.missedBeats ?? 1,
      };
    case 'artifact':
      return { ...base, kind: 'artifact' };
    case 'self_checks':
      return { ...base, kind: 'self_checks' };
    case 'schema':
      return {
        ...base,
        kind: 'schema',
        maxViolatingShare: input.maxViolatingShare ?? 0,
        minSamples: input.minSamples ?? 1,
      };
  }
}

/**
 * The expectations that apply to one model under a validated file: the defaults (unless switched off for the
 * model, or for every model with top-level `useDefaults: false`) minus the ids in `disable`, with the model's own
 * expectations replacing defaults of the same id and the rest appended in file order. A model the file does not
 * name gets the defaults.
 */
export function expectationsFor(file: ExpectationsFile | null, model: string): Expectation[] {
  const entry = file?.models?.[model];
  const useDefaults = entry?.useDefaults ?? file?.useDefaults ?? true;
  const disabled = new Set(entry?.disable ?? []);
  const own = (entry?.expectations ?? []).map(toExpectation);
  const ownIds = new Set(own.map((e) => e.id));
  const out: Expectation[] = [];
  if (useDefaults) {
    for (const d of DEFAULT_EXPECTATIONS) {
      if (disabled.has(d.id)) continue;
      out.push(ownIds.has(d.id) ? (own.find((e) => e.id === d.id) as Expectation) : d);
    }
  }
  const placed = new Set(out.map((e) => e.id));
  for (const e of own) if (!placed.has(e.id)) out.push(e);
  return out;
}
