/**
 * Conformance suite every streaming concept-drift detector runs (style.md §5.4, like hono's shared router cases).
 *
 * 1. Stationary: a Bernoulli(0.1) error stream of 10 000 draws, for each of several seeds, raises at most
 *    `maxFalseAlarms` drifts (a loose per-detector bound; `measureDetector` in measure.ts returns the counts).
 * 2. Step: 5 000 draws at 0.1 then 5 000 at 0.4 — the share of seeds where a drift is signalled after the step
 *    is at least `minDetectionRate`, and the median delay (items after the step) at most `maxMedianDelay`.
 * 3. Persistence: snapshot mid-stream → JSON text → restore gives exactly the same signals afterwards.
 * 4. `reset()` makes the detector behave as new; invalid input is rejected with an error naming `x`.
 */
import { describe, expect, it } from 'vitest';
import { seededRng } from '../rng.js';
import { bernoulli, measureDetector } from './measure.js';
import type { AnyDetector } from './registry.js';
import { restoreDetector } from './registry.js';
import type { DetectorKind } from './types.js';

export interface ConformanceBounds {
  maxFalseAlarms: number;
  minDetectionRate: number;
  maxMedianDelay: number;
}

export function runDetectorConformance(
  kind: DetectorKind,
  make: (seed: number) => AnyDetector,
  bounds: ConformanceBounds,
): void {
  describe(`${kind} conformance`, () => {
    const m = measureDetector(make);

    it(`raises at most ${bounds.maxFalseAlarms} false alarms on 10 000 stationary Bernoulli(0.1) draws`, () => {
      expect(Math.max(...m.falseAlarms)).toBeLessThanOrEqual(bounds.maxFalseAlarms);
    });

    it(`detects a 0.1 → 0.4 step in ≥ ${bounds.minDetectionRate * 100} % of runs, median delay ≤ ${bounds.maxMedianDelay}`, () => {
      expect(m.detectionRate).toBeGreaterThanOrEqual(bounds.minDetectionRate);
      expect(m.medianDelay).not.toBeNull();
      expect(m.medianDelay!).toBeLessThanOrEqual(bounds.maxMedianDelay);
    });

    it('resumes from a JSON snapshot with identical signals', () => {
      const stream = seededRng(99);
      const xs = Array.from({ length: 3000 }, (_, i) => bernoulli(stream, i < 1500 ? 0.1 : 0.5));
      const a = make(7);
      for (const x of xs.slice(0, 1234)) a.update(x);
      const b = restoreDetector(JSON.parse(JSON.stringify(a.toJson())), seededRng(5));
      // KSWIN draws from its Rng: give both the same fresh generator from here on.
      const c = restoreDetector(JSON.parse(JSON.stringify(a.toJson())), seededRng(5));
      expect(b.toJson()).toEqual(a.toJson());
      const outB = xs.slice(1234).map((x) => b.update(x));
      const outC = xs.slice(1234).map((x) => c.update(x));
      expect(outB).toEqual(outC);
      if (kind !== 'kswin') expect(outB).toEqual(xs.slice(1234).map((x) => a.update(x)));
    });

    it('behaves as new after reset()', () => {
      const stream = seededRng(3);
      const xs = Array.from({ length: 2000 }, (_, i) => bernoulli(stream, i < 1000 ? 0.05 : 0.6));
      const used = make(8);
      for (const x of xs) used.update(x);
      used.reset();
      const fresh = make(8);
      expect(used.toJson()).toEqual(fresh.toJson());
    });

    it('rejects an invalid value, naming x', () => {
      const d = make(1);
      expect(() => d.update(Number.NaN)).toThrow(/x must be/);
    });
  });
}
