/**
 * Distances and divergences between two discrete distributions given as bin / category proportions:
 * PSI, Kullback–Leibler, Jensen–Shannon, Hellinger, L-infinity (methods.md sections 1.4–1.7 and 1.10).
 * These are the pieces drift between *profiles* (sketch histograms, frequent-item counts) needs, without
 * rows.
 *
 * @module
 */
import { evidentlyZeroFill } from './binning.js';

/** `'evidently'`: apply Evidently's empty-bin fill to both vectors first; `'none'`: use them as given. */
export type ZeroFill = 'evidently' | 'none';

function checkPair(p: ArrayLike<number>, q: ArrayLike<number>, what: string): void {
  if (p.length !== q.length)
    throw new RangeError(`${what}: the two proportion vectors differ in length (${p.length} vs ${q.length})`);
  if (p.length === 0) throw new RangeError(`${what}: empty proportion vectors`);
  for (let i = 0; i < p.length; i++) {
    const a = p[i]!;
    const b = q[i]!;
    if (!(a >= 0 && Number.isFinite(a))) throw new RangeError(`${what}: reference proportion [${i}] is ${a}`);
    if (!(b >= 0 && Number.isFinite(b))) throw new RangeError(`${what}: current proportion [${i}] is ${b}`);
  }
}

function normalised(p: ArrayLike<number>, what: string, side: string): Float64Array {
  let s = 0;
  for (let i = 0; i < p.length; i++) s += p[i]!;
  if (!(s > 0)) throw new RangeError(`${what}: ${side} proportions sum to 0`);
  const out = new Float64Array(p.length);
  for (let i = 0; i < p.length; i++) out[i] = p[i]! / s;
  return out;
}

/** SciPy `rel_entr(a, b)`: a ln(a/b), 0 when a = 0, +∞ when b = 0 < a. */
function relEntr(a: number, b: number): number {
  if (a === 0) return 0;
  if (b === 0) return Number.POSITIVE_INFINITY;
  return a * Math.log(a / b);
}

/**
 * Population Stability Index `Σ (r_i − c_i) ln(r_i / c_i)` (methods.md 1.4; Evidently `psi.py`).
 * Symmetric, >= 0; equals KL(r‖c) + KL(c‖r) for normalised vectors. Not renormalised (as Evidently).
 *
 * Edge cases: with `fill: 'none'`, a bin empty on one side only gives +Infinity and a bin empty on both
 * sides contributes 0; the default `'evidently'` fill makes every term finite. Length mismatch, negative
 * or non-finite entries → RangeError.
 *
 * @example psiFromProportions([0.5, 0.3, 0.2, 0], [0.4, 0.4, 0, 0.2]) // 3.089923365701 (methods.md 1.4)
 */
export function psiFromProportions(
  ref: ArrayLike<number>,
  cur: ArrayLike<number>,
  opts: { fill?: ZeroFill } = {},
): number {
  checkPair(ref, cur, 'PSI');
  const fill = opts.fill ?? 'evidently';
  const r = fill === 'evidently' ? evidentlyZeroFill(ref) : Float64Array.from(ref);
  const c = fill === 'evidently' ? evidentlyZeroFill(cur) : Float64Array.from(cur);
  let psi = 0;
  for (let i = 0; i < r.length; i++) {
    const a = r[i]!;
    const b = c[i]!;
    if (a === b) continue;
    if (a === 0 || b === 0) return Number.POSITIVE_INFINITY;
    psi += (a - b) * Math.log(a / b);
  }
  return psi;
}

/**
 * Kullback–Leibler divergence `KL(r‖c) = Σ r_i ln(r_i / c_i)` in nats, after normalising both vectors to
 * sum 1 (SciPy `stats.entropy(r, c)`; Evidently `kl_div.py` applies its fill first) — methods.md 1.5.
 * Asymmetric, >= 0, unbounded.
 *
 * Edge cases: with `fill: 'none'`, `c_i = 0 < r_i` gives +Infinity; zero-sum vector → RangeError.
 *
 * @example klFromProportions([0.5, 0.3, 0.2, 0], [0.4, 0.4, 0, 0.2]) // 1.544533102274 (methods.md 1.5)
 */
export function klFromProportions(
  ref: ArrayLike<number>,
  cur: ArrayLike<number>,
  opts: { fill?: ZeroFill } = {},
): number {
  checkPair(ref, cur, 'KL');
  const fill = opts.fill ?? 'evidently';
  const p = normalised(fill === 'evidently' ? evidentlyZeroFill(ref) : ref, 'KL', 'reference');
  const q = normalised(fill === 'evidently' ? evidentlyZeroFill(cur) : cur, 'KL', 'current');
  let kl = 0;
  for (let i = 0; i < p.length; i++) kl += relEntr(p[i]!, q[i]!);
  return Math.max(kl, 0);
}

/** Jensen–Shannon divergence in the given log base, after normalising both vectors (no fill needed). */
function jsDivergence(ref: ArrayLike<number>, cur: ArrayLike<number>, base: number, what: string): number {
  checkPair(ref, cur, what);
  if (!(base > 0 && base !== 1)) throw new RangeError(`${what}: log base must be > 0 and != 1 (got ${base})`);
  const p = normalised(ref, what, 'reference');
  const q = normalised(cur, what, 'current');
  let s = 0;
  for (let i = 0; i < p.length; i++) {
    const m = (p[i]! + q[i]!) / 2;
    s += relEntr(p[i]!, m) + relEntr(q[i]!, m);
  }
  return Math.max(s / Math.log(base) / 2, 0);
}

/**
 * Jensen–Shannon **distance** `sqrt(½ KL(P‖M) + ½ KL(Q‖M))`, `M = (P+Q)/2`, after normalising both vectors
 * (SciPy `scipy.spatial.distance.jensenshannon`; Evidently `jensenshannon`, NannyML `jensen_shannon`) —
 * methods.md 1.6. Base 2 (default) bounds it to [0, 1]; pass `Math.E` for nats.
 *
 * Edge cases: no fill is needed (M > 0 wherever P or Q is); identical vectors → 0; zero-sum vector or
 * invalid base → RangeError.
 *
 * @example jsDistanceFromProportions([0.5, 0.3, 0.2, 0], [0.4, 0.4, 0, 0.2]) // 0.457368478867
 */
export function jsDistanceFromProportions(ref: ArrayLike<number>, cur: ArrayLike<number>, base = 2): number {
  return Math.min(
    Math.sqrt(jsDivergence(ref, cur, base, 'Jensen-Shannon')),
    base === 2 ? 1 : Number.POSITIVE_INFINITY,
  );
}

/**
 * TFDV / Vertex AI `jensen_shannon_divergence`: the **divergence** (not square-rooted), base 2, capped at 1
 * (methods.md 1.6 and 9). Distance 0.1 corresponds to divergence 0.01.
 *
 * @example jsDivergenceFromProportions([0.5, 0.3, 0.2, 0], [0.4, 0.4, 0, 0.2]) // 0.209185925461
 */
export function jsDivergenceFromProportions(ref: ArrayLike<number>, cur: ArrayLike<number>): number {
  return Math.min(jsDivergence(ref, cur, 2, 'Jensen-Shannon divergence'), 1);
}

/**
 * Hellinger distance `(1/√2)·sqrt(Σ (√p_i − √q_i)²)` ∈ [0, 1] after normalising both vectors
 * (NannyML `HellingerDistance`; equals Evidently's `sqrt(1 − Σ √(p_i q_i))`) — methods.md 1.7.
 *
 * Edge cases: identical vectors → 0; disjoint supports → 1; zero-sum vector → RangeError.
 *
 * @example hellingerFromProportions([0.5, 0.3, 0.2, 0], [0.4, 0.4, 0, 0.2]) // 0.454286520806
 */
export function hellingerFromProportions(ref: ArrayLike<number>, cur: ArrayLike<number>): number {
  checkPair(ref, cur, 'Hellinger');
  const p = normalised(ref, 'Hellinger', 'reference');
  const q = normalised(cur, 'Hellinger', 'current');
  let s = 0;
  for (let i = 0; i < p.length; i++) s += (Math.sqrt(p[i]!) - Math.sqrt(q[i]!)) ** 2;
  return Math.min(Math.sqrt(s) / Math.SQRT2, 1);
}

/**
 * L-infinity distance `max_i |r_i − c_i|` after normalising each vector separately (TFDV `LInftyDistance`,
 * NannyML `l_infinity`) — methods.md 1.10. Also returns the index attaining it; ties go to the **last**
 * index (TFDV compares with `>=` over keys in lexicographic order).
 *
 * Edge cases: identical vectors → `{ distance: 0, index: last }`; zero-sum vector → RangeError.
 *
 * @example linfFromProportions([0.5, 0.3, 0.2, 0], [0.4, 0.4, 0, 0.2]) // { distance: 0.2, index: 3 }
 */
export function linfFromProportions(
  ref: ArrayLike<number>,
  cur: ArrayLike<number>,
): { distance: number; index: number } {
  checkPair(ref, cur, 'L-infinity');
  const p = normalised(ref, 'L-infinity', 'reference');
  const q = normalised(cur, 'L-infinity', 'current');
  let distance = -1;
  let index = 0;
  for (let i = 0; i < p.length; i++) {
    const d = Math.abs(p[i]! - q[i]!);
    if (d >= distance) {
      distance = d;
      index = i;
    }
  }
  return { distance, index };
}
