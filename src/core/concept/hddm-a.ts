/**
 * HDDM_A — drift detection with Hoeffding bounds on moving averages (Frías-Blanco et al. 2014), transcribed from
 * river `drift/binary/hddm_a.py` (methods.md §4.3).
 *
 * Keeps the mean `Z` of everything seen and a snapshot `X_min` taken where the lower Hoeffding bound of the mean
 * was lowest; a warning or drift is an increase `Z − X_min` larger than the two-sample Hoeffding bound at
 * `warningConfidence` / `driftConfidence`. Non-parametric, O(1) per update, good on abrupt changes.
 * `twoSidedTest` also watches decreases (an error rate that falls is rarely a problem, hence off by default).
 */
import { boolField, checkBinary, checkKind, checkOption, field } from './check.js';
import type { DetectorSignal, DetectorStateBase, StreamingDetector } from './types.js';

export interface HddmAOptions {
  driftConfidence: number;
  warningConfidence: number;
  twoSidedTest: boolean;
}

export const HDDM_A_DEFAULTS: Readonly<HddmAOptions> = {
  driftConfidence: 0.001,
  warningConfidence: 0.005,
  twoSidedTest: false,
};

/** A running mean with its count, as river's `stats.Mean`. */
export interface MeanSnapshot {
  n: number;
  mean: number;
}

export interface HddmAState extends DetectorStateBase<'hddm_a', HddmAOptions> {
  z: MeanSnapshot;
  xMin: MeanSnapshot;
  xMax: MeanSnapshot;
  drift: boolean;
  warning: boolean;
}

export class HddmA implements StreamingDetector<HddmAState> {
  readonly kind = 'hddm_a' as const;
  readonly options: Readonly<HddmAOptions>;
  private z: MeanSnapshot = { n: 0, mean: 0 };
  private xMin: MeanSnapshot = { n: 0, mean: 0 };
  private xMax: MeanSnapshot = { n: 0, mean: 0 };
  private drift = false;
  private warning = false;

  constructor(options: Partial<HddmAOptions> = {}) {
    const o = { ...HDDM_A_DEFAULTS, ...options };
    checkOption('HDDM_A', 'driftConfidence', o.driftConfidence, (v) => v > 0 && v < 1, 'must be in (0, 1)');
    checkOption(
      'HDDM_A',
      'warningConfidence',
      o.warningConfidence,
      (v) => v > 0 && v < 1,
      'must be in (0, 1)',
    );
    if (typeof o.twoSidedTest !== 'boolean')
      throw new RangeError('HDDM_A: option twoSidedTest must be a boolean.');
    this.options = o;
  }

  private bound(n: number): number {
    return Math.sqrt((1 / (2 * n)) * Math.log(1 / this.options.driftConfidence));
  }

  update(x: number): DetectorSignal {
    const v = checkBinary(x, 'HDDM_A');
    if (this.drift) this.reset();
    this.z.n += 1;
    this.z.mean += (v - this.z.mean) / this.z.n;
    if (this.xMin.n === 0) this.xMin = { ...this.z };
    if (this.xMax.n === 0) this.xMax = { ...this.z };
    const epsZ = this.bound(this.z.n);
    if (this.xMin.mean + this.bound(this.xMin.n) >= this.z.mean + epsZ) this.xMin = { ...this.z };
    if (this.xMax.mean - this.bound(this.xMax.n) <= this.z.mean - epsZ) this.xMax = { ...this.z };

    if (this.increased(this.options.driftConfidence)) {
      this.drift = true;
      this.warning = false;
    } else {
      this.drift = false;
      this.warning = this.increased(this.options.warningConfidence);
    }
    if (this.options.twoSidedTest) {
      if (this.decreased(this.options.driftConfidence)) this.drift = true;
      else if (this.decreased(this.options.warningConfidence)) this.warning = true;
    }
    return { drift: this.drift, warning: this.warning };
  }

  private increased(confidence: number): boolean {
    if (this.xMin.n === this.z.n) return false;
    const m = (this.z.n - this.xMin.n) / this.xMin.n / this.z.n;
    return this.z.mean - this.xMin.mean >= Math.sqrt((m / 2) * Math.log(2 / confidence));
  }

  private decreased(confidence: number): boolean {
    if (this.xMax.n === this.z.n) return false;
    const m = (this.z.n - this.xMax.n) / this.xMax.n / this.z.n;
    return this.xMax.mean - this.z.mean >= Math.sqrt((m / 2) * Math.log(2 / confidence));
  }

  reset(): void {
    this.z = { n: 0, mean: 0 };
    this.xMin = { n: 0, mean: 0 };
    this.xMax = { n: 0, mean: 0 };
    this.drift = false;
    this.warning = false;
  }

  toJson(): HddmAState {
    return {
      kind: 'hddm_a',
      version: 1,
      options: { ...this.options },
      z: { ...this.z },
      xMin: { ...this.xMin },
      xMax: { ...this.xMax },
      drift: this.drift,
      warning: this.warning,
    };
  }

  static fromJson(state: unknown): HddmA {
    checkKind(state, 'hddm_a');
    const s = state as HddmAState;
    const d = new HddmA(s.options);
    const mean = (name: 'z' | 'xMin' | 'xMax'): MeanSnapshot => ({
      n: field(s[name], 'n', `hddm_a.${name}`),
      mean: field(s[name], 'mean', `hddm_a.${name}`),
    });
    d.z = mean('z');
    d.xMin = mean('xMin');
    d.xMax = mean('xMax');
    d.drift = boolField(s, 'drift', 'hddm_a');
    d.warning = boolField(s, 'warning', 'hddm_a');
    return d;
  }
}
