/**
 * `GET /metrics`: Prometheus text exposition of one project — the latest window figures per model (latency
 * quantiles, error rate, throughput, realised and estimated metrics, drift, exposure), the state of every
 * expectation, open incidents, each model's watermark and the alert deliveries by status.
 *
 * Auth: a token with the read role (`Authorization: Bearer …`, which Prometheus sends with
 * `authorization: { credentials: … }`), for the token's project. `faultline serve --metrics-public` serves it
 * without a token, for the collector's project (`--project`): only for a scraper on a trusted network.
 */
import { z } from 'zod';
import {
  EXPOSITION_CONTENT_TYPE,
  type MetricFamily,
  renderExposition,
} from '../../core/prometheus/exposition.js';
import { faultlineMetricFamilies } from '../../core/prometheus/faultline-metrics.js';
import type { AlertDeliveryStatus } from '../../store/store.js';
import type { AppDeps } from '../deps.js';
import type { Engine } from '../engine/pipeline-engine.js';
import type { RouteSpec } from '../route-spec.js';
import { defineRoute } from '../route-spec.js';

const DELIVERY_STATUSES: readonly AlertDeliveryStatus[] = [
  'pending',
  'retrying',
  'delivered',
  'failed',
  'printed',
];

/** Builds the exposition text of a project. */
export async function projectMetrics(engine: Engine, project: string): Promise<string> {
  const { store } = engine;
  const [cursors, evaluations, incidents, models, deliveries] = await Promise.all([
    store.listEngineCursors(project, {}),
    store.latestEvaluations(project, {}),
    store.listIncidents(project, { status: ['open', 'acknowledged'], limit: 10_000 }),
    store.listModels(project),
    store.listAlertDeliveries(project, { limit: 10_000 }),
  ]);
  const families: MetricFamily[] = faultlineMetricFamilies({
    figures: cursors.flatMap((c) => (c.figures === null ? [] : [c.figures])),
    evaluations,
    incidents,
  });
  families.push({
    name: 'faultline_watermark_timestamp_seconds',
    help: 'Event time up to which windows are complete (latest event time less the allowed lateness), Unix seconds.',
    type: 'gauge',
    samples: models.flatMap((m) =>
      m.latestEventMs === null
        ? []
        : [{ labels: { model: m.name }, value: (m.latestEventMs - m.allowedLatenessMs) / 1000 }],
    ),
  });
  families.push({
    name: 'faultline_evaluated_until_timestamp_seconds',
    help: 'End of the last window evaluated, per model and window length, Unix seconds.',
    type: 'gauge',
    samples: cursors.map((c) => ({
      labels: { model: c.model, window_seconds: String(c.windowMs / 1000) },
      value: c.lastWindowEndMs / 1000,
    })),
  });
  const counts = new Map<AlertDeliveryStatus, number>(DELIVERY_STATUSES.map((s) => [s, 0]));
  for (const d of deliveries) counts.set(d.status, (counts.get(d.status) ?? 0) + 1);
  families.push({
    name: 'faultline_alert_deliveries',
    help: 'Alert deliveries by status (the latest 10000).',
    type: 'gauge',
    samples: DELIVERY_STATUSES.map((s) => ({ labels: { status: s }, value: counts.get(s) ?? 0 })),
  });
  return renderExposition(families);
}

export function metricsRoutes(_deps: AppDeps, engine: Engine): RouteSpec[] {
  return [
    defineRoute({
      method: 'GET',
      url: '/metrics',
      tag: 'meta',
      summary: 'Prometheus metrics: latest window figures, expectation states, open incidents',
      description: engine.metricsPublic
        ? 'Served without a token (--metrics-public), for the collector’s project.'
        : 'Needs a token with the read role; answers for the token’s project.',
      role: engine.metricsPublic ? null : 'read',
      responses: [{ status: 200, description: 'text exposition format 0.0.4', schema: z.string() }],
      handler: async ({ caller, reply }) => {
        const text = await projectMetrics(engine, caller?.project ?? engine.publicProject);
        reply.type(EXPOSITION_CONTENT_TYPE);
        return text;
      },
    }),
  ];
}
