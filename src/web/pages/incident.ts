/**
 * @module
 * The incident page: what was violated (the figure of the evaluation that opened it and of the latest one, against
 * the limit, the scope, and every evaluation of the expectation in view), the ranked causes with their evidence
 * and charts, the timeline, and the acknowledge and resolve actions. Charts of estimated performance and drift
 * show the collector's figures and verdicts (`collector-views.ts`).
 */
import type { Model } from '../../core/contract/index.js';
import { PSI_SIGNIFICANT } from '../analysis/distribution.js';
import { driftMatrix } from '../analysis/drift.js';
import { heartbeatCounts, hostMetricNames, hostMetricSeries } from '../analysis/instances.js';
import {
  instanceErrorRates,
  labelledShareSeries,
  latencySeries,
  perUnit,
  trafficSeries,
  versionTraffic,
} from '../analysis/series.js';
import { seg } from '../api-client.js';
import { heatmap } from '../charts/heatmap.js';
import { COLORS, PALETTE, type TimeChartOptions, timeChart } from '../charts/time-chart.js';
import type { PageContext } from '../context.js';
import { type Child, h } from '../dom.js';
import { causeLabel, fmtAgo, fmtDuration, fmtFigure, fmtMs, fmtNum, fmtPct, fmtTime } from '../format.js';
import { rangeToQuery } from '../time-range.js';
import type { CauseView, EvaluationView, EvidenceView, IncidentView } from '../views.js';
import { evidenceOf, incidentOf } from '../views.js';
import {
  type CollectorData,
  driftViews,
  estimatedMetricsFor,
  isRegression,
  loadCollectorData,
  loadEvaluations,
  performanceChart,
  verdictsFor,
} from './collector-views.js';
import { loadExpectations, loadWindows, type WindowData } from './data.js';
import { heldDownLine } from './held-down.js';
import { badge, errorPanel, kv, section, severityTone, statusTone, table } from './widgets.js';

const HOUR = 3_600_000;

function evidenceBlock(ctx: PageContext, model: string, e: EvidenceView): HTMLElement {
  const subject = Object.entries(e.subject).filter(([k]) => k !== 'model');
  return h(
    'div',
    { class: 'evidence' },
    h('p', null, e.summary),
    subject.length || e.detector
      ? h(
          'div',
          { class: 'chips' },
          e.detector ? h('span', { class: 'chip muted' }, e.detector) : null,
          subject.map(([k, v]) =>
            k === 'feature'
              ? h(
                  'a',
                  { class: 'chip', href: ctx.link({ name: 'feature', model, feature: v }) },
                  `feature ${v}`,
                )
              : h('span', { class: 'chip' }, `${k} ${v}`),
          ),
          e.sinceMs !== null ? h('span', { class: 'chip muted' }, `since ${fmtTime(e.sinceMs)}`) : null,
        )
      : null,
    e.figures.length
      ? table(
          [
            { label: 'Figure', cell: (f) => f.name },
            { label: 'Value', num: true, cell: (f) => fmtFigure(f.value, f.unit) },
            { label: 'Baseline', num: true, cell: (f) => fmtFigure(f.baseline, f.unit) },
            { label: 'Threshold', num: true, cell: (f) => fmtFigure(f.threshold, f.unit) },
          ],
          e.figures,
        )
      : null,
  );
}

type ChartFamily =
  | 'latency'
  | 'errors'
  | 'performance'
  | 'labelled'
  | 'traffic'
  | 'heartbeats'
  | 'instance-errors'
  | 'host'
  | 'drift'
  | 'output-drift';

/** Which chart shows a symptom or a cause best. */
export function chartFamily(key: string): ChartFamily | null {
  const families: Record<string, ChartFamily> = {
    latency: 'latency',
    errors: 'errors',
    ml_performance: 'performance',
    poor_hyperparameters: 'performance',
    label_coverage: 'labelled',
    throughput: 'traffic',
    deployment_wrong_model: 'traffic',
    integrity_artifact: 'traffic',
    availability: 'heartbeats',
    downtime: 'heartbeats',
    integrity_checks: 'heartbeats',
    deployment_permissions: 'instance-errors',
    hardware_failure: 'host',
    dependency_failure: 'instance-errors',
    input_drift: 'drift',
    covariate_shift: 'drift',
    data_quality: 'drift',
    integrity_schema: 'drift',
    train_serving_skew: 'drift',
    edge_cases: 'drift',
    label_shift: 'output-drift',
    concept_drift: 'output-drift',
  };
  return families[key] ?? null;
}

/** The chart of a family over the incident's time range. */
function chartsFor(
  family: ChartFamily | null,
  data: WindowData,
  ctx: PageContext,
  marks: TimeChartOptions['markers'],
  incident: IncidentView,
  beats: Parameters<typeof heartbeatCounts>[0],
  collector: CollectorData | null,
  regression: boolean,
): HTMLElement[] {
  const key = family ?? '';
  const onSelect = (fromMs: number, toMs: number) =>
    ctx.setQuery(rangeToQuery({ kind: 'absolute', fromMs, toMs }));
  const base = { axisMs: data.axis, markers: marks, onSelect };
  const limit =
    incident.violation.threshold !== null
      ? [
          {
            value: incident.violation.threshold,
            label: `limit ${incident.violation.comparator ?? ''} ${fmtFigure(incident.violation.threshold, incident.violation.unit)}`,
            color: COLORS.red,
          },
        ]
      : [];
  switch (key) {
    case 'latency': {
      const l = latencySeries(data.groups);
      return [
        timeChart({
          ...base,
          id: 'incident-latency',
          title: 'Latency quantiles',
          lines: [
            { label: 'p50', values: l.p50, color: COLORS.green },
            { label: 'p90', values: l.p90, color: COLORS.amber },
            { label: 'p99', values: l.p99, color: COLORS.red },
          ],
          thresholds: limit,
          format: fmtMs,
        }),
      ];
    }
    case 'errors': {
      const t = trafficSeries(data.groups, data.coverage);
      return [
        timeChart({
          ...base,
          id: 'incident-errors',
          title: 'Error rate',
          lines: [{ label: 'error rate', values: t.errorRate, color: COLORS.red }],
          thresholds: limit,
          format: (v) => fmtPct(v, 2),
        }),
      ];
    }
    case 'performance':
      return [
        performanceChart({
          ...base,
          id: 'incident-performance',
          data,
          collector,
          regression,
          limits: limit,
        }),
      ];
    case 'labelled':
      return [
        timeChart({
          ...base,
          id: 'incident-labelled',
          title: 'Share labelled',
          lines: [{ label: 'labelled', values: labelledShareSeries(data.groups), color: COLORS.cyan }],
          thresholds: limit,
          format: (v) => fmtPct(v, 0),
        }),
      ];
    case 'traffic':
      return [
        timeChart({
          ...base,
          id: `incident-${key}`,
          title: 'Traffic by version',
          note: 'requests per second',
          lines: versionTraffic(data.groups).map((v, i) => ({
            label: v.version,
            values: perUnit(v.counts, data.coverage, 1000),
            color: PALETTE[i % PALETTE.length]!,
          })),
          format: (v) => fmtNum(v, 2),
        }),
      ];
    case 'heartbeats':
      return [
        timeChart({
          ...base,
          id: `incident-${key}`,
          title: 'Heartbeats by instance',
          note: 'per hour; a drop is a gap',
          lines: heartbeatCounts(beats, data.axis, data.windowMs).map((c, i) => ({
            label: c.instance,
            values: perUnit(c.counts, data.coverage, 3_600_000, data.windowMs / 4),
            color: PALETTE[i % PALETTE.length]!,
          })),
          format: (v) => fmtNum(v, 0),
        }),
      ];
    case 'instance-errors':
      return [
        timeChart({
          ...base,
          id: `incident-${key}`,
          title: 'Error rate by instance',
          note: 'errors and timeouts over requests',
          lines: instanceErrorRates(data.groups).map((s, i) => ({
            label: s.instance,
            values: s.values,
            color: PALETTE[i % PALETTE.length]!,
          })),
          format: (v) => fmtPct(v, 1),
        }),
      ];
    case 'host': {
      const metric = hostMetricNames(beats)[0];
      if (!metric) return [];
      return [
        timeChart({
          ...base,
          id: `incident-${key}`,
          title: `Host: ${metric}`,
          note: 'mean per instance per window',
          lines: hostMetricSeries(beats, metric, data.axis, data.windowMs).map((s, i) => ({
            label: s.instance,
            values: s.values,
            color: PALETTE[i % PALETTE.length]!,
          })),
        }),
      ];
    }
    case 'drift': {
      const d = driftMatrix(data.groups, 'features');
      return driftViews({
        prefix: 'incident-',
        data,
        collector,
        psi: d,
        verdicts: verdictsFor(data, collector, d),
        featureLink: (f) => ctx.link({ name: 'feature', model: incident.model, feature: f }),
        referenceNote: 'PSI reference: the first quarter of the range.',
        maxRows: 12,
      });
    }
    case 'output-drift': {
      const d = driftMatrix(data.groups, 'outputs');
      const l = driftMatrix(data.groups, 'labels');
      return [
        heatmap({
          id: `incident-${key}`,
          title: 'Prediction and label drift',
          note: 'PSI on window summaries against the first quarter of the range — exploration; the collector’s findings are under each cause',
          rows: [
            ...d.features.map((f, i) => ({ label: `output ${f}`, values: d.scores[i]! })),
            ...l.features.map((f, i) => ({
              label: f === 'label' ? 'label' : `label ${f}`,
              values: l.scores[i]!,
            })),
          ],
          axisMs: data.axis,
          windowMs: data.windowMs,
          saturateAt: PSI_SIGNIFICANT * 2,
          levels: [{ value: PSI_SIGNIFICANT, label: `significant ≥ ${PSI_SIGNIFICANT}` }],
          reference: d.reference,
        }),
      ];
    }
    default:
      return [];
  }
}

/**
 * The incident lists each cause's findings by summary; their figures (value, baseline, threshold) live with the
 * findings themselves (`GET /v1/findings`). Matches them up by detector, window and subject.
 */
async function attachFigures(ctx: PageContext, incident: IncidentView): Promise<void> {
  const ends = incident.causes
    .flatMap((c) => c.evidence.map((e) => e.windowEndMs))
    .filter((t): t is number => t !== null);
  if (ends.length === 0) return;
  let raw: unknown;
  try {
    raw = await ctx.api.get('/v1/findings', {
      model: incident.model,
      from: Math.min(...ends),
      to: Math.max(...ends) + 1,
      limit: 1000,
    });
  } catch {
    return;
  }
  const findings = ((raw as { findings?: unknown[] } | null)?.findings ?? [])
    .map(evidenceOf)
    .filter((f) => f !== null);
  const key = (e: EvidenceView) =>
    `${e.detector}|${e.windowEndMs}|${JSON.stringify(Object.entries(e.subject).sort())}`;
  const byKey = new Map(findings.map((f) => [key(f), f]));
  for (const c of incident.causes)
    for (const e of c.evidence) {
      const f = byKey.get(key(e));
      if (f && e.figures.length === 0) e.figures = f.figures;
    }
}

/** A figure with its interval and n, in the figure's unit: `71.20 % [68.10 %, 74.30 %] (n = 240)`. */
function figureWithInterval(
  value: number | null,
  lower: number | null,
  upper: number | null,
  n: number | null,
  unit: string | null,
): string {
  const interval =
    lower !== null && upper !== null ? ` [${fmtFigure(lower, unit)}, ${fmtFigure(upper, unit)}]` : '';
  return `${fmtFigure(value, unit)}${interval}${n !== null ? ` (n = ${fmtNum(n)})` : ''}`;
}

/** The evaluation that opened the incident: its expectation and version scope, on the window ending at the opening. */
async function openingEvaluation(ctx: PageContext, incident: IncidentView): Promise<EvaluationView | null> {
  if (incident.openedAtMs === null) return null;
  try {
    const list = await loadEvaluations(
      ctx,
      incident.model,
      incident.expectationId,
      incident.openedAtMs,
      incident.openedAtMs + 1,
    );
    return list.find((e) => e.version === incident.version) ?? null;
  } catch {
    return null;
  }
}

/** Evaluations of the incident's expectation shown at most, newest first. */
const MAX_EVALUATION_ROWS = 48;

/** Every evaluation of the incident's expectation in view, as the collector stored it, the opening one marked. */
function evaluationsTable(
  incident: IncidentView,
  evaluations: readonly EvaluationView[],
  opening: EvaluationView | null,
): HTMLElement | null {
  const rows = evaluations.filter((e) => e.version === incident.version).slice(0, MAX_EVALUATION_ROWS);
  if (rows.length === 0) return null;
  return h(
    'details',
    { class: 'evaluations' },
    h(
      'summary',
      null,
      `Evaluations of ${incident.expectationId} in view (${rows.length}${evaluations.length > rows.length ? '+' : ''})`,
    ),
    table(
      [
        {
          label: 'Window',
          cell: (e: EvaluationView) =>
            h(
              'span',
              null,
              `${fmtTime(e.windowStartMs)} → ${fmtTime(e.windowEndMs)}`,
              opening && e.windowEndMs === opening.windowEndMs ? badge('opened', 'bad') : null,
            ),
        },
        { label: 'Status', cell: (e) => badge(e.status, statusTone(e.status), e.reason ?? undefined) },
        {
          label: 'Figure',
          num: true,
          cell: (e) =>
            h(
              'span',
              { 'data-value': e.value === null ? '' : String(e.value) },
              figureWithInterval(e.value, e.lower, e.upper, e.n, e.unit),
            ),
        },
        {
          label: 'Limit',
          num: true,
          cell: (e) =>
            e.threshold === null ? '–' : `${e.comparator ?? ''} ${fmtFigure(e.threshold, e.unit)}`,
        },
      ],
      rows,
      '',
      { 'data-table': 'evaluations' },
    ),
  );
}

function causeCard(
  ctx: PageContext,
  incident: IncidentView,
  c: CauseView,
  charts: HTMLElement[],
): HTMLElement {
  const bar = h('span', { class: 'score-fill' });
  bar.style.setProperty('width', `${Math.round(Math.min(1, Math.max(0, c.score ?? 0)) * 100)}%`);
  return h(
    'article',
    { class: c.rank === 1 ? 'cause top' : 'cause', 'data-cause': c.cause, 'data-rank': String(c.rank) },
    h(
      'header',
      null,
      h('span', { class: 'rank' }, `#${c.rank}`),
      h('h3', null, causeLabel(c.cause)),
      h(
        'span',
        { class: 'score', title: 'prior × evidence × gate, in [0, 1]' },
        h('span', { class: 'score-bar' }, bar),
        fmtNum(c.score, 2),
      ),
    ),
    c.explanation ? h('p', null, c.explanation) : null,
    heldDownLine(incident, c),
    c.evidence.length
      ? c.evidence.map((e) => evidenceBlock(ctx, incident.model, e))
      : h('p', { class: 'muted' }, 'No finding attached.'),
    charts.length ? h('div', { class: 'grid2' }, charts) : null,
    c.confirm ? h('p', { class: 'confirm' }, h('strong', null, 'To confirm: '), c.confirm) : null,
  );
}

function actions(ctx: PageContext, incident: IncidentView): HTMLElement {
  const message = h('span', { class: 'action-msg', role: 'status' });
  const act = (verb: 'acknowledge' | 'resolve') => async (e: Event) => {
    const button = e.currentTarget as HTMLButtonElement;
    button.disabled = true;
    message.textContent = '';
    try {
      await ctx.api.post(`/v1/incidents/${seg(incident.id)}/${verb}`, {});
      ctx.refresh();
    } catch (err) {
      message.replaceChildren(errorPanel(err));
      button.disabled = false;
    }
  };
  // Acting on an incident needs the ingest role and reading it the read role: in the dashboard, an admin token.
  const readOnly = ctx.whoami.role === 'read';
  const why = readOnly ? 'needs an admin token' : null;
  return h(
    'div',
    { class: 'actions' },
    incident.status === 'open'
      ? h(
          'button',
          {
            type: 'button',
            class: 'primary',
            'data-action': 'acknowledge',
            disabled: readOnly,
            title: why,
            onClick: act('acknowledge'),
          },
          'Acknowledge',
        )
      : null,
    incident.status !== 'resolved'
      ? h(
          'button',
          {
            type: 'button',
            'data-action': 'resolve',
            disabled: readOnly,
            title: why,
            onClick: act('resolve'),
          },
          'Resolve',
        )
      : null,
    readOnly && incident.status !== 'resolved'
      ? h('span', { class: 'muted action-note' }, 'Signed in read-only: acknowledging needs an admin token.')
      : null,
    message,
  );
}

export async function incidentPage(ctx: PageContext): Promise<Node> {
  if (ctx.route.page.name !== 'incident') throw new Error('incidentPage: wrong route');
  const incident = incidentOf(await ctx.api.get(`/v1/incidents/${seg(ctx.route.page.id)}`));
  await attachFigures(ctx, incident);
  let model: Model | null = null;
  try {
    model = await ctx.api.model(incident.model);
  } catch {
    model = null;
  }
  // Charts centre on the incident unless the URL fixes a range.
  const end = incident.resolvedAtMs ?? Math.max(ctx.nowMs, incident.lastEvaluatedMs ?? 0);
  const onset = incident.onsetMs ?? end - 6 * HOUR;
  const chartCtx: PageContext =
    ctx.rangeState.kind === 'absolute'
      ? ctx
      : {
          ...ctx,
          range: { fromMs: onset - Math.max(6 * HOUR, end - onset), toMs: Math.min(ctx.nowMs, end + HOUR) },
        };
  const [data, beats, expectations, opening, evaluations] = await Promise.all([
    model ? loadWindows(chartCtx, model, { include: 'profiles,sample' }) : null,
    model
      ? ctx.api
          .heartbeats({ model: incident.model, from: chartCtx.range.fromMs, to: chartCtx.range.toMs })
          .catch(() => [])
      : [],
    loadExpectations(ctx, incident.model),
    openingEvaluation(ctx, incident),
    loadEvaluations(
      ctx,
      incident.model,
      incident.expectationId,
      chartCtx.range.fromMs,
      chartCtx.range.toMs + HOUR * 24,
    ).catch(() => null),
  ]);
  const collector =
    data && model && expectations.ok
      ? await loadCollectorData(
          ctx,
          incident.model,
          expectations.value,
          chartCtx.range,
          estimatedMetricsFor(data !== null && isRegression(model.task, data)),
          incident.expectationId,
        )
      : null;
  const marks = [
    ...(incident.onsetMs !== null ? [{ atMs: incident.onsetMs, label: 'onset', color: COLORS.red }] : []),
    ...(incident.acknowledgedAtMs !== null
      ? [{ atMs: incident.acknowledgedAtMs, label: 'ack', color: COLORS.amber }]
      : []),
    ...(incident.resolvedAtMs !== null
      ? [{ atMs: incident.resolvedAtMs, label: 'resolved', color: COLORS.green }]
      : []),
  ];
  const v = incident.violation;
  const regression = model !== null && data !== null && isRegression(model.task, data);
  const symptomFamily = chartFamily(incident.symptom);
  const symptomCharts = data
    ? chartsFor(symptomFamily, data, chartCtx, marks, incident, beats, collector, regression)
    : [];
  const drawn = new Set<ChartFamily | null>([symptomFamily]);
  const causeCharts = (c: CauseView) => {
    const family = chartFamily(c.cause);
    // The top three causes get a chart, unless the symptom section or a cause above already shows the same one.
    if (!data || c.rank > 3 || drawn.has(family)) return [];
    drawn.add(family);
    return chartsFor(family, data, chartCtx, marks, incident, beats, collector, regression);
  };
  const scope: Child[] = [];
  if (incident.version) scope.push(h('span', { class: 'chip' }, `version ${incident.version}`));
  if (v.instances.length)
    scope.push(
      h(
        'span',
        { class: 'chip' },
        v.instancesSeen.length
          ? `${v.instances.length} of ${v.instancesSeen.length} instances: ${v.instances.join(', ')}`
          : `${v.instances.length === 1 ? 'instance' : 'instances'} ${v.instances.join(', ')}`,
      ),
    );
  for (const s of v.slices) scope.push(h('span', { class: 'chip' }, `slice ${s}`));

  return h(
    'div',
    { class: 'page incident', 'data-incident': incident.id },
    h(
      'div',
      { class: 'page-head' },
      h(
        'h1',
        null,
        badge(incident.severity, severityTone(incident.severity)),
        ' ',
        badge(incident.status, statusTone(incident.status)),
        ' ',
        h('a', { href: ctx.link({ name: 'model', model: incident.model }), class: 'crumb' }, incident.model),
        ` · ${incident.expectationId}`,
        incident.expectationLabel
          ? h('span', { class: 'muted head-label' }, ` ${incident.expectationLabel}`)
          : null,
      ),
      actions(ctx, incident),
    ),
    section(
      'What was violated',
      null,
      h(
        'div',
        { class: symptomCharts.length ? 'violation two' : 'violation' },
        h(
          'div',
          { class: 'violation-text' },
          h(
            'p',
            { class: 'lead', 'data-summary': 'violation' },
            v.summary ?? `${incident.symptom} expectation violated`,
          ),
          kv([
            [
              'when opened',
              opening
                ? h(
                    'span',
                    {
                      'data-figure': 'opened',
                      'data-value': opening.value === null ? '' : String(opening.value),
                    },
                    figureWithInterval(opening.value, opening.lower, opening.upper, opening.n, opening.unit),
                    h(
                      'span',
                      { class: 'muted' },
                      ` over ${fmtTime(opening.windowStartMs)} → ${fmtTime(opening.windowEndMs)}`,
                    ),
                  )
                : '–',
            ],
            [
              'latest figure',
              h(
                'span',
                { 'data-figure': 'latest', 'data-value': v.value === null ? '' : String(v.value) },
                figureWithInterval(v.value, v.lower, v.upper, v.n, v.unit),
              ),
            ],
            ['limit', v.threshold !== null ? `${v.comparator ?? ''} ${fmtFigure(v.threshold, v.unit)}` : '–'],
            ['symptom', incident.symptom.replace(/_/g, ' ')],
            ['onset', `${fmtTime(incident.onsetMs)} (${fmtAgo(incident.onsetMs, ctx.nowMs)})`],
            ['duration', fmtDuration((incident.resolvedAtMs ?? ctx.nowMs) - (incident.onsetMs ?? ctx.nowMs))],
            [
              'acknowledged',
              incident.acknowledgedAtMs !== null
                ? `${fmtTime(incident.acknowledgedAtMs)}${incident.acknowledgedBy ? ` by ${incident.acknowledgedBy}` : ''}`
                : 'no',
            ],
          ]),
          scope.length ? h('div', { class: 'chips' }, scope) : null,
          evaluations ? evaluationsTable(incident, evaluations, opening) : null,
        ),
        symptomCharts.length ? h('div', { class: 'violation-charts' }, symptomCharts) : null,
      ),
    ),
    section(
      'Likely causes',
      'Ranked best first by prior × evidence; each with the findings behind it and how to confirm it.',
      incident.causes.length
        ? h(
            'div',
            { class: 'causes' },
            incident.causes.map((c) => causeCard(ctx, incident, c, causeCharts(c))),
          )
        : h('p', { class: 'empty' }, 'No cause explains this violation yet.'),
      incident.unexplored.length
        ? h(
            'div',
            { class: 'unexplored' },
            h('h3', null, 'Not yet checked'),
            h(
              'ul',
              null,
              incident.unexplored.map((u) =>
                h('li', null, h('strong', null, causeLabel(u.cause)), u.confirm ? ` — ${u.confirm}` : ''),
              ),
            ),
          )
        : null,
    ),
    section(
      'Timeline',
      null,
      incident.timeline.length
        ? h(
            'ol',
            { class: 'timeline' },
            [...incident.timeline]
              .sort((a, b) => (b.atMs ?? 0) - (a.atMs ?? 0))
              .map((t) =>
                h(
                  'li',
                  { 'data-kind': t.kind },
                  h('time', null, fmtTime(t.atMs)),
                  badge(
                    t.kind,
                    t.kind === 'resolved'
                      ? 'ok'
                      : t.kind === 'opened' || t.kind === 'relapsed'
                        ? 'bad'
                        : 'info',
                  ),
                  h('span', null, t.text, t.by ? h('span', { class: 'muted' }, ` — ${t.by}`) : null),
                ),
              ),
          )
        : h('p', { class: 'empty' }, 'No entries.'),
    ),
  );
}
