import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DatasetProfile } from '../../core/profile/dataset-profile.js';
import { decodeProfile, encodeProfile } from '../../core/profile/profile-codec.js';
import { seededRng } from '../../core/rng.js';
import type { TestCollector } from '../testing.js';
import { startTestCollector } from '../testing.js';

// January 2001 US flights (data/flights/README.md names source and licence).
const flightsJan = readFileSync(join(import.meta.dirname, '..', '..', '..', 'data', 'flights', 'jan.csv'));

let c: TestCollector;
beforeEach(async () => {
  c = await startTestCollector({ maxReferenceBytes: 1_000_000 });
  await c.call({
    method: 'POST',
    url: '/v1/models/delays/versions',
    payload: { version: 'v1', artifactHash: 'h1' },
  });
});
afterEach(async () => {
  await c.close();
});

const put = (body: string | Buffer, type: string, version = 'v1') =>
  c.call({
    method: 'PUT',
    url: `/v1/models/delays/versions/${version}/reference`,
    headers: { 'content-type': type },
    payload: body,
  });

describe('reference data sets', () => {
  it('profiles a CSV file with the file reader and answers its summary, sample and blob', async () => {
    const res = await put(flightsJan, 'text/csv');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      rows: 12_706,
      sampleRows: 1024,
      source: 'csv',
      columns: [
        'date',
        'distance',
        'origin',
        'destination',
        'delay',
        'delayed',
        'predicted',
        'delay_proba',
        'predicted_delay',
      ],
    });
    const summary = await c.call({
      method: 'GET',
      url: '/v1/models/delays/versions/v1/reference',
      role: 'read',
    });
    const body = summary.json();
    const distance = body.profile.columns.find((col: { name: string }) => col.name === 'distance');
    expect(distance).toMatchObject({ kind: 'numerical', count: 12_706, missing: 0 });
    expect(body.profile.columns.find((col: { name: string }) => col.name === 'origin').kind).toBe(
      'categorical',
    );
    expect(body.sample).toHaveLength(1024);
    const blob = await c.call({
      method: 'GET',
      url: '/v1/models/delays/versions/v1/reference?format=blob',
      role: 'read',
    });
    expect(blob.headers['content-type']).toBe('application/octet-stream');
    expect(decodeProfile(blob.rawPayload).rowCount).toBe(12_706);
    const version = await c.call({ method: 'GET', url: '/v1/models/delays/versions/v1', role: 'read' });
    expect(version.json().reference).toMatchObject({ rows: 12_706, source: 'csv' });
  });

  it('accepts NDJSON rows and a profile blob built elsewhere', async () => {
    const ndjson = Array.from({ length: 40 }, (_, i) =>
      JSON.stringify({ age: 20 + i, plan: i % 2 ? 'pro' : 'free' }),
    ).join('\n');
    expect((await put(ndjson, 'application/x-ndjson')).json()).toMatchObject({
      rows: 40,
      source: 'ndjson',
      columns: ['age', 'plan'],
    });
    const local = DatasetProfile.empty({ rng: seededRng(3) }).addRows([{ x: 1 }, { x: 2 }, { x: 3 }]);
    const res = await put(Buffer.from(encodeProfile(local)), 'application/octet-stream');
    expect(res.json()).toMatchObject({ rows: 3, source: 'profile', columns: ['x'] });
  });

  it('names what is wrong with a bad file', async () => {
    const ragged = await put('a,b\n1,2\n3\n', 'text/csv');
    expect(ragged.statusCode).toBe(400);
    expect(ragged.json().error).toMatchObject({
      code: 'registry.reference_invalid',
      message: expect.stringContaining('line 3'),
    });
    const notJson = await put('{"a": 1}\n{oops\n', 'application/x-ndjson');
    expect(notJson.json().error.message).toContain('line 2');
    const notBlob = await put(Buffer.from('hello'), 'application/octet-stream');
    expect(notBlob.json().error).toMatchObject({
      code: 'registry.reference_invalid',
      hint: expect.stringContaining('faultline profile'),
    });
    const empty = await put('a,b\n', 'text/csv');
    expect(empty.statusCode).toBe(400);
  });

  it('refuses an unknown version, a file over the limit, and a caller without the admin role', async () => {
    expect((await put('a\n1\n', 'text/csv', 'v9')).json().error.code).toBe('registry.version_not_found');
    const big = await put(Buffer.alloc(1_100_000, 'a'), 'text/csv');
    expect(big.statusCode).toBe(413);
    expect(big.json().error.message).toContain('1000000');
    const ingest = await c.call({
      method: 'PUT',
      url: '/v1/models/delays/versions/v1/reference',
      role: 'ingest',
      headers: { 'content-type': 'text/csv' },
      payload: 'a\n1\n',
    });
    expect(ingest.statusCode).toBe(403);
    const none = await c.call({
      method: 'GET',
      url: '/v1/models/delays/versions/v1/reference',
      role: 'read',
    });
    expect(none.json().error.code).toBe('registry.reference_not_found');
  });
});
