/** Token routes (admin): create tokens for the caller's project, list and revoke them. */

import { z } from 'zod';
import {
  ErrorBodySchema,
  FaultlineError,
  TokenCreatedSchema,
  TokenCreateSchema,
  TokenInfoSchema,
  TokenParamsSchema,
} from '../../core/contract/index.js';
import { issueToken } from '../auth.js';
import type { AppDeps } from '../deps.js';
import type { RouteSpec } from '../route-spec.js';
import { defineRoute } from '../route-spec.js';
import { tokenToWire } from '../wire.js';

export function tokenRoutes(deps: AppDeps): RouteSpec[] {
  const { store, clock } = deps;
  return [
    defineRoute({
      method: 'POST',
      url: '/v1/tokens',
      tag: 'auth',
      summary: "Create a token for the caller's project (the secret is shown only in this answer)",
      role: 'admin',
      body: TokenCreateSchema,
      responses: [{ status: 201, description: 'the new token', schema: TokenCreatedSchema }],
      handler: async ({ body, caller, reply }) => {
        const { record, token } = await issueToken(
          store,
          { project: caller.project, role: body.role, label: body.label },
          clock.now(),
        );
        reply.status(201);
        return { ...tokenToWire(record), token };
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/v1/tokens',
      tag: 'auth',
      summary: "The project's tokens (never their secrets)",
      role: 'admin',
      responses: [
        { status: 200, description: 'the tokens', schema: z.object({ tokens: z.array(TokenInfoSchema) }) },
      ],
      handler: async ({ caller }) => ({ tokens: (await store.listTokens(caller.project)).map(tokenToWire) }),
    }),
    defineRoute({
      method: 'DELETE',
      url: '/v1/tokens/:id',
      tag: 'auth',
      summary: 'Revoke a token of the project',
      role: 'admin',
      params: TokenParamsSchema,
      responses: [
        { status: 204, description: 'revoked' },
        { status: 404, description: 'no such live token in this project', schema: ErrorBodySchema },
      ],
      handler: async ({ params, caller, reply }) => {
        if (!(await store.revokeToken(caller.project, params.id, clock.now())))
          throw new FaultlineError(
            'token.not_found',
            `project "${caller.project}" has no live token "${params.id}"`,
          );
        reply.status(204);
        return null;
      },
    }),
  ];
}
