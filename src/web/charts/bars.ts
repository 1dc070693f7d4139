/**
 * @module
 * Reference-against-current bars (a feature's distribution): two bars per bin, heights as shares of each side,
 * drawn with plain elements whose heights are set through the CSSOM. Each bin has a text tooltip.
 */
import { h } from '../dom.js';
import { fmtPct } from '../format.js';

export interface CompareBin {
  label: string;
  /** Shares in [0, 1] of the reference and the current side falling in the bin. */
  ref: number;
  cur: number;
}

export function compareBars(o: {
  title: string;
  note?: string;
  bins: CompareBin[];
  id?: string;
}): HTMLElement {
  const max = Math.max(1e-9, ...o.bins.flatMap((b) => [b.ref, b.cur]));
  const labelEvery = Math.max(1, Math.ceil(o.bins.length / 10));
  const groups = o.bins.map((b, i) => {
    const ref = h('span', { class: 'bar bar-ref' });
    const cur = h('span', { class: 'bar bar-cur' });
    ref.style.setProperty('height', `${(b.ref / max) * 100}%`);
    cur.style.setProperty('height', `${(b.cur / max) * 100}%`);
    return h(
      'div',
      { class: 'bar-group', title: `${b.label}: reference ${fmtPct(b.ref)}, current ${fmtPct(b.cur)}` },
      h('div', { class: 'bar-pair' }, ref, cur),
      h('span', { class: 'bar-label' }, i % labelEvery === 0 ? b.label : ''),
    );
  });
  return h(
    'figure',
    { class: 'chart', 'data-chart': o.id ?? o.title },
    h(
      'figcaption',
      null,
      h('span', { class: 'chart-title' }, o.title),
      o.note ? h('span', { class: 'chart-note' }, o.note) : null,
    ),
    o.bins.length === 0
      ? h('div', { class: 'empty' }, 'No values to compare.')
      : [
          h('div', { class: 'bars' }, groups),
          h(
            'div',
            { class: 'bar-legend' },
            h('span', { class: 'heat-swatch bar-ref' }),
            'reference',
            h('span', { class: 'heat-swatch bar-cur' }),
            'current',
          ),
        ],
  );
}
