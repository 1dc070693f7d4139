/**
 * @module
 * Small building blocks shared by the pages: sections, tables, badges, key–value lists and the error panel.
 */
import { ApiError } from '../api-client.js';
import { type Child, h } from '../dom.js';

/** A page section with a heading and an optional line under it. */
export function section(title: string, note: string | null, ...children: Child[]): HTMLElement {
  return h(
    'section',
    { class: 'panel', 'data-section': title },
    h('h2', null, title),
    note ? h('p', { class: 'note' }, note) : null,
    ...children,
  );
}

export interface Column<T> {
  label: string;
  cell: (row: T) => Child;
  /** Right-aligned numbers. */
  num?: boolean;
}

/** A table of rows; an empty table says so in words. */
export function table<T>(
  columns: Column<T>[],
  rows: readonly T[],
  empty = 'Nothing to show.',
  attrs: Record<string, string> = {},
): HTMLElement {
  if (rows.length === 0) return h('p', { class: 'empty' }, empty);
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      attrs,
      h(
        'thead',
        null,
        h(
          'tr',
          null,
          columns.map((c) => h('th', { class: c.num ? 'num' : null }, c.label)),
        ),
      ),
      h(
        'tbody',
        null,
        rows.map((r) =>
          h(
            'tr',
            null,
            columns.map((c) => h('td', { class: c.num ? 'num' : null }, c.cell(r))),
          ),
        ),
      ),
    ),
  );
}

export type Tone = 'ok' | 'warn' | 'bad' | 'info' | 'muted';

export function badge(text: string, tone: Tone, title?: string): HTMLElement {
  return h('span', { class: `badge ${tone}`, title: title ?? null }, text);
}

export function severityTone(severity: string): Tone {
  return severity === 'critical' ? 'bad' : severity === 'warning' ? 'warn' : 'info';
}

export function statusTone(status: string): Tone {
  if (status === 'met' || status === 'resolved') return 'ok';
  if (status === 'violated' || status === 'open') return 'bad';
  if (status === 'acknowledged') return 'warn';
  return 'muted';
}

/** A definition list of label → value. */
export function kv(pairs: [string, Child][]): HTMLElement {
  return h(
    'dl',
    { class: 'kv' },
    pairs.map(([k, v]) => [h('dt', null, k), h('dd', null, v)]),
  );
}

/** A big number with a caption (summary strips). */
export function stat(label: string, value: Child, tone: Tone = 'muted'): HTMLElement {
  return h(
    'div',
    { class: `stat ${tone}` },
    h('div', { class: 'stat-value' }, value),
    h('div', { class: 'stat-label' }, label),
  );
}

/** An error as a readable panel: the collector's message and hint when it gave them. */
export function errorPanel(e: unknown): HTMLElement {
  const err = e instanceof ApiError ? e : null;
  return h(
    'div',
    { class: 'error-panel', role: 'alert' },
    h('strong', null, err ? `${err.status ? `${err.status} · ` : ''}${err.code}` : 'Something went wrong'),
    h('p', null, e instanceof Error ? e.message : String(e)),
    err?.hint ? h('p', { class: 'muted' }, err.hint) : null,
  );
}

/** A muted note for a part of the page the collector cannot provide. */
export function unavailable(what: string, e?: unknown): HTMLElement {
  const detail = e instanceof ApiError && e.code !== 'request.route_not_found' ? ` (${e.message})` : '';
  return h('p', { class: 'empty' }, `${what} not available from this collector${detail}.`);
}
