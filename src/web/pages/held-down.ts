/**
 * @module
 * The "Held down" line of a cause on the incident page: why diagnosis holds the cause down, and the evidence of
 * the pre-empting cause's finding that does it (its summary and its first figures), so the reader sees what
 * outranked the cause without hunting for it in the cards below. Kept apart from the page so it renders without
 * the charts.
 */
import type { Figure } from '../../core/findings/finding.js';
import { h } from '../dom.js';
import { causeLabel, fmtFigure } from '../format.js';
import type { CauseView, IncidentView } from '../views.js';
import { heldDownFigures } from '../views.js';

/** Figures shown on the line; the pre-empting cause's own card shows them all. */
const KEY_FIGURES = 3;

function figureChip(f: Figure): HTMLElement {
  const baseline =
    f.baseline === undefined || f.baseline === null ? '' : ` (baseline ${fmtFigure(f.baseline, f.unit)})`;
  return h('span', { class: 'chip' }, `${f.name} ${fmtFigure(f.value, f.unit)}${baseline}`);
}

/** The line for a held-down cause; null when the cause is not held down. */
export function heldDownLine(incident: IncidentView, c: CauseView): HTMLElement | null {
  const held = c.heldDown;
  if (held === null) return null;
  const figures = heldDownFigures(incident, held).slice(0, KEY_FIGURES);
  const source =
    held.by === null ? 'the finding' : `${causeLabel(held.by)}${held.detector ? ` (${held.detector})` : ''}`;
  return h(
    'div',
    { class: 'held-down muted', 'data-held-down-by': held.by ?? '' },
    h('p', null, h('strong', null, 'Held down: '), held.reason),
    held.summary === null
      ? null
      : h(
          'p',
          null,
          `Held down by ${source}: `,
          h('span', { class: 'held-down-evidence' }, held.summary),
          figures.length ? [' ', figures.map(figureChip)] : null,
        ),
  );
}
