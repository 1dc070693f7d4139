/**
 * KSWIN — Kolmogorov–Smirnov windowing (Raab, Heusinger & Schleif 2020), transcribed from river
 * `drift/kswin.py` (methods.md §4.7).
 *
 * Keeps the last `windowSize` values. When the window is full it compares the newest `statSize` values R with
 * `statSize` values W drawn without replacement from the older part, by the two-sample KS test
 * (`stats/ks.ts`, SciPy's `ks_2samp`: exact p-value for these sizes). Drift when `p ≤ alpha` **and** `D > 0.1`
 * (the code's rule, not the docstring's `D > sqrt(−ln α / r)`); the window is then cut back to R (river then
 * empties it at the next update; here R is kept, as methods.md states). Works on any numeric stream and sees
 * changes in the whole distribution, not only the mean; needs `windowSize` values before its first test.
 *
 * Randomness comes from the injected `Rng`, so a run is reproducible for a seed; its generator state is not part
 * of the snapshot — `fromJson(state, rng)` continues with the generator it is given. Unlike river, which rebuilds
 * its generator from the seed on every reset, the stream of draws simply continues.
 */
import type { Rng } from '../rng.js';
import { ks2samp } from '../stats/ks.js';
import { boolField, checkFinite, checkKind, checkOption, field } from './check.js';
import type { DetectorSignal, DetectorStateBase, StreamingDetector } from './types.js';

export interface KswinOptions {
  /** Significance level of the KS test (default 0.005). */
  alpha: number;
  /** Length of the sliding window Ψ (default 100). */
  windowSize: number;
  /** Length of R and of the sample W (default 30). */
  statSize: number;
}

export const KSWIN_DEFAULTS: Readonly<KswinOptions> = { alpha: 0.005, windowSize: 100, statSize: 30 };

export interface KswinState extends DetectorStateBase<'kswin', KswinOptions> {
  window: number[];
  n: number;
  /** Last KS test run, null before the first. */
  statistic: number | null;
  pValue: number | null;
  drift: boolean;
}

export class Kswin implements StreamingDetector<KswinState> {
  readonly kind = 'kswin' as const;
  readonly options: Readonly<KswinOptions>;
  private readonly rng: Rng;
  private window: number[] = [];
  private n = 0;
  private statistic: number | null = null;
  private pValue: number | null = null;
  private drift = false;

  constructor(rng: Rng, options: Partial<KswinOptions> = {}) {
    const o = { ...KSWIN_DEFAULTS, ...options };
    checkOption('KSWIN', 'alpha', o.alpha, (v) => v > 0 && v < 1, 'must be in (0, 1)');
    checkOption(
      'KSWIN',
      'statSize',
      o.statSize,
      (v) => Number.isInteger(v) && v >= 1,
      'must be an integer ≥ 1',
    );
    checkOption(
      'KSWIN',
      'windowSize',
      o.windowSize,
      (v) => Number.isInteger(v) && v >= 2 * o.statSize,
      'must be an integer ≥ 2 · statSize',
    );
    if (rng === undefined || typeof rng.nextInt !== 'function')
      throw new TypeError('KSWIN: an Rng (seededRng(seed)) is required.');
    this.rng = rng;
    this.options = o;
  }

  /** The last KS test: statistic D and p-value, null before the window first fills. */
  get lastTest(): { statistic: number | null; pValue: number | null } {
    return { statistic: this.statistic, pValue: this.pValue };
  }

  update(x: number): DetectorSignal {
    const v = checkFinite(x, 'KSWIN');
    this.drift = false;
    this.n += 1;
    const { windowSize, statSize, alpha } = this.options;
    this.window.push(v);
    if (this.window.length > windowSize) this.window.shift();
    if (this.window.length < windowSize) return { drift: false, warning: false };

    const older = windowSize - statSize;
    // Partial Fisher–Yates: statSize distinct positions among the first `older`.
    const idx = Array.from({ length: older }, (_, i) => i);
    const sample: number[] = [];
    for (let i = 0; i < statSize; i++) {
      const j = i + this.rng.nextInt(older - i);
      const t = idx[i]!;
      idx[i] = idx[j]!;
      idx[j] = t;
      sample.push(this.window[idx[i]!]!);
    }
    const recent = this.window.slice(older);
    const { statistic, pValue } = ks2samp(Float64Array.from(sample), Float64Array.from(recent));
    this.statistic = statistic;
    this.pValue = pValue;
    if (pValue <= alpha && statistic > 0.1) {
      this.drift = true;
      this.window = recent;
    }
    return { drift: this.drift, warning: false };
  }

  reset(): void {
    this.window = [];
    this.n = 0;
    this.statistic = null;
    this.pValue = null;
    this.drift = false;
  }

  toJson(): KswinState {
    return {
      kind: 'kswin',
      version: 1,
      options: { ...this.options },
      window: [...this.window],
      n: this.n,
      statistic: this.statistic,
      pValue: this.pValue,
      drift: this.drift,
    };
  }

  static fromJson(state: unknown, rng: Rng): Kswin {
    checkKind(state, 'kswin');
    const s = state as KswinState;
    const d = new Kswin(rng, s.options);
    if (
      !Array.isArray(s.window) ||
      s.window.length > d.options.windowSize ||
      !s.window.every(Number.isFinite)
    )
      throw new TypeError(
        `kswin snapshot: field window must be an array of at most ${d.options.windowSize} finite numbers.`,
      );
    d.window = [...s.window];
    d.n = field(s, 'n', 'kswin');
    d.statistic = s.statistic === null ? null : field(s, 'statistic', 'kswin');
    d.pValue = s.pValue === null ? null : field(s, 'pValue', 'kswin');
    d.drift = boolField(s, 'drift', 'kswin');
    return d;
  }
}
