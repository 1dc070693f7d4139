/**
 * Incident routes: list and read incidents (each with its expectation, status, ranked causes with evidence, and
 * timeline), acknowledge and resolve them, and the record of alert deliveries.
 */
import { z } from 'zod';
import { ErrorBodySchema, QueryTimeSchema, toIso } from '../../core/contract/index.js';
import type { Incident, IncidentStatus } from '../../core/incidents/incident.js';
import type { AlertDeliveryRecord } from '../../store/store.js';
import type { AppDeps } from '../deps.js';
import { incidentNotFound } from '../engine/pipeline.js';
import type { Engine } from '../engine/pipeline-engine.js';
import { expectationLabel } from '../engine/pipeline-log.js';
import type { RouteSpec } from '../route-spec.js';
import { defineRoute } from '../route-spec.js';

const STATUSES = ['open', 'acknowledged', 'resolved'] as const;

const iso = (ms: number | null): string | null => (ms === null ? null : toIso(ms));

const WireCauseSchema = z.object({
  cause: z.string(),
  rank: z.number().int(),
  score: z.number().describe('prior × evidence × gate, in [0, 1]'),
  explanation: z.string(),
  confirm: z.string().describe('a concrete check that would confirm the cause'),
  components: z.record(z.string(), z.number()),
  evidence: z.array(
    z.object({
      detector: z.string(),
      summary: z.string(),
      score: z.number(),
      severity: z.string(),
      support: z.number(),
      subject: z.record(z.string(), z.string()),
      window: z.object({ start: z.string(), end: z.string() }),
    }),
  ),
  heldDown: z
    .object({
      by: z.string().describe('the cause whose finding holds this one down'),
      detector: z.string(),
      support: z.number(),
      reason: z.string(),
      evidence: z.string().describe('the evidence summary of the finding that holds it down'),
    })
    .nullable()
    .describe('null unless a pre-empting cause supports the same violation'),
});

export const WireIncidentSchema = z.object({
  id: z.string(),
  model: z.string(),
  version: z.string().nullable(),
  expectationId: z.string(),
  expectation: z.object({
    id: z.string(),
    kind: z.string(),
    metric: z.string().nullable(),
    label: z.string().describe('e.g. "accuracy ≥ 0.9"'),
    comparator: z.string(),
    threshold: z.number(),
    unit: z.string(),
  }),
  status: z.enum(STATUSES),
  severity: z.string(),
  symptom: z.string(),
  onset: z.string(),
  openedAt: z.string(),
  lastEvaluatedWindowEnd: z.string(),
  acknowledgedAt: z.string().nullable(),
  acknowledgedBy: z.string().nullable(),
  resolvedAt: z.string().nullable(),
  resolution: z.enum(['auto', 'manual']).nullable(),
  violatedEvaluations: z.number().int(),
  summary: z.string().describe('the latest violating evaluation, in words'),
  figure: z.object({
    value: z.number().nullable(),
    n: z.number().nullable(),
    interval: z.object({ lower: z.number(), upper: z.number(), method: z.string() }).nullable(),
  }),
  scope: z.object({
    version: z.string().nullable(),
    instances: z.array(z.string()),
    slices: z.array(z.string()),
  }),
  causes: z.array(WireCauseSchema).describe('ranked causes, best first'),
  unexplored: z.array(z.object({ cause: z.string(), prior: z.number(), confirm: z.string() })),
  timeline: z.array(
    z.object({
      at: z.string(),
      kind: z.string(),
      text: z.string(),
      by: z.string().optional(),
      topCause: z.string().nullable().optional(),
    }),
  ),
});
export type WireIncident = z.infer<typeof WireIncidentSchema>;

function stringFields(o: object): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(o)) if (typeof v === 'string') out[k] = v;
  return out;
}

/** An incident as the API shows it: times in ISO-8601, causes with their evidence. */
export function incidentToWire(inc: Incident): WireIncident {
  const ev = inc.lastViolation;
  return {
    id: inc.id,
    model: inc.model,
    version: inc.version,
    expectationId: inc.expectationId,
    expectation: {
      id: inc.expectationId,
      kind: ev.kind,
      metric: ev.metric,
      label: expectationLabel(inc),
      comparator: ev.figure.comparator,
      threshold: ev.figure.threshold,
      unit: ev.figure.unit,
    },
    status: inc.status,
    severity: inc.severity,
    symptom: inc.symptom,
    onset: toIso(inc.onsetMs),
    openedAt: toIso(inc.openedAtMs),
    lastEvaluatedWindowEnd: toIso(inc.lastEvaluatedWindowEndMs),
    acknowledgedAt: iso(inc.acknowledgedAtMs),
    acknowledgedBy: inc.acknowledgedBy,
    resolvedAt: iso(inc.resolvedAtMs),
    resolution: inc.resolution,
    violatedEvaluations: inc.violatedEvaluations,
    summary: ev.summary,
    figure: {
      value: ev.figure.value,
      n: ev.figure.n,
      interval:
        ev.figure.interval === null
          ? null
          : {
              lower: ev.figure.interval.lower,
              upper: ev.figure.interval.upper,
              method: ev.figure.interval.method,
            },
    },
    scope: { version: ev.scope.version, instances: ev.scope.instances, slices: ev.scope.slices },
    causes: inc.causes.map((c) => ({
      cause: c.cause,
      rank: c.rank,
      score: c.score,
      explanation: c.explanation,
      confirm: c.confirm,
      components: { ...c.components },
      evidence: c.findings.map((s) => ({
        detector: s.finding.detector,
        summary: s.finding.evidence.summary,
        score: s.finding.score,
        severity: s.finding.severity,
        support: s.support,
        subject: stringFields(s.finding.subject),
        window: { start: toIso(s.finding.window.startMs), end: toIso(s.finding.window.endMs) },
      })),
      heldDown:
        c.heldDown === null
          ? null
          : {
              by: c.heldDown.by,
              detector: c.heldDown.detector,
              support: c.heldDown.support,
              reason: c.heldDown.reason,
              evidence: c.heldDown.evidence,
            },
    })),
    unexplored: inc.unexplored.map((u) => ({ cause: u.cause, prior: u.prior, confirm: u.confirm })),
    timeline: inc.timeline.map((t) => ({
      at: toIso(t.atMs),
      kind: t.kind,
      text: t.text,
      ...(t.by === undefined ? {} : { by: t.by }),
      ...(t.topCause === undefined ? {} : { topCause: t.topCause }),
    })),
  };
}

const AlertDeliverySchema = z.object({
  id: z.string(),
  alertId: z.string(),
  incidentId: z.string(),
  model: z.string(),
  change: z.string(),
  target: z.string().describe('receiver URL, or "stdout" in dry-run mode'),
  format: z.enum(['json', 'slack']),
  status: z.enum(['pending', 'retrying', 'delivered', 'failed', 'printed']),
  attempts: z.number().int(),
  lastStatusCode: z.number().int().nullable(),
  lastError: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  nextAttemptAt: z.string().nullable(),
  payload: z.unknown(),
});

function deliveryToWire(d: AlertDeliveryRecord): z.infer<typeof AlertDeliverySchema> {
  return {
    id: d.id,
    alertId: d.alertId,
    incidentId: d.incidentId,
    model: d.model,
    change: d.change,
    target: d.target,
    format: d.format,
    status: d.status,
    attempts: d.attempts,
    lastStatusCode: d.lastStatusCode,
    lastError: d.lastError,
    createdAt: toIso(d.createdAtMs),
    updatedAt: toIso(d.updatedAtMs),
    nextAttemptAt: iso(d.nextAttemptAtMs),
    payload: d.payload,
  };
}

const StatusListSchema = z
  .string()
  .optional()
  .transform((s, ctx) => {
    const parts = (s ?? '').split(',').filter((p) => p.length > 0);
    for (const p of parts)
      if (!(STATUSES as readonly string[]).includes(p)) {
        ctx.addIssue({ code: 'custom', message: `unknown status "${p}"; use ${STATUSES.join(', ')}` });
        return z.NEVER;
      }
    return parts as IncidentStatus[];
  })
  .describe('comma-separated statuses: open, acknowledged, resolved (default: all)');

const IncidentsQuerySchema = z.strictObject({
  model: z.string().max(200).optional(),
  status: StatusListSchema,
  from: QueryTimeSchema.optional().describe('opened at or after this event time'),
  to: QueryTimeSchema.optional().describe('opened before this event time'),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

const IncidentParamsSchema = z.strictObject({ id: z.string().min(1).max(200) });
const ActionBodySchema = z
  .strictObject({
    by: z.string().min(1).max(200).optional().describe('who acts (default: the token id)'),
    note: z.string().max(2000).optional(),
  })
  .default({});

export function incidentRoutes(_deps: AppDeps, engine: Engine): RouteSpec[] {
  const engineStore = () => engine.store;

  /** `POST /v1/incidents/:id/{acknowledge,resolve}`: a person's action, by the body's `by` or the token. */
  const personActionRoute = (
    action: 'acknowledge' | 'resolve',
    text: { summary: string; resolved: string },
  ) =>
    defineRoute({
      method: 'POST',
      url: `/v1/incidents/:id/${action}`,
      tag: 'incidents',
      summary: text.summary,
      role: 'ingest',
      params: IncidentParamsSchema,
      body: ActionBodySchema,
      responses: [
        { status: 200, description: 'the incident after the change', schema: WireIncidentSchema },
        { status: 404, description: 'no such incident', schema: ErrorBodySchema },
        { status: 409, description: text.resolved, schema: ErrorBodySchema },
        {
          status: 503,
          description: '`engine.busy`: another collector has been evaluating the model for 30 s; try again',
          schema: ErrorBodySchema,
        },
      ],
      handler: async ({ params, body, caller }) =>
        incidentToWire(
          await engine.pipeline[action](caller.project, params.id, {
            by: body.by ?? `token:${caller.tokenId}`,
            note: body.note,
          }),
        ),
    });
  return [
    defineRoute({
      method: 'GET',
      url: '/v1/incidents',
      tag: 'incidents',
      summary: 'Incidents, most recently opened first, each with its expectation, status and ranked causes',
      role: 'read',
      query: IncidentsQuerySchema,
      responses: [
        {
          status: 200,
          description: 'the incidents',
          schema: z.object({ incidents: z.array(WireIncidentSchema) }),
        },
      ],
      handler: async ({ query, caller }) => ({
        incidents: (
          await engineStore().listIncidents(caller.project, {
            model: query.model,
            status: query.status,
            fromMs: query.from,
            toMs: query.to,
            limit: query.limit,
          })
        ).map(incidentToWire),
      }),
    }),
    defineRoute({
      method: 'GET',
      url: '/v1/incidents/:id',
      tag: 'incidents',
      summary: 'One incident with its causes, evidence and timeline',
      role: 'read',
      params: IncidentParamsSchema,
      responses: [
        { status: 200, description: 'the incident', schema: WireIncidentSchema },
        { status: 404, description: 'no such incident', schema: ErrorBodySchema },
      ],
      handler: async ({ params, caller }) => {
        const inc = await engineStore().getIncident(caller.project, params.id);
        if (!inc) throw incidentNotFound(params.id);
        return incidentToWire(inc);
      },
    }),
    personActionRoute('acknowledge', {
      summary: 'Acknowledge an incident: someone is on it (its updates are then quieter)',
      resolved: 'the incident is resolved',
    }),
    personActionRoute('resolve', {
      summary: 'Resolve an incident by hand (a fix went out); a later violation opens a new one',
      resolved: 'the incident is already resolved',
    }),
    defineRoute({
      method: 'GET',
      url: '/v1/alerts',
      tag: 'incidents',
      summary: 'Alert deliveries, newest first, with each one’s attempts and outcome',
      role: 'read',
      query: z.strictObject({
        incident: z.string().max(200).optional(),
        status: AlertDeliverySchema.shape.status.optional(),
        limit: z.coerce.number().int().min(1).max(1000).default(100),
      }),
      responses: [
        {
          status: 200,
          description: 'the deliveries',
          schema: z.object({ alerts: z.array(AlertDeliverySchema) }),
        },
      ],
      handler: async ({ query, caller }) => ({
        alerts: (
          await engineStore().listAlertDeliveries(caller.project, {
            incidentId: query.incident,
            status: query.status,
            limit: query.limit,
          })
        ).map(deliveryToWire),
      }),
    }),
  ];
}
