/**
 * @module
 * `buildApp(deps)`: the collector's HTTP application, assembled from injected parts (store, clock,
 * settings). Nothing here opens files or reads the environment; `main.ts` does.
 */

import type { FastifyInstance } from 'fastify';
import Fastify from 'fastify';
import { createAuthenticator } from './auth.js';
import { installNdjsonParser } from './batch.js';
import type { AppDeps } from './deps.js';
import { installErrorHandlers } from './http-errors.js';
import { buildOpenApi } from './openapi.js';
import type { RouteSpec } from './route-spec.js';
import { registerRoutes } from './route-spec.js';
import { dashboardRoutes } from './routes/dashboard.js';
import { expectationRoutes } from './routes/expectations.js';
import { findingRoutes } from './routes/findings.js';
import { incidentRoutes } from './routes/incidents.js';
import { ingestRoutes } from './routes/ingest.js';
import { metaRoutes } from './routes/meta.js';
import { metricsRoutes } from './routes/metrics.js';
import { queryRoutes } from './routes/query.js';
import { registryRoutes } from './routes/registry.js';
import { tokenRoutes } from './routes/tokens.js';

/** All routes of the collector, in documentation order. */
export function collectorRoutes(deps: AppDeps): RouteSpec[] {
  let doc: unknown;
  const routes: RouteSpec[] = [];
  routes.push(
    ...metaRoutes(deps, () => {
      doc ??= buildOpenApi(routes, deps.version);
      return doc;
    }),
    ...ingestRoutes(deps),
    ...registryRoutes(deps),
    ...queryRoutes(deps),
    ...tokenRoutes(deps),
  );
  if (deps.engine)
    for (const engineRoutes of [expectationRoutes, findingRoutes, incidentRoutes, metricsRoutes])
      routes.push(...engineRoutes(deps, deps.engine));
  return routes;
}

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    logger: deps.logger ?? false,
    bodyLimit: deps.config.maxBodyBytes,
    // Event ids and names are short; a long URL is a mistake or an attack.
    routerOptions: { maxParamLength: 300 },
    return503OnClosing: true,
  });
  installErrorHandlers(app, deps.config);
  installNdjsonParser(app);
  app.addContentTypeParser(
    ['text/csv', 'application/octet-stream'],
    { parseAs: 'buffer' },
    (_req, body, done) => done(null, body),
  );
  app.addHook('onSend', async (_request, reply) => {
    reply.header('x-content-type-options', 'nosniff');
    reply.header('cache-control', 'no-store');
  });
  registerRoutes(app, collectorRoutes(deps), createAuthenticator(deps.store));
  await app.register(dashboardRoutes);
  await app.ready();
  return app;
}
