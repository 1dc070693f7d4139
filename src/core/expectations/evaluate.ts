/**
 * @module
 * Evaluation: each expectation against each completed window of its length is `met`, `violated` or `unknown`
 * (no data, too few samples, condition not met, or an interval that straddles the limit), with the figure, its
 * n and its confidence interval where the metric has one, and the scope that breaches (instances, slices).
 * Pure: the same expectations, figures and `at` always give the same evaluations.
 */
import type { Severity } from '../findings/finding.js';
import { wilsonInterval } from '../metrics/intervals.js';
import { formatDurationMs } from './duration.js';
import { type Comparator, compare, type Expectation, type ThresholdExpectation } from './expectation.js';
import { figureFor, labelledShareOf, operationalFigure, type RawFigure, realisedFigure } from './figures.js';
import { type FigureUnit, formatFigure, formatLimit, formatNumber } from './format.js';
import { INTEGRITY_SOURCES, type IntegrityKind, outcomeVerdict } from './integrity-outcomes.js';
import { type MetricId, metricDefinition, type PerformanceMetric, type Symptom } from './metrics.js';
import type { WindowFigures } from './window-figures.js';

export type EvaluationStatus = 'met' | 'violated' | 'unknown';
export type UnknownReason = 'no_data' | 'insufficient_samples' | 'condition_not_met' | 'inconclusive';

export interface EvaluationInterval {
  lower: number;
  upper: number;
  /** `wilson`: 95 % Wilson score interval; `band`: the estimator's own band (± 3 SE). */
  method: 'wilson' | 'band';
  /** Confidence level for Wilson; null for an estimator band. */
  level: number | null;
}

/** The number an evaluation rests on, with what it is compared to. Every expectation kind reads as
 * `value comparator threshold`: integrity kinds count breaching instances (`≤ 0`), heartbeats compare the longest
 * gap to the allowed one, schema compares the violating share. */
export interface EvaluationFigure {
  value: number | null;
  unit: FigureUnit;
  n: number | null;
  minSamples: number;
  interval: EvaluationInterval | null;
  threshold: number;
  comparator: Comparator;
  /** Share of the window's predictions that are labelled, when the window says. */
  labelledShare: number | null;
}

/** What breaches: the window's version, the instances and slices whose own figure breaks the limit, and every
 * instance seen (so "2 of 12 instances" can be told from "all of them"). `versionsServed` lists every version with
 * predictions in the window, when the figures say: an incident of a version that stops being served resolves. */
export interface EvaluationScope {
  version: string | null;
  instances: string[];
  instancesSeen: string[];
  slices: string[];
  versionsServed?: string[];
}

export interface Evaluation {
  model: string;
  expectationId: string;
  kind: Expectation['kind'];
  metric: MetricId | null;
  symptom: Symptom;
  severity: Severity;
  window: { startMs: number; endMs: number };
  evaluatedAtMs: number;
  status: EvaluationStatus;
  /** Why the status is `unknown`; null otherwise. */
  reason: UnknownReason | null;
  figure: EvaluationFigure;
  scope: EvaluationScope;
  /** One or two sentences with the numbers. */
  summary: string;
  /** Structured specifics (mismatching artifacts, failed checks, schema violations). JSON-serialisable. */
  detail: Record<string, unknown> | null;
  /** Model + expectation + version: one ongoing problem, one incident. */
  dedupeKey: string;
}

/** The incident dedupe key: model, expectation and the version scope (`*` for all versions). */
export function dedupeKeyOf(model: string, expectationId: string, version: string | null): string {
  return `${model}|${expectationId}|${version ?? '*'}`;
}

/** The window lengths (ms) the collector must compute figures for, ascending, without repeats. */
export function requiredWindowsMs(expectations: readonly Expectation[]): number[] {
  return [...new Set(expectations.map((e) => e.overMs))].sort((a, b) => a - b);
}

const SYMPTOM_OF_KIND: Record<Exclude<Expectation['kind'], 'threshold'>, Symptom> = {
  heartbeat: 'availability',
  artifact: 'integrity_artifact',
  self_checks: 'integrity_checks',
  schema: 'integrity_schema',
};

interface Verdict {
  status: EvaluationStatus;
  reason: UnknownReason | null;
  figure: EvaluationFigure;
  scope: Omit<EvaluationScope, 'version' | 'instancesSeen'>;
  summary: string;
  detail: Record<string, unknown> | null;
}

function interval(raw: RawFigure, method: 'wilson' | 'band' | 'none'): EvaluationInterval | null {
  if (method === 'wilson' && raw.successes !== undefined && Number.isInteger(raw.n) && raw.n > 0) {
    const ci = wilsonInterval(raw.successes, raw.n, 0.95);
    return ci.lower === null || ci.upper === null
      ? null
      : { lower: ci.lower, upper: ci.upper, method: 'wilson', level: 0.95 };
  }
  if (method === 'band' && raw.band !== undefined) return { ...raw.band, method: 'band', level: null };
  return null;
}

/** The bound of an interval most favourable to the expectation (lower for `<`, upper for `>`). */
function favourableBound(ci: EvaluationInterval, comparator: Comparator): number {
  return comparator === '<' || comparator === '<=' ? ci.lower : ci.upper;
}

function describeInterval(ci: EvaluationInterval | null, unit: FigureUnit): string {
  if (ci === null) return '';
  const label = ci.method === 'wilson' ? '95 % interval' : 'estimated band';
  return `, ${label} ${formatFigure(ci.lower, unit)} to ${formatFigure(ci.upper, unit)}`;
}

function breachingInstances(e: ThresholdExpectation, figures: WindowFigures): string[] {
  const durationMs = figures.window.endMs - figures.window.startMs;
  const out: string[] = [];
  for (const inst of figures.instances ?? []) {
    const raw = operationalFigure(e.metric, inst.operational, durationMs);
    if (raw === null || raw.value === null || raw.n <= 0) continue;
    if (!compare(raw.value, e.comparator, e.threshold)) out.push(inst.instance);
  }
  return out.sort();
}

function breachingSlices(e: ThresholdExpectation, figures: WindowFigures): string[] {
  const out: string[] = [];
  for (const s of figures.slices ?? []) {
    const raw = realisedFigure(e.metric as PerformanceMetric, s.realised);
    if (raw === null || raw.value === null || raw.n <= 0) continue;
    if (!compare(raw.value, e.comparator, e.threshold)) out.push(s.slice);
  }
  return out.sort();
}

function listed(what: string, names: readonly string[]): string {
  if (names.length === 0) return '';
  const shown = names.slice(0, 5).join(', ');
  return ` Breached on ${what}${names.length === 1 ? '' : 's'} ${shown}${names.length > 5 ? ` and ${names.length - 5} more` : ''}.`;
}

function evaluateThreshold(e: ThresholdExpectation, figures: WindowFigures): Verdict {
  const def = metricDefinition(e.metric);
  const over = formatDurationMs(e.overMs);
  const labelledShare = labelledShareOf(figures);
  const raw = figureFor(e.metric, figures);
  const base: EvaluationFigure = {
    value: raw?.value ?? null,
    unit: def.unit,
    n: raw?.n ?? null,
    minSamples: e.minSamples,
    interval: null,
    threshold: e.threshold,
    comparator: e.comparator,
    labelledShare,
  };
  const empty = { instances: [], slices: [] };
  const limit = formatLimit(e.comparator, e.threshold, def.unit);
  if (e.whenLabelledShareBelow !== undefined) {
    // A window that says nothing about labels has none yet.
    const share = labelledShare ?? 0;
    if (share >= e.whenLabelledShareBelow)
      return {
        status: 'unknown',
        reason: 'condition_not_met',
        figure: base,
        scope: empty,
        detail: null,
        summary: `${e.id}: not evaluated, ${formatFigure(share, 'share')} of predictions are labelled (it applies below ${formatFigure(e.whenLabelledShareBelow, 'share')}).`,
      };
  }
  if (raw === null || raw.value === null || !Number.isFinite(raw.value))
    return {
      status: 'unknown',
      reason: raw !== null && raw.n < e.minSamples ? 'insufficient_samples' : 'no_data',
      figure: base,
      scope: empty,
      detail: null,
      summary: `${e.id}: no ${e.metric} figure for the ${over} window ending here.`,
    };
  if (raw.n < e.minSamples)
    return {
      status: 'unknown',
      reason: 'insufficient_samples',
      figure: base,
      scope: empty,
      detail: null,
      summary: `${e.id}: only ${raw.n} ${def.samples} in ${over}, fewer than the ${e.minSamples} needed.`,
    };
  const ci = interval(raw, def.interval);
  const figure = { ...base, interval: ci };
  const stated = `${e.id}: ${e.metric} was ${formatFigure(raw.value, def.unit)} over ${over} (n = ${raw.n}${describeInterval(ci, def.unit)}); expected ${limit}.`;
  if (compare(raw.value, e.comparator, e.threshold))
    return { status: 'met', reason: null, figure, scope: empty, detail: null, summary: stated };
  if (
    e.decideOn === 'interval' &&
    ci !== null &&
    compare(favourableBound(ci, e.comparator), e.comparator, e.threshold)
  )
    return {
      status: 'unknown',
      reason: 'inconclusive',
      figure,
      scope: empty,
      detail: null,
      summary: `${stated} The interval still reaches the limit, so it is not yet a violation.`,
    };
  const instances = def.source === 'operational' ? breachingInstances(e, figures) : [];
  const slices = def.source === 'realised' ? breachingSlices(e, figures) : [];
  return {
    status: 'violated',
    reason: null,
    figure,
    scope: { instances, slices },
    detail: null,
    summary: `${stated}${listed('instance', instances)}${listed('slice', slices)}`,
  };
}

function integrityFigure(
  value: number | null,
  n: number | null,
  unit: FigureUnit,
  threshold: number,
): EvaluationFigure {
  return { value, unit, n, minSamples: 1, interval: null, threshold, comparator: '<=', labelledShare: null };
}

function noData(figure: EvaluationFigure, summary: string): Verdict {
  return {
    status: 'unknown',
    reason: 'no_data',
    figure,
    scope: { instances: [], slices: [] },
    summary,
    detail: null,
  };
}

function evaluateArtifact(e: Expectation, figures: WindowFigures): Verdict {
  const reporting = (figures.instances ?? []).filter((i) => (i.served ?? []).length > 0);
  const intended = figures.deployment?.intendedVersion ?? null;
  if (intended === null || figures.deployment === undefined)
    return noData(
      integrityFigure(null, null, 'instances', 0),
      `${e.id}: no intended deployment is registered.`,
    );
  if (reporting.length === 0)
    return noData(
      integrityFigure(null, 0, 'instances', 0),
      `${e.id}: no instance reported which artifact it serves in this window.`,
    );
  const registered = figures.deployment.registeredArtifacts;
  // Traffic of a version intended at some moment of the window (the one before a deploy in it) is not a mismatch.
  const allowed = new Set([intended, ...(figures.deployment.intendedInWindow ?? [])]);
  const mismatches: Record<string, unknown>[] = [];
  const bad = new Set<string>();
  for (const inst of reporting) {
    for (const s of inst.served ?? []) {
      const expected = registered[s.version];
      const reason = !allowed.has(s.version)
        ? 'other_version'
        : expected === undefined
          ? 'unregistered_version'
          : s.artifactHash !== expected
            ? 'artifact_differs'
            : null;
      if (reason === null) continue;
      bad.add(inst.instance);
      mismatches.push({
        instance: inst.instance,
        version: s.version,
        artifactHash: s.artifactHash,
        expectedVersion: intended,
        expectedHash: registered[intended] ?? null,
        predictions: s.predictions,
        reason,
      });
    }
  }
  const instances = [...bad].sort();
  const figure = integrityFigure(instances.length, reporting.length, 'instances', 0);
  const detail = { intendedVersion: intended, registeredArtifact: registered[intended] ?? null, mismatches };
  if (instances.length === 0)
    return {
      status: 'met',
      reason: null,
      figure,
      scope: { instances: [], slices: [] },
      detail,
      summary: `${e.id}: all ${reporting.length} instances serve the registered artifact of ${intended}.`,
    };
  const first = mismatches[0] as { instance: string; version: string; reason: string };
  return {
    status: 'violated',
    reason: null,
    figure,
    scope: { instances, slices: [] },
    detail,
    summary: `${e.id}: ${instances.length} of ${reporting.length} instances do not serve the registered artifact of ${intended} (${first.instance} serves ${first.version}: ${first.reason.replaceAll('_', ' ')}).`,
  };
}

function evaluateHeartbeat(e: Extract<Expectation, { kind: 'heartbeat' }>, figures: WindowFigures): Verdict {
  const allowedMs = e.everyMs * (e.missedBeats + 1);
  const reporting = (figures.instances ?? []).filter(
    (i) => i.longestHeartbeatGapMs !== undefined && i.longestHeartbeatGapMs !== null,
  );
  if (reporting.length === 0)
    return noData(integrityFigure(null, 0, 'ms', allowedMs), `${e.id}: no instance sends heartbeats.`);
  const gaps = reporting.map((i) => ({ instance: i.instance, gapMs: i.longestHeartbeatGapMs as number }));
  const longest = Math.max(...gaps.map((g) => g.gapMs));
  const instances = gaps
    .filter((g) => g.gapMs > allowedMs)
    .map((g) => g.instance)
    .sort();
  const figure = integrityFigure(longest, reporting.length, 'ms', allowedMs);
  const detail = {
    everyMs: e.everyMs,
    allowedGapMs: allowedMs,
    gaps: gaps.filter((g) => g.gapMs > allowedMs),
  };
  const stated = `${e.id}: the longest heartbeat gap was ${formatDurationMs(longest)} across ${reporting.length} instances; allowed ${formatDurationMs(allowedMs)}.`;
  if (instances.length === 0)
    return {
      status: 'met',
      reason: null,
      figure,
      scope: { instances: [], slices: [] },
      detail,
      summary: stated,
    };
  return {
    status: 'violated',
    reason: null,
    figure,
    scope: { instances, slices: [] },
    detail,
    summary: `${stated}${listed('instance', instances)}`,
  };
}

function evaluateSelfChecks(e: Expectation, figures: WindowFigures): Verdict {
  const reporting = (figures.instances ?? []).filter((i) => i.checks !== undefined);
  if (reporting.length === 0)
    return noData(integrityFigure(null, 0, 'instances', 0), `${e.id}: no instance reported self-checks.`);
  const failed = reporting.flatMap((i) =>
    (i.checks ?? [])
      .filter((c) => !c.ok)
      .map((c) => ({ instance: i.instance, name: c.name, detail: c.detail ?? null })),
  );
  const instances = [...new Set(failed.map((f) => f.instance))].sort();
  const figure = integrityFigure(instances.length, reporting.length, 'instances', 0);
  if (instances.length === 0)
    return {
      status: 'met',
      reason: null,
      figure,
      scope: { instances: [], slices: [] },
      detail: { failed },
      summary: `${e.id}: every self-check passed on ${reporting.length} instances.`,
    };
  const f = failed[0]!;
  return {
    status: 'violated',
    reason: null,
    figure,
    scope: { instances, slices: [] },
    detail: { failed },
    summary: `${e.id}: ${failed.length} self-check${failed.length === 1 ? '' : 's'} failed on ${instances.length} of ${reporting.length} instances (${f.instance}: ${f.name}${f.detail === null ? '' : `, ${f.detail}`}).`,
  };
}

function evaluateSchema(e: Extract<Expectation, { kind: 'schema' }>, figures: WindowFigures): Verdict {
  const s = figures.schema;
  const base = {
    value: null,
    unit: 'share' as const,
    n: s?.rowsChecked ?? null,
    minSamples: e.minSamples,
    interval: null,
    threshold: e.maxViolatingShare,
    comparator: '<=' as const,
    labelledShare: null,
  };
  if (s === undefined) return noData(base, `${e.id}: no schema checks in this window.`);
  if (s.rowsChecked <= 0 || s.rowsChecked < e.minSamples)
    return {
      status: 'unknown',
      reason: 'insufficient_samples',
      figure: base,
      scope: { instances: [], slices: [] },
      detail: null,
      summary: `${e.id}: only ${s.rowsChecked} rows checked, fewer than the ${Math.max(1, e.minSamples)} needed.`,
    };
  const value = s.rowsViolating / s.rowsChecked;
  const ci = interval({ value, n: s.rowsChecked, successes: s.rowsViolating }, 'wilson');
  const figure = { ...base, value, interval: ci };
  const violations = [...(s.violations ?? [])].sort((a, b) => b.count - a.count);
  const top = violations
    .slice(0, 3)
    .map((v) => `${v.field}: ${v.reason} (${v.count})`)
    .join('; ');
  const stated = `${e.id}: ${s.rowsViolating} of ${s.rowsChecked} rows (${formatFigure(value, 'share')}) violate the schema; allowed ${formatFigure(e.maxViolatingShare, 'share')}.${top === '' ? '' : ` ${top}.`}`;
  const status = value <= e.maxViolatingShare ? 'met' : 'violated';
  return {
    status,
    reason: null,
    figure,
    scope: { instances: [], slices: [] },
    detail: { violations },
    summary: stated,
  };
}

/**
 * Merges the verdict from per-instance facts with what the software detectors reported for the same window:
 * a detector finding makes it a violation (adding the instances it names), a clear outcome turns "no data" into
 * met, and otherwise the facts decide.
 */
function withOutcomes(kind: IntegrityKind, id: string, facts: Verdict, figures: WindowFigures): Verdict {
  const o = outcomeVerdict(kind, figures.integrityOutcomes);
  if (o.breached === null) return facts;
  const detail = { ...(facts.detail ?? {}), detectorFindings: o.findings };
  if (o.breached) {
    const instances = [
      ...new Set([...(facts.status === 'violated' ? facts.scope.instances : []), ...o.instances]),
    ].sort();
    const first = o.findings[0]!;
    if (facts.status === 'violated')
      return {
        ...facts,
        scope: { ...facts.scope, instances },
        detail,
        summary: `${facts.summary} ${first.detector}: ${first.summary}`,
      };
    const figure =
      facts.figure.unit === 'instances'
        ? { ...facts.figure, value: Math.max(1, instances.length) }
        : facts.figure;
    return {
      status: 'violated',
      reason: null,
      figure,
      scope: { instances, slices: [] },
      detail,
      summary: `${id}: ${o.findings.length} detector finding${o.findings.length === 1 ? '' : 's'}${instances.length === 0 ? '' : ` on ${instances.join(', ')}`} (${first.detector}: ${first.summary})`,
    };
  }
  if (facts.status === 'unknown' && facts.reason === 'no_data')
    return {
      ...facts,
      status: 'met',
      reason: null,
      detail,
      summary: `${id}: no facts in this window, and ${INTEGRITY_SOURCES[kind].detectors.join(', ')} report no problem.`,
    };
  return { ...facts, detail };
}

/** Evaluates one expectation against one window's figures. The window is taken as complete; `evaluate` is the
 * entry point that checks the watermark and matches window lengths. */
export function evaluateOne(expectation: Expectation, figures: WindowFigures, at: number): Evaluation {
  let verdict: Verdict;
  switch (expectation.kind) {
    case 'threshold':
      verdict = evaluateThreshold(expectation, figures);
      break;
    case 'heartbeat':
      verdict = withOutcomes('heartbeat', expectation.id, evaluateHeartbeat(expectation, figures), figures);
      break;
    case 'artifact':
      verdict = withOutcomes('artifact', expectation.id, evaluateArtifact(expectation, figures), figures);
      break;
    case 'self_checks':
      verdict = withOutcomes(
        'self_checks',
        expectation.id,
        evaluateSelfChecks(expectation, figures),
        figures,
      );
      break;
    case 'schema':
      verdict = evaluateSchema(expectation, figures);
      break;
  }
  const version = figures.version ?? null;
  return {
    model: figures.model,
    expectationId: expectation.id,
    kind: expectation.kind,
    metric: expectation.kind === 'threshold' ? expectation.metric : null,
    symptom:
      expectation.kind === 'threshold'
        ? metricDefinition(expectation.metric).symptom
        : SYMPTOM_OF_KIND[expectation.kind],
    severity: expectation.severity,
    window: { startMs: figures.window.startMs, endMs: figures.window.endMs },
    evaluatedAtMs: at,
    status: verdict.status,
    reason: verdict.reason,
    figure: verdict.figure,
    scope: {
      version,
      instances: verdict.scope.instances,
      instancesSeen: (figures.instances ?? []).map((i) => i.instance).sort(),
      slices: verdict.scope.slices,
      ...(figures.versionsServed ? { versionsServed: [...figures.versionsServed] } : {}),
    },
    summary: verdict.summary,
    detail: verdict.detail,
    dedupeKey: dedupeKeyOf(figures.model, expectation.id, version),
  };
}

/** Expectations for a model: one list for every model, or a lookup per model. */
export type ExpectationSource = readonly Expectation[] | ((model: string) => readonly Expectation[]);

/**
 * Evaluates every expectation against every window of its length (`overMs` = window end − start) whose end the
 * watermark `at` has passed (`endMs ≤ at`); windows not yet complete are skipped. Output is ordered by window end,
 * then model, then expectation order. Evaluation happens in event time: a replayed day gives the same result.
 */
export function evaluate(
  expectations: ExpectationSource,
  windowFigures: readonly WindowFigures[],
  at: number,
): Evaluation[] {
  const windows = windowFigures
    .filter((w) => w.window.endMs <= at && w.window.endMs > w.window.startMs)
    .sort(
      (a, b) =>
        a.window.endMs - b.window.endMs ||
        a.window.startMs - b.window.startMs ||
        (a.model < b.model ? -1 : a.model > b.model ? 1 : 0) ||
        String(a.version ?? '').localeCompare(String(b.version ?? '')),
    );
  const out: Evaluation[] = [];
  for (const w of windows) {
    const list = typeof expectations === 'function' ? expectations(w.model) : expectations;
    const durationMs = w.window.endMs - w.window.startMs;
    for (const e of list) if (e.overMs === durationMs) out.push(evaluateOne(e, w, at));
  }
  return out;
}

/** A one-line verdict for logs and the CLI: `violated latency_p99 (churn, v3): 1450 ms, expected below 1000 ms`. */
export function describeEvaluation(ev: Evaluation): string {
  const where = `${ev.model}${ev.scope.version === null ? '' : `, ${ev.scope.version}`}`;
  const value = ev.figure.value === null ? 'no figure' : formatFigure(ev.figure.value, ev.figure.unit);
  const limit = formatLimit(ev.figure.comparator, ev.figure.threshold, ev.figure.unit);
  const n = ev.figure.n === null ? '' : ` (n = ${formatNumber(ev.figure.n)})`;
  return `${ev.status}${ev.reason === null ? '' : ` (${ev.reason.replaceAll('_', ' ')})`} ${ev.expectationId} (${where}): ${value}${n}, expected ${limit}`;
}
