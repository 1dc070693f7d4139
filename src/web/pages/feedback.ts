/**
 * @module
 * Feedback loops of a recommender (methods.md 8): exposure concentration (Gini), catalogue coverage, long-tail
 * share and hit rate by popularity over time, and click-through from the feedback counts. A loop shows as
 * rising concentration with falling coverage, long-tail share and tail hit rate.
 */
import { feedbackSeries, HIT_RATE_K } from '../analysis/feedback.js';
import { olsSlopeText } from '../analysis/trend-text.js';
import { COLORS, timeChart } from '../charts/time-chart.js';
import type { PageContext } from '../context.js';
import { h } from '../dom.js';
import { fmtDuration, fmtNum, fmtPct, fmtTime } from '../format.js';
import { rangeToQuery } from '../time-range.js';
import { loadWindows } from './data.js';
import { kv, section } from './widgets.js';

export async function feedbackPage(ctx: PageContext): Promise<Node> {
  if (ctx.route.page.name !== 'feedback') throw new Error('feedbackPage: wrong route');
  const name = ctx.route.page.model;
  const detail = await ctx.api.model(name);
  const data = await loadWindows(ctx, detail, { include: 'sample' });
  const f = feedbackSeries(data.groups);
  const onSelect = (fromMs: number, toMs: number) =>
    ctx.setQuery(rangeToQuery({ kind: 'absolute', fromMs, toMs }));
  const totalLists = f.lists.reduce((a, b) => a + b, 0);
  const ref = f.reference;
  const share = (v: number) => fmtPct(v, 1);
  return h(
    'div',
    { class: 'page feedback' },
    h(
      'div',
      { class: 'page-head' },
      h(
        'h1',
        null,
        h('a', { href: ctx.link({ name: 'model', model: name }), class: 'crumb' }, name),
        ' / feedback loops',
      ),
      kv([
        ['lists sampled', fmtNum(totalLists)],
        ['catalogue seen', `${fmtNum(f.catalogueSize)} items (${fmtNum(f.tailSize)} in the long tail)`],
        [
          'popularity from',
          ref ? `${fmtTime(data.axis[ref.from]!)} → ${fmtTime(data.axis[ref.to - 1]! + data.windowMs)}` : '–',
        ],
      ]),
    ),
    totalLists === 0
      ? section(
          'No ranked outputs',
          null,
          h('p', { class: 'empty' }, 'No prediction in this range carries a ranked list (output.items).'),
        )
      : section(
          'Concentration and coverage',
          `Per ${fmtDuration(data.windowMs)} window, from each window's uniform sample of predictions.`,
          h(
            'div',
            { class: 'grid2' },
            timeChart({
              id: 'gini',
              title: 'Exposure concentration (Gini)',
              note: olsSlopeText(f.gini, 'per window'),
              axisMs: data.axis,
              lines: [{ label: 'Gini', values: f.gini, color: COLORS.red }],
              format: (v) => fmtNum(v, 2),
              yMax: 1,
              onSelect,
            }),
            timeChart({
              id: 'coverage',
              title: 'Catalogue coverage',
              note: olsSlopeText(f.coverage, 'per window'),
              axisMs: data.axis,
              lines: [{ label: 'coverage', values: f.coverage, color: COLORS.green }],
              format: share,
              yMax: 1,
              onSelect,
            }),
            timeChart({
              id: 'long-tail',
              title: 'Long-tail share of lists (APLT)',
              note: olsSlopeText(f.longTailShare, 'per window'),
              axisMs: data.axis,
              lines: [{ label: 'long-tail share', values: f.longTailShare, color: COLORS.violet }],
              format: share,
              yMax: 1,
              onSelect,
            }),
            timeChart({
              id: 'hit-rate',
              title: `Hit rate@${HIT_RATE_K} by popularity`,
              note: 'wanted item among the more / less popular half',
              axisMs: data.axis,
              lines: [
                { label: 'popular half', values: f.headHitRate, color: COLORS.amber },
                { label: 'less popular half', values: f.tailHitRate, color: COLORS.cyan },
              ],
              format: share,
              yMax: 1,
              onSelect,
            }),
            timeChart({
              id: 'ctr',
              title: 'Click-through',
              note: 'clicked / shown, from all feedback events',
              axisMs: data.axis,
              lines: [{ label: 'CTR', values: f.ctr, color: COLORS.blue }],
              format: (v) => fmtPct(v, 2),
              onSelect,
            }),
          ),
        ),
  );
}
