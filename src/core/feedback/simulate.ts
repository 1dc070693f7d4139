/**
 * A small simulated recommender that retrains on its own clicks — to show, test and demo degenerate feedback
 * loops (methods.md §8; Jiang et al., AIES 2019). Pure: all randomness comes from the `Rng` argument.
 *
 * World: `items` items, `users` users, both split into `clusters` taste groups (1 by default). Item appeal falls
 * with a Zipf law of exponent `zipf`; each user likes `likedPerUser` items, drawn ∝ appeal, mostly from their own
 * group. A shown item is clicked with probability `θ(pos) · (liked ? likedClickProb : otherClickProb)`, with
 * position bias θ(pos) = 1/log2(pos + 1). The training popularity of an item is how many users like it (what an
 * interaction log gathered before the recommender would count); it defines the popularity buckets.
 *
 * Recommender: retrained after every window on everything it has logged, seeded by `organicRounds` rounds of
 * uniformly random lists. Each window every user gets one list of `k` items, sampled without replacement
 * ∝ score^`sharpen`.
 * - `greedy` scores an item by its total click count plus `pseudoClicks`: items shown get clicked, so they are
 *   shown more, so they get clicked more — the loop.
 * - `epsilon_greedy` fills each slot with a uniformly random item with probability `epsilon`, and otherwise scores
 *   by the taste group's smoothed click-through rate `(clicks + 1) / (impressions + 10)`: exploration keeps every
 *   item's estimate fed, and clicks per impression do not reward exposure itself.
 * Each window also draws, per user, one item they like (the "wanted" item) to measure hit rate@k by popularity.
 */
import type { Rng } from '../rng.js';
import type { HitCase } from './long-tail.js';

export interface SimulationOptions {
  items: number;
  users: number;
  clusters: number;
  likedPerUser: number;
  k: number;
  windows: number;
  organicRounds: number;
  policy: 'greedy' | 'epsilon_greedy';
  epsilon: number;
  sharpen: number;
  /** Clicks every item starts with in the greedy model (a prior that keeps the first windows broad). */
  pseudoClicks: number;
  zipf: number;
  likedClickProb: number;
  otherClickProb: number;
}

export const SIMULATION_DEFAULTS: Readonly<SimulationOptions> = {
  items: 200,
  users: 1000,
  clusters: 1,
  likedPerUser: 10,
  k: 20,
  windows: 8,
  organicRounds: 1,
  policy: 'greedy',
  epsilon: 0.2,
  sharpen: 2,
  pseudoClicks: 5,
  zipf: 0.5,
  likedClickProb: 0.5,
  otherClickProb: 0.02,
};

export interface SimulatedWindow {
  index: number;
  /** Impressions per catalogue item (catalogue order, zeros included). */
  exposures: number[];
  /** The list shown to each user, best first. */
  lists: string[][];
  impressionsByPosition: number[];
  clicksByPosition: number[];
  /** Per user: the held-out item they want and the list they got. */
  cases: HitCase[];
}

export interface SimulationResult {
  options: SimulationOptions;
  catalogue: string[];
  /** Users who like each item: the popularity a training log would record. */
  trainingPopularity: Record<string, number>;
  windows: SimulatedWindow[];
}

function checkOptions(o: SimulationOptions): void {
  const ints: (keyof SimulationOptions)[] = [
    'items',
    'users',
    'clusters',
    'likedPerUser',
    'k',
    'windows',
    'organicRounds',
  ];
  for (const key of ints) {
    const v = o[key] as number;
    if (!Number.isInteger(v) || v < 1)
      throw new RangeError(`simulateRecommender: option ${key} must be an integer ≥ 1, got ${v}.`);
  }
  if (o.k > o.items)
    throw new RangeError(`simulateRecommender: option k (${o.k}) must not exceed items (${o.items}).`);
  if (o.likedPerUser > o.items)
    throw new RangeError(
      `simulateRecommender: option likedPerUser (${o.likedPerUser}) must not exceed items (${o.items}).`,
    );
  for (const key of ['sharpen', 'pseudoClicks', 'zipf'] as const)
    if (!(o[key] >= 0 && Number.isFinite(o[key])))
      throw new RangeError(`simulateRecommender: option ${key} must be a finite number ≥ 0, got ${o[key]}.`);
  for (const key of ['epsilon', 'likedClickProb', 'otherClickProb'] as const)
    if (!(o[key] >= 0 && o[key] <= 1))
      throw new RangeError(`simulateRecommender: option ${key} must be in [0, 1], got ${o[key]}.`);
  if (o.policy !== 'greedy' && o.policy !== 'epsilon_greedy')
    throw new RangeError(
      `simulateRecommender: option policy must be greedy or epsilon_greedy, got ${String(o.policy)}.`,
    );
}

/** Draws `k` distinct indices with probability ∝ weight (successive sampling without replacement). */
function sampleWithoutReplacement(weights: Float64Array, k: number, rng: Rng): number[] {
  const w = Float64Array.from(weights);
  let total = w.reduce((a, b) => a + b, 0);
  const out: number[] = [];
  for (let s = 0; s < k; s++) {
    let pick = -1;
    if (total > 0) {
      let u = rng.next() * total;
      for (let i = 0; i < w.length; i++) {
        u -= w[i]!;
        if (u < 0 && w[i]! > 0) {
          pick = i;
          break;
        }
      }
    }
    if (pick < 0) {
      // Remaining weight is zero (or rounding ran off the end): take a uniformly random unpicked item.
      const free: number[] = [];
      for (let i = 0; i < w.length; i++) if (!out.includes(i)) free.push(i);
      pick = free[rng.nextInt(free.length)]!;
    }
    out.push(pick);
    total -= w[pick]!;
    w[pick] = 0;
  }
  return out;
}

/** ε-greedy list: each slot is a uniformly random unpicked item with probability ε, else drawn ∝ weight. */
function exploreOrExploit(weights: Float64Array, k: number, epsilon: number, rng: Rng): number[] {
  const w = Float64Array.from(weights);
  let total = w.reduce((a, b) => a + b, 0);
  const picked = new Set<number>();
  const list: number[] = [];
  while (list.length < k) {
    let pick = -1;
    if (rng.next() < epsilon || total <= 0) {
      do pick = rng.nextInt(w.length);
      while (picked.has(pick));
    } else {
      let u = rng.next() * total;
      for (let i = 0; i < w.length && pick < 0; i++) {
        u -= w[i]!;
        if (u < 0 && w[i]! > 0) pick = i;
      }
      if (pick < 0) continue; // rounding ran off the end: draw again
    }
    picked.add(pick);
    list.push(pick);
    total -= w[pick]!;
    w[pick] = 0;
  }
  return list;
}

/** Runs the simulation: organic rounds, then `windows` recommend → click → retrain cycles. Deterministic for an Rng seed. */
export function simulateRecommender(rng: Rng, options: Partial<SimulationOptions> = {}): SimulationResult {
  const o: SimulationOptions = { ...SIMULATION_DEFAULTS, ...options };
  checkOptions(o);
  const catalogue = Array.from({ length: o.items }, (_, i) => `item-${String(i).padStart(4, '0')}`);
  const appeal = Float64Array.from({ length: o.items }, (_, i) => 1 / (i + 1) ** o.zipf);
  const groupOfItem = (i: number) => i % o.clusters;
  const groupOfUser = (u: number) => u % o.clusters;

  const liked: Set<number>[] = [];
  for (let u = 0; u < o.users; u++) {
    const w = appeal.map((a, i) => a * (groupOfItem(i) === groupOfUser(u) ? 1 : 0.02));
    liked.push(new Set(sampleWithoutReplacement(w, o.likedPerUser, rng)));
  }
  const theta = (pos: number) => 1 / Math.log2(pos + 2);

  // Per taste group: clicks and impressions logged for every item.
  const clicks = Array.from({ length: o.clusters }, () => new Float64Array(o.items));
  const shown = Array.from({ length: o.clusters }, () => new Float64Array(o.items));

  const serve = (u: number, list: number[], window: SimulatedWindow | null) => {
    const g = groupOfUser(u);
    list.forEach((i, pos) => {
      const p = theta(pos) * (liked[u]!.has(i) ? o.likedClickProb : o.otherClickProb);
      const click = rng.next() < p;
      shown[g]![i]! += 1;
      if (click) clicks[g]![i]! += 1;
      if (window) {
        window.exposures[i]! += 1;
        window.impressionsByPosition[pos]! += 1;
        if (click) window.clicksByPosition[pos]! += 1;
      }
    });
  };

  const uniform = new Float64Array(o.items).fill(1);
  for (let r = 0; r < o.organicRounds; r++)
    for (let u = 0; u < o.users; u++) serve(u, sampleWithoutReplacement(uniform, o.k, rng), null);
  // Popularity as a training set would record it: how many users interact with (like) each item.
  const trainingPopularity: Record<string, number> = {};
  for (const id of catalogue) trainingPopularity[id] = 0;
  for (const set of liked) for (const i of set) trainingPopularity[catalogue[i]!]! += 1;

  const windows: SimulatedWindow[] = [];
  for (let t = 0; t < o.windows; t++) {
    // Retrain: scores from the log as it stands at the start of the window.
    const totalClicks = Float64Array.from({ length: o.items }, (_, i) => {
      let c = 0;
      for (let g = 0; g < o.clusters; g++) c += clicks[g]![i]!;
      return c;
    });
    const scores = Array.from({ length: o.clusters }, (_, g) =>
      Float64Array.from({ length: o.items }, (_, i) => {
        const s =
          o.policy === 'greedy'
            ? totalClicks[i]! + o.pseudoClicks
            : (clicks[g]![i]! + 1) / (shown[g]![i]! + 10);
        return s ** o.sharpen;
      }),
    );
    const window: SimulatedWindow = {
      index: t,
      exposures: new Array(o.items).fill(0),
      lists: [],
      impressionsByPosition: new Array(o.k).fill(0),
      clicksByPosition: new Array(o.k).fill(0),
      cases: [],
    };
    for (let u = 0; u < o.users; u++) {
      const list =
        o.policy === 'greedy'
          ? sampleWithoutReplacement(scores[groupOfUser(u)]!, o.k, rng)
          : exploreOrExploit(scores[groupOfUser(u)]!, o.k, o.epsilon, rng);
      serve(u, list, window);
      const likes = [...liked[u]!];
      const ranked = list.map((i) => catalogue[i]!);
      window.lists.push(ranked);
      window.cases.push({ target: catalogue[likes[rng.nextInt(likes.length)]!]!, ranked });
    }
    windows.push(window);
  }
  return { options: o, catalogue, trainingPopularity, windows };
}
