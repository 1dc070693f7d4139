import { describe, expect, it } from 'vitest';
import { seededRng } from '../rng.js';
import { splitHeadTail } from './long-tail.js';
import { detectFeedbackLoop, type FeedbackSeries } from './loop-detector.js';
import { simulateRecommender } from './simulate.js';
import { feedbackWindowMetrics } from './window-metrics.js';

const context = { subject: { model: 'recs' }, window: { startMs: 0, endMs: 8 * 86_400_000 } };

/** Runs the simulator and turns its windows into the series the detector follows. */
function seriesFromSimulation(policy: 'greedy' | 'epsilon_greedy', seed: number): FeedbackSeries {
  const sim = simulateRecommender(seededRng(seed), { policy });
  const split = splitHeadTail(sim.trainingPopularity);
  const m = sim.windows.map((w) =>
    feedbackWindowMetrics(w, {
      popularity: sim.trainingPopularity,
      split,
      k: sim.options.k,
      topFraction: 0.01,
    }),
  );
  return {
    topShare: m.map((x) => x.topShare),
    topFraction: 0.01,
    gini: m.map((x) => x.gini),
    tailHitRate: m.map((x) => x.tailHitRate),
    aplt: m.map((x) => x.aplt),
    headHitRate: m.map((x) => x.headHitRate),
  };
}

describe('detectFeedbackLoop on a simulated recommender', () => {
  // 1. A greedy recommender retrained on its own clicks for 8 windows: exposure concentrates, the tail starves.
  // 2. The same world with ε = 0.2 exploration and click-through (not click-count) scores: no loop.
  it.each([1, 2, 3])(
    'greedy (seed %i) degenerates and is flagged, with the numbers in the sentence',
    (seed) => {
      const a = detectFeedbackLoop(seriesFromSimulation('greedy', seed), context);
      expect(a.outcome.kind).toBe('finding');
      if (a.outcome.kind !== 'finding') return;
      const f = a.outcome.finding;
      expect(f.cause).toBe('feedback_loop');
      expect(f.evidence.summary).toMatch(
        /^The top 1 % of items take a growing share of exposure \(\d+ % → \d+ % over 8 windows\), while /,
      );
      expect(f.evidence.summary).toMatch(/the long tail's (hit rate|share of recommendations) falls/);
      expect(f.score).toBeGreaterThan(0.3);
      const top = a.trends.find((t) => t.metric === 'topShare')!;
      expect(top.last).toBeGreaterThan(top.first * 2);
    },
  );

  it.each([1, 2, 3])('ε-greedy (seed %i) does not degenerate and is not flagged', (seed) => {
    const a = detectFeedbackLoop(seriesFromSimulation('epsilon_greedy', seed), context);
    expect(a.outcome.kind).toBe('clear');
    if (a.outcome.kind === 'clear') expect(a.outcome.evidence.summary).toMatch(/^No feedback loop: /);
  });
});

describe('detectFeedbackLoop rules', () => {
  it('builds the sentence from the numbers', () => {
    const a = detectFeedbackLoop(
      {
        topShare: [0.31, 0.35, 0.4, 0.44, 0.47, 0.51, 0.55, 0.58],
        tailHitRate: [0.12, 0.11, 0.1, 0.09, 0.07, 0.06, 0.05, 0.04],
      },
      context,
    );
    expect(a.outcome.kind).toBe('finding');
    if (a.outcome.kind === 'finding')
      expect(a.outcome.finding.evidence.summary).toBe(
        "The top 1 % of items take a growing share of exposure (31 % → 58 % over 8 windows), while the long tail's hit rate falls (0.12 → 0.04).",
      );
  });

  it('needs both a rising concentration and a falling tail', () => {
    const up = [0.31, 0.35, 0.4, 0.44, 0.47, 0.51, 0.55, 0.58];
    const flat = [0.1, 0.11, 0.1, 0.09, 0.1, 0.11, 0.1, 0.1];
    expect(detectFeedbackLoop({ topShare: up, tailHitRate: flat }, context).outcome.kind).toBe('clear');
    expect(detectFeedbackLoop({ topShare: flat, tailHitRate: [...up].reverse() }, context).outcome.kind).toBe(
      'clear',
    );
  });

  it('a significant but tiny rise is not material', () => {
    const tiny = [0.3, 0.301, 0.302, 0.303, 0.304, 0.305, 0.306, 0.307];
    const a = detectFeedbackLoop({ gini: tiny, aplt: [...tiny].reverse() }, context);
    expect(a.trends[0]!.direction).toBe('rising');
    expect(a.outcome.kind).toBe('clear');
  });

  it('says when there are too few windows, and skips null windows', () => {
    expect(detectFeedbackLoop({ gini: [0.2, 0.3, 0.4], aplt: [0.3, 0.2, 0.1] }, context).outcome.kind).toBe(
      'insufficient_data',
    );
    const a = detectFeedbackLoop(
      { gini: [0.2, null, 0.3, 0.4, 0.5, 0.6], tailHitRate: [0.2, 0.18, null, 0.12, 0.1, 0.05] },
      context,
    );
    expect(a.trends.map((t) => t.windows)).toEqual([5, 5]);
    expect(() => detectFeedbackLoop({ gini: [Number.NaN] }, context)).toThrow(/gini\[0\]/);
  });
});
