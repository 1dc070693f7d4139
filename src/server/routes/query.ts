/** Read routes: windows, predictions, events, heartbeats and instances. */

import { z } from 'zod';
import type { WindowSummary } from '../../core/contract/index.js';
import {
  ErrorBodySchema,
  EventListSchema,
  EventsQuerySchema,
  FaultlineError,
  HeartbeatListSchema,
  HeartbeatsQuerySchema,
  InstanceListSchema,
  ModelParamsSchema,
  PredictionListSchema,
  PredictionParamsSchema,
  PredictionsQuerySchema,
  StoredPredictionSchema,
  toIso,
  WindowListSchema,
  WindowsQuerySchema,
} from '../../core/contract/index.js';
import { seededRng } from '../../core/rng.js';
import type { AppDeps } from '../deps.js';
import type { RouteSpec } from '../route-spec.js';
import { defineRoute } from '../route-spec.js';
import { forEachWindow, summarizeWindow, windowSizeFor } from '../windows.js';
import { eventToWire, heartbeatToWire, instanceToWire, predictionToWire, watermarkOf } from '../wire.js';
import { modelNotFound } from './registry.js';

export function queryRoutes(deps: AppDeps): RouteSpec[] {
  const { store } = deps;
  return [
    defineRoute({
      method: 'GET',
      url: '/v1/models/:model/windows',
      tag: 'query',
      summary: 'Windows of a model: counters, latency, labels, feedback, and optionally profiles and samples',
      description:
        'Buckets are rolled up into windows of windowMs (default: the model setting). A window is closed once the watermark (latest event time less the allowed lateness) has passed its end.',
      role: 'read',
      params: ModelParamsSchema,
      query: WindowsQuerySchema,
      responses: [
        { status: 200, description: 'the windows, oldest first', schema: WindowListSchema },
        {
          status: 400,
          description: 'windowMs is not a multiple of the bucket size',
          schema: ErrorBodySchema,
        },
        { status: 404, description: 'no such model', schema: ErrorBodySchema },
      ],
      handler: async ({ params, query, caller }) => {
        const model = await store.getModel(caller.project, params.model);
        if (!model) throw modelNotFound(params.model);
        const windowMs = windowSizeFor(model, query.windowMs);
        const windows: WindowSummary[] = [];
        // Merges for presentation only: a fixed seed makes the same query give the same answer.
        await forEachWindow(
          store,
          caller.project,
          params.model,
          { version: query.version, fromMs: query.from, toMs: query.to, windowMs, limit: query.limit },
          seededRng(1),
          (w) => windows.push(summarizeWindow(model, w, query)),
        );
        const wm = watermarkOf(model);
        return {
          model: model.name,
          windowMs,
          watermark: wm === null ? null : toIso(wm),
          windows,
        };
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/v1/models/:model/predictions',
      tag: 'query',
      summary: 'Stored predictions of a model with their labels, newest first',
      role: 'read',
      params: ModelParamsSchema,
      query: PredictionsQuerySchema,
      responses: [{ status: 200, description: 'the predictions', schema: PredictionListSchema }],
      handler: async ({ params, query, caller }) => {
        const rows = await store.listPredictions(caller.project, params.model, {
          fromMs: query.from,
          toMs: query.to,
          limit: query.limit,
          version: query.version,
          instance: query.instance,
        });
        return { predictions: rows.map(predictionToWire) };
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/v1/models/:model/predictions/:id',
      tag: 'query',
      summary: 'One prediction with its label',
      role: 'read',
      params: PredictionParamsSchema,
      responses: [
        { status: 200, description: 'the prediction', schema: StoredPredictionSchema },
        { status: 404, description: 'no such prediction', schema: ErrorBodySchema },
      ],
      handler: async ({ params, caller }) => {
        const p = await store.getPrediction(caller.project, params.model, params.id);
        if (!p)
          throw new FaultlineError(
            'query.prediction_not_found',
            `model "${params.model}" has no prediction "${params.id}"`,
          );
        return predictionToWire(p);
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/v1/events',
      tag: 'query',
      summary: 'Free-form events of the project, newest first',
      role: 'read',
      query: EventsQuerySchema,
      responses: [{ status: 200, description: 'the events', schema: EventListSchema }],
      handler: async ({ query, caller }) => {
        const rows = await store.listEvents(caller.project, {
          fromMs: query.from,
          toMs: query.to,
          limit: query.limit,
          kind: query.kind,
          model: query.model,
          instance: query.instance,
        });
        return { events: rows.map(eventToWire) };
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/v1/heartbeats',
      tag: 'query',
      summary: 'Heartbeats of the project, newest first',
      role: 'read',
      query: HeartbeatsQuerySchema,
      responses: [{ status: 200, description: 'the heartbeats', schema: HeartbeatListSchema }],
      handler: async ({ query, caller }) => {
        const rows = await store.listHeartbeats(caller.project, {
          fromMs: query.from,
          toMs: query.to,
          limit: query.limit,
          model: query.model,
          instance: query.instance,
        });
        return { heartbeats: rows.map(heartbeatToWire) };
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/v1/instances',
      tag: 'query',
      summary: 'Serving instances known from heartbeats, each at its latest heartbeat',
      role: 'read',
      query: z.strictObject({ model: z.string().max(200).optional() }),
      responses: [{ status: 200, description: 'the instances', schema: InstanceListSchema }],
      handler: async ({ query, caller }) => ({
        instances: (await store.listInstances(caller.project, { model: query.model })).map(instanceToWire),
      }),
    }),
  ];
}
