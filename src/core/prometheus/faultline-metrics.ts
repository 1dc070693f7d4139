/**
 * @module
 * Faultline's own metric families for `/metrics`: the latest window figures per model and version, the state of
 * every expectation, and open incidents. Names carry their unit (`_seconds`, `_ratio`, `_per_second`); a
 * `version` or `instance` label of `*` means "all versions" or "all instances" (the model-level figure). Absent
 * figures are left out, never written as NaN.
 */
import type { Evaluation, EvaluationStatus } from '../expectations/evaluate.js';
import { PERFORMANCE_METRICS } from '../expectations/metrics.js';
import type { OperationalFigures, WindowFigures } from '../expectations/window-figures.js';
import type { Severity } from '../findings/finding.js';
import type { Incident } from '../incidents/incident.js';
import type { MetricFamily, Sample } from './exposition.js';

export interface FaultlineMetricsInput {
  /** The latest figures per model and version (when several share a model and version, the one ending last wins,
   * and among those the shortest window). */
  figures: readonly WindowFigures[];
  /** Evaluations; the latest per dedupe key gives each expectation's state. */
  evaluations: readonly Evaluation[];
  /** Incidents; those not resolved count as open. */
  incidents: readonly Incident[];
}

const ALL = '*';
const STATES: readonly EvaluationStatus[] = ['met', 'violated', 'unknown'];
const SEVERITIES: readonly Severity[] = ['info', 'warning', 'critical'];

function latestFigures(figures: readonly WindowFigures[]): WindowFigures[] {
  const best = new Map<string, WindowFigures>();
  for (const f of figures) {
    const key = `${f.model}\u0000${f.version ?? ALL}`;
    const cur = best.get(key);
    const len = f.window.endMs - f.window.startMs;
    if (
      cur === undefined ||
      f.window.endMs > cur.window.endMs ||
      (f.window.endMs === cur.window.endMs && len < cur.window.endMs - cur.window.startMs)
    )
      best.set(key, f);
  }
  return [...best.values()];
}

function family(name: string, help: string, samples: Sample[]): MetricFamily {
  return { name, help, type: 'gauge', samples };
}

function push(samples: Sample[], labels: Record<string, string>, value: number | null | undefined): void {
  if (value === null || value === undefined || !Number.isFinite(value)) return;
  samples.push({ labels, value });
}

type OperationalRow = { labels: Record<string, string>; op: OperationalFigures; durationMs: number };

function operationalRows(figs: readonly WindowFigures[]): OperationalRow[] {
  const rows: OperationalRow[] = [];
  for (const f of figs) {
    const base = { model: f.model, version: f.version ?? ALL };
    const durationMs = f.window.endMs - f.window.startMs;
    if (f.operational !== undefined)
      rows.push({ labels: { ...base, instance: ALL }, op: f.operational, durationMs });
    for (const i of f.instances ?? [])
      if (i.operational !== undefined)
        rows.push({ labels: { ...base, instance: i.instance }, op: i.operational, durationMs });
  }
  return rows;
}

/** Builds Faultline's metric families from the latest figures, evaluations and incidents. */
export function faultlineMetricFamilies(input: FaultlineMetricsInput): MetricFamily[] {
  const figs = latestFigures(input.figures);
  const ops = operationalRows(figs);
  const out: MetricFamily[] = [];

  for (const q of ['p50', 'p90', 'p95', 'p99'] as const) {
    const s: Sample[] = [];
    for (const r of ops) push(s, r.labels, r.op.latencyMs === null ? null : r.op.latencyMs[q] / 1000);
    out.push(
      family(
        `faultline_latency_${q}_seconds`,
        `${q} of request latency in the latest window, in seconds.`,
        s,
      ),
    );
  }
  const err: Sample[] = [];
  const rps: Sample[] = [];
  const req: Sample[] = [];
  for (const r of ops) {
    push(err, r.labels, r.op.requests > 0 ? (r.op.errors + r.op.timeouts) / r.op.requests : null);
    push(rps, r.labels, r.durationMs > 0 ? r.op.requests / (r.durationMs / 1000) : null);
    push(req, r.labels, r.op.requests);
  }
  out.push(
    family(
      'faultline_error_rate',
      'Share of requests with status error or timeout in the latest window (0 to 1).',
      err,
    ),
  );
  out.push(
    family('faultline_throughput_requests_per_second', 'Requests per second over the latest window.', rps),
  );
  out.push(family('faultline_window_requests', 'Requests in the latest window.', req));

  const age: Sample[] = [];
  const gap: Sample[] = [];
  for (const f of figs)
    for (const i of f.instances ?? []) {
      const labels = { model: f.model, version: f.version ?? ALL, instance: i.instance };
      push(
        age,
        labels,
        i.lastHeartbeatMs === null || i.lastHeartbeatMs === undefined
          ? null
          : (f.window.endMs - i.lastHeartbeatMs) / 1000,
      );
      push(
        gap,
        labels,
        i.longestHeartbeatGapMs === null || i.longestHeartbeatGapMs === undefined
          ? null
          : i.longestHeartbeatGapMs / 1000,
      );
    }
  out.push(
    family(
      'faultline_heartbeat_age_seconds',
      'Seconds from an instance’s last heartbeat to the end of the latest window.',
      age,
    ),
  );
  out.push(
    family(
      'faultline_heartbeat_gap_seconds',
      'Longest silence between heartbeats of an instance in the latest window, in seconds.',
      gap,
    ),
  );

  const realised: Sample[] = [];
  const realisedN: Sample[] = [];
  const est: Sample[] = [];
  const estLo: Sample[] = [];
  const estHi: Sample[] = [];
  const labelled: Sample[] = [];
  const drifted: Sample[] = [];
  const driftScore: Sample[] = [];
  const gini: Sample[] = [];
  const coverage: Sample[] = [];
  for (const f of figs) {
    const base = { model: f.model, version: f.version ?? ALL };
    for (const m of PERFORMANCE_METRICS) {
      const r = f.realised?.[m];
      if (r !== undefined) {
        push(realised, { ...base, metric: m }, r.value);
        push(realisedN, { ...base, metric: m }, r.n);
      }
      const e = f.estimated?.[m];
      if (e !== undefined) {
        push(est, { ...base, metric: m }, e.value);
        push(estLo, { ...base, metric: m }, e.lower);
        push(estHi, { ...base, metric: m }, e.upper);
      }
    }
    if (f.labels !== undefined && f.labels.predictions > 0)
      push(labelled, base, f.labels.labelled / f.labels.predictions);
    if (f.drift !== undefined) {
      const n = f.drift.features.length;
      push(drifted, base, n > 0 ? f.drift.features.filter((x) => x.drifted).length / n : null);
      for (const x of f.drift.features)
        push(driftScore, { ...base, feature: x.feature, method: x.method }, x.score);
    }
    if (f.feedback !== undefined) {
      push(gini, base, f.feedback.exposureGini);
      push(coverage, base, f.feedback.catalogCoverage);
    }
  }
  out.push(
    family(
      'faultline_realised_metric',
      'Realised model metric from labelled predictions in the latest window.',
      realised,
    ),
  );
  out.push(
    family('faultline_realised_metric_samples', 'Count the realised metric is computed over.', realisedN),
  );
  out.push(
    family('faultline_estimated_metric', 'Model metric estimated before labels arrive (CBPE/DLE).', est),
  );
  out.push(
    family('faultline_estimated_metric_lower', 'Lower edge of the estimator band (estimate − 3 SE).', estLo),
  );
  out.push(
    family('faultline_estimated_metric_upper', 'Upper edge of the estimator band (estimate + 3 SE).', estHi),
  );
  out.push(
    family(
      'faultline_labelled_ratio',
      'Share of the latest window’s predictions that have a label (0 to 1).',
      labelled,
    ),
  );
  out.push(
    family(
      'faultline_drifted_feature_ratio',
      'Share of tested features whose drift test fired (0 to 1).',
      drifted,
    ),
  );
  out.push(
    family(
      'faultline_feature_drift_score',
      'Drift statistic of a feature against the reference, by method.',
      driftScore,
    ),
  );
  out.push(
    family(
      'faultline_exposure_gini',
      'Gini index of item exposure in the latest window (0 uniform, 1 concentrated).',
      gini,
    ),
  );
  out.push(
    family(
      'faultline_catalog_coverage_ratio',
      'Share of the catalogue recommended at least once (0 to 1).',
      coverage,
    ),
  );

  // Expectations: the latest evaluation per dedupe key.
  const latest = new Map<string, Evaluation>();
  for (const ev of input.evaluations) {
    const cur = latest.get(ev.dedupeKey);
    if (cur === undefined || ev.window.endMs >= cur.window.endMs) latest.set(ev.dedupeKey, ev);
  }
  const state: Sample[] = [];
  const value: Sample[] = [];
  const threshold: Sample[] = [];
  for (const ev of latest.values()) {
    const base = { model: ev.model, version: ev.scope.version ?? ALL, expectation: ev.expectationId };
    for (const st of STATES) state.push({ labels: { ...base, state: st }, value: ev.status === st ? 1 : 0 });
    push(value, base, ev.figure.value);
    push(threshold, base, ev.figure.threshold);
  }
  out.push(
    family(
      'faultline_expectation_state',
      'Latest state of an expectation: 1 for the current state, 0 for the others.',
      state,
    ),
  );
  out.push(
    family(
      'faultline_expectation_value',
      'The figure an expectation was last evaluated on (in its own unit).',
      value,
    ),
  );
  out.push(
    family(
      'faultline_expectation_threshold',
      'The limit an expectation compares its figure with.',
      threshold,
    ),
  );

  // Incidents: open (not resolved) per model and severity, with a zero for every model Faultline knows of.
  const models = new Set<string>([
    ...figs.map((f) => f.model),
    ...input.evaluations.map((e) => e.model),
    ...input.incidents.map((i) => i.model),
  ]);
  const open = new Map<string, number>();
  for (const inc of input.incidents)
    if (inc.status !== 'resolved') {
      const k = `${inc.model}\u0000${inc.severity}`;
      open.set(k, (open.get(k) ?? 0) + 1);
    }
  const openSamples: Sample[] = [];
  for (const m of models)
    for (const sev of SEVERITIES)
      openSamples.push({ labels: { model: m, severity: sev }, value: open.get(`${m}\u0000${sev}`) ?? 0 });
  out.push(
    family('faultline_incidents_open', 'Incidents not yet resolved (open or acknowledged).', openSamples),
  );
  const top: Sample[] = [];
  for (const inc of input.incidents)
    if (inc.status !== 'resolved' && inc.causes[0] !== undefined)
      top.push({
        labels: {
          model: inc.model,
          incident: inc.id,
          expectation: inc.expectationId,
          cause: inc.causes[0].cause,
        },
        value: inc.causes[0].score,
      });
  out.push(
    family(
      'faultline_incident_top_cause_score',
      'Score of the cause ranked first for each unresolved incident.',
      top,
    ),
  );
  return out;
}
