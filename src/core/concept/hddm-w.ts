/**
 * HDDM_W — drift detection with McDiarmid bounds on exponentially weighted moving averages
 * (Frías-Blanco et al. 2014), transcribed from river `drift/binary/hddm_w.py` (methods.md §4.4).
 *
 * Like HDDM_A but each statistic is an EWMA with weight `lambda` on the newest value, so recent errors count
 * more and gradual drifts are caught sooner. One deliberate difference from river: the EWMA is initialised by
 * the first value it sees (as methods.md and MOA do); river's `EWMean` re-initialises whenever its mean is
 * exactly 0, which on an error stream that starts with zeros makes the first error jump the mean to 1.
 */
import { boolField, checkBinary, checkKind, checkOption, field, infToNull, nullableField } from './check.js';
import type { DetectorSignal, DetectorStateBase, StreamingDetector } from './types.js';

export interface HddmWOptions {
  driftConfidence: number;
  warningConfidence: number;
  /** Weight of the newest value in the EWMA (default 0.05). */
  lambda: number;
  twoSidedTest: boolean;
}

export const HDDM_W_DEFAULTS: Readonly<HddmWOptions> = {
  driftConfidence: 0.001,
  warningConfidence: 0.005,
  lambda: 0.05,
  twoSidedTest: false,
};

/** An EWMA with its independent-bound term `ibc` (starts at 1); `init` is false until the first value. */
export interface SampleInfo {
  ewma: number;
  ibc: number;
  init: boolean;
}

export interface HddmWState extends DetectorStateBase<'hddm_w', HddmWOptions> {
  total: SampleInfo;
  s1Incr: SampleInfo;
  s2Incr: SampleInfo;
  s1Decr: SampleInfo;
  s2Decr: SampleInfo;
  /** null = +∞ / −∞ (not yet set). */
  incrCutpoint: number | null;
  decrCutpoint: number | null;
  drift: boolean;
  warning: boolean;
}

const fresh = (): SampleInfo => ({ ewma: 0, ibc: 1, init: false });

export class HddmW implements StreamingDetector<HddmWState> {
  readonly kind = 'hddm_w' as const;
  readonly options: Readonly<HddmWOptions>;
  private total = fresh();
  private s1Incr = fresh();
  private s2Incr = fresh();
  private s1Decr = fresh();
  private s2Decr = fresh();
  private incrCutpoint = Number.POSITIVE_INFINITY;
  private decrCutpoint = Number.NEGATIVE_INFINITY;
  private drift = false;
  private warning = false;

  constructor(options: Partial<HddmWOptions> = {}) {
    const o = { ...HDDM_W_DEFAULTS, ...options };
    checkOption('HDDM_W', 'driftConfidence', o.driftConfidence, (v) => v > 0 && v < 1, 'must be in (0, 1)');
    checkOption(
      'HDDM_W',
      'warningConfidence',
      o.warningConfidence,
      (v) => v > 0 && v < 1,
      'must be in (0, 1)',
    );
    checkOption('HDDM_W', 'lambda', o.lambda, (v) => v > 0 && v <= 1, 'must be in (0, 1]');
    if (typeof o.twoSidedTest !== 'boolean')
      throw new RangeError('HDDM_W: option twoSidedTest must be a boolean.');
    this.options = o;
  }

  private add(s: SampleInfo, x: number): void {
    const l = this.options.lambda;
    s.ewma = s.init ? l * x + (1 - l) * s.ewma : x;
    s.init = true;
    s.ibc = l * l + (1 - l) * (1 - l) * s.ibc;
  }

  private static bound(ibc: number, confidence: number): number {
    return Math.sqrt((ibc * Math.log(1 / confidence)) / 2);
  }

  private static changed(a: SampleInfo, b: SampleInfo, confidence: number): boolean {
    if (!(a.init && b.init)) return false;
    return b.ewma - a.ewma > HddmW.bound(a.ibc + b.ibc, confidence);
  }

  update(x: number): DetectorSignal {
    const v = checkBinary(x, 'HDDM_W');
    if (this.drift) this.reset();
    const { driftConfidence, warningConfidence } = this.options;
    this.add(this.total, v);

    const eps = HddmW.bound(this.total.ibc, driftConfidence);
    if (this.total.ewma + eps < this.incrCutpoint) {
      this.incrCutpoint = this.total.ewma + eps;
      this.s1Incr = { ...this.total };
      this.s2Incr = fresh();
    } else {
      this.add(this.s2Incr, v);
    }
    if (HddmW.changed(this.s1Incr, this.s2Incr, driftConfidence)) {
      this.drift = true;
      this.warning = false;
    } else {
      this.drift = false;
      this.warning = HddmW.changed(this.s1Incr, this.s2Incr, warningConfidence);
    }

    if (this.total.ewma - eps > this.decrCutpoint) {
      this.decrCutpoint = this.total.ewma - eps;
      this.s1Decr = { ...this.total };
      this.s2Decr = fresh();
    } else {
      this.add(this.s2Decr, v);
    }
    if (this.options.twoSidedTest) {
      if (HddmW.changed(this.s2Decr, this.s1Decr, driftConfidence)) this.drift = true;
      else if (HddmW.changed(this.s2Decr, this.s1Decr, warningConfidence)) this.warning = true;
    }
    return { drift: this.drift, warning: this.warning };
  }

  reset(): void {
    this.total = fresh();
    this.s1Incr = fresh();
    this.s2Incr = fresh();
    this.s1Decr = fresh();
    this.s2Decr = fresh();
    this.incrCutpoint = Number.POSITIVE_INFINITY;
    this.decrCutpoint = Number.NEGATIVE_INFINITY;
    this.drift = false;
    this.warning = false;
  }

  toJson(): HddmWState {
    return {
      kind: 'hddm_w',
      version: 1,
      options: { ...this.options },
      total: { ...this.total },
      s1Incr: { ...this.s1Incr },
      s2Incr: { ...this.s2Incr },
      s1Decr: { ...this.s1Decr },
      s2Decr: { ...this.s2Decr },
      incrCutpoint: infToNull(this.incrCutpoint),
      decrCutpoint: infToNull(this.decrCutpoint),
      drift: this.drift,
      warning: this.warning,
    };
  }

  static fromJson(state: unknown): HddmW {
    checkKind(state, 'hddm_w');
    const s = state as HddmWState;
    const d = new HddmW(s.options);
    const info = (name: 'total' | 's1Incr' | 's2Incr' | 's1Decr' | 's2Decr'): SampleInfo => ({
      ewma: field(s[name], 'ewma', `hddm_w.${name}`),
      ibc: field(s[name], 'ibc', `hddm_w.${name}`),
      init: boolField(s[name], 'init', `hddm_w.${name}`),
    });
    d.total = info('total');
    d.s1Incr = info('s1Incr');
    d.s2Incr = info('s2Incr');
    d.s1Decr = info('s1Decr');
    d.s2Decr = info('s2Decr');
    d.incrCutpoint = nullableField(s, 'incrCutpoint', 'hddm_w', Number.POSITIVE_INFINITY);
    d.decrCutpoint = nullableField(s, 'decrCutpoint', 'hddm_w', Number.NEGATIVE_INFINITY);
    d.drift = boolField(s, 'drift', 'hddm_w');
    d.warning = boolField(s, 'warning', 'hddm_w');
    return d;
  }
}
