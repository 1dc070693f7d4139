/** Public routes (health, the OpenAPI document) and `whoami` for checking a token. */
import { HealthSchema, WhoAmISchema } from '../../core/contract/index.js';
import type { AppDeps } from '../deps.js';
import type { RouteSpec } from '../route-spec.js';
import { defineRoute } from '../route-spec.js';

export function metaRoutes(deps: AppDeps, openApi: () => unknown): RouteSpec[] {
  return [
    defineRoute({
      method: 'GET',
      url: '/health',
      tag: 'meta',
      summary: 'Liveness: the collector answers and its store is open',
      role: null,
      responses: [{ status: 200, description: 'healthy', schema: HealthSchema }],
      handler: async () => ({ status: 'ok', version: deps.version, store: deps.store.engine }),
    }),
    defineRoute({
      method: 'GET',
      url: '/openapi.json',
      tag: 'meta',
      summary: 'This API as an OpenAPI 3.1 document',
      role: null,
      responses: [{ status: 200, description: 'the document' }],
      handler: async () => openApi(),
    }),
    defineRoute({
      method: 'GET',
      url: '/v1/whoami',
      tag: 'meta',
      summary: "The calling token's id, project and role",
      role: 'any',
      responses: [{ status: 200, description: 'the caller', schema: WhoAmISchema }],
      handler: async ({ caller }) => ({
        tokenId: caller.tokenId,
        project: caller.project,
        role: caller.role,
      }),
    }),
  ];
}
