/**
 * @module
 * The server-log line of an incident change, e.g.
 * `incident opened: churn — accuracy ≥ 0.9 violated (0.71); top cause: concept_drift (0.82)`.
 */
import type { Comparator } from '../../core/expectations/expectation.js';
import { formatNumber } from '../../core/expectations/format.js';
import type { IncidentChange } from '../../core/incidents/apply.js';
import type { Incident } from '../../core/incidents/incident.js';

const SYMBOL: Record<Comparator, string> = { '<': '<', '<=': '≤', '>': '>', '>=': '≥' };

/** `accuracy ≥ 0.9` for a threshold expectation; the expectation id for the integrity kinds. */
export function expectationLabel(incident: Incident): string {
  const ev = incident.lastViolation;
  if (ev.kind !== 'threshold' || ev.metric === null) return ev.expectationId;
  return `${ev.metric} ${SYMBOL[ev.figure.comparator]} ${formatNumber(ev.figure.threshold)}`;
}

/** One line for the server log; every change kind has one, the opening being the one people watch for. */
export function describeIncidentChange(change: IncidentChange): string {
  const inc = change.incident;
  const value = inc.lastViolation.figure.value;
  const top = inc.causes[0];
  const cause = top === undefined ? 'none yet' : `${top.cause} (${top.score.toFixed(2)})`;
  const where = inc.version === null ? inc.model : `${inc.model} ${inc.version}`;
  const what = `${where} — ${expectationLabel(inc)} violated (${value === null ? 'no figure' : formatNumber(value)})`;
  switch (change.kind) {
    case 'opened':
      return `incident opened: ${what}; top cause: ${cause}`;
    case 'updated':
      return `incident updated: ${what}; ${change.reasons.join(', ').replaceAll('_', ' ')}; top cause: ${cause}`;
    case 'acknowledged':
      return `incident acknowledged: ${where} — ${expectationLabel(inc)} by ${inc.acknowledgedBy ?? 'someone'}`;
    case 'resolved':
      return `incident resolved (${inc.resolution ?? 'auto'}${change.reasons.includes('version_no_longer_served') ? ', version no longer served' : ''}): ${where} — ${expectationLabel(inc)}`;
  }
}
