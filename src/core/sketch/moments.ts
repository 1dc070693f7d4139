/**
 * @module
 * Streaming moments of finite numbers: count, mean, M2 (sum of squared deviations), min and max.
 * `add` is Welford's update; `merge` is Chan, Golub & LeVeque's parallel formula (methods.md section 6,
 * whylogs `parallel_variance_m2`); `addNumbers` computes each batch exactly in two passes (mean, then
 * squared deviations about it) and Chan-merges it in, which is both faster and more accurate than
 * value-by-value Welford. Never `E[x²] − E[x]²` (methods.md section 10.6).
 */
import type { ByteReader, ByteWriter } from './bytes.js';
import { ProfileFormatError } from './bytes.js';

/** A read-only summary of the moments; `null` where the value is undefined (empty, or n < 2 for variance). */
export interface MomentsSummary {
  count: number;
  mean: number | null;
  /** Population variance M2/n (ddof = 0). */
  variancePopulation: number | null;
  /** Sample variance M2/(n − 1) (ddof = 1). */
  variance: number | null;
  /** Sample standard deviation sqrt(M2/(n − 1)). */
  stddev: number | null;
  min: number | null;
  max: number | null;
}

/** Mergeable count / mean / M2 / min / max of finite numbers. Non-finite values are ignored. */
export class Moments {
  private n = 0;
  private mu = 0;
  private m2v = 0;
  private lo = 0;
  private hi = 0;

  /** The empty state: count 0, no mean, no min/max. */
  static empty(): Moments {
    return new Moments();
  }

  get count(): number {
    return this.n;
  }
  /** The mean, or null when empty. */
  get mean(): number | null {
    return this.n === 0 ? null : this.mu;
  }
  /** The sum of squared deviations from the mean (0 when empty). */
  get m2(): number {
    return this.m2v;
  }
  get min(): number | null {
    return this.n === 0 ? null : this.lo;
  }
  get max(): number | null {
    return this.n === 0 ? null : this.hi;
  }

  /** Welford: `n += 1; δ = x − μ; μ += δ/n; M2 += δ·(x − μ)`. Ignores NaN and ±Infinity. */
  add(x: number): this {
    if (!Number.isFinite(x)) return this;
    if (this.n === 0) {
      this.n = 1;
      this.mu = x;
      this.m2v = 0;
      this.lo = x;
      this.hi = x;
      return this;
    }
    this.n += 1;
    const d = x - this.mu;
    this.mu += d / this.n;
    this.m2v += d * (x - this.mu);
    if (x < this.lo) this.lo = x;
    if (x > this.hi) this.hi = x;
    return this;
  }

  /** Adds every finite value of `xs[start, end)` (NaN and ±Infinity are skipped). */
  addNumbers(xs: ArrayLike<number>, start = 0, end = xs.length): this {
    const CHUNK = 4096;
    for (let s = start; s < end; s += CHUNK) {
      const e = Math.min(end, s + CHUNK);
      let cnt = 0;
      let sum = 0;
      let lo = Number.POSITIVE_INFINITY;
      let hi = Number.NEGATIVE_INFINITY;
      for (let i = s; i < e; i++) {
        const x = xs[i]!;
        if (x - x !== 0) continue; // NaN or ±Infinity
        cnt++;
        sum += x;
        if (x < lo) lo = x;
        if (x > hi) hi = x;
      }
      if (cnt === 0) continue;
      const mean = sum / cnt;
      let m2 = 0;
      let comp = 0; // corrects the mean's rounding error (the "corrected two-pass" algorithm)
      for (let i = s; i < e; i++) {
        const x = xs[i]!;
        if (x - x !== 0) continue;
        const d = x - mean;
        m2 += d * d;
        comp += d;
      }
      m2 -= (comp * comp) / cnt;
      this.combine(cnt, mean + comp / cnt, Math.max(0, m2), lo, hi);
    }
    return this;
  }

  /** Chan's merge: `n = na + nb; δ = μb − μa; μ = μa + δ·nb/n; M2 = M2a + M2b + δ²·na·nb/n`. */
  merge(other: Moments): this {
    if (other.n === 0) return this;
    this.combine(other.n, other.mu, other.m2v, other.lo, other.hi);
    return this;
  }

  private combine(nb: number, mub: number, m2b: number, lob: number, hib: number): void {
    if (this.n === 0) {
      this.n = nb;
      this.mu = mub;
      this.m2v = m2b;
      this.lo = lob;
      this.hi = hib;
      return;
    }
    const na = this.n;
    const n = na + nb;
    const d = mub - this.mu;
    // Weighted form of the mean update: exact when both means are equal, symmetric in a and b.
    this.mu = (na * this.mu + nb * mub) / n;
    if (!Number.isFinite(this.mu)) this.mu = this.mu + d * (nb / n);
    this.m2v = this.m2v + m2b + (d * d * (na * nb)) / n; // na·nb keeps the merge commutative bit for bit
    this.n = n;
    if (lob < this.lo) this.lo = lob;
    if (hib > this.hi) this.hi = hib;
  }

  clone(): Moments {
    const c = new Moments();
    c.n = this.n;
    c.mu = this.mu;
    c.m2v = this.m2v;
    c.lo = this.lo;
    c.hi = this.hi;
    return c;
  }

  /** Plain summary with `null` for undefined values (never NaN). */
  summary(): MomentsSummary {
    const n = this.n;
    return {
      count: n,
      mean: n === 0 ? null : this.mu,
      variancePopulation: n === 0 ? null : this.m2v / n,
      variance: n < 2 ? null : this.m2v / (n - 1),
      stddev: n < 2 ? null : Math.sqrt(this.m2v / (n - 1)),
      min: n === 0 ? null : this.lo,
      max: n === 0 ? null : this.hi,
    };
  }

  /** Writes count, then (if non-empty) mean, M2, min, max as float64. */
  write(w: ByteWriter): void {
    w.varuint(this.n);
    if (this.n === 0) return;
    w.f64(this.mu);
    w.f64(this.m2v);
    w.f64(this.lo);
    w.f64(this.hi);
  }

  static read(r: ByteReader, field = 'moments'): Moments {
    const m = new Moments();
    m.n = r.varuint(`${field}.count`);
    if (m.n === 0) return m;
    m.mu = r.f64(`${field}.mean`);
    m.m2v = r.f64(`${field}.m2`);
    m.lo = r.f64(`${field}.min`);
    m.hi = r.f64(`${field}.max`);
    if (![m.mu, m.m2v, m.lo, m.hi].every(Number.isFinite) || m.m2v < 0 || m.lo > m.hi) {
      throw new ProfileFormatError(field, 'mean, M2, min and max must be finite with M2 >= 0 and min <= max');
    }
    return m;
  }
}
