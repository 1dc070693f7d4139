/**
 * @module
 * Which incident changes become alerts. Opening and resolution always do; an update does when the top cause
 * changed or the violation came back; acknowledgements do only when asked for. A minimum severity filters the
 * rest, and an acknowledged incident's updates are quiet (someone is on it).
 */
import type { Severity } from '../findings/finding.js';
import type { IncidentChange } from '../incidents/apply.js';

export interface NotifyPolicy {
  minSeverity: Severity;
  notifyAcknowledged: boolean;
  /** Send updates of acknowledged incidents too. */
  notifyUpdatesWhenAcknowledged: boolean;
}

export const NOTIFY_DEFAULTS: Readonly<NotifyPolicy> = {
  minSeverity: 'warning',
  notifyAcknowledged: false,
  notifyUpdatesWhenAcknowledged: false,
};

const RANK: Record<Severity, number> = { info: 0, warning: 1, critical: 2 };

/** Whether a change should be sent as an alert under the policy. */
export function shouldNotify(change: IncidentChange, policy: Partial<NotifyPolicy> = {}): boolean {
  const p = { ...NOTIFY_DEFAULTS, ...policy };
  if (RANK[change.incident.severity] < RANK[p.minSeverity]) return false;
  switch (change.kind) {
    case 'opened':
    case 'resolved':
      return true;
    case 'acknowledged':
      return p.notifyAcknowledged;
    case 'updated':
      if (change.incident.status === 'acknowledged' && !p.notifyUpdatesWhenAcknowledged) return false;
      return change.reasons.includes('top_cause_changed') || change.reasons.includes('relapsed');
  }
}
