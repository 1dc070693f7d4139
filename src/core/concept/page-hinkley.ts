/**
 * Page–Hinkley test (Page 1954), transcribed from the current river `drift/page_hinkley.py`
 * (methods.md §4.5 — two cumulative sums, not the older single one-sided sum).
 *
 * Accumulates the deviations of each value from the running mean, with a small tolerance `delta` and a
 * forgetting factor `alpha`; a drift is a cumulative deviation above `threshold` (upwards, downwards or either,
 * per `mode`). Works on any numeric stream (error indicators, losses, latencies); no warning zone.
 * Note the asymmetric initial values of river: `min⁺ = +∞` but `max⁻ = −1`.
 */
import { boolField, checkFinite, checkKind, checkOption, field, infToNull, nullableField } from './check.js';
import type { DetectorSignal, DetectorStateBase, StreamingDetector } from './types.js';

export interface PageHinkleyOptions {
  /** Items before a drift can be signalled (default 30). */
  minInstances: number;
  /** Tolerated magnitude of change (default 0.005). */
  delta: number;
  /** Detection threshold λ on the cumulative deviation (default 50). */
  threshold: number;
  /** Forgetting factor of the sums (default 1 − 0.0001). */
  alpha: number;
  /** 'up' watches increases, 'down' decreases, 'both' either (default). */
  mode: 'up' | 'down' | 'both';
}

export const PAGE_HINKLEY_DEFAULTS: Readonly<PageHinkleyOptions> = {
  minInstances: 30,
  delta: 0.005,
  threshold: 50,
  alpha: 1 - 0.0001,
  mode: 'both',
};

export interface PageHinkleyState extends DetectorStateBase<'page_hinkley', PageHinkleyOptions> {
  n: number;
  mean: number;
  sumIncrease: number;
  sumDecrease: number;
  /** null = +∞ (not yet set). */
  minIncrease: number | null;
  maxDecrease: number;
  drift: boolean;
}

export class PageHinkley implements StreamingDetector<PageHinkleyState> {
  readonly kind = 'page_hinkley' as const;
  readonly options: Readonly<PageHinkleyOptions>;
  private n = 0;
  private mean = 0;
  private sumIncrease = 0;
  private sumDecrease = 0;
  private minIncrease = Number.POSITIVE_INFINITY;
  private maxDecrease = -1;
  private drift = false;

  constructor(options: Partial<PageHinkleyOptions> = {}) {
    const o = { ...PAGE_HINKLEY_DEFAULTS, ...options };
    checkOption(
      'PageHinkley',
      'minInstances',
      o.minInstances,
      (v) => Number.isInteger(v) && v >= 1,
      'must be an integer ≥ 1',
    );
    checkOption('PageHinkley', 'delta', o.delta, (v) => v >= 0, 'must be ≥ 0');
    checkOption('PageHinkley', 'threshold', o.threshold, (v) => v > 0, 'must be > 0');
    checkOption('PageHinkley', 'alpha', o.alpha, (v) => v > 0 && v <= 1, 'must be in (0, 1]');
    if (o.mode !== 'up' && o.mode !== 'down' && o.mode !== 'both')
      throw new RangeError(`PageHinkley: option mode must be one of up, down, both, got ${String(o.mode)}.`);
    this.options = o;
  }

  update(x: number): DetectorSignal {
    const v = checkFinite(x, 'PageHinkley');
    if (this.drift) this.reset();
    const { alpha, delta, minInstances, threshold, mode } = this.options;
    this.n += 1;
    this.mean += (v - this.mean) / this.n;
    const dev = v - this.mean;
    this.sumIncrease = alpha * this.sumIncrease + dev - delta;
    this.sumDecrease = alpha * this.sumDecrease + dev + delta;
    this.minIncrease = Math.min(this.minIncrease, this.sumIncrease);
    this.maxDecrease = Math.max(this.maxDecrease, this.sumDecrease);
    if (this.n >= minInstances) {
      const up = this.sumIncrease - this.minIncrease > threshold;
      const down = this.maxDecrease - this.sumDecrease > threshold;
      this.drift = mode === 'up' ? up : mode === 'down' ? down : up || down;
    }
    return { drift: this.drift, warning: false };
  }

  reset(): void {
    this.n = 0;
    this.mean = 0;
    this.sumIncrease = 0;
    this.sumDecrease = 0;
    this.minIncrease = Number.POSITIVE_INFINITY;
    this.maxDecrease = -1;
    this.drift = false;
  }

  /** Read-only view of the sums (S⁺, min⁺, S⁻, max⁻) and the running mean. */
  get stats(): {
    n: number;
    mean: number;
    sumIncrease: number;
    minIncrease: number;
    sumDecrease: number;
    maxDecrease: number;
  } {
    return {
      n: this.n,
      mean: this.mean,
      sumIncrease: this.sumIncrease,
      minIncrease: this.minIncrease,
      sumDecrease: this.sumDecrease,
      maxDecrease: this.maxDecrease,
    };
  }

  toJson(): PageHinkleyState {
    return {
      kind: 'page_hinkley',
      version: 1,
      options: { ...this.options },
      n: this.n,
      mean: this.mean,
      sumIncrease: this.sumIncrease,
      sumDecrease: this.sumDecrease,
      minIncrease: infToNull(this.minIncrease),
      maxDecrease: this.maxDecrease,
      drift: this.drift,
    };
  }

  static fromJson(state: unknown): PageHinkley {
    checkKind(state, 'page_hinkley');
    const s = state as PageHinkleyState;
    const d = new PageHinkley(s.options);
    d.n = field(s, 'n', 'page_hinkley');
    d.mean = field(s, 'mean', 'page_hinkley');
    d.sumIncrease = field(s, 'sumIncrease', 'page_hinkley');
    d.sumDecrease = field(s, 'sumDecrease', 'page_hinkley');
    d.minIncrease = nullableField(s, 'minIncrease', 'page_hinkley', Number.POSITIVE_INFINITY);
    d.maxDecrease = field(s, 'maxDecrease', 'page_hinkley');
    d.drift = boolField(s, 'drift', 'page_hinkley');
    return d;
  }
}
