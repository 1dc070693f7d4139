/**
 * @module
 * Time-series charts on uPlot, themed for a dark room: lines, optional confidence bands, threshold lines and
 * time markers (an incident's onset). The chart sizes itself to its container and follows resizes. Dragging
 * across a chart selects a time range and hands it to `onSelect` (the page puts it in the URL).
 */
import uPlot from 'uplot';
import { h, onDetach } from '../dom.js';
import { fmtNum, fmtTime } from '../format.js';

export interface LineSpec {
  label: string;
  values: readonly (number | null)[];
  color: string;
  width?: number;
  dash?: number[];
  /** Draw points only (sparse series such as heartbeats). */
  points?: boolean;
}

export interface BandSpec {
  label: string;
  lower: readonly (number | null)[];
  upper: readonly (number | null)[];
  color: string;
}

export interface TimeChartOptions {
  title: string;
  /** Window starts in ms; each value belongs to one of them. */
  axisMs: readonly number[];
  lines: LineSpec[];
  bands?: BandSpec[];
  /** Horizontal lines (limits, thresholds). */
  thresholds?: { value: number; label: string; color: string }[];
  /** Vertical lines at times (ms). */
  markers?: { atMs: number; label: string; color: string }[];
  height?: number;
  /** Value formatter for the axis and legend. */
  format?: (v: number) => string;
  /** Fixed bounds of the y axis; with `fit`, the bounds the fitted range may not cross. */
  yMin?: number;
  yMax?: number;
  /** Fit the y axis to the data (padded) instead of starting at zero: for shares that move near 1. */
  fit?: boolean;
  /** Called with [fromMs, toMs) when a range is dragged on the chart. */
  onSelect?: (fromMs: number, toMs: number) => void;
  /** A sentence under the title saying what the chart shows. */
  note?: string;
  /** Named for tests and links: `data-chart`. */
  id?: string;
}

export const COLORS = {
  grid: 'rgba(139, 152, 168, 0.14)',
  axis: '#8b98a8',
  blue: '#5aa9e6',
  green: '#3fb37f',
  amber: '#e0a030',
  red: '#e5534b',
  violet: '#b48ead',
  cyan: '#56c2c2',
  grey: '#8b98a8',
  pink: '#e0729f',
};

/** A palette for an open number of series (versions, error kinds, instances). */
export const PALETTE = [
  COLORS.blue,
  COLORS.amber,
  COLORS.green,
  COLORS.violet,
  COLORS.cyan,
  COLORS.pink,
  COLORS.red,
];

function withAlpha(hex: string, alpha: number): string {
  const n = Number.parseInt(hex.slice(1), 16);
  return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
}

function markersPlugin(
  markers: NonNullable<TimeChartOptions['markers']>,
  thresholds: TimeChartOptions['thresholds'],
) {
  return {
    hooks: {
      draw: (u: uPlot) => {
        const ctx = u.ctx;
        ctx.save();
        // uPlot leaves the alignment of its last axis labels (right) on the context.
        ctx.textAlign = 'left';
        ctx.textBaseline = 'alphabetic';
        ctx.lineWidth = Math.max(1, devicePixelRatio);
        for (const m of markers) {
          const x = u.valToPos(m.atMs / 1000, 'x', true);
          if (x < u.bbox.left || x > u.bbox.left + u.bbox.width) continue;
          ctx.strokeStyle = m.color;
          ctx.setLineDash([4 * devicePixelRatio, 4 * devicePixelRatio]);
          ctx.beginPath();
          ctx.moveTo(x, u.bbox.top);
          ctx.lineTo(x, u.bbox.top + u.bbox.height);
          ctx.stroke();
          ctx.setLineDash([]);
          ctx.fillStyle = m.color;
          ctx.font = `${11 * devicePixelRatio}px system-ui, sans-serif`;
          ctx.fillText(m.label, x + 4 * devicePixelRatio, u.bbox.top + 12 * devicePixelRatio);
        }
        for (const t of thresholds ?? []) {
          const y = u.valToPos(t.value, 'y', true);
          if (y < u.bbox.top || y > u.bbox.top + u.bbox.height) continue;
          ctx.strokeStyle = t.color;
          ctx.setLineDash([6 * devicePixelRatio, 3 * devicePixelRatio]);
          ctx.beginPath();
          ctx.moveTo(u.bbox.left, y);
          ctx.lineTo(u.bbox.left + u.bbox.width, y);
          ctx.stroke();
          ctx.setLineDash([]);
          ctx.fillStyle = t.color;
          ctx.font = `${11 * devicePixelRatio}px system-ui, sans-serif`;
          ctx.fillText(t.label, u.bbox.left + 4 * devicePixelRatio, y - 4 * devicePixelRatio);
        }
        ctx.restore();
      },
    },
  };
}

function swatch(color: string, kind: 'line' | 'dash' | 'band'): HTMLElement {
  const el = h('span', { class: `swatch ${kind}` });
  el.style.setProperty(
    kind === 'band' ? 'background' : 'border-color',
    kind === 'band' ? withAlpha(color, 0.35) : color,
  );
  return el;
}

/** The y range: from zero (counts, latencies) or fitted to the data (shares near 1), within the fixed bounds. */
function yRange(o: TimeChartOptions, min: number, max: number): [number, number] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [o.yMin ?? 0, o.yMax ?? 1];
  // Limits and thresholds stay in view, so "far below the limit" reads as such.
  for (const t of o.thresholds ?? []) {
    min = Math.min(min, t.value);
    max = Math.max(max, t.value * 1.05);
  }
  if (o.fit) {
    const pad = max > min ? (max - min) * 0.15 : Math.abs(max) * 0.05 || 1;
    return [
      Math.max(o.yMin ?? Number.NEGATIVE_INFINITY, min - pad),
      Math.min(o.yMax ?? Number.POSITIVE_INFINITY, max + pad),
    ];
  }
  const lo = o.yMin ?? Math.min(0, min);
  const hi = o.yMax ?? (max > lo ? max * 1.08 : lo + 1);
  return [lo, hi];
}

/** A titled chart panel with its own legend (values follow the cursor); the plot is created once it has a width. */
export function timeChart(o: TimeChartOptions): HTMLElement {
  const plotHost = h('div', { class: 'plot' });
  const when = h('span', { class: 'legend-time' });
  const legend = h('div', { class: 'legend' }, when);
  const panel = h(
    'figure',
    { class: 'chart', 'data-chart': o.id ?? o.title },
    h(
      'figcaption',
      null,
      h('span', { class: 'chart-title' }, o.title),
      o.note ? h('span', { class: 'chart-note' }, o.note) : null,
    ),
    plotHost,
    legend,
  );
  const hasData =
    o.lines.some((l) => l.values.some((v) => v !== null)) ||
    (o.bands ?? []).some((b) => b.lower.some((v) => v !== null));
  if (!hasData || o.axisMs.length === 0) {
    plotHost.append(h('div', { class: 'empty' }, 'No data in this time range.'));
    legend.remove();
    return panel;
  }
  const fmt = o.format ?? ((v: number) => fmtNum(v));
  const data: (number | null)[][] = [o.axisMs.map((t) => t / 1000)];
  const series: uPlot.Series[] = [{}];
  const bands: uPlot.Band[] = [];
  const readouts: { el: HTMLElement; read: (i: number) => string }[] = [];
  for (const b of o.bands ?? []) {
    const upperIdx = series.length;
    data.push([...b.upper], [...b.lower]);
    for (let k = 0; k < 2; k++)
      series.push({ stroke: withAlpha(b.color, 0.35), width: 1, points: { show: false }, spanGaps: false });
    bands.push({ series: [upperIdx, upperIdx + 1], fill: withAlpha(b.color, 0.16) });
    const value = h('span', { class: 'legend-value' });
    legend.append(h('span', { class: 'legend-item' }, swatch(b.color, 'band'), `${b.label} band`, value));
    readouts.push({
      el: value,
      read: (i) => {
        const lo = b.lower[i];
        const hi = b.upper[i];
        return lo === null || lo === undefined || hi === null || hi === undefined
          ? ''
          : `${fmt(lo)} – ${fmt(hi)}`;
      },
    });
  }
  for (const l of o.lines) {
    data.push([...l.values]);
    series.push({
      stroke: l.color,
      width: l.width ?? 2,
      ...(l.dash ? { dash: l.dash } : {}),
      ...(l.points
        ? { paths: () => null, points: { show: true, size: 6, fill: l.color, stroke: l.color } }
        : { points: { show: false } }),
      spanGaps: false,
    });
    const value = h('span', { class: 'legend-value' });
    legend.append(
      h('span', { class: 'legend-item' }, swatch(l.color, l.dash ? 'dash' : 'line'), l.label, value),
    );
    readouts.push({
      el: value,
      read: (i) => {
        const v = l.values[i];
        return v === null || v === undefined ? '–' : fmt(v);
      },
    });
  }
  const axisFont = '11px system-ui, sans-serif';
  const axisStyle = {
    stroke: COLORS.axis,
    font: axisFont,
    grid: { stroke: COLORS.grid, width: 1 },
    ticks: { stroke: COLORS.grid, width: 1 },
  };
  let plot: uPlot | null = null;
  const make = (width: number) => {
    const opts: uPlot.Options = {
      width,
      height: o.height ?? 180,
      series,
      bands,
      legend: { show: false },
      cursor: { drag: { x: true, y: false, setScale: false }, points: { size: 6 } },
      scales: { x: { time: true }, y: { range: (_u, min, max) => yRange(o, min, max) } },
      axes: [
        { ...axisStyle, size: 42 },
        {
          ...axisStyle,
          values: (_u, splits) => splits.map((v) => fmt(v)),
          size: (_u, values) =>
            values ? Math.ceil(Math.max(3, ...values.map((v) => v.length)) * 7.4 + 18) : 52,
        },
      ],
      plugins: [markersPlugin(o.markers ?? [], o.thresholds)],
      hooks: {
        setCursor: [
          (u) => {
            const i = u.cursor.idx;
            when.textContent = i === null || i === undefined ? '' : fmtTime(o.axisMs[i]!);
            for (const r of readouts) r.el.textContent = i === null || i === undefined ? '' : r.read(i);
          },
        ],
        setSelect: [
          (u) => {
            if (!o.onSelect || u.select.width < 4) return;
            const from = u.posToVal(u.select.left, 'x') * 1000;
            const to = u.posToVal(u.select.left + u.select.width, 'x') * 1000;
            u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
            o.onSelect(Math.round(from), Math.round(to));
          },
        ],
      },
    };
    plot = new uPlot(opts, data as uPlot.AlignedData, plotHost);
  };
  const ro = new ResizeObserver((entries) => {
    const width = Math.floor(entries[0]?.contentRect.width ?? 0);
    if (width <= 0) return;
    if (!plot) make(width);
    else if (Math.abs(plot.width - width) > 2) plot.setSize({ width, height: o.height ?? 180 });
  });
  ro.observe(plotHost);
  onDetach(panel, () => {
    ro.disconnect();
    plot?.destroy();
  });
  return panel;
}

/** A tiny line without axes for tables and cards (traffic, latency). */
export function sparkline(
  values: readonly (number | null)[],
  axisMs: readonly number[],
  color: string,
  label: string,
): HTMLElement {
  const host = h('span', { class: 'spark', title: label, 'aria-label': label, role: 'img' });
  if (!values.some((v) => v !== null && v !== 0)) {
    host.append(h('span', { class: 'spark-empty' }, 'no data'));
    return host;
  }
  const data = [axisMs.map((t) => t / 1000), [...values]] as uPlot.AlignedData;
  let plot: uPlot | null = null;
  const ro = new ResizeObserver((entries) => {
    const width = Math.floor(entries[0]?.contentRect.width ?? 0);
    if (width <= 0 || plot) return;
    plot = new uPlot(
      {
        width,
        height: 30,
        pxAlign: false,
        cursor: { show: false },
        select: { show: false, left: 0, top: 0, width: 0, height: 0 },
        legend: { show: false },
        scales: {
          x: { time: false },
          y: { range: (_u, min, max) => [Math.min(0, min), max > 0 ? max * 1.1 : 1] },
        },
        axes: [{ show: false }, { show: false }],
        series: [{}, { stroke: color, width: 1.5, fill: withAlpha(color, 0.15), points: { show: false } }],
      },
      data,
      host,
    );
  });
  ro.observe(host);
  onDetach(host, () => {
    ro.disconnect();
    plot?.destroy();
  });
  return host;
}
