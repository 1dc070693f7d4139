/**
 * Expectation routes: the expectations in force per model with their current state, setting a model's
 * expectations through the API, evaluating on demand, and reading back what was evaluated window by window (the
 * figures the dashboard draws, so it shows the collector's numbers rather than its own).
 */
import { z } from 'zod';
import {
  ErrorBodySchema,
  FaultlineError,
  ModelParamsSchema,
  QueryTimeSchema,
  toIso,
} from '../../core/contract/index.js';
import { DEFAULT_EXPECTATIONS } from '../../core/expectations/defaults.js';
import { formatDurationMs } from '../../core/expectations/duration.js';
import { describeEvaluation, type Evaluation } from '../../core/expectations/evaluate.js';
import type { Expectation } from '../../core/expectations/expectation.js';
import { parseExpectationsJson } from '../../core/expectations/parse.js';
import { ModelExpectationsInputSchema } from '../../core/expectations/schema.js';
import type { AppDeps } from '../deps.js';
import type { Engine } from '../engine/pipeline-engine.js';
import type { RouteSpec } from '../route-spec.js';
import { defineRoute } from '../route-spec.js';

export const WireEvaluationSchema = z.object({
  model: z.string(),
  expectationId: z.string(),
  kind: z.string(),
  metric: z.string().nullable(),
  symptom: z.string(),
  severity: z.string(),
  window: z.object({ start: z.string(), end: z.string() }),
  status: z.enum(['met', 'violated', 'unknown']),
  reason: z
    .string()
    .nullable()
    .describe('why unknown: no_data, insufficient_samples, condition_not_met, inconclusive'),
  figure: z.object({
    value: z.number().nullable(),
    unit: z.string(),
    n: z.number().nullable(),
    minSamples: z.number(),
    interval: z
      .object({ lower: z.number(), upper: z.number(), method: z.string(), level: z.number().nullable() })
      .nullable()
      .describe('95 % Wilson interval, or the estimator band'),
    threshold: z.number(),
    comparator: z.string(),
    labelledShare: z.number().nullable(),
  }),
  scope: z.object({
    version: z.string().nullable(),
    instances: z.array(z.string()),
    instancesSeen: z.array(z.string()),
    slices: z.array(z.string()),
  }),
  summary: z.string(),
  line: z.string().describe('one-line verdict for logs and terminals'),
});
export type WireEvaluation = z.infer<typeof WireEvaluationSchema>;

export function evaluationToWire(e: Evaluation): WireEvaluation {
  return {
    model: e.model,
    expectationId: e.expectationId,
    kind: e.kind,
    metric: e.metric,
    symptom: e.symptom,
    severity: e.severity,
    window: { start: toIso(e.window.startMs), end: toIso(e.window.endMs) },
    status: e.status,
    reason: e.reason,
    figure: {
      ...e.figure,
      value: e.figure.value !== null && Number.isFinite(e.figure.value) ? e.figure.value : null,
    },
    scope: e.scope,
    summary: e.summary,
    line: describeEvaluation(e),
  };
}

const WireExpectationSchema = z.object({
  id: z.string(),
  kind: z.string(),
  description: z.string().nullable(),
  severity: z.string(),
  overMs: z.number().int(),
  over: z.string(),
  metric: z.string().nullable(),
  comparator: z.string().nullable(),
  threshold: z.number().nullable(),
  state: z.enum(['met', 'violated', 'unknown']).describe('the latest evaluation; unknown before the first'),
  lastEvaluation: WireEvaluationSchema.nullable(),
});

const ModelStateSchema = z.object({
  model: z.string(),
  source: z.enum(['api', 'file', 'defaults']).describe('where the expectations come from'),
  expectations: z.array(WireExpectationSchema),
});

function expectationToWire(e: Expectation, last: Evaluation | null): z.infer<typeof WireExpectationSchema> {
  return {
    id: e.id,
    kind: e.kind,
    description: e.description ?? null,
    severity: e.severity,
    overMs: e.overMs,
    over: formatDurationMs(e.overMs),
    metric: e.kind === 'threshold' ? e.metric : null,
    comparator: e.kind === 'threshold' ? e.comparator : null,
    threshold: e.kind === 'threshold' ? e.threshold : null,
    state: last?.status ?? 'unknown',
    lastEvaluation: last === null ? null : evaluationToWire(last),
  };
}

const EvaluateBodySchema = z
  .strictObject({
    model: z.string().min(1).max(200).optional().describe('one model (default: every model of the project)'),
    until: z
      .union([z.number().int().positive(), QueryTimeSchema])
      .optional()
      .describe('evaluate windows ending by this event time (default: each model’s watermark)'),
  })
  .default({});

const RunSchema = z.object({
  model: z.string(),
  until: z.string().nullable(),
  windows: z.number().int().describe('windows evaluated by this call'),
  more: z.boolean().describe('windows are left for a later run'),
  evaluations: z.array(WireEvaluationSchema),
  changes: z.array(z.object({ kind: z.string(), incidentId: z.string(), at: z.string() })),
});

export function expectationRoutes(deps: AppDeps, engine: Engine): RouteSpec[] {
  const { store } = engine;
  async function modelState(project: string, model: string): Promise<z.infer<typeof ModelStateSchema>> {
    const set = await engine.expectations.forModel(project, model);
    const latest = new Map<string, Evaluation>();
    for (const e of await store.latestEvaluations(project, { model })) {
      const cur = latest.get(e.expectationId);
      if (cur === undefined || e.window.endMs > cur.window.endMs) latest.set(e.expectationId, e);
    }
    return {
      model,
      source: set.source,
      expectations: set.expectations.map((e) => expectationToWire(e, latest.get(e.id) ?? null)),
    };
  }
  return [
    defineRoute({
      method: 'GET',
      url: '/v1/expectations',
      tag: 'expectations',
      summary:
        'The expectations in force for each model, each with its current state (met, violated, unknown)',
      role: 'read',
      query: z.strictObject({ model: z.string().max(200).optional() }),
      responses: [
        {
          status: 200,
          description: 'per model, its expectations and their state; the expectations file’s status',
          schema: z.object({
            models: z.array(ModelStateSchema),
            defaults: z.array(WireExpectationSchema).describe('what a model with no configuration gets'),
            file: z
              .object({ path: z.string(), loadedAt: z.string().nullable(), error: z.string().nullable() })
              .nullable(),
          }),
        },
      ],
      handler: async ({ query, caller }) => {
        const names = new Set((await store.listModels(caller.project)).map((m) => m.name));
        for (const r of await store.listModelExpectations(caller.project)) names.add(r.model);
        const models = [...names].filter((m) => query.model === undefined || m === query.model).sort();
        const file = engine.expectations.fileState();
        return {
          models: await Promise.all(models.map((m) => modelState(caller.project, m))),
          defaults: DEFAULT_EXPECTATIONS.map((e) => expectationToWire(e, null)),
          file:
            file === null
              ? null
              : {
                  path: file.path,
                  loadedAt: file.loadedAtMs === null ? null : toIso(file.loadedAtMs),
                  error: file.error,
                },
        };
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/v1/evaluations',
      tag: 'expectations',
      summary: 'What the collector evaluated: each expectation against each window, newest window first',
      description:
        'Each evaluation carries the figure its verdict rests on (value, n, interval, threshold, comparator) as the window analyser produced it, and the window it was computed over.',
      role: 'read',
      query: z.strictObject({
        model: z.string().min(1).max(200).optional(),
        expectation: z.string().min(1).max(200).optional().describe('an expectation id'),
        status: z.enum(['met', 'violated', 'unknown']).optional(),
        from: QueryTimeSchema.optional().describe('window ends at or after this event time'),
        to: QueryTimeSchema.optional().describe('window ends before this event time'),
        limit: z.coerce.number().int().min(1).max(5000).default(500),
      }),
      responses: [
        {
          status: 200,
          description: 'the evaluations',
          schema: z.object({ evaluations: z.array(WireEvaluationSchema) }),
        },
        { status: 400, description: 'a query parameter is not valid', schema: ErrorBodySchema },
      ],
      handler: async ({ query, caller }) => ({
        evaluations: (
          await store.listEvaluations(caller.project, {
            model: query.model,
            expectationId: query.expectation,
            status: query.status,
            fromMs: query.from,
            toMs: query.to,
            limit: query.limit,
          })
        ).map(evaluationToWire),
      }),
    }),
    defineRoute({
      method: 'PUT',
      url: '/v1/models/:model/expectations',
      tag: 'expectations',
      summary: 'Set the expectations of one model (same schema as a model’s entry in the expectations file)',
      description:
        'Takes precedence over the expectations file for this model until deleted. Every problem is reported at once, each with its field path.',
      role: 'admin',
      params: ModelParamsSchema,
      body: z.unknown(),
      bodyDoc: {
        schema: ModelExpectationsInputSchema,
        description: '{ useDefaults?, disable?: [default ids], expectations?: [ … ] }',
      },
      responses: [
        { status: 200, description: 'the model’s expectations now', schema: ModelStateSchema },
        {
          status: 400,
          description: 'the body is not valid (issues name each field)',
          schema: ErrorBodySchema,
        },
      ],
      handler: async ({ params, body, caller }) => {
        const r = parseExpectationsJson({ version: 1, models: { [params.model]: body } });
        if (!r.ok) {
          const issues = r.issues.map((i) => ({
            field: i.path.slice(2).map(String).join('.') || 'body',
            reason: i.message,
          }));
          throw new FaultlineError(
            'request.invalid',
            `invalid expectations: ${issues.map((i) => `${i.field}: ${i.reason}`).join('; ')}`,
            { issues, hint: 'the format is described in docs/expectations.md' },
          );
        }
        const input = r.file.models?.[params.model] ?? {};
        await store.putModelExpectations(caller.project, {
          model: params.model,
          input,
          updatedAtMs: deps.clock.now(),
        });
        engine.scheduler.invalidate();
        return modelState(caller.project, params.model);
      },
    }),
    defineRoute({
      method: 'DELETE',
      url: '/v1/models/:model/expectations',
      tag: 'expectations',
      summary: 'Drop the expectations set through the API; the file’s (or the defaults) apply again',
      role: 'admin',
      params: ModelParamsSchema,
      responses: [{ status: 200, description: 'the model’s expectations now', schema: ModelStateSchema }],
      handler: async ({ params, caller }) => {
        await store.deleteModelExpectations(caller.project, params.model);
        engine.scheduler.invalidate();
        return modelState(caller.project, params.model);
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/v1/evaluate',
      tag: 'expectations',
      summary: 'Evaluate now: every window ending by the watermark (or `until`) not evaluated yet',
      description:
        'Windows are evaluated in event time, as the scheduler would, so a read token may ask. `until` closes windows before the watermark reaches them (e.g. to see a silent instance before new events arrive) and needs the ingest role.',
      role: 'any',
      body: EvaluateBodySchema,
      responses: [
        {
          status: 200,
          description: 'what was evaluated, per model',
          schema: z.object({ runs: z.array(RunSchema) }),
        },
        { status: 403, description: '`until` with a read token', schema: ErrorBodySchema },
        { status: 404, description: 'no such model', schema: ErrorBodySchema },
        {
          status: 503,
          description: '`engine.busy`: another collector has been evaluating the model for 30 s; try again',
          schema: ErrorBodySchema,
        },
      ],
      handler: async ({ body, caller }) => {
        if (body.until !== undefined && caller.role === 'read')
          throw new FaultlineError(
            'auth.role_forbidden',
            '`until` needs the ingest role; the token has read',
            {
              hint: 'leave `until` out to evaluate up to the watermark, or use an ingest token',
            },
          );
        const options = { untilMs: body.until };
        const runs =
          body.model === undefined
            ? await engine.pipeline.runProject(caller.project, options)
            : [await engine.pipeline.runModel(caller.project, body.model, options)];
        return {
          runs: runs.map((r) => ({
            model: r.model,
            until: r.untilMs === null ? null : toIso(r.untilMs),
            windows: r.windows.length,
            more: r.more,
            evaluations: r.evaluations.map(evaluationToWire),
            changes: r.changes.map((c) => ({ kind: c.kind, incidentId: c.incident.id, at: toIso(c.atMs) })),
          })),
        };
      },
    }),
  ];
}
