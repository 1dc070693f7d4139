/**
 * @module
 * The model page: versions and where each is deployed; operational charts (latency quantiles, throughput,
 * errors by kind); ML charts (performance realised, and estimated as the collector evaluated it, with bands and
 * limits; labelled share; the collector's drift verdicts per feature over time, with PSI on window summaries as
 * an exploration of the windows it has not evaluated; data quality); and the serving instances with their
 * heartbeats, fingerprints and self-checks.
 */
import type { Instance, Model, ModelVersion, StoredHeartbeat } from '../../core/contract/index.js';
import type { ColumnSummary } from '../../core/profile/profile-summary.js';
import { PSI_MODERATE, PSI_SIGNIFICANT } from '../analysis/distribution.js';
import { driftMatrix, featureQuality, missingShareSeries } from '../analysis/drift.js';
import {
  fingerprintDiff,
  heartbeatCounts,
  hostMetricNames,
  hostMetricSeries,
  isLate,
  typicalIntervalMs,
} from '../analysis/instances.js';
import {
  deployments,
  errorKindSeries,
  labelledShareSeries,
  latencySeries,
  perUnit,
  trafficSeries,
  versionTraffic,
} from '../analysis/series.js';
import { heatmap } from '../charts/heatmap.js';
import { COLORS, PALETTE, timeChart } from '../charts/time-chart.js';
import type { PageContext } from '../context.js';
import { h } from '../dom.js';
import {
  causeLabel,
  fmtAgo,
  fmtBytes,
  fmtDuration,
  fmtMs,
  fmtNum,
  fmtPct,
  fmtTime,
  shortHash,
} from '../format.js';
import { rangeToQuery } from '../time-range.js';
import type { EvidenceView } from '../views.js';
import {
  type CollectorData,
  driftViews,
  estimatedMetricsFor,
  isRegression,
  loadCollectorData,
  performanceChart,
  verdictsFor,
} from './collector-views.js';
import {
  loadExpectations,
  loadFindings,
  loadIncidents,
  loadReference,
  loadWindows,
  type WindowData,
} from './data.js';
import { incidentTable } from './overview.js';
import { badge, kv, section, severityTone, statusTone, table, unavailable } from './widgets.js';

/** Heartbeats fetched at most per page (newest first, 1000 per request). */
const MAX_HEARTBEAT_PAGES = 5;

async function loadHeartbeats(
  ctx: PageContext,
  model: string,
): Promise<{ beats: StoredHeartbeat[]; truncated: boolean }> {
  const beats: StoredHeartbeat[] = [];
  let to = ctx.range.toMs;
  for (let page = 0; page < MAX_HEARTBEAT_PAGES; page++) {
    const batch = await ctx.api.heartbeats({ model, from: ctx.range.fromMs, to });
    beats.push(...batch);
    if (batch.length < 1000) return { beats, truncated: false };
    to = Date.parse(batch[batch.length - 1]!.timestamp);
  }
  return { beats, truncated: true };
}

const select = (ctx: PageContext) => (fromMs: number, toMs: number) =>
  ctx.setQuery(rangeToQuery({ kind: 'absolute', fromMs, toMs }));

function versionsSection(
  model: Model,
  versions: ModelVersion[],
  data: WindowData,
  instances: Instance[],
): HTMLElement {
  const deployed = deployments(data.windows);
  const total = data.windows.reduce((s, w) => s + w.predictions, 0);
  const rows = [...versions].sort(
    (a, b) => Number(b.intended) - Number(a.intended) || (a.createdAt < b.createdAt ? 1 : -1),
  );
  return section(
    'Versions and deployment',
    'Where each version served traffic in this range (instances from predictions), and the artifacts it served.',
    table(
      [
        {
          label: 'Version',
          cell: (v: ModelVersion) =>
            h(
              'span',
              null,
              h('strong', null, v.version),
              v.intended ? badge('intended', 'info') : null,
              v.registered ? null : badge('not registered', 'warn'),
            ),
        },
        {
          label: 'Registered artifact',
          cell: (v) => h('code', { title: v.artifactHash ?? '' }, shortHash(v.artifactHash)),
        },
        {
          label: 'Served artifacts',
          cell: (v) => {
            const d = deployed.find((x) => x.version === v.version);
            if (!d) return h('span', { class: 'muted' }, '–');
            return Object.entries(d.artifactHashes).map(([hash, n]) =>
              h(
                'span',
                { class: 'chip' },
                h('code', { title: hash }, shortHash(hash)),
                ` ${fmtNum(n)}`,
                v.artifactHash && hash !== v.artifactHash
                  ? badge('mismatch', 'bad', `registered ${v.artifactHash}`)
                  : null,
              ),
            );
          },
        },
        {
          label: 'Instances',
          cell: (v) => {
            const d = deployed.find((x) => x.version === v.version);
            const fromBeats = instances.filter((i) => i.version === v.version).map((i) => i.instance);
            const names = [...new Set([...(d ? Object.keys(d.instances) : []), ...fromBeats])]
              .filter((n) => n !== '')
              .sort();
            return names.length
              ? names.map((n) => h('span', { class: 'chip' }, n))
              : h('span', { class: 'muted' }, 'none');
          },
        },
        {
          label: 'Traffic share',
          num: true,
          cell: (v) => {
            const n = data.windows
              .filter((w) => w.version === v.version)
              .reduce((s, w) => s + w.predictions, 0);
            return total > 0 ? fmtPct(n / total) : '–';
          },
        },
        {
          label: 'Validation',
          cell: (v) =>
            Object.entries(v.validationMetrics).length
              ? Object.entries(v.validationMetrics).map(([k, x]) =>
                  h('span', { class: 'chip' }, `${k} ${fmtNum(x, 3)}`),
                )
              : h('span', { class: 'muted' }, '–'),
        },
        {
          label: 'Reference',
          cell: (v) =>
            v.reference ? `${fmtNum(v.reference.rows)} rows` : h('span', { class: 'muted' }, 'none'),
        },
      ],
      rows,
      `No versions of ${model.name} yet.`,
      { 'data-table': 'versions' },
    ),
  );
}

function operationalSection(
  ctx: PageContext,
  data: WindowData,
  markers: { atMs: number; label: string; color: string }[],
): HTMLElement {
  const t = trafficSeries(data.groups, data.coverage);
  const lat = latencySeries(data.groups);
  const kinds = errorKindSeries(data.groups);
  const perVersion = versionTraffic(data.groups);
  const win = fmtDuration(data.windowMs);
  return section(
    'Operational',
    `Per ${win} window. Drag across a chart to zoom into that time range.`,
    h(
      'div',
      { class: 'grid2' },
      timeChart({
        id: 'latency',
        title: 'Latency quantiles',
        note: 'worst version per window',
        axisMs: data.axis,
        lines: [
          { label: 'p50', values: lat.p50, color: COLORS.green },
          { label: 'p90', values: lat.p90, color: COLORS.amber },
          { label: 'p99', values: lat.p99, color: COLORS.red },
        ],
        format: fmtMs,
        markers,
        onSelect: select(ctx),
      }),
      timeChart({
        id: 'throughput',
        title: 'Throughput',
        note: 'requests per second, by version',
        axisMs: data.axis,
        lines: perVersion.map((v, i) => ({
          label: v.version,
          values: perUnit(v.counts, data.coverage, 1000),
          color: PALETTE[i % PALETTE.length]!,
        })),
        format: (v) => fmtNum(v, 2),
        markers,
        onSelect: select(ctx),
      }),
      timeChart({
        id: 'errors',
        title: 'Errors by kind',
        note: 'failed requests per minute',
        axisMs: data.axis,
        lines: kinds.length
          ? kinds.map((k, i) => ({
              label: k.kind,
              values: perUnit(k.counts, data.coverage, 60_000, data.windowMs / 4),
              color: PALETTE[(i + 1) % PALETTE.length]!,
            }))
          : [
              {
                label: 'errors + timeouts',
                values: perUnit(
                  t.errors.map((e, i) => e + t.timeouts[i]!),
                  data.coverage,
                  60_000,
                  data.windowMs / 4,
                ),
                color: COLORS.red,
              },
            ],
        format: (v) => fmtNum(v, 1),
        markers,
        onSelect: select(ctx),
      }),
      timeChart({
        id: 'error-rate',
        title: 'Error rate',
        note: 'errors and timeouts over requests',
        axisMs: data.axis,
        lines: [{ label: 'error rate', values: t.errorRate, color: COLORS.red }],
        format: (v) => fmtPct(v, 2),
        markers,
        onSelect: select(ctx),
      }),
    ),
  );
}

function mlSection(
  ctx: PageContext,
  model: Model,
  data: WindowData,
  reference: { version: string; columns: ColumnSummary[] } | null,
  markers: { atMs: number; label: string; color: string }[],
  collector: CollectorData | null,
): HTMLElement {
  const labelled = labelledShareSeries(data.groups);
  const regression = isRegression(model.task, data);
  const ext = reference?.columns ?? null;
  const drift = driftMatrix(data.groups, 'features', ext);
  const outDrift = driftMatrix(data.groups, 'outputs');
  const labelDrift = driftMatrix(data.groups, 'labels');
  const quality = featureQuality(data.groups, ext);
  const missing = missingShareSeries(data.groups).filter((m) => m.values.some((v) => v !== null && v > 0));
  const refNote = reference
    ? `reference: the registered reference data set of version ${reference.version}`
    : drift.reference
      ? `reference: ${fmtTime(data.axis[drift.reference.from]!)} → ${fmtTime(data.axis[drift.reference.to - 1]! + data.windowMs)} (first quarter of the range)`
      : 'no reference';
  const perfChart = performanceChart({
    id: 'performance',
    data,
    collector,
    regression,
    markers,
    onSelect: select(ctx),
  });
  const featureLink = (f: string) => ctx.link({ name: 'feature', model: model.name, feature: f });
  const verdicts = verdictsFor(data, collector, drift);
  return section(
    'Machine learning',
    `Per ${fmtDuration(data.windowMs)} window; ${refNote}.`,
    h(
      'div',
      { class: 'grid2' },
      perfChart,
      timeChart({
        id: 'labelled',
        title: 'Share labelled',
        note: 'predictions with a label so far',
        axisMs: data.axis,
        lines: [{ label: 'labelled', values: labelled, color: COLORS.cyan }],
        format: (v) => fmtPct(v, 0),
        yMax: 1,
        onSelect: select(ctx),
      }),
    ),
    driftViews({
      prefix: '',
      data,
      collector,
      psi: drift,
      verdicts,
      featureLink,
      referenceNote: `PSI ${refNote}.`,
    }),
    heatmap({
      id: 'output-drift',
      title: 'Prediction and label drift',
      note: 'PSI of outputs and labels against the first quarter of the range — exploration; the collector’s prediction- and label-drift findings are listed above',
      rows: [
        ...outDrift.features.map((f, i) => ({ label: `output ${f}`, values: outDrift.scores[i]! })),
        ...labelDrift.features.map((f, i) => ({
          label: f === 'label' ? 'label' : `label ${f}`,
          values: labelDrift.scores[i]!,
        })),
      ],
      axisMs: data.axis,
      windowMs: data.windowMs,
      saturateAt: PSI_SIGNIFICANT * 2,
      levels: [
        { value: PSI_MODERATE, label: `moderate ≥ ${PSI_MODERATE}` },
        { value: PSI_SIGNIFICANT, label: `significant ≥ ${PSI_SIGNIFICANT}` },
      ],
      reference: outDrift.reference,
    }),
    h('h3', null, 'Data quality'),
    table(
      [
        { label: 'Feature', cell: (q) => h('a', { href: featureLink(q.feature) }, q.feature) },
        { label: 'Kind', cell: (q) => q.kind },
        {
          label: 'Missing (ref → now)',
          num: true,
          cell: (q) => `${fmtPct(q.missingReference)} → ${fmtPct(q.missingCurrent)}`,
        },
        {
          label: 'Out of range',
          num: true,
          cell: (q) =>
            q.outOfRange === null
              ? '–'
              : h(
                  'span',
                  { class: q.outOfRange > 0.06 ? 'bad-text' : '' },
                  fmtPct(q.outOfRange),
                  h('span', { class: 'muted' }, ' (≈2 % expected)'),
                ),
        },
        {
          label: 'Unseen categories',
          cell: (q) =>
            q.unseen === null
              ? '–'
              : q.unseen.length === 0
                ? 'none'
                : q.unseen.slice(0, 4).map((u) => h('span', { class: 'chip' }, `${u.item} ×${u.count}`)),
        },
        {
          label: 'Type mismatches',
          num: true,
          cell: (q) => (q.typeMismatches > 0 ? badge(fmtNum(q.typeMismatches), 'bad') : '0'),
        },
        {
          label: 'Collector',
          cell: (q) => {
            const n = verdicts.flagged[q.feature] ?? 0;
            if (n > 0) return badge(`findings in ${n} window${n === 1 ? '' : 's'}`, 'bad');
            return verdicts.evaluated.some(Boolean) ? badge('no finding', 'ok') : '–';
          },
        },
        {
          label: 'PSI (exploration)',
          num: true,
          cell: (q) =>
            q.psi === null
              ? '–'
              : badge(
                  fmtNum(q.psi, 3),
                  q.psi >= PSI_SIGNIFICANT ? 'bad' : q.psi >= PSI_MODERATE ? 'warn' : 'ok',
                ),
        },
      ],
      [...quality].sort((a, b) => (b.psi ?? -1) - (a.psi ?? -1) || (a.feature < b.feature ? -1 : 1)),
      'No feature profiles in this range.',
      { 'data-table': 'quality' },
    ),
    missing.length
      ? timeChart({
          id: 'missing',
          title: 'Missing values',
          note: 'share missing per feature (features with any missing)',
          axisMs: data.axis,
          lines: missing
            .slice(0, 7)
            .map((m, i) => ({ label: m.feature, values: m.values, color: PALETTE[i % PALETTE.length]! })),
          format: (v) => fmtPct(v, 1),
          onSelect: select(ctx),
        })
      : null,
  );
}

function instancesSection(
  ctx: PageContext,
  versions: ModelVersion[],
  instances: Instance[],
  beats: { beats: StoredHeartbeat[]; truncated: boolean },
  data: WindowData,
): HTMLElement {
  const versionOf = (v: string | null) => versions.find((x) => x.version === v) ?? null;
  const counts = heartbeatCounts(beats.beats, data.axis, data.windowMs);
  const metrics = hostMetricNames(beats.beats).slice(0, 2);
  const rows = [...instances].sort((a, b) => (a.instance < b.instance ? -1 : 1));
  return section(
    'Instances',
    `Serving instances known from heartbeats. ${beats.truncated ? `Charts show the latest ${beats.beats.length} heartbeats.` : ''}`,
    table(
      [
        { label: 'Instance', cell: (i: Instance) => h('strong', null, i.instance) },
        { label: 'Version', cell: (i) => i.version ?? '–' },
        {
          label: 'Artifact',
          cell: (i) => {
            const reg = versionOf(i.version)?.artifactHash ?? null;
            return h(
              'span',
              null,
              h('code', { title: i.artifactHash ?? '' }, shortHash(i.artifactHash)),
              reg && i.artifactHash && reg !== i.artifactHash
                ? badge('not the registered artifact', 'bad', `registered ${reg}`)
                : null,
            );
          },
        },
        {
          label: 'Last heartbeat',
          cell: (i) => {
            const mine = beats.beats.filter((b) => b.instance === i.instance);
            const declared = mine.find((b) => b.intervalMs !== null)?.intervalMs ?? null;
            const late = isLate(
              Date.parse(i.lastSeen),
              declared ?? typicalIntervalMs(mine.map((b) => Date.parse(b.timestamp))),
              ctx.nowMs,
            );
            return h(
              'span',
              { title: fmtTime(i.lastSeen) },
              fmtAgo(i.lastSeen, ctx.nowMs),
              late ? badge('late', 'bad') : null,
            );
          },
        },
        { label: 'Beats', num: true, cell: (i) => fmtNum(i.heartbeats) },
        {
          label: 'Environment',
          cell: (i) => {
            const fp = i.fingerprint;
            if (!fp) return h('span', { class: 'muted' }, 'no fingerprint');
            const diff = fingerprintDiff(versionOf(i.version)?.fingerprint ?? null, fp);
            const changes = [
              ...diff.fields.map((d) => `${d.field}: ${d.validated} → ${d.served}`),
              ...diff.packages.map((p) => `${p.name}: ${p.validated ?? 'absent'} → ${p.served ?? 'absent'}`),
            ];
            return h(
              'span',
              { class: 'fp' },
              [fp.runtime, fp.os].filter(Boolean).join(' · ') || '–',
              fp.lockfileHash
                ? h('code', { title: fp.lockfileHash }, ` lock ${shortHash(fp.lockfileHash)}`)
                : null,
              changes.length
                ? h(
                    'span',
                    { class: 'fp-diff' },
                    badge(`${changes.length} differ from validated`, 'bad', changes.join('\n')),
                    h('span', { class: 'muted' }, ` ${changes.slice(0, 2).join('; ')}`),
                  )
                : badge('as validated', 'ok'),
            );
          },
        },
        {
          label: 'Self-checks',
          cell: (i) =>
            i.failedChecks.length
              ? i.failedChecks.map((c) => badge(`${c} failed`, 'bad'))
              : badge('all pass', 'ok'),
        },
      ],
      rows,
      'No heartbeats from any instance of this model.',
      { 'data-table': 'instances' },
    ),
    h(
      'div',
      { class: 'grid2' },
      timeChart({
        id: 'heartbeats',
        title: 'Heartbeats',
        note: 'per hour, by instance; a drop is a gap',
        axisMs: data.axis,
        lines: counts.map((c, i) => ({
          label: c.instance,
          values: perUnit(c.counts, data.coverage, 3_600_000, data.windowMs / 4),
          color: PALETTE[i % PALETTE.length]!,
        })),
        format: (v) => fmtNum(v, 0),
        onSelect: select(ctx),
      }),
      ...metrics.map((m) =>
        timeChart({
          id: `host-${m}`,
          title: `Host: ${m}`,
          note: 'mean per instance per window',
          format: /bytes$/i.test(m)
            ? fmtBytes
            : /percent$/i.test(m)
              ? (v: number) => `${fmtNum(v, 0)} %`
              : (v: number) => fmtNum(v),
          axisMs: data.axis,
          lines: hostMetricSeries(beats.beats, m, data.axis, data.windowMs).map((s, i) => ({
            label: s.instance,
            values: s.values,
            color: PALETTE[i % PALETTE.length]!,
          })),
          onSelect: select(ctx),
        }),
      ),
    ),
  );
}

export async function modelPage(ctx: PageContext): Promise<Node> {
  if (ctx.route.page.name !== 'model') throw new Error('modelPage: wrong route');
  const name = ctx.route.page.model;
  const detail = await ctx.api.model(name);
  const [data, instances, beats, incidents, expectations, findings] = await Promise.all([
    loadWindows(ctx, detail, { include: 'profiles,sample' }),
    ctx.api.instances(name),
    loadHeartbeats(ctx, name),
    loadIncidents(ctx, name),
    loadExpectations(ctx, name),
    loadFindings(ctx, name),
  ]);
  const collector = expectations.ok
    ? await loadCollectorData(
        ctx,
        name,
        expectations.value,
        ctx.range,
        estimatedMetricsFor(isRegression(detail.task, data)),
      )
    : null;
  const refVersion = detail.versions.find((v) => v.intended && v.reference) ?? null;
  const ref = refVersion ? await loadReference(ctx, name, refVersion.version) : null;
  const reference =
    ref && refVersion
      ? { version: refVersion.version, columns: ref.profile.columns as ColumnSummary[] }
      : null;
  const active = incidents.ok ? incidents.value.filter((i) => i.status !== 'resolved') : [];
  const markers = active
    .filter((i) => i.onsetMs !== null)
    .map((i) => ({ atMs: i.onsetMs!, label: `onset ${i.expectationId}`, color: COLORS.red }));
  const hasItems = data.windows.some((w) =>
    (w.sample?.rows ?? []).some((r) => Array.isArray((r.output as { items?: unknown } | null)?.items)),
  );

  return h(
    'div',
    { class: 'page model' },
    h(
      'div',
      { class: 'page-head' },
      h('h1', null, detail.name),
      h(
        'div',
        { class: 'head-meta' },
        kv([
          ['task', detail.task ?? '–'],
          ['intended version', detail.intendedVersion ?? 'none'],
          ['latest event', fmtAgo(detail.latestEventAt, ctx.nowMs)],
          ['watermark', fmtTime(detail.watermark)],
        ]),
        hasItems || detail.task === 'ranking'
          ? h('a', { class: 'button', href: ctx.link({ name: 'feedback', model: name }) }, 'Feedback loops →')
          : null,
      ),
    ),
    section(
      'Expectations, incidents and findings',
      null,
      expectations.ok
        ? table(
            [
              { label: 'Status', cell: (e) => badge(e.status, statusTone(e.status)) },
              {
                label: 'Expectation',
                cell: (e) =>
                  h('span', null, h('strong', null, e.id), h('span', { class: 'muted' }, ` ${e.text}`)),
              },
              { label: 'Latest evaluation', cell: (e) => e.summary ?? '–' },
            ],
            expectations.value,
            'No expectations set for this model.',
            { 'data-table': 'expectations' },
          )
        : unavailable('Expectations are', expectations.error),
      h('h3', null, 'Open incidents'),
      incidents.ok
        ? incidentTable(ctx, active, 'No open incidents for this model.')
        : unavailable('Incidents are', incidents.error),
      findings.ok && findings.value.length > 0
        ? h(
            'details',
            { class: 'findings' },
            h('summary', { class: 'findings-toggle' }, `Latest findings (${findings.value.length})`),
            table(
              [
                { label: 'Window end', cell: (f: EvidenceView) => fmtTime(f.windowEndMs) },
                { label: 'Cause', cell: (f) => causeLabel(f.cause ?? '') },
                {
                  label: 'Severity',
                  cell: (f) => badge(f.severity ?? 'info', severityTone(f.severity ?? 'info')),
                },
                {
                  label: 'Subject',
                  cell: (f) =>
                    Object.entries(f.subject)
                      .filter(([k]) => k !== 'model')
                      .map(([k, v]) => h('span', { class: 'chip' }, `${k} ${v}`)),
                },
                { label: 'Score', num: true, cell: (f) => fmtNum(f.score, 2) },
                { label: 'What', cell: (f) => h('span', { class: 'clip wide' }, f.summary) },
              ],
              findings.value,
              '',
              { 'data-table': 'findings' },
            ),
          )
        : null,
    ),
    versionsSection(detail, detail.versions, data, instances),
    operationalSection(ctx, data, markers),
    mlSection(ctx, detail, data, reference, markers, collector),
    instancesSection(ctx, detail.versions, instances, beats, data),
  );
}
