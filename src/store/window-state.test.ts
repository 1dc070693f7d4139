import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { PredictionEvent } from '../core/contract/index.js';
import { seededRng } from '../core/rng.js';
import { ProfileFormatError } from '../core/sketch/bytes.js';
import type { Timed } from './store.js';
import {
  addFeedback,
  addJoinedLabel,
  addPrediction,
  addPredictions,
  decodeWindow,
  emptyWindow,
  encodeWindow,
  mergeWindows,
  outputColumns,
  predictedClass,
  WINDOW_SAMPLE_ROWS,
  windowCounters,
} from './window-state.js';

const T0 = Date.UTC(2025, 0, 1);

const rowArb = fc.record({
  // JSON (the wire and the sample encoding) has no -0, so neither do the inputs.
  x: fc.double({ min: -1e6, max: 1e6, noNaN: true }).map((v) => (Object.is(v, -0) ? 0 : v)),
  cat: fc.constantFrom('a', 'b', 'c', null),
  status: fc.constantFrom('ok', 'error', 'timeout'),
  latency: fc.integer({ min: 0, max: 5000 }),
});

function event(
  i: number,
  r: { x: number; cat: string | null; status: string; latency: number },
): Timed<PredictionEvent> {
  return {
    id: `p${i}`,
    timestamp: T0 + i,
    version: 'v1',
    instance: `i${i % 3}`,
    features: { x: r.x, cat: r.cat },
    output: { score: r.x / 1e6 + 0 }, // + 0 turns an underflowed -0 into 0, as JSON would
    latencyMs: r.latency,
    status: r.status as 'ok' | 'error' | 'timeout',
    ...(r.status === 'ok' ? {} : { errorKind: 'E' }),
  };
}

describe('window algebra', () => {
  it('merge(window(A), window(B)) has the counters, moments and sizes of window(A ++ B)', () => {
    fc.assert(
      fc.property(fc.array(rowArb, { maxLength: 60 }), fc.array(rowArb, { maxLength: 60 }), (a, b) => {
        const all = [...a, ...b].map((r, i) => event(i, r));
        const wa = all.slice(0, a.length).reduce(addPrediction, emptyWindow(seededRng(1)));
        const wb = all.slice(a.length).reduce(addPrediction, emptyWindow(seededRng(2)));
        const whole = all.reduce(addPrediction, emptyWindow(seededRng(3)));
        const merged = mergeWindows(wa, wb, seededRng(4));
        expect(windowCounters(merged)).toEqual(windowCounters(whole));
        expect(merged.features.rowCount).toBe(whole.features.rowCount);
        expect(merged.latencyMs.n).toBe(whole.latencyMs.n);
        const served = all.filter((e) => e.status === 'ok').length;
        expect(merged.features.rowCount).toBe(served);
        expect(merged.sample.seen).toBe(served);
        expect(merged.sample.size).toBe(Math.min(served, WINDOW_SAMPLE_ROWS));
        const mx = merged.features.column('x')?.moments.summary();
        const wx = whole.features.column('x')?.moments.summary();
        if (wx?.mean != null) expect(mx?.mean).toBeCloseTo(wx.mean, 6);
        // The inputs are unchanged.
        expect(wa.predictions).toBe(a.length);
        expect(wb.predictions).toBe(b.length);
      }),
      { numRuns: 60 },
    );
  });

  it('round-trips through the binary encoding bit for bit', () => {
    fc.assert(
      fc.property(fc.array(rowArb, { maxLength: 400 }), (rows) => {
        const w = rows.map((r, i) => event(i, r)).reduce(addPrediction, emptyWindow(seededRng(7)));
        addJoinedLabel(w, { id: 'p0', output: { class: 'a' }, value: 'a', timeToLabelMs: 1000 });
        addFeedback(w, { id: 'f', predictionId: 'p0', item: 'i', action: 'clicked', timestamp: T0 });
        const bytes = encodeWindow(w);
        const back = decodeWindow(bytes, seededRng(8));
        expect(windowCounters(back)).toEqual(windowCounters(w));
        expect(back.sample.items()).toEqual(w.sample.items());
        expect(encodeWindow(back)).toEqual(bytes);
      }),
      { numRuns: 30 },
    );
  });

  it('names the part of a blob that is wrong', () => {
    const bytes = encodeWindow(emptyWindow(seededRng(1)));
    expect(() => decodeWindow(Uint8Array.of(1, 2, 3, 4), seededRng(1))).toThrow(ProfileFormatError);
    const truncated = bytes.slice(0, bytes.length - 3);
    expect(() => decodeWindow(truncated, seededRng(1))).toThrow(/window/);
    const newer = bytes.slice();
    newer[3] = 99;
    expect(() => decodeWindow(newer, seededRng(1))).toThrow(/format 99/);
  });
});

describe('failed requests', () => {
  it('count for the operational figures but never enter the profiles or the sample', () => {
    // A crash storm: the upstream that fills `congestion` is down, so failed requests carry it as null and
    // have no output; the requests the model answered all have it.
    const ok = (i: number): Timed<PredictionEvent> => ({
      id: `ok${i}`,
      timestamp: T0 + i,
      version: 'v1',
      instance: 'a',
      features: { distance: 100 + i, congestion: 0.5 },
      output: { score: 0.25 },
      latencyMs: 10,
      status: 'ok',
    });
    const failed = (i: number, status: 'error' | 'timeout'): Timed<PredictionEvent> => ({
      id: `bad${i}`,
      timestamp: T0 + i,
      version: 'v1',
      instance: 'a',
      features: { distance: 9_999, congestion: null },
      latencyMs: 2_000,
      status,
      errorKind: status === 'error' ? 'ECONNREFUSED' : 'timeout',
    });
    const events = [
      ...Array.from({ length: 10 }, (_, i) => ok(i)),
      ...Array.from({ length: 30 }, (_, i) => failed(i, i % 3 === 0 ? 'timeout' : 'error')),
    ];
    for (const w of [
      addPredictions(emptyWindow(seededRng(1)), events),
      events.reduce(addPrediction, emptyWindow(seededRng(1))),
    ]) {
      // Operational figures: every request.
      expect(w.predictions).toBe(40);
      expect(w.status).toEqual({ ok: 10, error: 20, timeout: 10 });
      expect(w.errorKinds).toEqual({ ECONNREFUSED: 20, timeout: 10 });
      expect(w.instances.a).toEqual({ predictions: 40, errors: 20, timeouts: 10 });
      expect(w.latencyMs.n).toBe(40);
      expect(w.latencyMs.max).toBe(2_000);
      // Profiles and sample: the answered requests only — no missing congestion, no 9 999 km flights.
      expect(w.features.rowCount).toBe(10);
      expect(w.features.column('congestion')?.missing).toBe(0);
      expect(w.features.column('distance')?.moments.summary().max).toBe(109);
      expect(w.outputs.rowCount).toBe(10);
      expect(w.sample.seen).toBe(10);
      expect(w.sample.items().every((r) => r.id.startsWith('ok'))).toBe(true);
    }
  });

  it('leave the profiles empty when every request of a batch failed', () => {
    const w = addPredictions(emptyWindow(seededRng(1)), [
      { id: 'x', timestamp: T0, version: 'v1', features: { a: null }, status: 'error', errorKind: 'E' },
    ]);
    expect(w.predictions).toBe(1);
    expect(w.features.rowCount).toBe(0);
    expect(w.sample.seen).toBe(0);
  });
});

describe('labels joined to a window', () => {
  it('counts correct classes, regression errors and writes the label into the sampled row', () => {
    const w = emptyWindow(seededRng(1));
    addPrediction(w, {
      id: 'c1',
      timestamp: T0,
      version: 'v',
      features: {},
      output: { probabilities: { yes: 0.9, no: 0.1 } },
    });
    addPrediction(w, { id: 'r1', timestamp: T0, version: 'v', features: {}, output: { value: 10 } });
    addJoinedLabel(w, {
      id: 'c1',
      output: { probabilities: { yes: 0.9, no: 0.1 } },
      value: 'yes',
      timeToLabelMs: 60_000,
    });
    addJoinedLabel(w, { id: 'r1', output: { value: 10 }, value: 7, timeToLabelMs: 120_000 });
    expect(w.labels).toEqual({
      count: 2,
      classified: 1,
      correct: 1,
      regressed: 1,
      absErrorSum: 3,
      squaredErrorSum: 9,
    });
    expect(w.sample.items().map((r) => [r.id, r.label])).toEqual([
      ['c1', 'yes'],
      ['r1', 7],
    ]);
    expect(w.timeToLabelMs.max).toBe(120_000);
  });

  it('reads the predicted class from class or the arg-max probability', () => {
    expect(predictedClass({ class: 3 })).toBe('3');
    expect(predictedClass({ probabilities: { a: 0.2, b: 0.5, c: 0.3 } })).toBe('b');
    expect(predictedClass({ score: 0.4 })).toBeNull();
    expect(predictedClass(null)).toBeNull();
  });

  it('flattens outputs into profile columns', () => {
    expect(outputColumns({ class: 'a', score: 0.5, probabilities: { a: 0.5 }, items: ['x', 'y'] })).toEqual({
      class: 'a',
      score: 0.5,
      'probability.a': 0.5,
      item_count: 2,
      top_item: 'x',
    });
  });
});

/** Equal up to floating-point rounding (batched and one-by-one moments round differently). */
function expectClose(actual: object | undefined, expected: object | undefined): void {
  const a = (actual ?? {}) as Record<string, unknown>;
  const e = (expected ?? {}) as Record<string, unknown>;
  expect(Object.keys(a).sort()).toEqual(Object.keys(e).sort());
  for (const [k, v] of Object.entries(e)) {
    const w = a[k];
    if (typeof v === 'number' && typeof w === 'number')
      expect(Math.abs(w - v)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(v)));
    else expect(w).toEqual(v);
  }
}

describe('adding predictions column by column', () => {
  it('gives the same profiles as adding them one at a time', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            a: fc.oneof(fc.integer({ min: -50, max: 50 }), fc.constant(null)),
            b: fc.oneof(fc.constantFrom('x', 'y', 'z'), fc.boolean(), fc.integer({ min: 0, max: 3 })),
            c: fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: undefined }),
          }),
          { minLength: 1, maxLength: 80 },
        ),
        (rows) => {
          const events = rows.map((r, i) => {
            const features: Record<string, number | string | boolean | null> = { a: r.a, b: r.b };
            if (r.c !== undefined) features.c = r.c;
            return { id: `e${i}`, timestamp: T0, version: 'v', features, output: { score: i } };
          });
          const one = events.reduce(addPrediction, emptyWindow(seededRng(1)));
          const all = addPredictions(emptyWindow(seededRng(1)), events);
          for (const name of ['a', 'b', 'c']) {
            const x = one.features.column(name);
            const y = all.features.column(name);
            expect(y?.count).toBe(x?.count);
            expect(y?.missing).toBe(x?.missing);
            expect(y?.typeCounts()).toEqual(x?.typeCounts());
            expectClose(y?.moments.summary(), x?.moments.summary());
            expect(y?.categoryCounts()).toEqual(x?.categoryCounts());
          }
          expect(windowCounters(all)).toEqual(windowCounters(one));
          expect(all.outputs.column('score')?.moments.summary()).toEqual(
            one.outputs.column('score')?.moments.summary(),
          );
        },
      ),
      { numRuns: 60 },
    );
  });
});
