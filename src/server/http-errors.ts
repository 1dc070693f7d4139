/**
 * @module
 * The one place where error codes become HTTP statuses, and where every failure (ours, fastify's, a bug)
 * becomes the wire envelope `{ error: { code, message, hint?, issues? } }`.
 */
import type { FastifyError, FastifyInstance } from 'fastify';
import type { ErrorCode } from '../core/contract/index.js';
import { FaultlineError } from '../core/contract/index.js';

export const STATUS_OF: Record<ErrorCode, number> = {
  'auth.token_missing': 401,
  'auth.token_invalid': 401,
  'auth.role_forbidden': 403,
  'request.invalid': 400,
  'request.body_too_large': 413,
  'request.json_malformed': 400,
  'request.media_type_unsupported': 415,
  'request.route_not_found': 404,
  'ingest.batch_empty': 400,
  'ingest.batch_too_long': 400,
  'ingest.batch_rejected': 400,
  'ingest.log_full': 503,
  'registry.model_not_found': 404,
  'registry.version_not_found': 404,
  'registry.version_conflict': 409,
  'registry.reference_invalid': 400,
  'registry.reference_not_found': 404,
  'query.window_ms_invalid': 400,
  'query.prediction_not_found': 404,
  'token.not_found': 404,
  'engine.incident_not_found': 404,
  'engine.incident_resolved': 409,
  'engine.busy': 503,
  'internal.error': 500,
};

/**
 * Seconds a client should wait before sending again a batch the ingestion log was too full to take: long
 * enough for workers that are only behind to make room, short enough not to hold events back for long.
 */
export const LOG_FULL_RETRY_AFTER_S = 10;

/** Turns whatever was thrown into a `FaultlineError` with a precise code. */
export function toFaultlineError(err: unknown, limits: { maxBodyBytes: number }): FaultlineError {
  if (err instanceof FaultlineError) return err;
  const e = err as Partial<FastifyError> & { message?: string };
  switch (e.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new FaultlineError(
        'request.body_too_large',
        `the request body exceeds ${limits.maxBodyBytes} bytes`,
        {
          hint: `send smaller batches: the collector accepts at most ${limits.maxBodyBytes} bytes per request`,
        },
      );
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new FaultlineError('request.media_type_unsupported', e.message ?? 'unsupported media type', {
        hint: 'send application/json or application/x-ndjson (text/csv and application/octet-stream for references)',
      });
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new FaultlineError('request.json_malformed', 'the JSON body is empty');
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new FaultlineError('request.json_malformed', e.message ?? 'malformed body');
  }
  if (err instanceof SyntaxError || (e.statusCode === 400 && /JSON/i.test(e.message ?? '')))
    return new FaultlineError(
      'request.json_malformed',
      `the body is not valid JSON: ${e.message ?? ''}`.trim(),
      {
        hint: 'send a JSON array of events, or one JSON object per line as application/x-ndjson',
      },
    );
  if (e.statusCode === 413)
    return new FaultlineError(
      'request.body_too_large',
      `the request body exceeds ${limits.maxBodyBytes} bytes`,
    );
  return new FaultlineError('internal.error', 'the collector failed to handle the request', { cause: err });
}

/** Installs the error and not-found handlers that answer with the wire envelope. */
export function installErrorHandlers(app: FastifyInstance, limits: { maxBodyBytes: number }): void {
  app.setErrorHandler((err, request, reply) => {
    const fe = toFaultlineError(err, { maxBodyBytes: request.routeOptions.bodyLimit ?? limits.maxBodyBytes });
    const status = STATUS_OF[fe.code];
    if (status >= 500) request.log.error({ err }, 'request failed');
    if (status === 401) reply.header('www-authenticate', 'Bearer');
    if (fe.code === 'ingest.log_full') reply.header('retry-after', String(LOG_FULL_RETRY_AFTER_S));
    return reply.status(status).send(fe.toBody());
  });
  app.setNotFoundHandler((request, reply) => {
    const fe = new FaultlineError(
      'request.route_not_found',
      `no route ${request.method} ${request.url.split('?')[0]}`,
      {
        hint: 'the API is described at GET /openapi.json',
      },
    );
    return reply.status(404).send(fe.toBody());
  });
}
