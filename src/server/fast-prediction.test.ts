import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PredictionEventSchema } from '../core/contract/index.js';
import { fastPrediction } from './fast-prediction.js';

const scalar = fc.oneof(
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.string({ maxLength: 30 }),
  fc.boolean(),
  fc.constant(null),
);
const anything = fc.oneof(
  scalar,
  fc.array(fc.integer(), { maxLength: 2 }),
  fc.constant(undefined),
  fc.object({ maxDepth: 1 }),
);

/** Mostly valid: `good` nine times in ten, anything else otherwise. */
const mostly = <T>(good: fc.Arbitrary<T>) =>
  fc.oneof({ arbitrary: good, weight: 9 }, { arbitrary: anything, weight: 1 });

/** Mostly valid predictions, with each field sometimes replaced by something odd. */
const candidate = fc
  .record(
    {
      id: mostly(fc.string({ minLength: 1, maxLength: 20 })),
      version: mostly(
        fc.oneof(
          { arbitrary: fc.constantFrom('v1', 'model-2.1', 'v3'), weight: 6 },
          { arbitrary: fc.constantFrom('bad name', ''), weight: 1 },
        ),
      ),
      timestamp: mostly(
        fc.oneof(
          fc.integer({ min: 1e11, max: 2e12 }),
          fc.constantFrom('2025-03-01T12:00:00Z', '2025-03-01T12:00:00', 1.5e12 + 0.5, 1_700_000_000),
        ),
      ),
      artifactHash: mostly(fc.string({ maxLength: 5 })),
      instance: mostly(fc.string({ maxLength: 5 })),
      features: mostly(fc.dictionary(fc.string({ minLength: 1, maxLength: 6 }), scalar, { maxKeys: 6 })),
      output: mostly(
        fc.record(
          {
            class: fc.constantFrom('a', 1, true),
            probabilities: fc.dictionary(
              fc.constantFrom('a', 'b'),
              fc.double({ min: -0.5, max: 1.5, noNaN: true }),
            ),
            score: fc.double({ noNaN: true, noDefaultInfinity: true }),
          },
          { requiredKeys: [] },
        ),
      ),
      latencyMs: mostly(fc.oneof(fc.double({ min: 0, max: 1e5, noNaN: true }), fc.constantFrom(-1, 1e8))),
      status: mostly(fc.constantFrom('ok', 'error', 'timeout', 'fail')),
      errorKind: mostly(fc.string({ minLength: 1, maxLength: 5 })),
    },
    { requiredKeys: ['id', 'version', 'features'] },
  )
  .chain((event) =>
    fc.oneof(
      { arbitrary: fc.constant(event), weight: 9 },
      { arbitrary: anything.map((extra) => ({ ...event, extra })), weight: 1 },
    ),
  );

describe('fastPrediction', () => {
  it('accepts only what the schema accepts, and returns the same value', () => {
    let fastAccepted = 0;
    fc.assert(
      fc.property(candidate, (raw) => {
        const fast = fastPrediction(raw);
        if (fast === null) return;
        fastAccepted += 1;
        const slow = PredictionEventSchema.safeParse(raw);
        expect(slow.success).toBe(true);
        expect(fast).toEqual(slow.data);
      }),
      { numRuns: 3000 },
    );
    // The generator must reach the fast path often enough for the comparison to mean something.
    expect(fastAccepted).toBeGreaterThan(100);
  });

  it('takes the fast path for a typical well-formed prediction', () => {
    const raw = {
      id: 'p1',
      version: 'v1',
      timestamp: 1_740_830_400_000,
      instance: 'pod-1',
      artifactHash: 'sha256:ab',
      features: { age: 31, city: 'Oslo', vip: true, income: null },
      output: { class: 'yes', probabilities: { yes: 0.8, no: 0.2 } },
      latencyMs: 3.5,
      status: 'ok',
    };
    expect(fastPrediction(raw)).toEqual(PredictionEventSchema.parse(raw));
    expect(fastPrediction({ ...raw, timestamp: '2025-03-01T12:00:00Z' })?.timestamp).toBe(
      Date.UTC(2025, 2, 1, 12),
    );
  });

  it('defers anything unusual to the schema', () => {
    const base = { id: 'p', version: 'v1', features: {} };
    for (const odd of [
      { ...base, latency_ms: 1 },
      { ...base, features: { a: [1] } },
      { ...base, features: { '': 1 } },
      { ...base, timestamp: 1_700_000_000 },
      { ...base, version: 'a b' },
      { ...base, status: 'fine' },
      Object.assign(Object.create({ inherited: 1 }), base),
    ])
      expect(fastPrediction(odd)).toBeNull();
  });
});
