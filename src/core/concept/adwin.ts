/**
 * ADWIN — ADaptive WINdowing (Bifet & Gavaldà 2007), transcribed from river `drift/adwin_c.pyx`
 * (methods.md §4.6).
 *
 * Keeps a window of recent values compressed in an exponential histogram (level `i` holds up to `maxBuckets`
 * buckets of `2^i` values) and, every `clock` updates, looks for a cut into an older part W0 and a newer part W1
 * whose means differ by more than the bound ε(δ); the oldest bucket is then dropped and the scan repeats, so
 * the window shrinks to the part after the change. Works on any bounded numeric stream (0/1 errors, losses in
 * [0, 1]); memory is O(maxBuckets · log width).
 *
 * The cut scan walks every bucket from oldest to newest, contiguously, as methods.md describes (the vectors in
 * §4.8 follow this). river's Cython loop `for k in range(bucket.current_idx - 1)` also skips the newest bucket of
 * every level, which moves non-contiguous buckets into W0; that variant is not reproduced.
 */
import { checkFinite, checkKind, checkOption, field } from './check.js';
import type { DetectorSignal, DetectorStateBase, StreamingDetector } from './types.js';

export interface AdwinOptions {
  /** Confidence parameter δ of the cut test (default 0.002). */
  delta: number;
  /** Run the cut scan every `clock` updates (default 32). */
  clock: number;
  /** Buckets kept per level before two are merged (default 5). */
  maxBuckets: number;
  /** Minimum size of each side of a cut (default 5). */
  minWindowLength: number;
  /** No scan until the window is wider than this (default 10). */
  gracePeriod: number;
}

export const ADWIN_DEFAULTS: Readonly<AdwinOptions> = {
  delta: 0.002,
  clock: 32,
  maxBuckets: 5,
  minWindowLength: 5,
  gracePeriod: 10,
};

/** One level of the histogram: bucket totals and variances (sum of squared deviations), oldest first. */
export interface AdwinLevel {
  totals: number[];
  variances: number[];
}

export interface AdwinState extends DetectorStateBase<'adwin', AdwinOptions> {
  levels: AdwinLevel[];
  total: number;
  variance: number;
  width: number;
  tick: number;
  detections: number;
}

export class Adwin implements StreamingDetector<AdwinState> {
  readonly kind = 'adwin' as const;
  readonly options: Readonly<AdwinOptions>;
  private levels: AdwinLevel[] = [{ totals: [], variances: [] }];
  private total = 0;
  private variance = 0;
  private width = 0;
  private tick = 0;
  private detections = 0;

  constructor(options: Partial<AdwinOptions> = {}) {
    const o = { ...ADWIN_DEFAULTS, ...options };
    const int1 = (v: number) => Number.isInteger(v) && v >= 1;
    checkOption('ADWIN', 'delta', o.delta, (v) => v > 0 && v < 1, 'must be in (0, 1)');
    checkOption('ADWIN', 'clock', o.clock, int1, 'must be an integer ≥ 1');
    checkOption('ADWIN', 'maxBuckets', o.maxBuckets, int1, 'must be an integer ≥ 1');
    checkOption('ADWIN', 'minWindowLength', o.minWindowLength, int1, 'must be an integer ≥ 1');
    checkOption(
      'ADWIN',
      'gracePeriod',
      o.gracePeriod,
      (v) => Number.isInteger(v) && v >= 0,
      'must be an integer ≥ 0',
    );
    this.options = o;
  }

  /** Current window: its width, sum, mean and population variance. */
  get window(): { width: number; total: number; mean: number | null; variance: number | null } {
    return {
      width: this.width,
      total: this.total,
      mean: this.width > 0 ? this.total / this.width : null,
      variance: this.width > 0 ? this.variance / this.width : null,
    };
  }

  /** Number of drifts detected since construction or the last reset. */
  get detectionCount(): number {
    return this.detections;
  }

  update(x: number): DetectorSignal {
    const v = checkFinite(x, 'ADWIN');
    this.insert(v);
    this.tick += 1;
    let drift = false;
    if (this.tick % this.options.clock === 0 && this.width > this.options.gracePeriod) {
      while (this.scanOnce()) drift = true;
    }
    if (drift) this.detections += 1;
    return { drift, warning: false };
  }

  private insert(v: number): void {
    const l0 = this.levels[0]!;
    l0.totals.push(v);
    l0.variances.push(0);
    this.width += 1;
    if (this.width > 1) {
      const d = v - this.total / (this.width - 1);
      this.variance += ((this.width - 1) * d * d) / this.width;
    }
    this.total += v;
    // Compression: a level holding maxBuckets + 1 buckets merges its two oldest into the next level.
    for (let i = 0; i < this.levels.length; i++) {
      const level = this.levels[i]!;
      if (level.totals.length !== this.options.maxBuckets + 1) break;
      if (i + 1 === this.levels.length) this.levels.push({ totals: [], variances: [] });
      const next = this.levels[i + 1]!;
      const n = 2 ** i;
      const t1 = level.totals[0]!;
      const t2 = level.totals[1]!;
      const mu1 = t1 / n;
      const mu2 = t2 / n;
      next.totals.push(t1 + t2);
      next.variances.push(
        level.variances[0]! + level.variances[1]! + (n * n * (mu1 - mu2) * (mu1 - mu2)) / (2 * n),
      );
      level.totals.splice(0, 2);
      level.variances.splice(0, 2);
      if (next.totals.length <= this.options.maxBuckets) break;
    }
  }

  /** Scans the cuts once from the oldest bucket; on a significant cut drops the oldest bucket and returns true. */
  private scanOnce(): boolean {
    const { minWindowLength: mwl, delta } = this.options;
    let n0 = 0;
    let n1 = this.width;
    let u0 = 0;
    let u1 = this.total;
    const deltaPrime = Math.log((2 * Math.log(this.width)) / delta);
    const varianceInWindow = this.variance / this.width;
    for (let i = this.levels.length - 1; i >= 0; i--) {
      const level = this.levels[i]!;
      const size = 2 ** i;
      for (let k = 0; k < level.totals.length; k++) {
        // The cut just before the newest bucket would leave W1 empty: never tested.
        if (i === 0 && k === level.totals.length - 1) return false;
        const t = level.totals[k]!;
        n0 += size;
        n1 -= size;
        u0 += t;
        u1 -= t;
        if (n0 < mwl || n1 < mwl) continue;
        const mRecip = 1 / (n0 - mwl + 1) + 1 / (n1 - mwl + 1);
        const eps = Math.sqrt(2 * mRecip * varianceInWindow * deltaPrime) + (2 / 3) * deltaPrime * mRecip;
        if (Math.abs(u0 / n0 - u1 / n1) > eps) {
          this.dropOldest();
          return true;
        }
      }
    }
    return false;
  }

  private dropOldest(): void {
    const top = this.levels.length - 1;
    const level = this.levels[top]!;
    const n = 2 ** top;
    const u = level.totals[0]!;
    const v = level.variances[0]!;
    const mu = u / n;
    this.width -= n;
    this.total -= u;
    const muWindow = this.total / this.width;
    this.variance -= v + (n * this.width * (mu - muWindow) * (mu - muWindow)) / (n + this.width);
    level.totals.shift();
    level.variances.shift();
    if (level.totals.length === 0 && this.levels.length > 1) this.levels.pop();
  }

  reset(): void {
    this.levels = [{ totals: [], variances: [] }];
    this.total = 0;
    this.variance = 0;
    this.width = 0;
    this.tick = 0;
    this.detections = 0;
  }

  toJson(): AdwinState {
    return {
      kind: 'adwin',
      version: 1,
      options: { ...this.options },
      levels: this.levels.map((l) => ({ totals: [...l.totals], variances: [...l.variances] })),
      total: this.total,
      variance: this.variance,
      width: this.width,
      tick: this.tick,
      detections: this.detections,
    };
  }

  static fromJson(state: unknown): Adwin {
    checkKind(state, 'adwin');
    const s = state as AdwinState;
    const d = new Adwin(s.options);
    if (!Array.isArray(s.levels) || s.levels.length === 0)
      throw new TypeError('adwin snapshot: field levels must be a non-empty array.');
    d.levels = s.levels.map((l, i) => {
      const ok = (a: unknown): a is number[] =>
        Array.isArray(a) && a.length <= d.options.maxBuckets && a.every((x) => Number.isFinite(x));
      if (!ok(l?.totals) || !ok(l?.variances) || l.totals.length !== l.variances.length)
        throw new TypeError(
          `adwin snapshot: field levels[${i}] must hold equal-length arrays of finite numbers.`,
        );
      return { totals: [...l.totals], variances: [...l.variances] };
    });
    d.total = field(s, 'total', 'adwin');
    d.variance = field(s, 'variance', 'adwin');
    d.width = field(s, 'width', 'adwin');
    d.tick = field(s, 'tick', 'adwin');
    d.detections = field(s, 'detections', 'adwin');
    return d;
  }
}
