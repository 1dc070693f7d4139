/**
 * Measures a streaming detector on the two reference streams of the conformance suite: false alarms on a
 * stationary Bernoulli(0.1) error stream of 10 000 draws, and the delay to detect a step from 0.1 to 0.4 after
 * 5 000 draws — for several seeds. Used by the conformance tests (which assert bounds) and by the benchmark.
 */
import { type Rng, seededRng } from '../rng.js';
import type { AnyDetector } from './registry.js';

export interface DetectorMeasurement {
  /** Drifts on the stationary stream, per seed. */
  falseAlarms: number[];
  /** Items from the step to the first drift after it, per seed; null when none in the 5 000 items after. */
  delays: (number | null)[];
  detectionRate: number;
  medianDelay: number | null;
}

export const CONFORMANCE_SEEDS = [11, 12, 13, 14, 15, 16, 17, 18, 19, 20];
/** Length of each reference stream, and where the step happens. */
const N = 10_000;
const STEP_AT = 5_000;

/** One Bernoulli(p) draw as 0/1. */
export function bernoulli(rng: Rng, p: number): number {
  return rng.next() < p ? 1 : 0;
}

/** Runs the stationary and step streams for every seed. `make(seed)` builds a fresh detector. */
export function measureDetector(make: (seed: number) => AnyDetector): DetectorMeasurement {
  const falseAlarms: number[] = [];
  const delays: (number | null)[] = [];
  for (const seed of CONFORMANCE_SEEDS) {
    const stream = seededRng(seed);
    let d = make(seed);
    let count = 0;
    for (let i = 0; i < N; i++) if (d.update(bernoulli(stream, 0.1)).drift) count++;
    falseAlarms.push(count);

    d = make(seed);
    let delay: number | null = null;
    for (let i = 0; i < N && delay === null; i++) {
      const drift = d.update(bernoulli(stream, i < STEP_AT ? 0.1 : 0.4)).drift;
      if (drift && i >= STEP_AT) delay = i - STEP_AT;
    }
    delays.push(delay);
  }
  const found = delays.filter((x): x is number => x !== null).sort((a, b) => a - b);
  return {
    falseAlarms,
    delays,
    detectionRate: found.length / delays.length,
    medianDelay: found.length === 0 ? null : found[Math.floor((found.length - 1) / 2)]!,
  };
}
