/**
 * @module
 * Inline SVG charts for the HTML report (no script, no external resource): an overlaid histogram for
 * numerical columns, grouped bars for categorical ones, and the small bar that places a drift score
 * against its threshold. Every label is escaped.
 */
import type { BarsChart, HistogramChart } from '../../core/report/index.js';
import { num, pct } from './format.js';

export const REF_COLOR = '#4c78a8';
export const CUR_COLOR = '#f58518';

/** Escapes text for HTML and SVG (element content and attribute values). */
export function esc(s: string): string {
  return s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );
}

const f = (x: number) => (Math.round(x * 10) / 10).toString();

function shorten(s: string, max: number): string {
  return [...s].length > max ? `${[...s].slice(0, max - 1).join('')}…` : s;
}

/** Reference and current distributions overlaid: semi-transparent bars on shared bins (or one per value). */
export function histogramSvg(chart: HistogramChart, title: string): string {
  const W = 560;
  const H = 200;
  const left = 44;
  const right = 12;
  const top = 12;
  const bottom = 34;
  const pw = W - left - right;
  const ph = H - top - bottom;
  const n = chart.reference.length;
  const ymax = Math.max(...chart.reference, ...chart.current, 1e-9);
  const y = (v: number) => top + ph - (v / ymax) * ph;
  const parts: string[] = [];
  parts.push(
    `<svg class="chart" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${esc(title)}">`,
    `<title>${esc(title)}</title>`,
  );
  for (const frac of [0, 0.5, 1]) {
    const yy = y(ymax * frac);
    parts.push(
      `<line x1="${left}" x2="${W - right}" y1="${f(yy)}" y2="${f(yy)}" class="grid"/>`,
      `<text x="${left - 4}" y="${f(yy + 3)}" class="tick" text-anchor="end">${esc(pct(ymax * frac))}</text>`,
    );
  }
  const slot = pw / n;
  if (chart.values) {
    // One pair of bars per distinct value, side by side.
    const bw = Math.max(1, Math.min(24, slot * 0.4));
    chart.values.forEach((v, i) => {
      const cx = left + slot * (i + 0.5);
      const r = chart.reference[i]!;
      const c = chart.current[i]!;
      parts.push(
        `<rect x="${f(cx - bw)}" y="${f(y(r))}" width="${f(bw)}" height="${f(top + ph - y(r))}" fill="${REF_COLOR}"><title>${esc(`${num(v)}: reference ${pct(r)}`)}</title></rect>`,
        `<rect x="${f(cx)}" y="${f(y(c))}" width="${f(bw)}" height="${f(top + ph - y(c))}" fill="${CUR_COLOR}"><title>${esc(`${num(v)}: current ${pct(c)}`)}</title></rect>`,
      );
      if (n <= 12 || i % Math.ceil(n / 12) === 0) {
        parts.push(
          `<text x="${f(cx)}" y="${H - bottom + 14}" class="tick" text-anchor="middle">${esc(shorten(num(v), 10))}</text>`,
        );
      }
    });
  } else if (chart.edges) {
    // Reference as filled bars, current as an outline on top: both stay readable where they overlap.
    const edges = chart.edges;
    chart.reference.forEach((v, i) => {
      const x = left + slot * i;
      parts.push(
        `<rect x="${f(x + 0.5)}" y="${f(y(v))}" width="${f(Math.max(0.5, slot - 1))}" height="${f(top + ph - y(v))}" fill="${REF_COLOR}" fill-opacity="0.5"><title>${esc(`${num(edges[i]!)} – ${num(edges[i + 1]!)}: reference ${pct(v)}`)}</title></rect>`,
      );
    });
    let d = `M${f(left)},${f(top + ph)}`;
    chart.current.forEach((v, i) => {
      d += `L${f(left + slot * i)},${f(y(v))}L${f(left + slot * (i + 1))},${f(y(v))}`;
    });
    d += `L${f(left + pw)},${f(top + ph)}`;
    parts.push(`<path d="${d}" fill="none" stroke="${CUR_COLOR}" stroke-width="2"/>`);
    chart.current.forEach((v, i) => {
      parts.push(
        `<rect x="${f(left + slot * i)}" y="${top}" width="${f(slot)}" height="${ph}" fill="transparent"><title>${esc(`${num(edges[i]!)} – ${num(edges[i + 1]!)}: reference ${pct(chart.reference[i]!)}, current ${pct(v)}`)}</title></rect>`,
      );
    });
    const ticks = [0, Math.floor(n / 2), n];
    for (const i of ticks) {
      let label = num(edges[i]!);
      if (i === 0 && chart.clippedLow) label = `≤ ${label}`;
      if (i === n && chart.clippedHigh) label = `≥ ${label}`;
      const anchor = i === 0 ? 'start' : i === n ? 'end' : 'middle';
      parts.push(
        `<text x="${f(left + slot * i)}" y="${H - bottom + 14}" class="tick" text-anchor="${anchor}">${esc(label)}</text>`,
      );
    }
  }
  parts.push(`<line x1="${left}" x2="${W - right}" y1="${top + ph}" y2="${top + ph}" class="axis"/>`);
  parts.push(legend(left, H - 8, chart.edges !== null));
  parts.push('</svg>');
  return parts.join('');
}

function legend(x: number, y: number, currentAsLine = false): string {
  const current = currentAsLine
    ? `<line x1="${x + 84}" x2="${x + 96}" y1="${y - 3}" y2="${y - 3}" stroke="${CUR_COLOR}" stroke-width="2"/>`
    : `<rect x="${x + 84}" y="${y - 8}" width="10" height="10" fill="${CUR_COLOR}"/>`;
  return (
    `<rect x="${x}" y="${y - 8}" width="10" height="10" fill="${REF_COLOR}"${currentAsLine ? ' fill-opacity="0.5"' : ''}/>` +
    `<text x="${x + 14}" y="${y + 1}" class="tick">reference</text>${current}` +
    `<text x="${x + 100}" y="${y + 1}" class="tick">current</text>`
  );
}

/** Categories as horizontal grouped bars (reference above current), most frequent first, rest as "other". */
export function barsSvg(chart: BarsChart, title: string): string {
  const rows = chart.categories.map((c, i) => ({ label: c, r: chart.reference[i]!, c: chart.current[i]! }));
  const other = chart.otherReference > 0 || chart.otherCurrent > 0;
  const W = 560;
  const left = 150;
  const right = 96;
  const rowH = 22;
  const top = 8;
  const H = top + rows.length * rowH + (other ? 18 : 0) + 26;
  const pw = W - left - right;
  // The pooled "other" share is written out, not drawn: it would dwarf the bars of the categories shown.
  const xmax = Math.max(...rows.map((r) => Math.max(r.r, r.c)), 1e-9);
  const parts = [
    `<svg class="chart" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${esc(title)}">`,
    `<title>${esc(title)}</title>`,
  ];
  rows.forEach((row, i) => {
    const y0 = top + i * rowH;
    const wr = (row.r / xmax) * pw;
    const wc = (row.c / xmax) * pw;
    parts.push(
      `<text x="${left - 6}" y="${y0 + 14}" class="tick" text-anchor="end">${esc(shorten(row.label, 22))}<title>${esc(row.label)}</title></text>`,
      `<rect x="${left}" y="${y0 + 2}" width="${f(Math.max(wr, 0.5))}" height="8" fill="${REF_COLOR}"><title>${esc(`${row.label}: reference ${pct(row.r)}`)}</title></rect>`,
      `<rect x="${left}" y="${y0 + 11}" width="${f(Math.max(wc, 0.5))}" height="8" fill="${CUR_COLOR}"><title>${esc(`${row.label}: current ${pct(row.c)}`)}</title></rect>`,
      `<text x="${f(left + Math.max(wr, wc) + 4)}" y="${y0 + 14}" class="tick">${esc(`${pct(row.r)} → ${pct(row.c)}`)}</text>`,
    );
  });
  if (other) {
    const y0 = top + rows.length * rowH + 12;
    parts.push(
      `<text x="${left - 6}" y="${y0}" class="tick" text-anchor="end">all other categories</text>`,
      `<text x="${left}" y="${y0}" class="tick">${esc(`${pct(chart.otherReference)} → ${pct(chart.otherCurrent)}`)}</text>`,
    );
  }
  parts.push(legend(left, H - 6), '</svg>');
  return parts.join('');
}

/**
 * A small bar placing a drift score against its threshold: the tick marks the threshold, the bar the
 * strength (distance / threshold, or log p / log threshold for p-values), capped at three times the threshold.
 */
export function strengthSvg(strength: number | null, drifted: boolean): string {
  const W = 120;
  const H = 14;
  const cap = 3;
  const s = strength === null ? 0 : Math.max(0, Math.min(cap, strength));
  const w = (s / cap) * W;
  const tick = W / cap;
  return (
    `<svg class="strength" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" aria-hidden="true">` +
    `<rect x="0" y="3" width="${W}" height="8" class="track"/>` +
    `<rect x="0" y="3" width="${f(w)}" height="8" class="${drifted ? 'bar-drift' : 'bar-ok'}"/>` +
    `<line x1="${f(tick)}" x2="${f(tick)}" y1="0" y2="${H}" class="threshold"/>` +
    '</svg>'
  );
}
