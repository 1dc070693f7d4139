import { describe, expect, it } from 'vitest';
import { seededRng } from '../../core/rng.js';
import { feedbackSeries, sampledLists } from './feedback.js';
import { byStart, timeAxis } from './series.js';
import { type FixtureRow, windowOf } from './window-fixtures.js';

const H = 3_600_000;
const catalogue = Array.from({ length: 50 }, (_, i) => `i${i}`);

/**
 * Lists of 5 items, low ids more popular: window w draws from the first `50 − 6w` items, so exposure
 * concentrates over time on what was already popular.
 */
function recommender(windows: number) {
  const rng = seededRng(5);
  const out = [];
  for (let w = 0; w < windows; w++) {
    const pool = catalogue.slice(0, 50 - 6 * w);
    const rows: FixtureRow[] = [];
    for (let k = 0; k < 120; k++) {
      const items = new Set<string>();
      while (items.size < 5) items.add(pool[Math.floor(pool.length * rng.next() ** 2)]!);
      rows.push({ features: {}, output: { items: [...items] }, label: catalogue[rng.nextInt(50)]! });
    }
    out.push(
      windowOf(rows, w * H, H, 'r1', {
        feedback: { count: 150, actions: { shown: 120, clicked: 30 - 3 * w } },
      }),
    );
  }
  const axis = timeAxis(0, windows * H, H);
  return byStart(out, axis);
}

describe('feedback-loop figures', () => {
  it('reads the ranked lists and wanted items of each window sample', () => {
    const s = sampledLists(recommender(2));
    expect(s[0]!.lists).toHaveLength(120);
    expect(s[0]!.cases).toHaveLength(120);
    expect(s[0]!.lists[0]).toHaveLength(5);
  });

  it('shows a loop forming: concentration up, coverage and long-tail share down, CTR from exact counts', () => {
    const f = feedbackSeries(recommender(6));
    expect(f.catalogueSize).toBe(50);
    expect(f.lists).toEqual([120, 120, 120, 120, 120, 120]);
    expect(f.gini[5]!).toBeGreaterThan(f.gini[0]! + 0.2);
    expect(f.coverage[5]!).toBeLessThan(f.coverage[0]!);
    expect(f.longTailShare[5]!).toBeLessThan(f.longTailShare[0]!);
    expect(f.ctr).toEqual([0.25, 0.225, 0.2, 0.175, 0.15, 0.125]);
    for (const v of [...f.tailHitRate, ...f.headHitRate]) if (v !== null) expect(v).toBeGreaterThanOrEqual(0);
  });

  it('is empty, not NaN, without ranked outputs', () => {
    const f = feedbackSeries([[windowOf([{ features: { a: 1 } }], 0)], []]);
    expect(f.lists).toEqual([0, 0]);
    expect(f.gini).toEqual([null, null]);
    expect(f.ctr).toEqual([null, null]);
  });
});
