import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TestCollector } from './testing.js';
import { startTestCollector } from './testing.js';

let c: TestCollector;
beforeEach(async () => {
  c = await startTestCollector();
});
afterEach(async () => {
  await c.close();
});

describe('public routes', () => {
  it('answers health without a token', async () => {
    const res = await c.call({ method: 'GET', url: '/health', role: 'none' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok', version: 'test', store: 'sqlite' });
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });

  it('serves an OpenAPI 3.1 document describing every route with its schemas', async () => {
    const res = await c.call({ method: 'GET', url: '/openapi.json', role: 'none' });
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.openapi).toBe('3.1.0');
    const post = doc.paths['/v1/models/{model}/predictions'].post;
    expect(post.parameters).toEqual([expect.objectContaining({ name: 'model', in: 'path', required: true })]);
    const body = post.requestBody.content['application/json'].schema;
    expect(body.type).toBe('array');
    expect(body.items.required).toEqual(expect.arrayContaining(['id', 'version', 'features']));
    expect(Object.keys(post.requestBody.content)).toEqual(['application/json', 'application/x-ndjson']);
    expect(post.responses['200'].content['application/json'].schema.properties.rejected).toBeDefined();
    expect(post.responses['401']).toBeDefined();
    expect(
      doc.paths['/v1/models/{model}/windows'].get.parameters.map((p: { name: string }) => p.name),
    ).toEqual(expect.arrayContaining(['model', 'version', 'from', 'to', 'windowMs', 'include']));
    expect(doc.paths['/health'].get.security).toEqual([]);
    const ids = Object.values(doc.paths).flatMap((p) => Object.values(p as object).map((o) => o.operationId));
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('answers unknown routes with the error envelope', async () => {
    const res = await c.call({ method: 'GET', url: '/v2/nothing' });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('request.route_not_found');
  });
});

describe('authentication and roles', () => {
  it('rejects a missing token with 401 and a hint', async () => {
    const res = await c.call({ method: 'GET', url: '/v1/models', role: 'none' });
    expect(res.statusCode).toBe(401);
    expect(res.headers['www-authenticate']).toBe('Bearer');
    expect(res.json().error).toMatchObject({
      code: 'auth.token_missing',
      hint: expect.stringContaining('Bearer'),
    });
  });

  it('rejects an unknown token and a malformed header with 401', async () => {
    const unknown = await c.call({ method: 'GET', url: '/v1/models', token: 'flt_nope' });
    expect(unknown.statusCode).toBe(401);
    expect(unknown.json().error.code).toBe('auth.token_invalid');
    const basic = await c.call({
      method: 'GET',
      url: '/v1/models',
      role: 'none',
      headers: { authorization: 'Basic abc' },
    });
    expect(basic.statusCode).toBe(401);
  });

  it('rejects a token whose role does not cover the route with 403', async () => {
    const ingestReads = await c.call({ method: 'GET', url: '/v1/models', role: 'ingest' });
    expect(ingestReads.statusCode).toBe(403);
    expect(ingestReads.json().error.code).toBe('auth.role_forbidden');
    const readSends = await c.call({
      method: 'POST',
      url: '/v1/events',
      role: 'read',
      payload: [{ id: 'e', kind: 'deploy' }],
    });
    expect(readSends.statusCode).toBe(403);
    const ingestRegisters = await c.call({
      method: 'POST',
      url: '/v1/models',
      role: 'ingest',
      payload: { name: 'm' },
    });
    expect(ingestRegisters.statusCode).toBe(403);
  });

  it('checks the token before reading the body', async () => {
    const res = await c.call({ method: 'POST', url: '/v1/events', role: 'none', payload: '{not json' });
    expect(res.statusCode).toBe(401);
  });

  it('tells a token its project and role', async () => {
    const res = await c.call({ method: 'GET', url: '/v1/whoami', role: 'read' });
    expect(res.json()).toMatchObject({ project: 'acme', role: 'read' });
  });
});
