/**
 * @module
 * Routes are declared once, as data: method, path, the role they need, Zod schemas for params, query and
 * body, and the documented answers. `registerRoutes` installs them on fastify (Zod does the validation
 * through a validator compiler) and `buildOpenApi` documents the same list, so the OpenAPI document
 * cannot drift from what the server checks.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import type { Issue, Role } from '../core/contract/index.js';
import { FaultlineError } from '../core/contract/index.js';
import type { Caller } from './auth.js';

type Schema = z.ZodType;
type Out<S> = S extends z.ZodType ? z.output<S> : undefined;

export interface RouteContext<P, Q, B> {
  params: P;
  query: Q;
  body: B;
  caller: Caller;
  request: FastifyRequest;
  reply: FastifyReply;
}

export interface ResponseDoc {
  status: number;
  description: string;
  schema?: Schema;
}

export interface RouteSpec<
  P extends Schema | undefined = Schema | undefined,
  Q extends Schema | undefined = Schema | undefined,
  B extends Schema | undefined = Schema | undefined,
> {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** fastify path syntax: `/v1/models/:model`. */
  url: string;
  summary: string;
  description?: string;
  tag: string;
  /** The role a token needs; `any` for any valid token; `null` for public routes (health, OpenAPI). */
  role: Role | 'any' | null;
  params?: P;
  query?: Q;
  body?: B;
  /** Media types the body may have; others get 415. Defaults to JSON when there is a body. */
  mediaTypes?: readonly string[];
  /** Largest body this route accepts, when it differs from the collector's limit. */
  bodyLimit?: number;
  /** What the OpenAPI document shows for the body when it differs from the validation schema. */
  bodyDoc?: { schema: Schema; description: string };
  responses: ResponseDoc[];
  handler(ctx: RouteContext<Out<P>, Out<Q>, Out<B>>): Promise<unknown>;
}

/** Keeps the handler's types tied to the schemas (identity at run time). */
export function defineRoute<
  P extends Schema | undefined = undefined,
  Q extends Schema | undefined = undefined,
  B extends Schema | undefined = undefined,
>(spec: RouteSpec<P, Q, B>): RouteSpec {
  return spec as unknown as RouteSpec;
}

/** Zod issues → wire issues: the dotted field path and the reason. */
export function issuesOf(error: z.ZodError, prefix = ''): Issue[] {
  return error.issues.map((i) => {
    const keys = i.code === 'unrecognized_keys' ? i.keys : [];
    const path = [...i.path.map(String), ...keys.slice(0, 1)];
    const field = [prefix, ...path].filter((p) => p.length > 0).join('.');
    return {
      field,
      reason:
        i.code === 'unrecognized_keys'
          ? `unknown field${keys.length > 1 ? 's' : ''} ${keys.map((k) => `"${k}"`).join(', ')}`
          : i.message,
    };
  });
}

const PART_NAMES: Record<string, string> = {
  body: 'body',
  querystring: 'query',
  params: 'path',
  headers: 'headers',
};

declare module 'fastify' {
  interface FastifyRequest {
    caller?: Caller;
  }
}

/**
 * Installs the routes. `authenticate` resolves the caller of a request (throwing 401/403) before the
 * body is even parsed.
 */
export function registerRoutes(
  app: FastifyInstance,
  routes: readonly RouteSpec[],
  authenticate: (request: FastifyRequest, role: Role | 'any') => Promise<Caller>,
): void {
  app.setValidatorCompiler(({ schema, httpPart }) => {
    const zod = schema as unknown as Schema;
    const part = PART_NAMES[httpPart ?? 'body'] ?? 'request';
    return (data: unknown) => {
      const r = zod.safeParse(data ?? (part === 'query' || part === 'path' ? {} : undefined));
      if (r.success) return { value: r.data };
      const issues = issuesOf(r.error);
      const first = issues[0];
      return {
        error: new FaultlineError(
          'request.invalid',
          `invalid ${part}: ${first ? `${first.field || part}: ${first.reason}` : 'does not match the schema'}`,
          { issues, hint: 'the API is described at GET /openapi.json' },
        ),
      };
    };
  });

  for (const route of routes) {
    const mediaTypes = route.mediaTypes ?? ['application/json'];
    app.route({
      method: route.method,
      url: route.url,
      ...(route.bodyLimit === undefined ? {} : { bodyLimit: route.bodyLimit }),
      schema: {
        ...(route.params ? { params: route.params } : {}),
        ...(route.query ? { querystring: route.query } : {}),
        ...(route.body ? { body: route.body } : {}),
      } as Record<string, unknown>,
      onRequest: async (request) => {
        if (route.role !== null) request.caller = await authenticate(request, route.role);
      },
      preValidation: async (request) => {
        if (!route.body) return;
        const type = (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
        if (!mediaTypes.includes(type))
          throw new FaultlineError(
            'request.media_type_unsupported',
            `content-type "${type}" is not accepted here`,
            {
              hint: `send one of: ${mediaTypes.join(', ')}`,
            },
          );
      },
      handler: async (request, reply) => {
        const result = await route.handler({
          params: request.params,
          query: request.query,
          body: request.body,
          caller: request.caller as Caller,
          request,
          reply,
        });
        return result;
      },
    });
  }
}
