import { describe, expect, it } from 'vitest';
import { seededRng } from '../rng.js';
import { ctrByPosition } from './position.js';
import { simulateRecommender } from './simulate.js';

describe('simulateRecommender', () => {
  it('is deterministic for a seed and differs across seeds', () => {
    const a = simulateRecommender(seededRng(9), { windows: 2, users: 100 });
    const b = simulateRecommender(seededRng(9), { windows: 2, users: 100 });
    const c = simulateRecommender(seededRng(10), { windows: 2, users: 100 });
    expect(a).toEqual(b);
    expect(a.windows[1]!.exposures).not.toEqual(c.windows[1]!.exposures);
  });

  it('serves k distinct items to every user and counts each impression once', () => {
    const r = simulateRecommender(seededRng(1), { windows: 3, users: 200, policy: 'epsilon_greedy' });
    for (const w of r.windows) {
      expect(w.lists).toHaveLength(200);
      for (const l of w.lists) expect(new Set(l).size).toBe(20);
      expect(w.exposures.reduce((a, b) => a + b, 0)).toBe(200 * 20);
      expect(w.impressionsByPosition.every((n) => n === 200)).toBe(true);
    }
  });

  it('has position bias: click-through falls with position', () => {
    const w = simulateRecommender(seededRng(2), { windows: 1 }).windows[0]!;
    const ctr = ctrByPosition(w.impressionsByPosition, w.clicksByPosition);
    expect(ctr[0]!.ctr!).toBeGreaterThan(ctr[19]!.ctr! * 1.5);
  });

  it('rejects bad options, naming them', () => {
    expect(() => simulateRecommender(seededRng(1), { k: 0 })).toThrow(/option k/);
    expect(() => simulateRecommender(seededRng(1), { k: 500 })).toThrow(/must not exceed items/);
    expect(() => simulateRecommender(seededRng(1), { epsilon: 2 })).toThrow(/option epsilon/);
  });
});
