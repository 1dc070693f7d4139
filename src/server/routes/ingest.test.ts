import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TestCollector } from '../testing.js';
import { startTestCollector, TEST_T0 } from '../testing.js';

let c: TestCollector;
beforeEach(async () => {
  c = await startTestCollector({ maxBatchEvents: 5, maxBodyBytes: 4096 });
});
afterEach(async () => {
  await c.close();
});

const pred = (id: string, extra: Record<string, unknown> = {}) => ({
  id,
  version: 'v1',
  timestamp: TEST_T0 - 1000,
  features: { age: 31, city: 'Oslo' },
  output: { class: 'yes', probabilities: { yes: 0.8, no: 0.2 } },
  latencyMs: 12,
  ...extra,
});

const post = (url: string, payload: unknown, contentType = 'application/json') =>
  c.call({
    method: 'POST',
    url,
    role: 'ingest',
    headers: { 'content-type': contentType },
    payload: typeof payload === 'string' ? payload : JSON.stringify(payload),
  });

describe('POST /v1/models/:model/predictions', () => {
  it('keeps the good events of a batch and names index, field and reason of the bad ones', async () => {
    const res = await post('/v1/models/churn/predictions', [
      pred('a'),
      pred('b', { latency_ms: 3 }),
      pred('c', { features: { age: [1] } }),
      { id: 'd', features: {} },
      pred('e', { timestamp: 1_740_830_400 }),
    ]);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      accepted: 1,
      duplicates: 0,
      rejected: [
        {
          index: 1,
          field: 'latency_ms',
          code: 'ingest.field_unknown',
          reason: 'unknown field "latency_ms"; did you mean "latencyMs"?',
        },
        {
          index: 2,
          field: 'features.age',
          code: 'ingest.field_invalid',
          reason: expect.stringContaining('number'),
        },
        { index: 3, field: 'version', code: 'ingest.field_missing', reason: 'required' },
        {
          index: 4,
          field: 'timestamp',
          code: 'ingest.field_invalid',
          reason: expect.stringContaining('epoch seconds'),
        },
      ],
    });
    const stored = await c.call({ method: 'GET', url: '/v1/models/churn/predictions', role: 'read' });
    expect(stored.json().predictions.map((p: { id: string }) => p.id)).toEqual(['a']);
  });

  it('counts a re-sent event once', async () => {
    expect((await post('/v1/models/churn/predictions', [pred('a'), pred('b')])).json()).toMatchObject({
      accepted: 2,
      duplicates: 0,
    });
    expect((await post('/v1/models/churn/predictions', [pred('b'), pred('c')])).json()).toMatchObject({
      accepted: 1,
      duplicates: 1,
    });
  });

  it('reads NDJSON, skipping blank lines and rejecting a line that is not JSON', async () => {
    const body = `${JSON.stringify(pred('a'))}\n\n{"id": "b", oops\n${JSON.stringify(pred('c'))}\n`;
    const res = await post('/v1/models/churn/predictions', body, 'application/x-ndjson');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      accepted: 2,
      rejected: [
        { index: 1, field: '', code: 'ingest.line_not_json', reason: expect.stringContaining('line 3') },
      ],
    });
  });

  it('accepts one object as a batch of one and fills a missing time with the arrival time', async () => {
    const { timestamp: _, ...noTime } = pred('solo');
    expect((await post('/v1/models/churn/predictions', noTime)).json()).toMatchObject({ accepted: 1 });
    const p = await c.call({ method: 'GET', url: '/v1/models/churn/predictions/solo', role: 'read' });
    expect(p.json().timestamp).toBe(new Date(TEST_T0).toISOString());
  });

  it('rejects event times far in the future', async () => {
    const res = await post('/v1/models/churn/predictions', [
      pred('a', { timestamp: TEST_T0 + 2 * 86_400_000 }),
      pred('b'),
    ]);
    expect(res.json().rejected).toEqual([
      expect.objectContaining({ index: 0, field: 'timestamp', code: 'ingest.timestamp_in_future' }),
    ]);
  });

  it('answers 400 with every rejection when no event is valid', async () => {
    const res = await post('/v1/models/churn/predictions', [{ id: 'x' }, 42]);
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({
      code: 'ingest.batch_rejected',
      issues: [
        { index: 0, field: 'version', code: 'ingest.field_missing' },
        { index: 1, field: '', code: 'ingest.not_an_object' },
      ],
    });
  });

  it('answers 400 for an empty or too long batch and stores nothing', async () => {
    const empty = await post('/v1/models/churn/predictions', []);
    expect(empty.statusCode).toBe(400);
    expect(empty.json().error.code).toBe('ingest.batch_empty');
    const long = await post(
      '/v1/models/churn/predictions',
      ['a', 'b', 'c', 'd', 'e', 'f'].map((id) => ({ id })),
    );
    expect(long.statusCode).toBe(400);
    expect(long.json().error).toMatchObject({
      code: 'ingest.batch_too_long',
      message: expect.stringContaining('limit is 5'),
    });
    expect((await c.call({ method: 'GET', url: '/v1/models', role: 'read' })).json().models).toEqual([]);
  });

  it('answers 413 for a body over the limit', async () => {
    const res = await post('/v1/models/churn/predictions', [
      pred('a', { features: { text: 'x'.repeat(5000) } }),
    ]);
    expect(res.statusCode).toBe(413);
    expect(res.json().error).toMatchObject({
      code: 'request.body_too_large',
      hint: expect.stringContaining('4096'),
    });
  });

  it('answers 400 for malformed JSON and 415 for another media type', async () => {
    const bad = await post('/v1/models/churn/predictions', '[{"id": ');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('request.json_malformed');
    const csv = await post('/v1/models/churn/predictions', 'id\na', 'text/csv');
    expect(csv.statusCode).toBe(415);
    expect(csv.json().error).toMatchObject({
      code: 'request.media_type_unsupported',
      hint: expect.stringContaining('ndjson'),
    });
    const xml = await post('/v1/models/churn/predictions', '<a/>', 'application/xml');
    expect(xml.statusCode).toBe(415);
  });

  it('rejects a model name that is not URL-safe', async () => {
    const res = await post('/v1/models/bad%20name/predictions', [pred('a')]);
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ code: 'request.invalid', issues: [{ field: 'model' }] });
  });
});

describe('labels, feedback, heartbeats and events', () => {
  it('joins a late label and shows it on the prediction', async () => {
    await post('/v1/models/churn/predictions', [pred('a')]);
    c.clock.advance(3_600_000);
    const res = await post('/v1/models/churn/labels', [
      { predictionId: 'a', value: 'yes' },
      { predictionId: 'a', value: 'no' },
    ]);
    expect(res.json()).toEqual({ accepted: 1, duplicates: 1, rejected: [] });
    const p = await c.call({ method: 'GET', url: '/v1/models/churn/predictions/a', role: 'read' });
    expect(p.json().label).toMatchObject({ value: 'yes', timeToLabelMs: 3_601_000 });
  });

  it('stores feedback with a checked action word', async () => {
    await post('/v1/models/rec/predictions', [pred('p', { output: { items: ['i1', 'i2'] } })]);
    const res = await post('/v1/models/rec/feedback', [
      { id: 'f1', predictionId: 'p', item: 'i1', position: 0, action: 'clicked' },
      { id: 'f2', predictionId: 'p', item: 'i2', position: -1, action: 'Clicked!' },
    ]);
    expect(res.json().rejected).toEqual([expect.objectContaining({ index: 1, field: 'position' })]);
  });

  it('stores heartbeats and lists instances with failed self-checks', async () => {
    const res = await post('/v1/heartbeats', [
      {
        instance: 'pod-1',
        model: 'churn',
        version: 'v1',
        fingerprint: { runtime: 'node v20.11.0', os: 'linux 6.1', lockfileHash: 'abc' },
        host: { cpuPercent: 40, temperatureC: 71.5 },
        checks: [
          { name: 'read_model', ok: true },
          { name: 'write_output', ok: false, detail: 'EACCES: /out' },
        ],
        sdk: { dropped: { bufferFull: 3 } },
      },
    ]);
    expect(res.json()).toMatchObject({ accepted: 1 });
    const inst = await c.call({ method: 'GET', url: '/v1/instances?model=churn', role: 'read' });
    expect(inst.json().instances).toEqual([
      expect.objectContaining({ instance: 'pod-1', failedChecks: ['write_output'], heartbeats: 1 }),
    ]);
    const beats = await c.call({ method: 'GET', url: '/v1/heartbeats?instance=pod-1', role: 'read' });
    expect(beats.json().heartbeats[0]).toMatchObject({
      host: { temperatureC: 71.5 },
      sdk: { dropped: { bufferFull: 3 } },
    });
  });

  it('stores free-form events and filters them by kind', async () => {
    await post('/v1/events', [
      { id: 'd1', kind: 'deploy', model: 'churn', version: 'v2', timestamp: '2025-03-01T11:00:00Z' },
      { id: 'c1', kind: 'crash', instance: 'pod-1', message: '<script>alert(1)</script>' },
      { id: 'x', kind: 'Not A Kind' },
    ]);
    const res = await c.call({ method: 'GET', url: '/v1/events?kind=crash', role: 'read' });
    expect(res.headers['content-type']).toContain('application/json');
    expect(res.json().events).toEqual([
      expect.objectContaining({ id: 'c1', message: '<script>alert(1)</script>' }),
    ]);
  });
});
