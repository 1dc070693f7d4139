/**
 * @module
 * Exact counts on fixed bin edges (for example the reference window's deciles), mergeable when the edges
 * are identical. With edges e_0 < … < e_{m−1} the bins are `(−∞, e_0), [e_0, e_1), …, [e_{m−1}, ∞)` —
 * NumPy's histogram convention, the one `core/stats` binning and `KllSketch.pmf(edges, { inclusive: false })`
 * use, so the three can be compared bin for bin. NaN is never counted (callers count it as missing).
 */
import { type ByteReader, type ByteWriter, ProfileFormatError } from './bytes.js';

export class FixedHistogram {
  readonly edges: Float64Array;
  private readonly bins: Float64Array;

  private constructor(edges: Float64Array) {
    if (edges.length === 0) throw new RangeError('histogram edges must not be empty');
    for (let i = 0; i < edges.length; i++) {
      if (!Number.isFinite(edges[i]!))
        throw new RangeError(`histogram edge ${i} must be finite, got ${edges[i]}`);
      if (i > 0 && !(edges[i]! > edges[i - 1]!)) {
        throw new RangeError(
          `histogram edges must be strictly increasing: edge ${i} (${edges[i]}) <= edge ${i - 1}`,
        );
      }
    }
    this.edges = edges;
    this.bins = new Float64Array(edges.length + 1);
  }

  /** Empty counts on the given strictly increasing, finite edges. */
  static empty(edges: ArrayLike<number>): FixedHistogram {
    return new FixedHistogram(Float64Array.from(edges as ArrayLike<number>));
  }

  /** Index of the bin holding x: the number of edges <= x. */
  binOf(x: number): number {
    const e = this.edges;
    let lo = 0;
    let hi = e.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (e[mid]! <= x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  add(x: number): this {
    if (!Number.isNaN(x)) this.bins[this.binOf(x)]! += 1;
    return this;
  }

  addNumbers(xs: ArrayLike<number>, start = 0, end = xs.length): this {
    for (let i = start; i < end; i++) {
      const x = xs[i]!;
      if (!Number.isNaN(x)) this.bins[this.binOf(x)]! += 1;
    }
    return this;
  }

  /** Counts per bin (a copy), length edges + 1. */
  counts(): number[] {
    return Array.from(this.bins);
  }

  get total(): number {
    let s = 0;
    for (const c of this.bins) s += c;
    return s;
  }

  /** Whether `other` has exactly the same edges (required to merge). */
  sameEdges(other: FixedHistogram): boolean {
    if (other.edges.length !== this.edges.length) return false;
    for (let i = 0; i < this.edges.length; i++) if (!Object.is(other.edges[i], this.edges[i])) return false;
    return true;
  }

  merge(other: FixedHistogram): this {
    if (!this.sameEdges(other)) throw new RangeError('cannot merge histograms with different edges');
    for (let i = 0; i < this.bins.length; i++) this.bins[i]! += other.bins[i]!;
    return this;
  }

  clone(): FixedHistogram {
    const c = new FixedHistogram(this.edges.slice());
    c.bins.set(this.bins);
    return c;
  }

  write(w: ByteWriter): void {
    w.varuint(this.edges.length);
    for (const e of this.edges) w.f64(e);
    for (const c of this.bins) w.varuint(c);
  }

  static read(r: ByteReader, field = 'histogram'): FixedHistogram {
    const m = r.varuint(`${field}.edges`);
    if (m < 1 || m > 1 << 16)
      throw new ProfileFormatError(`${field}.edges`, `${m} edges is outside 1..65536`);
    const edges = new Float64Array(m);
    for (let i = 0; i < m; i++) edges[i] = r.f64(`${field}.edges[${i}]`);
    let h: FixedHistogram;
    try {
      h = new FixedHistogram(edges);
    } catch (e) {
      throw new ProfileFormatError(`${field}.edges`, (e as Error).message);
    }
    for (let i = 0; i <= m; i++) h.bins[i] = r.varuint(`${field}.counts[${i}]`);
    return h;
  }
}
