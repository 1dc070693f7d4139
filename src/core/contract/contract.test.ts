import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import * as contract from './index.js';
import {
  FaultlineError,
  HeartbeatSchema,
  LabelEventSchema,
  MAX_EPOCH_MS,
  MIN_EPOCH_MS,
  ModelCreateSchema,
  PredictionEventSchema,
  QueryTimeSchema,
  roleAllows,
  TimestampSchema,
  toIso,
  WindowsQuerySchema,
} from './index.js';

describe('TimestampSchema', () => {
  it('parses ISO-8601 with a zone and epoch milliseconds to the same instant', () => {
    expect(TimestampSchema.parse('2025-03-01T12:00:00Z')).toBe(Date.UTC(2025, 2, 1, 12));
    expect(TimestampSchema.parse('2025-03-01T14:00:00+02:00')).toBe(Date.UTC(2025, 2, 1, 12));
    expect(TimestampSchema.parse(Date.UTC(2025, 2, 1, 12))).toBe(Date.UTC(2025, 2, 1, 12));
  });

  it('rejects epoch seconds, zone-less times and junk with a reason', () => {
    for (const bad of [1_740_830_400, '2025-03-01T12:00:00', 'yesterday', 1.5e12 + 0.5, null]) {
      const r = TimestampSchema.safeParse(bad);
      expect(r.success).toBe(false);
      expect(r.error?.issues[0]?.message).toMatch(/ISO-8601|epoch/);
    }
  });

  it('round-trips every accepted epoch ms through its ISO form', () => {
    fc.assert(
      fc.property(fc.integer({ min: MIN_EPOCH_MS, max: MAX_EPOCH_MS }), (ms) => {
        expect(TimestampSchema.parse(toIso(ms))).toBe(ms);
      }),
    );
  });
});

describe('event schemas', () => {
  const good = { id: 'p1', version: 'v1', features: { age: 31, city: 'Oslo', vip: true, income: null } };

  it('accepts a minimal prediction and a full one', () => {
    expect(PredictionEventSchema.safeParse(good).success).toBe(true);
    const full = {
      ...good,
      timestamp: '2025-03-01T12:00:00Z',
      artifactHash: 'sha256:ab',
      instance: 'pod-1',
      output: { class: 'yes', probabilities: { yes: 0.8, no: 0.2 }, score: 0.8 },
      latencyMs: 12.5,
      status: 'ok',
    };
    expect(PredictionEventSchema.parse(full).timestamp).toBe(Date.UTC(2025, 2, 1, 12));
  });

  it('names the unknown field when a sender misspells one', () => {
    const r = PredictionEventSchema.safeParse({ ...good, latency_ms: 3 });
    expect(r.success).toBe(false);
    const issue = r.error?.issues[0];
    expect(issue?.code).toBe('unrecognized_keys');
    expect(issue && 'keys' in issue ? issue.keys : []).toEqual(['latency_ms']);
  });

  it('rejects nested feature values and probabilities outside [0, 1]', () => {
    expect(
      PredictionEventSchema.safeParse({ ...good, features: { a: [1, 2] } }).error?.issues[0]?.path,
    ).toEqual(['features', 'a']);
    expect(
      PredictionEventSchema.safeParse({ ...good, output: { probabilities: { yes: 1.2 } } }).error?.issues[0]
        ?.path,
    ).toEqual(['output', 'probabilities', 'yes']);
  });

  it('accepts labels and heartbeats of the documented shape', () => {
    expect(
      LabelEventSchema.safeParse({ predictionId: 'p1', value: 1, timestamp: 1_740_830_400_000 }).success,
    ).toBe(true);
    expect(
      HeartbeatSchema.safeParse({
        instance: 'pod-1',
        fingerprint: { runtime: 'node 20.1.0', packages: { onnxruntime: '1.17.0' } },
        host: { cpuPercent: 12, temperatureC: null },
        checks: [{ name: 'read_model', ok: false, detail: 'EACCES' }],
      }).success,
    ).toBe(true);
  });
});

describe('registry schemas', () => {
  it('requires bucketMs to divide windowMs', () => {
    expect(
      ModelCreateSchema.safeParse({ name: 'churn', windowMs: 3_600_000, bucketMs: 300_000 }).success,
    ).toBe(true);
    const r = ModelCreateSchema.safeParse({ name: 'churn', windowMs: 3_600_000, bucketMs: 700_000 });
    expect(r.error?.issues[0]?.path).toEqual(['bucketMs']);
  });

  it('rejects model names that are not URL-safe', () => {
    expect(ModelCreateSchema.safeParse({ name: 'a/b' }).success).toBe(false);
    expect(ModelCreateSchema.safeParse({ name: '' }).success).toBe(false);
  });
});

describe('query schemas', () => {
  it('parses times in query strings as ISO or epoch ms digits', () => {
    expect(QueryTimeSchema.parse('1740830400000')).toBe(1_740_830_400_000);
    expect(QueryTimeSchema.parse('2025-03-01T12:00:00Z')).toBe(Date.UTC(2025, 2, 1, 12));
    expect(QueryTimeSchema.safeParse('soon').success).toBe(false);
  });

  it('lists the valid parts when include names an unknown one', () => {
    const r = WindowsQuerySchema.safeParse({ include: 'profiles,charts' });
    expect(r.error?.issues[0]?.message).toContain('profiles, sample, blobs');
    expect(WindowsQuerySchema.parse({ include: 'profiles,sample' }).include).toEqual(['profiles', 'sample']);
  });
});

describe('auth and errors', () => {
  it('lets admin do everything and other roles only their own', () => {
    expect(roleAllows('admin', 'ingest')).toBe(true);
    expect(roleAllows('admin', 'read')).toBe(true);
    expect(roleAllows('ingest', 'read')).toBe(false);
    expect(roleAllows('read', 'ingest')).toBe(false);
    expect(roleAllows('read', 'admin')).toBe(false);
  });

  it('serialises an error to the wire envelope', () => {
    const e = new FaultlineError('ingest.batch_too_long', 'too many', { hint: 'split it' });
    expect(e.toBody()).toEqual({
      error: { code: 'ingest.batch_too_long', message: 'too many', hint: 'split it' },
    });
  });
});

describe('JSON Schema conversion', () => {
  it('converts every exported schema (the OpenAPI document is built from them)', () => {
    const schemas = Object.entries(contract).filter(([name]) => name.endsWith('Schema'));
    expect(schemas.length).toBeGreaterThan(30);
    for (const [name, schema] of schemas) {
      const json = z.toJSONSchema(schema as z.ZodType, {
        io: 'input',
        target: 'draft-7',
        unrepresentable: 'any',
      });
      expect(json, name).toBeTypeOf('object');
    }
  });
});
