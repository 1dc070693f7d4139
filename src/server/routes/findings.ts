/** `GET /v1/findings`: what every detector found, per model, subject and window, newest first. */
import { z } from 'zod';
import { QueryTimeSchema, toIso } from '../../core/contract/index.js';
import { CAUSES } from '../../core/findings/finding.js';
import type { StoredFinding } from '../../store/store.js';
import type { AppDeps } from '../deps.js';
import type { Engine } from '../engine/pipeline-engine.js';
import type { RouteSpec } from '../route-spec.js';
import { defineRoute } from '../route-spec.js';

const WireFindingSchema = z.object({
  key: z.string().describe('stable: detector, cause, subject and window'),
  detector: z.string(),
  cause: z.enum(CAUSES),
  severity: z.enum(['info', 'warning', 'critical']),
  score: z.number().describe('strength in [0, 1]'),
  subject: z
    .record(z.string(), z.string())
    .describe('model and as much scope as known: version, instance, feature…'),
  window: z.object({
    start: z.string(),
    end: z.string(),
    kind: z.enum(['sliding', 'cumulative']).optional(),
  }),
  since: z.string().nullable(),
  evidence: z.object({
    summary: z.string(),
    figures: z.array(
      z.object({
        name: z.string(),
        value: z.union([z.number(), z.string()]).nullable(),
        unit: z.string().optional(),
        baseline: z.union([z.number(), z.string()]).nullable().optional(),
        threshold: z.number().nullable().optional(),
      }),
    ),
    detail: z.record(z.string(), z.unknown()).optional(),
  }),
  recordedAt: z.string(),
});

function findingToWire(s: StoredFinding): z.infer<typeof WireFindingSchema> {
  const f = s.finding;
  const subject: Record<string, string> = {};
  for (const [k, v] of Object.entries(f.subject)) if (typeof v === 'string') subject[k] = v;
  return {
    key: s.key,
    detector: f.detector,
    cause: f.cause,
    severity: f.severity,
    score: f.score,
    subject,
    window: {
      start: toIso(f.window.startMs),
      end: toIso(f.window.endMs),
      ...(f.window.kind === undefined ? {} : { kind: f.window.kind }),
    },
    since: f.sinceMs === undefined ? null : toIso(f.sinceMs),
    evidence: {
      summary: f.evidence.summary,
      // Never NaN on the wire.
      figures: f.evidence.figures.map((g) => ({
        ...g,
        value: typeof g.value === 'number' && !Number.isFinite(g.value) ? null : g.value,
      })),
      ...(f.evidence.detail === undefined ? {} : { detail: f.evidence.detail }),
    },
    recordedAt: toIso(s.recordedAtMs),
  };
}

export function findingRoutes(_deps: AppDeps, engine: Engine): RouteSpec[] {
  return [
    defineRoute({
      method: 'GET',
      url: '/v1/findings',
      tag: 'incidents',
      summary: 'Findings of every detector, newest window first',
      role: 'read',
      query: z.strictObject({
        model: z.string().max(200).optional(),
        cause: z.enum(CAUSES).optional(),
        detector: z.string().max(100).optional(),
        version: z.string().max(200).optional(),
        instance: z.string().max(200).optional(),
        from: QueryTimeSchema.optional().describe('window ends at or after this event time'),
        to: QueryTimeSchema.optional().describe('window ends before this event time'),
        limit: z.coerce.number().int().min(1).max(1000).default(100),
      }),
      responses: [
        {
          status: 200,
          description: 'the findings',
          schema: z.object({ findings: z.array(WireFindingSchema) }),
        },
      ],
      handler: async ({ query, caller }) => ({
        findings: (
          await engine.store.listFindings(caller.project, {
            model: query.model,
            cause: query.cause,
            detector: query.detector,
            version: query.version,
            instance: query.instance,
            fromMs: query.from,
            toMs: query.to,
            limit: query.limit,
          })
        ).map(findingToWire),
      }),
    }),
  ];
}
