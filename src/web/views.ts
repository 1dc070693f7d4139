/**
 * @module
 * What the pages show of incidents, findings and expectations, read from the collector's answers. The shapes
 * follow the core types (`core/incidents`, `core/diagnosis`, `core/findings`, `core/expectations`); times may come
 * as epoch ms (`onsetMs`) or ISO strings (`onset`, `onsetAt`), and anything missing reads as null, so a page never
 * shows "undefined" or NaN. Pure: no DOM.
 */
import type { Cause, Figure } from '../core/findings/finding.js';

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** A time field: `<name>Ms` (epoch ms), `<name>` or `<name>At` (ISO or epoch ms). */
export function timeOf(o: Obj, name: string): number | null {
  for (const key of [`${name}Ms`, name, `${name}At`]) {
    const v = o[key];
    if (typeof v === 'number' && Number.isFinite(v)) return v;
    if (typeof v === 'string') {
      const t = Date.parse(v);
      if (Number.isFinite(t)) return t;
    }
  }
  return null;
}

export interface EvidenceView {
  detector: string | null;
  /** The cause the finding points at (findings list); null inside an incident, where the cause is the parent. */
  cause: string | null;
  summary: string;
  figures: Figure[];
  severity: string | null;
  score: number | null;
  subject: Record<string, string>;
  sinceMs: number | null;
  windowStartMs: number | null;
  windowEndMs: number | null;
}

export interface CauseView {
  cause: Cause | string;
  rank: number;
  score: number | null;
  explanation: string | null;
  confirm: string | null;
  evidence: EvidenceView[];
  heldDown: HeldDownView | null;
}

/** Why a cause is held down, and the finding of the pre-empting cause that holds it down. */
export interface HeldDownView {
  reason: string;
  /** The pre-empting cause and its detector; null when the collector did not say. */
  by: string | null;
  detector: string | null;
  /** The evidence summary of the finding that holds it down; null when the collector did not send it. */
  summary: string | null;
}

export interface TimelineView {
  atMs: number | null;
  kind: string;
  text: string;
  by: string | null;
  topCause: string | null;
}

export interface IncidentView {
  id: string;
  model: string;
  expectationId: string;
  /** The expectation in words, e.g. "error_rate < 0.01", when the collector gives it. */
  expectationLabel: string | null;
  version: string | null;
  symptom: string;
  severity: string;
  status: 'open' | 'acknowledged' | 'resolved' | string;
  onsetMs: number | null;
  openedAtMs: number | null;
  acknowledgedAtMs: number | null;
  acknowledgedBy: string | null;
  resolvedAtMs: number | null;
  resolution: string | null;
  lastEvaluatedMs: number | null;
  violation: {
    summary: string | null;
    metric: string | null;
    value: number | null;
    unit: string | null;
    threshold: number | null;
    comparator: string | null;
    n: number | null;
    lower: number | null;
    upper: number | null;
    windowStartMs: number | null;
    windowEndMs: number | null;
    instances: string[];
    instancesSeen: string[];
    slices: string[];
  };
  causes: CauseView[];
  unexplored: { cause: string; confirm: string | null }[];
  timeline: TimelineView[];
}

function figuresOf(v: unknown): Figure[] {
  return arr(v)
    .filter(isObj)
    .map((f) => ({
      name: str(f.name) ?? '',
      value: typeof f.value === 'string' ? f.value : num(f.value),
      ...(str(f.unit) ? { unit: str(f.unit)! } : {}),
      ...(f.baseline !== undefined
        ? { baseline: typeof f.baseline === 'string' ? f.baseline : num(f.baseline) }
        : {}),
      ...(f.threshold !== undefined ? { threshold: num(f.threshold) } : {}),
    }));
}

/** A finding (or a bare evidence object) as shown under a cause. */
export function evidenceOf(raw: unknown): EvidenceView | null {
  if (!isObj(raw)) return null;
  // A supporting finding wraps the finding: { finding, timing, scope, strength, support }.
  const f = isObj(raw.finding) ? raw.finding : raw;
  const ev = isObj(f.evidence) ? f.evidence : f;
  const summary = str(ev.summary);
  if (summary === null) return null;
  const subject: Record<string, string> = {};
  if (isObj(f.subject))
    for (const [k, v] of Object.entries(f.subject)) if (typeof v === 'string') subject[k] = v;
  const w = isObj(f.window) ? f.window : {};
  return {
    detector: str(f.detector),
    cause: str(f.cause),
    summary,
    figures: figuresOf(ev.figures),
    severity: str(f.severity),
    score: num(f.score),
    subject,
    sinceMs: timeOf(f, 'since'),
    windowStartMs: timeOf(w, 'start'),
    windowEndMs: timeOf(w, 'end'),
  };
}

function causeOf(raw: unknown, index: number): CauseView | null {
  if (!isObj(raw)) return null;
  const cause = str(raw.cause);
  if (cause === null) return null;
  const seen = new Set<string>();
  const evidence = [
    ...arr(raw.findings).map(evidenceOf),
    ...(Array.isArray(raw.evidence) ? raw.evidence.map(evidenceOf) : [evidenceOf(raw.evidence)]),
  ].filter((e): e is EvidenceView => {
    // The same finding in several windows reads the same: show it once (the strongest comes first).
    if (e === null) return false;
    const key = `${e.detector}|${e.summary}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  const h = isObj(raw.heldDown) ? raw.heldDown : null;
  const reason = h === null ? null : str(h.reason);
  const held =
    h === null || reason === null
      ? null
      : { reason, by: str(h.by), detector: str(h.detector), summary: str(h.evidence) };
  return {
    cause,
    rank: num(raw.rank) ?? index + 1,
    score: num(raw.score),
    explanation: str(raw.explanation),
    confirm: str(raw.confirm),
    evidence,
    heldDown: held,
  };
}

/** Reads one incident of `GET /v1/incidents[/:id]`; throws when it lacks an id. */
export function incidentOf(raw: unknown): IncidentView {
  if (!isObj(raw) || typeof raw.id !== 'string')
    throw new Error('the collector answered an incident without an id');
  // The API flattens the latest violation into `summary`, `figure`, `scope` and `expectation`; core keeps it
  // whole in `lastViolation`. Read either.
  const lv = isObj(raw.lastViolation) ? raw.lastViolation : isObj(raw.violation) ? raw.violation : raw;
  const expectation = isObj(raw.expectation) ? raw.expectation : {};
  const fig = isObj(lv.figure) ? lv.figure : {};
  const interval = isObj(fig.interval) ? fig.interval : {};
  const scope = isObj(lv.scope) ? lv.scope : {};
  const win = isObj(lv.window) ? lv.window : {};
  const causes = arr(raw.causes)
    .map(causeOf)
    .filter((c): c is CauseView => c !== null)
    .sort((a, b) => a.rank - b.rank);
  return {
    id: raw.id,
    model: str(raw.model) ?? '',
    expectationId: str(raw.expectationId) ?? str(expectation.id) ?? '',
    expectationLabel: str(expectation.label),
    version: str(raw.version),
    symptom: str(raw.symptom) ?? str(lv.symptom) ?? '',
    severity: str(raw.severity) ?? 'warning',
    status: str(raw.status) ?? 'open',
    onsetMs: timeOf(raw, 'onset'),
    openedAtMs: timeOf(raw, 'openedAt') ?? timeOf(raw, 'opened'),
    acknowledgedAtMs: timeOf(raw, 'acknowledgedAt') ?? timeOf(raw, 'acknowledged'),
    acknowledgedBy: str(raw.acknowledgedBy),
    resolvedAtMs: timeOf(raw, 'resolvedAt') ?? timeOf(raw, 'resolved'),
    resolution: str(raw.resolution),
    lastEvaluatedMs: timeOf(raw, 'lastEvaluatedWindowEnd'),
    violation: {
      summary: str(lv.summary),
      metric: str(lv.metric) ?? str(expectation.metric),
      value: num(fig.value),
      unit: str(fig.unit) ?? str(expectation.unit),
      threshold: num(fig.threshold) ?? num(expectation.threshold),
      comparator: str(fig.comparator) ?? str(expectation.comparator),
      n: num(fig.n),
      lower: num(interval.lower),
      upper: num(interval.upper),
      windowStartMs: timeOf(win, 'start'),
      windowEndMs: timeOf(win, 'end'),
      instances: arr(scope.instances).filter((x): x is string => typeof x === 'string'),
      instancesSeen: arr(scope.instancesSeen).filter((x): x is string => typeof x === 'string'),
      slices: arr(scope.slices).filter((x): x is string => typeof x === 'string'),
    },
    causes,
    unexplored: arr(raw.unexplored)
      .filter(isObj)
      .map((u) => ({ cause: str(u.cause) ?? '', confirm: str(u.confirm) }))
      .filter((u) => u.cause !== ''),
    timeline: arr(raw.timeline)
      .filter(isObj)
      .map((t) => ({
        atMs: timeOf(t, 'at'),
        kind: str(t.kind) ?? '',
        text: str(t.text) ?? '',
        by: str(t.by),
        topCause: str(t.topCause),
      })),
  };
}

/**
 * The figures of the finding that holds a cause down. The collector sends only its summary with the held-down
 * cause; the finding itself is among the evidence of the pre-empting cause (same detector, same summary), whose
 * figures the page has attached by the time it renders. None when that cause does not list it.
 */
export function heldDownFigures(incident: IncidentView, held: HeldDownView): Figure[] {
  if (held.by === null || held.summary === null) return [];
  for (const c of incident.causes) {
    if (c.cause !== held.by) continue;
    const e = c.evidence.find((x) => x.summary === held.summary && x.detector === held.detector);
    if (e) return e.figures;
  }
  return [];
}

/** The incidents of a list answer (`{incidents: […]}` or a bare array); unreadable entries are skipped. */
export function incidentsOf(raw: unknown): IncidentView[] {
  const list = isObj(raw) ? arr(raw.incidents) : arr(raw);
  const out: IncidentView[] = [];
  for (const r of list) {
    try {
      out.push(incidentOf(r));
    } catch {
      // An entry without an id cannot be linked to; leave it out rather than break the page.
    }
  }
  return out;
}

export interface ExpectationView {
  model: string;
  id: string;
  kind: string;
  /** The metric of a threshold expectation (`estimated_accuracy`, `drifted_feature_share`, …); null otherwise. */
  metric: string | null;
  /** The window length it is evaluated over (ms), when the collector gives it. */
  overMs: number | null;
  description: string | null;
  /** "latency_p99_ms < 1000 over 5 min" when the collector gives it, else built from the parts. */
  text: string;
  status: 'met' | 'violated' | 'unknown';
  summary: string | null;
  evaluatedAtMs: number | null;
}

function statusOf(v: unknown): ExpectationView['status'] {
  return v === 'met' || v === 'violated' ? v : 'unknown';
}

/**
 * The expectations of `GET /v1/expectations`: `{expectations: [...]}` or `{models: {name: [...]}}`, each entry an
 * expectation with its latest evaluation (`status`, or `latest`/`evaluation` holding one).
 */
export function expectationsOf(raw: unknown): ExpectationView[] {
  const entries: { model: string | null; e: Obj }[] = [];
  if (isObj(raw) && Array.isArray(raw.expectations))
    for (const e of raw.expectations) if (isObj(e)) entries.push({ model: str(e.model), e });
  // The collector answers `{ models: [{ model, source, expectations }] }`; a map by model name reads too.
  if (isObj(raw) && Array.isArray(raw.models))
    for (const m of raw.models)
      if (isObj(m))
        for (const e of arr(m.expectations)) if (isObj(e)) entries.push({ model: str(m.model), e });
  if (isObj(raw) && isObj(raw.models))
    for (const [model, list] of Object.entries(raw.models)) {
      const items = isObj(list) && Array.isArray(list.expectations) ? list.expectations : arr(list);
      for (const e of items) if (isObj(e)) entries.push({ model, e });
    }
  if (Array.isArray(raw)) for (const e of raw) if (isObj(e)) entries.push({ model: str(e.model), e });
  return entries.map(({ model, e }) => {
    const x = isObj(e.expectation) ? { ...e.expectation, ...e } : e;
    const ev = [x.latest, x.evaluation, x.lastEvaluation].find(isObj) ?? null;
    const parts = [str(x.metric), str(x.comparator), num(x.threshold)?.toString() ?? null].filter(
      (p) => p !== null,
    );
    const overMs = num(x.overMs);
    const over = str(x.over) ?? (overMs ? `${Math.round(overMs / 60_000)} min` : null);
    const text =
      str(x.text) ??
      str(x.expression) ??
      (parts.length === 3
        ? `${parts.join(' ')}${over ? ` over ${over}` : ''}`
        : (str(x.description) ?? str(x.kind) ?? ''));
    const evWindow = ev && isObj(ev.window) ? ev.window : {};
    return {
      model: model ?? str(x.model) ?? '',
      id: str(x.id) ?? str(x.expectationId) ?? '',
      kind: str(x.kind) ?? 'threshold',
      metric: str(x.metric),
      overMs,
      description: str(x.description),
      text,
      status: statusOf(x.state ?? ev?.status ?? x.status),
      summary: ev ? str(ev.summary) : null,
      evaluatedAtMs: ev
        ? (timeOf(ev, 'evaluatedAt') ?? timeOf(ev, 'evaluated') ?? timeOf(evWindow, 'end'))
        : null,
    };
  });
}

/** One evaluation of `GET /v1/evaluations`: an expectation against one window, with the figure it rests on. */
export interface EvaluationView {
  model: string;
  expectationId: string;
  metric: string | null;
  status: 'met' | 'violated' | 'unknown';
  /** Why the status is unknown (`no_data`, `insufficient_samples`, …); null otherwise. */
  reason: string | null;
  version: string | null;
  windowStartMs: number;
  windowEndMs: number;
  value: number | null;
  /** The figure's interval (Wilson, or the estimator's ± 3 SE band); null when it has none. */
  lower: number | null;
  upper: number | null;
  n: number | null;
  unit: string | null;
  threshold: number | null;
  comparator: string | null;
  summary: string | null;
}

/** The evaluations of a list answer (`{evaluations: […]}` or a bare array); entries without a window are skipped. */
export function evaluationsOf(raw: unknown): EvaluationView[] {
  const list = isObj(raw) ? arr(raw.evaluations) : arr(raw);
  const out: EvaluationView[] = [];
  for (const e of list) {
    if (!isObj(e)) continue;
    const win = isObj(e.window) ? e.window : {};
    const startMs = timeOf(win, 'start');
    const endMs = timeOf(win, 'end');
    if (startMs === null || endMs === null || !(endMs > startMs)) continue;
    const fig = isObj(e.figure) ? e.figure : {};
    const interval = isObj(fig.interval) ? fig.interval : {};
    const scope = isObj(e.scope) ? e.scope : {};
    out.push({
      model: str(e.model) ?? '',
      expectationId: str(e.expectationId) ?? '',
      metric: str(e.metric),
      status: statusOf(e.status),
      reason: str(e.reason),
      version: str(scope.version),
      windowStartMs: startMs,
      windowEndMs: endMs,
      value: num(fig.value),
      lower: num(interval.lower),
      upper: num(interval.upper),
      n: num(fig.n),
      unit: str(fig.unit),
      threshold: num(fig.threshold),
      comparator: str(fig.comparator),
      summary: str(e.summary),
    });
  }
  return out;
}
