/**
 * @module
 * The drift heat map: one row per feature, one column per window, the cell coloured by the drift score on a
 * sequential scale that saturates at the "significant" level (or by a colour of the caller's, for verdicts).
 * Feature names are links (DOM text); cells are drawn on a canvas; hovering a cell shows its feature, window and
 * score as text. Columns can be shaded (their values are not shown, e.g. windows the collector evaluated, which
 * another view answers for) and cells outlined (e.g. where the collector raised a finding); a row can carry a
 * count of such cells next to its label.
 */
import { h, onDetach } from '../dom.js';
import { fmtNum, fmtTime } from '../format.js';

export interface HeatmapOptions {
  title: string;
  note?: string;
  rows: {
    label: string;
    href?: string;
    values: readonly (number | null)[];
    /** Windows flagged on this row, shown next to the label (`data-flagged`). */
    flagged?: number;
  }[];
  axisMs: readonly number[];
  windowMs: number;
  /** Scores at or above this get the strongest colour. */
  saturateAt: number;
  /** Where the scale's legend marks a level (e.g. 0.1 moderate, 0.25 significant). */
  levels: { value: number; label: string }[];
  /** Columns (indices [from, to)) drawn as the reference. */
  reference?: { from: number; to: number } | null;
  id?: string;
  /** The colour of a value; the sequential scale by default. */
  color?: (v: number) => string;
  /** Legend text for an empty cell. */
  nullLabel?: string;
  /** Columns drawn shaded instead of their values, with the legend text saying why. */
  shade?: { columns: readonly boolean[]; label: string };
  /** Cells outlined (marks[row][column]), with the legend text saying why. */
  marks?: { cells: readonly (readonly boolean[])[]; label: string };
  /** The text shown for a hovered cell; `<label> · <time> · PSI <value>` by default. */
  tip?: (row: number, column: number) => string;
  /** What a row's `flagged` count means, for its title. */
  flaggedLabel?: (n: number) => string;
}

/** Dark blue-grey → teal → amber → red: readable in the dark and distinct for most colour vision. */
const STOPS: [number, [number, number, number]][] = [
  [0, [28, 38, 50]],
  [0.25, [35, 92, 110]],
  [0.5, [199, 150, 48]],
  [0.75, [224, 110, 50]],
  [1, [229, 83, 75]],
];

/** The colour of a score in [0, saturateAt] (clamped). */
export function heatColor(v: number, saturateAt: number): string {
  const x = Math.min(1, Math.max(0, v / saturateAt));
  for (let i = 1; i < STOPS.length; i++) {
    const [x1, c1] = STOPS[i]!;
    const [x0, c0] = STOPS[i - 1]!;
    if (x <= x1) {
      const t = (x - x0) / (x1 - x0);
      const c = c0.map((a, k) => Math.round(a + (c1[k]! - a) * t));
      return `rgb(${c[0]}, ${c[1]}, ${c[2]})`;
    }
  }
  return 'rgb(229, 83, 75)';
}

const ROW_H = 22;
/** Shaded columns and outlined cells (the legend swatches in styles.css use the same colours). */
const SHADE = 'rgb(44, 50, 60)';
const MARK = 'rgb(240, 240, 245)';

export function heatmap(o: HeatmapOptions): HTMLElement {
  const canvas = h('canvas', { class: 'heat-canvas', 'aria-label': o.title, role: 'img' });
  const tip = h('div', { class: 'heat-tip', hidden: true });
  const labels = h(
    'div',
    { class: 'heat-labels' },
    o.rows.map((r) =>
      h(
        'div',
        {
          class: r.flagged ? 'heat-label flagged' : 'heat-label',
          title: r.flagged && o.flaggedLabel ? `${r.label}: ${o.flaggedLabel(r.flagged)}` : r.label,
          'data-flagged': r.flagged ? String(r.flagged) : null,
        },
        r.href ? h('a', { href: r.href }, r.label) : r.label,
        r.flagged ? h('span', { class: 'heat-flag' }, `●${r.flagged}`) : null,
      ),
    ),
  );
  const cols = o.axisMs.length;
  const ticks = h('div', { class: 'heat-ticks' });
  const tickEvery = Math.max(1, Math.ceil(cols / 6));
  for (let i = 0; i < cols; i += tickEvery) {
    const t = h('span', { class: 'heat-tick' }, fmtTime(o.axisMs[i]!).slice(5));
    t.style.setProperty('left', `${(i / cols) * 100}%`);
    ticks.append(t);
  }
  const colorOf = o.color ?? ((v: number) => heatColor(v, o.saturateAt));
  const legend = h(
    'div',
    { class: 'heat-legend' },
    h('span', { class: 'heat-swatch heat-null' }),
    o.nullLabel ?? 'no data',
    ...o.levels.flatMap((l) => {
      const sw = h('span', { class: 'heat-swatch' });
      sw.style.setProperty('background', colorOf(l.value));
      return [sw, `${l.label}`];
    }),
    o.shade ? [h('span', { class: 'heat-swatch heat-shade' }), o.shade.label] : null,
    o.marks ? [h('span', { class: 'heat-swatch heat-mark' }), o.marks.label] : null,
    o.reference ? h('span', { class: 'heat-ref-key' }, 'reference windows underlined') : null,
  );
  const body = h('div', { class: 'heat-body' }, labels, h('div', { class: 'heat-plot' }, canvas, ticks, tip));
  const panel = h(
    'figure',
    { class: 'chart heat', 'data-chart': o.id ?? o.title },
    h(
      'figcaption',
      null,
      h('span', { class: 'chart-title' }, o.title),
      o.note ? h('span', { class: 'chart-note' }, o.note) : null,
    ),
    o.rows.length === 0 || cols === 0
      ? h('div', { class: 'empty' }, 'No profiles in this time range.')
      : [body, legend],
  );
  if (o.rows.length === 0 || cols === 0) return panel;

  const draw = (width: number) => {
    const dpr = window.devicePixelRatio || 1;
    const height = o.rows.length * ROW_H;
    canvas.width = Math.round(width * dpr);
    canvas.height = Math.round(height * dpr);
    canvas.style.setProperty('width', `${width}px`);
    canvas.style.setProperty('height', `${height}px`);
    const ctx = canvas.getContext('2d');
    if (!ctx) return;
    ctx.scale(dpr, dpr);
    const cw = width / cols;
    o.rows.forEach((r, ri) => {
      r.values.forEach((v, ci) => {
        ctx.fillStyle = o.shade?.columns[ci]
          ? SHADE
          : v === null || v === undefined
            ? 'rgb(22, 28, 36)'
            : colorOf(v);
        ctx.fillRect(ci * cw + 0.5, ri * ROW_H + 1, Math.max(1, cw - 1), ROW_H - 2);
        if (o.marks?.cells[ri]?.[ci]) {
          ctx.strokeStyle = MARK;
          ctx.lineWidth = 2;
          ctx.strokeRect(ci * cw + 1.5, ri * ROW_H + 2, Math.max(1, cw - 3), ROW_H - 4);
        }
      });
    });
    if (o.reference) {
      ctx.fillStyle = 'rgba(214, 221, 230, 0.7)';
      ctx.fillRect(o.reference.from * cw, height - 2, (o.reference.to - o.reference.from) * cw, 2);
    }
  };
  const plot = canvas.parentElement!;
  const ro = new ResizeObserver((entries) => {
    const w = Math.floor(entries[0]?.contentRect.width ?? 0);
    if (w > 0) draw(w);
  });
  ro.observe(plot);
  onDetach(panel, () => ro.disconnect());
  canvas.addEventListener('mousemove', (e) => {
    const rect = canvas.getBoundingClientRect();
    const ci = Math.floor(((e.clientX - rect.left) / rect.width) * cols);
    const ri = Math.floor((e.clientY - rect.top) / ROW_H);
    const row = o.rows[ri];
    if (!row || ci < 0 || ci >= cols) {
      tip.hidden = true;
      return;
    }
    const v = row.values[ci] ?? null;
    tip.textContent = o.tip
      ? o.tip(ri, ci)
      : `${row.label} · ${fmtTime(o.axisMs[ci]!)} · ${v === null ? 'no data' : `PSI ${fmtNum(v, 3)}`}`;
    tip.hidden = false;
    tip.style.setProperty('left', `${Math.min(rect.width - 220, Math.max(0, e.clientX - rect.left + 10))}px`);
    tip.style.setProperty('top', `${e.clientY - rect.top + 12}px`);
  });
  canvas.addEventListener('mouseleave', () => {
    tip.hidden = true;
  });
  return panel;
}
