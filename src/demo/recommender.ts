/**
 * @module
 * The demo's recommender, run online: a simulated catalogue and users (as in `core/feedback/simulate.ts`: Zipf
 * item appeal, users who like a handful of items mostly in their own taste group, clicks with position bias
 * θ(pos) = 1/log2(pos + 2)), and a ranker retrained at every window on what it logged.
 *
 * Two policies, the two versions of the model:
 * - `explore` (the healthy one): each slot is a uniformly random item with probability ε, else drawn ∝ the taste
 *   group's smoothed click-through rate squared — clicks per impression do not reward exposure itself;
 * - `greedy` (the degenerate release): items drawn ∝ (clicks + 1)³, counting only the clicks on its own lists
 *   since it was deployed — shown items get clicked, so they are shown more, so they get clicked more: the loop.
 * All randomness comes from the `Rng` passed in, so a seed replays the same world, lists and clicks.
 */
import type { Rng } from '../core/rng.js';

export type RankingPolicy = 'explore' | 'greedy';

export interface RecommenderOptions {
  items: number;
  users: number;
  clusters: number;
  likedPerUser: number;
  /** Items per list. */
  k: number;
  epsilon: number;
  zipf: number;
  likedClickProb: number;
  otherClickProb: number;
}

export const RECOMMENDER_DEFAULTS: Readonly<RecommenderOptions> = {
  items: 200,
  users: 1000,
  clusters: 4,
  likedPerUser: 10,
  k: 10,
  epsilon: 0.3,
  zipf: 0.5,
  likedClickProb: 0.5,
  otherClickProb: 0.02,
};

export interface Recommendation {
  user: number;
  /** Item ids, best first. */
  items: string[];
  /** Positions (0-based) that were clicked. */
  clicked: number[];
}

/** Draws `k` distinct indices ∝ weight; a slot with no weight left takes a uniformly random free index. */
function drawWeighted(weights: Float64Array, k: number, rng: Rng, epsilon = 0): number[] {
  const w = Float64Array.from(weights);
  let total = w.reduce((a, b) => a + b, 0);
  const picked = new Set<number>();
  const out: number[] = [];
  while (out.length < k) {
    let pick = -1;
    if (epsilon > 0 && rng.next() < epsilon) {
      do pick = rng.nextInt(w.length);
      while (picked.has(pick));
    } else if (total > 0) {
      let u = rng.next() * total;
      for (let i = 0; i < w.length && pick < 0; i++) {
        u -= w[i]!;
        if (u < 0 && w[i]! > 0) pick = i;
      }
    }
    if (pick < 0) {
      do pick = rng.nextInt(w.length);
      while (picked.has(pick));
    }
    picked.add(pick);
    out.push(pick);
    total -= w[pick]!;
    w[pick] = 0;
  }
  return out;
}

export class OnlineRecommender {
  readonly options: RecommenderOptions;
  readonly catalogue: string[];
  /** Users who like each item: the popularity a training log would record. */
  readonly trainingPopularity: Record<string, number>;
  private readonly liked: Set<number>[] = [];
  private readonly clicks: Float64Array[];
  private readonly shown: Float64Array[];
  /** Clicks logged since `resetOwnLog`: what a ranker trained only on its own traffic learns from. */
  private readonly ownClicks: Float64Array;
  private scores: Record<RankingPolicy, Float64Array[]>;

  constructor(rng: Rng, options: Partial<RecommenderOptions> = {}) {
    const o = { ...RECOMMENDER_DEFAULTS, ...options };
    if (o.k > o.items || o.likedPerUser > o.items)
      throw new RangeError(
        `recommender: k (${o.k}) and likedPerUser (${o.likedPerUser}) must not exceed items`,
      );
    this.options = o;
    this.catalogue = Array.from({ length: o.items }, (_, i) => `item-${String(i).padStart(4, '0')}`);
    const appeal = Float64Array.from({ length: o.items }, (_, i) => 1 / (i + 1) ** o.zipf);
    for (let u = 0; u < o.users; u++) {
      const g = u % o.clusters;
      const w = appeal.map((a, i) => a * (i % o.clusters === g ? 1 : 0.02));
      this.liked.push(new Set(drawWeighted(w, o.likedPerUser, rng)));
    }
    this.trainingPopularity = Object.fromEntries(this.catalogue.map((id) => [id, 0]));
    for (const set of this.liked) for (const i of set) this.trainingPopularity[this.catalogue[i]!]! += 1;
    this.clicks = Array.from({ length: o.clusters }, () => new Float64Array(o.items));
    this.shown = Array.from({ length: o.clusters }, () => new Float64Array(o.items));
    this.ownClicks = new Float64Array(o.items);
    // Organic history: one round of uniformly random lists, so both policies start from the same log.
    const uniform = new Float64Array(o.items).fill(1);
    for (let u = 0; u < o.users; u++) this.observe(u, drawWeighted(uniform, o.k, rng), rng);
    this.scores = { explore: [], greedy: [] };
    this.retrain();
  }

  private observe(user: number, list: number[], rng: Rng): number[] {
    const g = user % this.options.clusters;
    const clicked: number[] = [];
    list.forEach((item, pos) => {
      const theta = 1 / Math.log2(pos + 2);
      const p =
        theta * (this.liked[user]!.has(item) ? this.options.likedClickProb : this.options.otherClickProb);
      this.shown[g]![item]! += 1;
      if (rng.next() < p) {
        this.clicks[g]![item]! += 1;
        this.ownClicks[item]! += 1;
        clicked.push(pos);
      }
    });
    return clicked;
  }

  /** An item `user` likes, drawn uniformly: what they turn out to want (the label of a recommendation). */
  wanted(user: number, rng: Rng): string {
    const likes = [...this.liked[user]!].sort((a, b) => a - b);
    return this.catalogue[likes[rng.nextInt(likes.length)]!]!;
  }

  /** Every (user, liked item) pair: the interactions a training log would hold. */
  likedPairs(): { user: number; item: string }[] {
    return this.liked.flatMap((set, user) =>
      [...set].sort((a, b) => a - b).map((i) => ({ user, item: this.catalogue[i]! })),
    );
  }

  /** Starts the log the greedy ranker learns from afresh (a new ranker deployed with no history of its own). */
  resetOwnLog(): void {
    this.ownClicks.fill(0);
    this.retrain();
  }

  /** Rebuilds both policies' scores from what they learn from (the hourly retraining). */
  retrain(): void {
    const o = this.options;
    const own = this.ownClicks;
    this.scores = {
      greedy: Array.from({ length: o.clusters }, () => own.map((c) => (c + 1) ** 3)),
      explore: Array.from({ length: o.clusters }, (_, g) =>
        Float64Array.from(
          { length: o.items },
          (_, i) => ((this.clicks[g]![i]! + 1) / (this.shown[g]![i]! + 10)) ** 2,
        ),
      ),
    };
  }

  /** Serves one list to `user` under `policy`, records what was shown and clicked, and returns it. */
  serve(user: number, policy: RankingPolicy, rng: Rng): Recommendation {
    const g = user % this.options.clusters;
    const list = drawWeighted(
      this.scores[policy][g]!,
      this.options.k,
      rng,
      policy === 'explore' ? this.options.epsilon : 0,
    );
    const clicked = this.observe(user, list, rng);
    return { user, items: list.map((i) => this.catalogue[i]!), clicked };
  }
}
