import { describe, expect, it } from 'vitest';
import { exposureGini } from '../core/feedback/exposure.js';
import { seededRng } from '../core/rng.js';
import type { RankingPolicy } from './recommender.js';
import { OnlineRecommender } from './recommender.js';

/** Serves `windows` windows of `visits` lists under `policy` from hour `from` on; returns each window's Gini. */
function play(seed: number, policyAt: (w: number) => RankingPolicy, windows: number, visits = 180): number[] {
  const rng = seededRng(seed);
  const rec = new OnlineRecommender(rng);
  const ginis: number[] = [];
  for (let w = 0; w < windows; w++) {
    if (w > 0 && policyAt(w) === 'greedy' && policyAt(w - 1) === 'explore') rec.resetOwnLog();
    const counts = new Map<string, number>();
    for (let v = 0; v < visits; v++) {
      const r = rec.serve(rng.nextInt(rec.options.users), policyAt(w), rng);
      for (const item of r.items) counts.set(item, (counts.get(item) ?? 0) + 1);
    }
    ginis.push(exposureGini(rec.catalogue.map((id) => counts.get(id) ?? 0))!);
    rec.retrain();
  }
  return ginis;
}

describe('OnlineRecommender', () => {
  it('serves k distinct catalogue items and clicks only positions of the list', () => {
    const rng = seededRng(3);
    const rec = new OnlineRecommender(rng);
    for (let i = 0; i < 100; i++) {
      const r = rec.serve(rng.nextInt(rec.options.users), i % 2 ? 'greedy' : 'explore', rng);
      expect(new Set(r.items).size).toBe(rec.options.k);
      for (const id of r.items) expect(rec.catalogue).toContain(id);
      for (const p of r.clicked) expect(p >= 0 && p < rec.options.k).toBe(true);
    }
  });

  it('replays the same lists and clicks for the same seed', () => {
    const run = (seed: number) => {
      const rng = seededRng(seed);
      const rec = new OnlineRecommender(rng);
      return Array.from({ length: 20 }, () => rec.serve(rng.nextInt(1000), 'explore', rng));
    };
    expect(run(11)).toEqual(run(11));
    expect(run(11)).not.toEqual(run(12));
  });

  it('keeps exposure spread while it explores, and concentrates it once it feeds on its own clicks', () => {
    const explore = play(5, () => 'explore', 14);
    const loop = play(5, (w) => (w < 4 ? 'explore' : 'greedy'), 14);
    for (const g of explore) expect(g).toBeLessThan(0.4);
    expect(loop.slice(0, 4)).toEqual(explore.slice(0, 4));
    // A new greedy ranker starts broad (no clicks of its own) and tightens window after window.
    expect(loop[4]!).toBeLessThan(0.4);
    for (const g of loop.slice(7)) expect(g).toBeGreaterThan(0.55);
    expect(loop[13]!).toBeGreaterThan(loop[7]!);
  });

  it('rejects lists longer than the catalogue', () => {
    expect(() => new OnlineRecommender(seededRng(1), { items: 5, k: 6 })).toThrow(/must not exceed items/);
  });
});
