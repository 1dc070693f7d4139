/**
 * @module
 * The generic JSON webhook payload for an incident change. Versioned (`schemaVersion: 1`), self-contained (the
 * incident's figure, scope and ranked causes with their evidence), times as ISO-8601 UTC, never NaN (missing
 * figures are null), and with an `id` that is stable for the change so receivers can drop duplicates when a
 * delivery is retried.
 */
import type { IncidentChange, UpdateReason } from '../incidents/apply.js';
import type { Incident } from '../incidents/incident.js';

export interface AlertLinkOptions {
  /** Base URL of the dashboard, e.g. `https://faultline.example.com`; the incident link is `<base>/incidents/<id>`. */
  baseUrl: string;
}

export interface WebhookCause {
  cause: string;
  rank: number;
  score: number;
  explanation: string;
  confirm: string;
  evidence: {
    detector: string;
    summary: string;
    score: number;
    severity: string;
    subject: Record<string, string>;
  }[];
}

export interface WebhookPayload {
  schemaVersion: 1;
  /** Stable per change: `<incident id>:<kind>:<event time ms>`. */
  id: string;
  type: `incident.${IncidentChange['kind']}`;
  occurredAt: string;
  reasons: UpdateReason[];
  previousTopCause: string | null;
  link: string;
  incident: {
    id: string;
    status: Incident['status'];
    model: string;
    version: string | null;
    expectation: string;
    symptom: string;
    severity: string;
    onsetAt: string;
    openedAt: string;
    acknowledgedAt: string | null;
    acknowledgedBy: string | null;
    resolvedAt: string | null;
    resolution: Incident['resolution'];
    summary: string;
    figure: {
      value: number | null;
      unit: string;
      n: number | null;
      comparator: string;
      threshold: number;
      interval: { lower: number; upper: number; method: string } | null;
    };
    scope: { instances: string[]; slices: string[] };
  };
  topCause: WebhookCause | null;
  causes: WebhookCause[];
}

function iso(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}

function finite(x: number | null): number | null {
  return x !== null && Number.isFinite(x) ? x : null;
}

/** The dashboard link of an incident. */
export function incidentLink(incidentId: string, options: AlertLinkOptions): string {
  return `${options.baseUrl.replace(/\/+$/, '')}/incidents/${encodeURIComponent(incidentId)}`;
}

/** A stable id for a change, for idempotent delivery. */
export function alertId(change: IncidentChange): string {
  return `${change.incident.id}:${change.kind}:${change.atMs}`;
}

function stringSubject(subject: object): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(subject)) if (typeof v === 'string') out[k] = v;
  return out;
}

/** Builds the JSON webhook payload for an incident change (pure; the server sends it). */
export function buildWebhookPayload(change: IncidentChange, options: AlertLinkOptions): WebhookPayload {
  const inc = change.incident;
  const ev = inc.lastViolation;
  const causes: WebhookCause[] = inc.causes.map((c) => ({
    cause: c.cause,
    rank: c.rank,
    score: c.score,
    explanation: c.explanation,
    confirm: c.confirm,
    evidence: c.findings.map((s) => ({
      detector: s.finding.detector,
      summary: s.finding.evidence.summary,
      score: s.finding.score,
      severity: s.finding.severity,
      subject: stringSubject(s.finding.subject),
    })),
  }));
  const ci = ev.figure.interval;
  return {
    schemaVersion: 1,
    id: alertId(change),
    type: `incident.${change.kind}`,
    occurredAt: new Date(change.atMs).toISOString(),
    reasons: change.reasons,
    previousTopCause: change.previousTopCause,
    link: incidentLink(inc.id, options),
    incident: {
      id: inc.id,
      status: inc.status,
      model: inc.model,
      version: inc.version,
      expectation: inc.expectationId,
      symptom: inc.symptom,
      severity: inc.severity,
      onsetAt: new Date(inc.onsetMs).toISOString(),
      openedAt: new Date(inc.openedAtMs).toISOString(),
      acknowledgedAt: iso(inc.acknowledgedAtMs),
      acknowledgedBy: inc.acknowledgedBy,
      resolvedAt: iso(inc.resolvedAtMs),
      resolution: inc.resolution,
      summary: ev.summary,
      figure: {
        value: finite(ev.figure.value),
        unit: ev.figure.unit,
        n: finite(ev.figure.n),
        comparator: ev.figure.comparator,
        threshold: ev.figure.threshold,
        interval:
          ci === null || !Number.isFinite(ci.lower) || !Number.isFinite(ci.upper)
            ? null
            : { lower: ci.lower, upper: ci.upper, method: ci.method },
      },
      scope: { instances: ev.scope.instances, slices: ev.scope.slices },
    },
    topCause: causes[0] ?? null,
    causes,
  };
}
