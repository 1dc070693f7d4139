import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { LoggedBatch } from './message.js';
import { decodeBatch, encodeBatch, LogMessageError } from './message.js';

const T0 = Date.UTC(2025, 0, 1);
const enc = new TextEncoder();

function predictions(n: number, pad = 0): LoggedBatch {
  return {
    kind: 'predictions',
    project: 'acme',
    model: 'churn',
    receivedAtMs: T0 + 5,
    events: Array.from({ length: n }, (_, i) => ({
      id: `p${i}`,
      timestamp: T0 + i,
      version: 'v1',
      features: { age: i, note: 'x'.repeat(pad) },
      output: { class: 'yes', probabilities: { yes: 0.5 } },
      latencyMs: 3,
    })),
  };
}

function problem(bytes: Uint8Array | string): string {
  try {
    decodeBatch(typeof bytes === 'string' ? enc.encode(bytes) : bytes);
  } catch (e) {
    expect(e).toBeInstanceOf(LogMessageError);
    return (e as LogMessageError).field;
  }
  throw new Error('decoded');
}

describe('log messages', () => {
  it('round-trips every kind of batch', () => {
    const batches: LoggedBatch[] = [
      predictions(3),
      {
        kind: 'labels',
        project: 'acme',
        model: 'm',
        receivedAtMs: T0,
        events: [{ predictionId: 'p1', value: 1, timestamp: T0 }],
      },
      {
        kind: 'feedback',
        project: 'acme',
        model: 'm',
        receivedAtMs: T0,
        events: [{ id: 'f', predictionId: 'p', item: 'a', position: 0, action: 'shown', timestamp: T0 }],
      },
      { kind: 'heartbeats', project: 'acme', receivedAtMs: T0, events: [{ instance: 'pod', timestamp: T0 }] },
      {
        kind: 'events',
        project: 'acme',
        receivedAtMs: T0,
        events: [{ id: 'e', kind: 'deploy', timestamp: T0 }],
      },
    ];
    for (const b of batches) {
      const parts = encodeBatch(b, 1_000_000);
      expect(parts).toHaveLength(1);
      expect(decodeBatch(parts[0]!)).toEqual(b);
    }
  });

  it('splits a batch over the size limit into valid batches that keep the event order', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 60 }),
        fc.integer({ min: 0, max: 300 }),
        fc.integer({ min: 700, max: 5000 }),
        (n, pad, limit) => {
          const b = predictions(n, pad);
          const parts = encodeBatch(b, limit);
          for (const p of parts) expect(p.length).toBeLessThanOrEqual(limit);
          const back = parts.map(decodeBatch);
          expect(back.flatMap((x): unknown[] => x.events)).toEqual(b.events);
          for (const x of back) expect({ ...x, events: [] }).toEqual({ ...b, events: [] });
        },
      ),
      { numRuns: 80 },
    );
  });

  it('refuses an event that does not fit in one message', () => {
    expect(() => encodeBatch(predictions(2, 2000), 1500)).toThrow(/events\[0\].*limit 1500/);
  });

  it('names what is wrong with a message it cannot read', () => {
    const good = JSON.parse(new TextDecoder().decode(encodeBatch(predictions(2), 1e6)[0]!));
    expect(problem('not json')).toBe('(message)');
    expect(problem(JSON.stringify({ ...good, v: 2 }))).toBe('v');
    expect(problem(JSON.stringify({ ...good, model: undefined }))).toBe('model');
    expect(problem(JSON.stringify({ ...good, kind: 'metrics' }))).toBe('kind');
    expect(problem(JSON.stringify({ ...good, events: [] }))).toBe('events');
    const bad = structuredClone(good);
    bad.events[1].latencyMs = -1;
    expect(problem(JSON.stringify(bad))).toBe('events[1].latencyMs');
    const untimed = structuredClone(good);
    delete untimed.events[0].timestamp;
    expect(problem(JSON.stringify(untimed))).toBe('events[0].timestamp');
  });
});
