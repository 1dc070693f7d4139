/**
 * EDDM — Early Drift Detection Method (Baena-García et al. 2006), transcribed from river
 * `drift/binary/eddm.py` (methods.md §4.2).
 *
 * Tracks the distance (in items) between consecutive errors: its mean `p'` and standard deviation `s'` (ddof 1).
 * When errors come closer together, `p' + 2s'` falls below its maximum: warning when the ratio drops below
 * `alpha` (0.95), drift below `beta` (0.9). Meant for gradual drift; its early phase is noisy (methods.md §4.8
 * shows a false alarm at item 300 on a perfectly periodic stream), so read its alarms with the others.
 */
import { boolField, checkBinary, checkKind, checkOption, field } from './check.js';
import type { DetectorSignal, DetectorStateBase, StreamingDetector } from './types.js';

export interface EddmOptions {
  /** Items (and errors) needed before a signal (river default 30). */
  warmStart: number;
  /** Warning when `(p'+2s') / max < alpha` (default 0.95). */
  alpha: number;
  /** Drift when `(p'+2s') / max < beta` (default 0.9). */
  beta: number;
}

export const EDDM_DEFAULTS: Readonly<EddmOptions> = { warmStart: 30, alpha: 0.95, beta: 0.9 };

export interface EddmState extends DetectorStateBase<'eddm', EddmOptions> {
  n: number;
  lastError: number;
  nErrors: number;
  /** Welford accumulators of the distances between errors. */
  distCount: number;
  distMean: number;
  distM2: number;
  p2sMax: number;
  drift: boolean;
  warning: boolean;
}

export class Eddm implements StreamingDetector<EddmState> {
  readonly kind = 'eddm' as const;
  readonly options: Readonly<EddmOptions>;
  private n = 0;
  private lastError = 0;
  private nErrors = 0;
  private distCount = 0;
  private distMean = 0;
  private distM2 = 0;
  private p2sMax = -1;
  private drift = false;
  private warning = false;

  constructor(options: Partial<EddmOptions> = {}) {
    const o = { ...EDDM_DEFAULTS, ...options };
    checkOption(
      'EDDM',
      'warmStart',
      o.warmStart,
      (v) => Number.isInteger(v) && v >= 0,
      'must be an integer ≥ 0',
    );
    checkOption('EDDM', 'beta', o.beta, (v) => v > 0 && v < 1, 'must be in (0, 1)');
    checkOption('EDDM', 'alpha', o.alpha, (v) => v >= o.beta && v < 1, 'must be in [beta, 1)');
    this.options = o;
  }

  update(x: number): DetectorSignal {
    const v = checkBinary(x, 'EDDM');
    if (this.drift) this.reset();
    this.n += 1;
    if (v === 1) {
      this.nErrors += 1;
      const d = this.n - this.lastError;
      this.distCount += 1;
      const before = this.distMean;
      this.distMean += (d - this.distMean) / this.distCount;
      this.distM2 += (d - before) * (d - this.distMean);
      if (this.n > this.options.warmStart) {
        const variance = this.distCount > 1 ? this.distM2 / (this.distCount - 1) : 0;
        const p2s = this.distMean + 2 * Math.sqrt(variance);
        if (p2s > this.p2sMax) {
          this.p2sMax = p2s;
        } else if (this.nErrors > this.options.warmStart) {
          const level = p2s / this.p2sMax;
          // As in river: a drift leaves the warning flag as it was; both clear at the next update.
          if (level < this.options.beta) this.drift = true;
          else this.warning = level < this.options.alpha;
        }
      }
      this.lastError = this.n;
    }
    return { drift: this.drift, warning: this.warning };
  }

  reset(): void {
    this.n = 0;
    this.lastError = 0;
    this.nErrors = 0;
    this.distCount = 0;
    this.distMean = 0;
    this.distM2 = 0;
    this.p2sMax = -1;
    this.drift = false;
    this.warning = false;
  }

  toJson(): EddmState {
    return {
      kind: 'eddm',
      version: 1,
      options: { ...this.options },
      n: this.n,
      lastError: this.lastError,
      nErrors: this.nErrors,
      distCount: this.distCount,
      distMean: this.distMean,
      distM2: this.distM2,
      p2sMax: this.p2sMax,
      drift: this.drift,
      warning: this.warning,
    };
  }

  static fromJson(state: unknown): Eddm {
    checkKind(state, 'eddm');
    const s = state as EddmState;
    const d = new Eddm(s.options);
    d.n = field(s, 'n', 'eddm');
    d.lastError = field(s, 'lastError', 'eddm');
    d.nErrors = field(s, 'nErrors', 'eddm');
    d.distCount = field(s, 'distCount', 'eddm');
    d.distMean = field(s, 'distMean', 'eddm');
    d.distM2 = field(s, 'distM2', 'eddm');
    d.p2sMax = field(s, 'p2sMax', 'eddm');
    d.drift = boolField(s, 'drift', 'eddm');
    d.warning = boolField(s, 'warning', 'eddm');
    return d;
  }
}
