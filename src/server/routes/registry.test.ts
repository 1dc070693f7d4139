import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TestCollector } from '../testing.js';
import { startTestCollector, TEST_T0 } from '../testing.js';

let c: TestCollector;
beforeEach(async () => {
  c = await startTestCollector();
});
afterEach(async () => {
  await c.close();
});

describe('models', () => {
  it('creates a model (201), updates it (200) and lists it', async () => {
    const created = await c.call({
      method: 'POST',
      url: '/v1/models',
      payload: { name: 'churn', task: 'classification', windowMs: 3_600_000, bucketMs: 300_000 },
    });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({
      project: 'acme',
      name: 'churn',
      windowMs: 3_600_000,
      bucketMs: 300_000,
      allowedLatenessMs: 600_000,
      createdAt: new Date(TEST_T0).toISOString(),
      watermark: null,
    });
    const updated = await c.call({
      method: 'POST',
      url: '/v1/models',
      payload: { name: 'churn', allowedLatenessMs: 0 },
    });
    expect(updated.statusCode).toBe(200);
    expect(updated.json().allowedLatenessMs).toBe(0);
    const list = await c.call({ method: 'GET', url: '/v1/models', role: 'read' });
    expect(list.json().models.map((m: { name: string }) => m.name)).toEqual(['churn']);
  });

  it('names the field of an invalid setting', async () => {
    const res = await c.call({
      method: 'POST',
      url: '/v1/models',
      payload: { name: 'churn', windowMs: 3_600_000, bucketMs: 700_000 },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ code: 'request.invalid', issues: [{ field: 'bucketMs' }] });
    const typo = await c.call({ method: 'POST', url: '/v1/models', payload: { name: 'churn', window: 5 } });
    expect(typo.json().error.issues).toEqual([{ field: 'window', reason: 'unknown field "window"' }]);
  });

  it('answers 404 for a model of another project', async () => {
    await c.call({ method: 'POST', url: '/v1/models', payload: { name: 'churn' } });
    const { issueToken } = await import('../auth.js');
    const { token } = await issueToken(c.store, { project: 'other', role: 'admin' }, TEST_T0);
    const res = await c.call({ method: 'GET', url: '/v1/models/churn', token });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('registry.model_not_found');
    expect((await c.call({ method: 'GET', url: '/v1/models', token })).json().models).toEqual([]);
  });
});

describe('versions', () => {
  const v1 = {
    version: 'v1',
    artifactHash: 'sha256:aaa',
    validationMetrics: { accuracy: 0.91, auc: 0.95 },
    fingerprint: { runtime: 'python 3.11.7', packages: { 'scikit-learn': '1.4.0' } },
    schema: { features: { age: 'numerical', city: 'categorical' }, target: 'churned' },
  };

  it('registers a version with its metadata and makes it the intended deployment', async () => {
    const res = await c.call({
      method: 'POST',
      url: '/v1/models/churn/versions',
      payload: { ...v1, intended: true },
    });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ ...v1, intended: true, registered: true, reference: null });
    const model = await c.call({ method: 'GET', url: '/v1/models/churn', role: 'read' });
    expect(model.json()).toMatchObject({
      intendedVersion: 'v1',
      versions: [expect.objectContaining({ version: 'v1' })],
    });
  });

  it('refuses the same version with another artifact (409)', async () => {
    await c.call({ method: 'POST', url: '/v1/models/churn/versions', payload: v1 });
    const same = await c.call({ method: 'POST', url: '/v1/models/churn/versions', payload: v1 });
    expect(same.statusCode).toBe(200);
    const other = await c.call({
      method: 'POST',
      url: '/v1/models/churn/versions',
      payload: { ...v1, artifactHash: 'sha256:bbb' },
    });
    expect(other.statusCode).toBe(409);
    expect(other.json().error.code).toBe('registry.version_conflict');
  });

  it('switches the intended version and refuses an unknown one', async () => {
    await c.call({ method: 'POST', url: '/v1/models/churn/versions', payload: { ...v1, intended: true } });
    await c.call({
      method: 'POST',
      url: '/v1/models/churn/versions',
      payload: { version: 'v2', artifactHash: 'b' },
    });
    const put = await c.call({
      method: 'PUT',
      url: '/v1/models/churn/intended-version',
      payload: { version: 'v2' },
    });
    expect(put.json().intendedVersion).toBe('v2');
    const versions = await c.call({ method: 'GET', url: '/v1/models/churn/versions', role: 'read' });
    expect(
      versions.json().versions.map((v: { version: string; intended: boolean }) => [v.version, v.intended]),
    ).toEqual([
      ['v1', false],
      ['v2', true],
    ]);
    const bad = await c.call({
      method: 'PUT',
      url: '/v1/models/churn/intended-version',
      payload: { version: 'v9' },
    });
    expect(bad.statusCode).toBe(404);
    expect(bad.json().error.code).toBe('registry.version_not_found');
  });

  it('keeps each change of the intended version with the event time of the deploy', async () => {
    const H = 3_600_000;
    const iso = (ms: number) => new Date(ms).toISOString();
    await c.call({ method: 'POST', url: '/v1/models/churn/versions', payload: { ...v1, intended: true } });
    await c.call({
      method: 'POST',
      url: '/v1/models/churn/versions',
      payload: { version: 'v2', artifactHash: 'b' },
    });
    // 1. Three hours later the deploy tool reports that v2 went out two hours ago.
    c.clock.set(TEST_T0 + 3 * H);
    const put = await c.call({
      method: 'PUT',
      url: '/v1/models/churn/intended-version',
      payload: { version: 'v2', effectiveAt: iso(TEST_T0 + H) },
    });
    expect(put.statusCode).toBe(200);
    expect(put.json().intendedVersion).toBe('v2');
    // 2. A rollback, effective when it is set.
    c.clock.set(TEST_T0 + 4 * H);
    await c.call({ method: 'PUT', url: '/v1/models/churn/intended-version', payload: { version: 'v1' } });
    const history = await c.call({ method: 'GET', url: '/v1/models/churn/intended-versions', role: 'read' });
    expect(history.statusCode).toBe(200);
    expect(history.json()).toEqual({
      changes: [
        { version: 'v1', effectiveAt: iso(TEST_T0), recordedAt: iso(TEST_T0) },
        { version: 'v2', effectiveAt: iso(TEST_T0 + H), recordedAt: iso(TEST_T0 + 3 * H) },
        { version: 'v1', effectiveAt: iso(TEST_T0 + 4 * H), recordedAt: iso(TEST_T0 + 4 * H) },
      ],
    });
    expect(
      (await c.call({ method: 'GET', url: '/v1/models/nope/intended-versions', role: 'read' })).statusCode,
    ).toBe(404);
  });

  it('names effectiveAt when it is not a time or too far ahead of the clock', async () => {
    await c.call({ method: 'POST', url: '/v1/models/churn/versions', payload: { ...v1, intended: true } });
    const notTime = await c.call({
      method: 'PUT',
      url: '/v1/models/churn/intended-version',
      payload: { version: 'v1', effectiveAt: 'yesterday' },
    });
    expect(notTime.statusCode).toBe(400);
    expect(notTime.json().error.issues[0].field).toBe('effectiveAt');
    const ahead = await c.call({
      method: 'PUT',
      url: '/v1/models/churn/intended-version',
      payload: { version: 'v1', effectiveAt: TEST_T0 + 2 * 86_400_000 },
    });
    expect(ahead.statusCode).toBe(400);
    expect(ahead.json().error).toMatchObject({
      code: 'request.invalid',
      issues: [{ field: 'effectiveAt' }],
    });
    expect(ahead.json().error.message).toMatch(/ahead of the collector's clock/);
  });

  it('lists a version first seen in traffic as unregistered', async () => {
    await c.call({
      method: 'POST',
      url: '/v1/models/churn/predictions',
      role: 'ingest',
      payload: [{ id: 'p', version: 'v7', artifactHash: 'zzz', features: {} }],
    });
    const v = await c.call({ method: 'GET', url: '/v1/models/churn/versions/v7', role: 'read' });
    expect(v.json()).toMatchObject({ version: 'v7', registered: false, artifactHash: 'zzz' });
    const none = await c.call({ method: 'GET', url: '/v1/models/churn/versions/v8', role: 'read' });
    expect(none.statusCode).toBe(404);
  });
});
