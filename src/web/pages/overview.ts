/**
 * @module
 * Overview: every model with its expectations (met / violated / unknown), active incidents, and traffic and
 * latency sparklines over the view's range — what an on-call engineer checks first.
 */
import type { Model } from '../../core/contract/index.js';
import { latencySeries, trafficSeries } from '../analysis/series.js';
import { COLORS, sparkline } from '../charts/time-chart.js';
import type { PageContext } from '../context.js';
import { h } from '../dom.js';
import { causeLabel, fmtAgo, fmtMs, fmtNum, fmtTime } from '../format.js';
import type { ExpectationView, IncidentView } from '../views.js';
import { loadExpectations, loadIncidents, loadWindows, type WindowData } from './data.js';
import { badge, errorPanel, section, severityTone, stat, statusTone, table, unavailable } from './widgets.js';

const isActive = (i: IncidentView) => i.status !== 'resolved';

export function incidentTable(ctx: PageContext, incidents: IncidentView[], empty: string): HTMLElement {
  return table(
    [
      { label: 'Severity', cell: (i) => badge(i.severity, severityTone(i.severity)) },
      { label: 'Status', cell: (i) => badge(i.status, statusTone(i.status)) },
      {
        label: 'Incident',
        cell: (i) =>
          h(
            'a',
            { href: ctx.link({ name: 'incident', id: i.id }), 'data-incident': i.id },
            `${i.model} · ${i.expectationId}`,
          ),
      },
      { label: 'What', cell: (i) => h('span', { class: 'clip' }, i.violation.summary ?? i.symptom) },
      {
        label: 'Top cause',
        cell: (i) => {
          const top = i.causes[0];
          return top
            ? h(
                'span',
                null,
                causeLabel(top.cause),
                h('span', { class: 'muted' }, ` ${fmtNum(top.score, 2)}`),
              )
            : h('span', { class: 'muted' }, 'not yet explained');
        },
      },
      { label: 'Since', cell: (i) => h('span', { title: fmtTime(i.onsetMs) }, fmtAgo(i.onsetMs, ctx.nowMs)) },
    ],
    incidents,
    empty,
    { 'data-table': 'incidents' },
  );
}

function expectationBadges(list: ExpectationView[] | null): HTMLElement {
  if (list === null) return h('span', { class: 'muted' }, '–');
  if (list.length === 0) return h('span', { class: 'muted' }, 'none set');
  const count = (s: ExpectationView['status']) => list.filter((e) => e.status === s).length;
  const title = list.map((e) => `${e.status.toUpperCase()} · ${e.id}: ${e.summary ?? e.text}`).join('\n');
  return h(
    'span',
    { class: 'exp-badges', title },
    badge(`${count('met')} met`, count('met') ? 'ok' : 'muted'),
    badge(`${count('violated')} violated`, count('violated') ? 'bad' : 'muted'),
    badge(`${count('unknown')} unknown`, 'muted'),
  );
}

export async function overviewPage(ctx: PageContext): Promise<Node> {
  const [models, incidents, expectations] = await Promise.all([
    ctx.api.models(),
    loadIncidents(ctx),
    loadExpectations(ctx),
  ]);
  const windows = await Promise.all(
    models.map(async (m): Promise<WindowData | Error> => {
      try {
        return await loadWindows(ctx, m, { maxPoints: 48 });
      } catch (e) {
        return e as Error;
      }
    }),
  );
  const active = incidents.ok ? incidents.value.filter(isActive) : [];
  const exps = expectations.ok ? expectations.value : null;
  const violated = exps ? exps.filter((e) => e.status === 'violated').length : null;
  const totalPredictions = windows.reduce(
    (s, w) => s + (w instanceof Error ? 0 : w.windows.reduce((a, x) => a + x.predictions, 0)),
    0,
  );

  const rows = models.map((m, i) => ({ model: m, data: windows[i]! }));
  const modelTable = table(
    [
      {
        label: 'Model',
        cell: ({ model }: { model: Model }) =>
          h(
            'a',
            { href: ctx.link({ name: 'model', model: model.name }), 'data-model': model.name },
            model.name,
          ),
      },
      { label: 'Task', cell: ({ model }) => model.task ?? h('span', { class: 'muted' }, '–') },
      {
        label: 'Intended',
        cell: ({ model }) => model.intendedVersion ?? h('span', { class: 'muted' }, 'none'),
      },
      {
        label: 'Expectations',
        cell: ({ model }) => expectationBadges(exps ? exps.filter((e) => e.model === model.name) : null),
      },
      {
        label: 'Incidents',
        num: true,
        cell: ({ model }) => {
          const n = active.filter((x) => x.model === model.name).length;
          return n > 0 ? badge(String(n), 'bad') : h('span', { class: 'muted' }, incidents.ok ? '0' : '–');
        },
      },
      {
        label: 'Traffic',
        cell: ({ data }) => {
          if (data instanceof Error) return h('span', { class: 'muted' }, data.message);
          const t = trafficSeries(data.groups, data.coverage);
          const total = t.predictions.reduce((a, b) => a + b, 0);
          return h(
            'span',
            { class: 'spark-cell' },
            sparkline(t.rps, data.axis, COLORS.blue, 'requests per second'),
            h('span', { class: 'spark-num', title: 'predictions in range' }, fmtNum(total)),
          );
        },
      },
      {
        label: 'Latency p99',
        cell: ({ data }) => {
          if (data instanceof Error) return '';
          const l = latencySeries(data.groups);
          const last = [...l.p99].reverse().find((v) => v !== null) ?? null;
          return h(
            'span',
            { class: 'spark-cell' },
            sparkline(l.p99, data.axis, COLORS.amber, 'p99 latency per window'),
            h('span', { class: 'spark-num' }, fmtMs(last)),
          );
        },
      },
      {
        label: 'Last event',
        cell: ({ model }) =>
          h('span', { title: fmtTime(model.latestEventAt) }, fmtAgo(model.latestEventAt, ctx.nowMs)),
      },
    ],
    rows,
    'No models yet. Send predictions, or register a model with POST /v1/models.',
    { 'data-table': 'models' },
  );

  return h(
    'div',
    { class: 'page overview' },
    h('h1', null, 'Overview'),
    h(
      'div',
      { class: 'stats' },
      stat(
        'active incidents',
        incidents.ok ? String(active.length) : '–',
        !incidents.ok ? 'muted' : active.length > 0 ? 'bad' : 'ok',
      ),
      stat(
        'expectations violated',
        violated === null ? '–' : `${violated} / ${exps!.length}`,
        violated === null ? 'muted' : violated ? 'bad' : 'ok',
      ),
      stat('models', String(models.length)),
      stat('predictions in range', fmtNum(totalPredictions)),
    ),
    section(
      'Active incidents',
      null,
      incidents.ok
        ? incidentTable(ctx, active, 'No open or acknowledged incidents. All quiet.')
        : incidents.error instanceof Error && !('status' in incidents.error)
          ? errorPanel(incidents.error)
          : unavailable('Incidents are', incidents.error),
    ),
    section(
      'Models',
      `Sparklines cover ${fmtTime(ctx.range.fromMs)} → ${fmtTime(ctx.range.toMs)}.`,
      modelTable,
    ),
    expectations.ok
      ? null
      : section('Expectations', null, unavailable('Expectations are', expectations.error)),
  );
}
