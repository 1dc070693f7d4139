/**
 * DDM — Drift Detection Method (Gama et al. 2004), transcribed from river `drift/binary/ddm.py` (methods.md §4.1).
 *
 * Watches the running error rate `p` of a 0/1 error stream and its binomial standard deviation
 * `s = sqrt(p(1−p)/n)`. Once past `warmStart` items it remembers the point where `p + s` was lowest
 * (`p_min`, `s_min`) and signals a warning when `p + s > p_min + 2·s_min`, a drift when `p + s > p_min + 3·s_min`.
 * Use it for abrupt changes in error rate; it is slow on gradual drift and, if the early error rate is exactly 0,
 * `s_min = 0` makes the first error a drift (a known property of the method, kept as is).
 */
import { boolField, checkBinary, checkKind, checkOption, field, infToNull, nullableField } from './check.js';
import type { DetectorSignal, DetectorStateBase, StreamingDetector } from './types.js';

export interface DdmOptions {
  /** Items seen before any signal can be raised (river default 30). */
  warmStart: number;
  /** Warning when `p + s > p_min + warningThreshold · s_min` (default 2). */
  warningThreshold: number;
  /** Drift when `p + s > p_min + driftThreshold · s_min` (default 3). */
  driftThreshold: number;
}

export const DDM_DEFAULTS: Readonly<DdmOptions> = { warmStart: 30, warningThreshold: 2, driftThreshold: 3 };

export interface DdmState extends DetectorStateBase<'ddm', DdmOptions> {
  n: number;
  mean: number;
  /** null = +∞ (not yet set). */
  pMin: number | null;
  sMin: number | null;
  psMin: number | null;
  drift: boolean;
  warning: boolean;
}

export class Ddm implements StreamingDetector<DdmState> {
  readonly kind = 'ddm' as const;
  readonly options: Readonly<DdmOptions>;
  private n = 0;
  private mean = 0;
  private pMin = Number.POSITIVE_INFINITY;
  private sMin = Number.POSITIVE_INFINITY;
  private psMin = Number.POSITIVE_INFINITY;
  private drift = false;
  private warning = false;

  constructor(options: Partial<DdmOptions> = {}) {
    const o = { ...DDM_DEFAULTS, ...options };
    checkOption(
      'DDM',
      'warmStart',
      o.warmStart,
      (v) => Number.isInteger(v) && v >= 0,
      'must be an integer ≥ 0',
    );
    checkOption('DDM', 'warningThreshold', o.warningThreshold, (v) => v > 0, 'must be > 0');
    checkOption(
      'DDM',
      'driftThreshold',
      o.driftThreshold,
      (v) => v >= o.warningThreshold,
      'must be ≥ warningThreshold',
    );
    this.options = o;
  }

  update(x: number): DetectorSignal {
    const v = checkBinary(x, 'DDM');
    if (this.drift) this.reset();
    this.n += 1;
    this.mean += (v - this.mean) / this.n;
    const p = this.mean;
    const s = Math.sqrt((p * (1 - p)) / this.n);
    if (this.n > this.options.warmStart) {
      if (p + s <= this.psMin) {
        this.pMin = p;
        this.sMin = s;
        this.psMin = p + s;
      }
      this.warning = p + s > this.pMin + this.options.warningThreshold * this.sMin;
      if (p + s > this.pMin + this.options.driftThreshold * this.sMin) {
        this.drift = true;
        this.warning = false;
      }
    }
    return { drift: this.drift, warning: this.warning };
  }

  reset(): void {
    this.n = 0;
    this.mean = 0;
    this.pMin = Number.POSITIVE_INFINITY;
    this.sMin = Number.POSITIVE_INFINITY;
    this.psMin = Number.POSITIVE_INFINITY;
    this.drift = false;
    this.warning = false;
  }

  /** Read-only view of the running statistics (n, error rate p, p_min, s_min; null while unset). */
  get stats(): { n: number; p: number; pMin: number | null; sMin: number | null } {
    return { n: this.n, p: this.mean, pMin: infToNull(this.pMin), sMin: infToNull(this.sMin) };
  }

  toJson(): DdmState {
    return {
      kind: 'ddm',
      version: 1,
      options: { ...this.options },
      n: this.n,
      mean: this.mean,
      pMin: infToNull(this.pMin),
      sMin: infToNull(this.sMin),
      psMin: infToNull(this.psMin),
      drift: this.drift,
      warning: this.warning,
    };
  }

  static fromJson(state: unknown): Ddm {
    checkKind(state, 'ddm');
    const s = state as DdmState;
    const d = new Ddm(s.options);
    d.n = field(s, 'n', 'ddm');
    d.mean = field(s, 'mean', 'ddm');
    d.pMin = nullableField(s, 'pMin', 'ddm', Number.POSITIVE_INFINITY);
    d.sMin = nullableField(s, 'sMin', 'ddm', Number.POSITIVE_INFINITY);
    d.psMin = nullableField(s, 'psMin', 'ddm', Number.POSITIVE_INFINITY);
    d.drift = boolField(s, 'drift', 'ddm');
    d.warning = boolField(s, 'warning', 'ddm');
    return d;
  }
}
