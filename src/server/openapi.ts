/**
 * @module
 * The OpenAPI 3.1 document, built from the same route list the server installs, with the Zod schemas
 * converted by `z.toJSONSchema`.
 */
import { z } from 'zod';
import { ERROR_CODES, ErrorBodySchema } from '../core/contract/index.js';
import type { RouteSpec } from './route-spec.js';

type Json = Record<string, unknown>;

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): Json {
  const s = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Json;
  delete s.$schema;
  return s;
}

function parametersOf(schema: z.ZodType | undefined, where: 'path' | 'query'): Json[] {
  if (!schema) return [];
  const js = jsonSchema(schema, 'input') as { properties?: Record<string, Json>; required?: string[] };
  return Object.entries(js.properties ?? {}).map(([name, s]) => ({
    name,
    in: where,
    required: where === 'path' || (js.required ?? []).includes(name),
    ...(typeof s.description === 'string' ? { description: s.description } : {}),
    schema: s,
  }));
}

const STANDARD_ERRORS: Record<string, string> = {
  '401': 'no token, or an unknown or revoked one (auth.token_missing, auth.token_invalid)',
  '403': 'the token lacks the role (auth.role_forbidden)',
};

/** Builds the OpenAPI document for `routes`. */
export function buildOpenApi(routes: readonly RouteSpec[], version: string): Json {
  const paths: Record<string, Record<string, Json>> = {};
  const errorSchema = jsonSchema(ErrorBodySchema, 'output');
  for (const r of routes) {
    const path = r.url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
    const responses: Record<string, Json> = {};
    for (const res of r.responses)
      responses[String(res.status)] = {
        description: res.description,
        ...(res.schema
          ? { content: { 'application/json': { schema: jsonSchema(res.schema, 'output') } } }
          : {}),
      };
    if (r.role !== null)
      for (const [status, description] of Object.entries(STANDARD_ERRORS))
        responses[status] ??= { description, content: { 'application/json': { schema: errorSchema } } };
    const op: Json = {
      operationId: `${r.method.toLowerCase()}${path
        .replace(/[{}]/g, '')
        .replace(/(^|[/_.-])([a-z])/g, (_m, _s, c: string) => c.toUpperCase())
        .replace(/[^A-Za-z0-9]/g, '')}`,
      summary: r.summary,
      ...(r.description ? { description: r.description } : {}),
      tags: [r.tag],
      ...(r.role === null ? { security: [] } : { 'x-faultline-role': r.role }),
      parameters: [...parametersOf(r.params, 'path'), ...parametersOf(r.query, 'query')],
      responses,
    };
    if (r.body) {
      const schema = jsonSchema(r.bodyDoc?.schema ?? r.body, 'input');
      const content: Record<string, Json> = {};
      for (const type of r.mediaTypes ?? ['application/json'])
        content[type] =
          type === 'application/json' || type.endsWith('ndjson')
            ? { schema }
            : { schema: { type: 'string', format: 'binary' } };
      op.requestBody = {
        required: true,
        content,
        ...(r.bodyDoc ? { description: r.bodyDoc.description } : {}),
      };
    }
    paths[path] ??= {};
    (paths[path] as Record<string, Json>)[r.method.toLowerCase()] = op;
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Faultline collector',
      version,
      description:
        'Ingestion, registry and query API of the Faultline collector (contract v1). Errors answer ' +
        `{ error: { code, message, hint?, issues? } } with code one of: ${ERROR_CODES.join(', ')}.`,
    },
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    security: [{ bearer: [] }],
    paths,
  };
}
