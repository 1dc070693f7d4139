/**
 * @module
 * The feature page: reference against current distribution, the drift score over time, missing values, and
 * the current rows the reference calls out of range.
 */
import type { ColumnSummary } from '../../core/profile/profile-summary.js';
import { PSI_MODERATE, PSI_SIGNIFICANT } from '../analysis/distribution.js';
import { currentRange, driftMatrix, missingShareSeries, referenceRange } from '../analysis/drift.js';
import { compareDistributions, outliers, referenceValues, sampledValues } from '../analysis/feature.js';
import { compareBars } from '../charts/bars.js';
import { COLORS, timeChart } from '../charts/time-chart.js';
import type { PageContext } from '../context.js';
import { h } from '../dom.js';
import { fmtDuration, fmtNum, fmtPct, fmtSig, fmtTime } from '../format.js';
import { rangeToQuery } from '../time-range.js';
import { loadReference, loadWindows } from './data.js';
import { badge, kv, section, table } from './widgets.js';

export async function featurePage(ctx: PageContext): Promise<Node> {
  if (ctx.route.page.name !== 'feature') throw new Error('featurePage: wrong route');
  const { model: name, feature } = ctx.route.page;
  const detail = await ctx.api.model(name);
  const data = await loadWindows(ctx, detail, { include: 'profiles,sample' });
  const refVersion = detail.versions.find((v) => v.intended && v.reference) ?? null;
  const ref = refVersion ? await loadReference(ctx, name, refVersion.version) : null;
  const external = ref ? (ref.profile.columns as ColumnSummary[]) : null;

  const refRange = referenceRange(data.groups);
  const curRange = currentRange(data.groups);
  const refValues = ref
    ? referenceValues(ref.sample, feature)
    : sampledValues(data.groups, refRange, feature);
  const curValues = sampledValues(data.groups, curRange, feature);
  const dist = compareDistributions(refValues, curValues);
  const drift = driftMatrix(data.groups, 'features', external);
  const row = drift.features.indexOf(feature);
  const scores = row >= 0 ? drift.scores[row]! : data.axis.map(() => null);
  const missing =
    missingShareSeries(data.groups).find((m) => m.feature === feature)?.values ?? data.axis.map(() => null);
  const out = outliers(refValues, curValues);
  const span = (r: { from: number; to: number } | null) =>
    r ? `${fmtTime(data.axis[r.from]!)} → ${fmtTime(data.axis[r.to - 1]! + data.windowMs)}` : '–';
  const refText =
    ref && refVersion ? `reference data set of version ${refVersion.version}` : `windows ${span(refRange)}`;
  const onSelect = (fromMs: number, toMs: number) =>
    ctx.setQuery(rangeToQuery({ kind: 'absolute', fromMs, toMs }));

  return h(
    'div',
    { class: 'page feature' },
    h(
      'div',
      { class: 'page-head' },
      h(
        'h1',
        null,
        h('a', { href: ctx.link({ name: 'model', model: name }), class: 'crumb' }, name),
        ' / ',
        feature,
      ),
      kv([
        ['reference', refText],
        ['current', `windows ${span(curRange)}`],
        [
          'rows compared',
          `${fmtNum(refValues.length)} reference, ${fmtNum(curValues.length)} current (sampled)`,
        ],
      ]),
    ),
    section(
      'Distribution',
      dist.numeric
        ? 'Equal-width bins over the pooled 0.5–99.5 % range.'
        : 'The most common values, and the rest as "other".',
      compareBars({ id: 'distribution', title: `${feature}: reference against current`, bins: dist.bins }),
    ),
    section(
      'Over time',
      `Per ${fmtDuration(data.windowMs)} window.`,
      h(
        'div',
        { class: 'grid2' },
        timeChart({
          id: 'drift-score',
          title: 'Drift score (PSI)',
          note: 'each window against the reference',
          axisMs: data.axis,
          lines: [{ label: 'PSI', values: scores, color: COLORS.amber }],
          thresholds: [
            { value: PSI_MODERATE, label: 'moderate', color: COLORS.grey },
            { value: PSI_SIGNIFICANT, label: 'significant', color: COLORS.red },
          ],
          format: (v) => fmtNum(v, 3),
          onSelect,
        }),
        timeChart({
          id: 'missing-share',
          title: 'Missing values',
          axisMs: data.axis,
          lines: [{ label: 'missing', values: missing, color: COLORS.cyan }],
          format: (v) => fmtPct(v, 1),
          onSelect,
        }),
      ),
    ),
    section(
      'Outliers',
      out?.kind === 'range'
        ? `Current sampled values outside the reference's 0.5–99.5 % range [${fmtSig(out.lo)}, ${fmtSig(out.hi)}] (methods.md 7.3).`
        : 'Current sampled values the reference never had.',
      out === null
        ? h('p', { class: 'empty' }, 'Not enough sampled rows to compare.')
        : [
            h(
              'div',
              { class: 'stats' },
              h(
                'div',
                { class: 'stat' },
                h('div', { class: 'stat-value' }, fmtPct(out.share, 2)),
                h('div', { class: 'stat-label' }, `${fmtNum(out.outside)} of ${fmtNum(out.n)} outside`),
              ),
              out.expectedShare !== null
                ? h(
                    'div',
                    { class: 'stat' },
                    h('div', { class: 'stat-value' }, fmtPct(out.expectedShare, 2)),
                    h('div', { class: 'stat-label' }, 'expected under the reference'),
                  )
                : null,
              h(
                'div',
                { class: 'stat' },
                out.alert ? badge('more than expected', 'bad') : badge('as expected', 'ok'),
              ),
            ),
            table(
              [
                { label: 'Prediction', cell: (r) => h('code', null, r.id ?? '–') },
                { label: 'Window', cell: (r) => fmtTime(r.windowStartMs) },
                { label: 'Instance', cell: (r) => r.instance ?? '–' },
                {
                  label: 'Value',
                  num: true,
                  cell: (r) => (typeof r.value === 'number' ? fmtSig(r.value) : String(r.value)),
                },
              ],
              out.rows.slice(0, 25),
              'No current sampled row is out of range.',
              { 'data-table': 'outliers' },
            ),
          ],
    ),
  );
}
