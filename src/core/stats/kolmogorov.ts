/**
 * Kolmogorov distributions: the exact two-sided one-sample distribution `kstwo(n)`, its limit
 * `kstwobign` (the Kolmogorov distribution) and the exact one-sided Smirnov distribution.
 *
 * No JavaScript library provides these, so they are ported by hand, algorithm for algorithm, from SciPy
 * (BSD-3-Clause): `scipy/stats/_ksstats.py` (`_kolmogn`, `_kolmogn_DMTW`, `_kolmogn_Pomeranz`,
 * `_kolmogn_PelzGood`) and `scipy/special/cephes/kolmogorov.c` (`_kolmogorov`, `_smirnov`). The branch
 * choice between the methods is Simard & L'Ecuyer (2011), "Computing the Two-Sided Kolmogorov-Smirnov
 * Distribution", J. Stat. Softw. 39(11), as SciPy implements it. SciPy's smirnov uses double-double
 * arithmetic; here the (all-positive) Birnbaum–Tingey sum is evaluated in log space with compensated
 * summation (n <= 20 000) or, for larger n, as a trapezoid sum on a grid (see `smirnovSfSmoothSum`);
 * both agree with SciPy to ~1e-11 relative on the vectors in `kolmogorov.scipy.vectors.json`.
 *
 * References: Durbin (1968); Marsaglia, Tsang & Wang (2003), J. Stat. Softw. 8(18); Pomeranz (1974),
 * CACM 17(12) Algorithm 487; Pelz & Good (1976), JRSS B 38(2); Birnbaum & Tingey (1951); van Mulbregt
 * (2018), arXiv:1802.06966 and arXiv:1803.00426.
 *
 * @module
 */

const E128 = 2 ** 128;
const EM128 = 2 ** -128;
const SQRT2PI = Math.sqrt(2 * Math.PI);
const LOG_2PI = Math.log(2 * Math.PI);
const MIN_LOG = -708;
/** cephes MINLOG = log(2^-1022). */
const CEPHES_MINLOG = -708.3964185322641;
const SQRT3 = Math.sqrt(3);
const PI2 = Math.PI ** 2;
const PI4 = Math.PI ** 4;
const PI6 = Math.PI ** 6;
const KOLMOG_CUTOVER = 0.82;
const SMIRNOV_MAX_COMPUTE_N = 1_000_000;
const EPS = Number.EPSILON;

function clip01(p: number): number {
  return Math.min(Math.max(p, 0), 1);
}

/** `x · 2^e` without intermediate overflow/underflow for large |e|. */
function ldexp(x: number, e: number): number {
  let y = x;
  let k = e;
  while (k > 1000) {
    y *= 2 ** 1000;
    k -= 1000;
  }
  while (k < -1000) {
    y *= 2 ** -1000;
    k += 1000;
  }
  return y * 2 ** k;
}

// ---------------------------------------------------------------------------------------------------
// Kolmogorov limit (kstwobign)
// ---------------------------------------------------------------------------------------------------

/**
 * Survival function of the Kolmogorov distribution (limit of `sqrt(n)·D_n`):
 * `Q(x) = 2 Σ_{k≥1} (−1)^{k−1} e^{−2k²x²}` — SciPy `kstwobign.sf` / `scipy.special.kolmogorov`.
 * Used for the "kstwobign shortcut" discussed in methods.md 1.1 (vector 1.1-d).
 *
 * Two series as cephes `_kolmogorov`: the Jacobi-theta form `1 − (√(2π)/x) Σ e^{−(2k−1)²π²/(8x²)}` for
 * `x <= 0.82`, the alternating series above otherwise. Edge cases: `x <= 0` → 1; `x = +∞` → 0; NaN → NaN.
 *
 * @example kolmogorovSf(1.0) // 0.26999967167735456
 */
export function kolmogorovSf(x: number): number {
  return kolmogorovBoth(x).sf;
}

/** CDF of the Kolmogorov distribution, `1 − kolmogorovSf(x)` computed without cancellation for small x. */
export function kolmogorovCdf(x: number): number {
  return kolmogorovBoth(x).cdf;
}

function kolmogorovBoth(x: number): { sf: number; cdf: number } {
  if (Number.isNaN(x)) return { sf: Number.NaN, cdf: Number.NaN };
  // Below ~0.0406 the first term of the theta series underflows: the CDF is 0.
  if (x <= Math.PI / Math.sqrt(746 * 8)) return { sf: 1, cdf: 0 };
  if (x <= KOLMOG_CUTOVER) {
    // P = w·u·(1 + u^8 + u^24 + u^48), u = e^{−π²/(8x²)}, w = √(2π)/x; three more terms are below eps.
    const w = SQRT2PI / x;
    const logu8 = -PI2 / (x * x);
    const u = Math.exp(logu8 / 8);
    let p: number;
    if (u === 0) p = Math.exp(logu8 / 8 + Math.log(w));
    else {
      const u8 = Math.exp(logu8);
      const u8cub = u8 ** 3;
      p = 1 + u8cub;
      p = 1 + u8 * u8 * p;
      p = 1 + u8 * p;
      p = w * u * p;
    }
    return { sf: clip01(1 - p), cdf: clip01(p) };
  }
  // P = 2v(1 − v^3(1 − v^5(1 − v^7))), v = e^{−2x²}; four terms suffice above the cut-over.
  const v = Math.exp(-2 * x * x);
  const v3 = v ** 3;
  let p = 1 - v3 * v3 * v;
  p = 1 - v3 * v * v * p;
  p = 1 - v3 * p;
  p = 2 * v * p;
  return { sf: clip01(p), cdf: clip01(1 - p) };
}

// ---------------------------------------------------------------------------------------------------
// One-sided Smirnov distribution
// ---------------------------------------------------------------------------------------------------

/** Exact product a·b as an unevaluated sum hi + lo (Dekker/Veltkamp). */
function twoProduct(a: number, b: number): { hi: number; lo: number } {
  const hi = a * b;
  const split = 134217729; // 2^27 + 1
  let c = split * a;
  const ah = c - (c - a);
  const al = a - ah;
  c = split * b;
  const bh = c - (c - b);
  const bl = b - bh;
  const lo = ah * bh - hi + ah * bl + al * bh + al * bl;
  return { hi, lo };
}

/** floor(n·x) and the fractional part, exactly (SciPy `modNX`). */
function floorNX(n: number, x: number): { nxFloor: number; alpha: number } {
  const { hi, lo } = twoProduct(n, x);
  let fl = Math.floor(hi);
  if (hi === fl && lo < 0) fl -= 1;
  let alpha = hi - fl + lo;
  if (alpha >= 1) {
    fl += 1;
    alpha = 0;
  }
  if (alpha < 0) alpha = 0;
  return { nxFloor: fl, alpha };
}

/**
 * Survival function of the exact one-sided one-sample statistic: `P(D_n^+ >= x)` — `scipy.special.smirnov`
 * (Birnbaum–Tingey / Smirnov 1944): `x Σ_{v=0}^{⌊n(1−x)⌋} C(n,v) (x+v/n)^{v−1} (1−x−v/n)^{n−v}`.
 * Part of the kstwo port (methods.md 1.1); for n > 10^6 SciPy's Miller approximation
 * `exp(−(6nx+1)²/(18n))` is used.
 *
 * Edge cases: n must be a positive integer and 0 <= x <= 1, else NaN; x = 0 → 1; x = 1 → 0; n = 1 → 1 − x.
 *
 * @example smirnovSf(10, 0.3) // 0.1354635556 (SciPy smirnov(10, 0.3))
 */
export function smirnovSf(n: number, x: number): number {
  if (!(Number.isInteger(n) && n > 0 && x >= 0 && x <= 1)) return Number.NaN;
  if (n === 1) return 1 - x;
  if (x === 0) return 1;
  if (x === 1) return 0;
  const { nxFloor, alpha } = floorNX(n, x);
  // Special case x <= 1/n: cdf = x (1+x)^(n−1).
  if (nxFloor === 0 || (nxFloor === 1 && alpha === 0)) return clip01(1 - x * (1 + x) ** (n - 1));
  if (-2 * n * x * x < CEPHES_MINLOG) return 0;
  if (nxFloor >= n - 1) return clip01((1 - x) ** n);
  if (n > SMIRNOV_MAX_COMPUTE_N) {
    const logp = -((6 * n * x + 1) ** 2) / 18 / n;
    return clip01(Math.exp(logp));
  }
  // The grid sum needs the terms to vanish towards v = 0, i.e. x·sqrt(n) >= 1 (always so when kstwo calls).
  if (n > SMIRNOV_EXACT_SUM_MAX_N && x * Math.sqrt(n) >= 1) return smirnovSfSmoothSum(n, x);
  // Lower sum over v = 0 … ⌊n(1−x)⌋ (excluding the last term when n(1−x) is an integer).
  let lastV = n - nxFloor - (alpha === 0 ? 0 : 1);
  if (alpha === 0) lastV -= 1;
  const nTerms = lastV + 1;
  const logN = Math.log(n);
  // Streaming log-sum-exp: sum = Σ exp(logA_v − maxLog).
  let maxLog = n * Math.log1p(-x) - Math.log(x); // log A_0 = log((1−x)^n / x)
  let sum = 1;
  let logC = 0;
  let logCComp = 0; // Neumaier compensation for the running log binomial
  const vmid = Math.floor(n / 2);
  for (let v = 1; v < nTerms; v++) {
    // log C(n, v) = log C(n, v−1) + log((n−v+1)/v)
    const inc = Math.log((n - v + 1) / v);
    const t = logC + inc;
    logCComp += Math.abs(logC) >= Math.abs(inc) ? logC - t + inc : inc - t + logC;
    logC = t;
    // log(x + v/n) and log(1 − x − v/n) from exact numerators (floor(nx) is exact, alpha its fraction).
    const logA =
      logC +
      logCComp +
      (v - 1) * (Math.log(nxFloor + v + alpha) - logN) +
      (n - v) * (Math.log(n - nxFloor - v - alpha) - logN);
    if (logA > maxLog) {
      sum = sum * Math.exp(maxLog - logA) + 1;
      maxLog = logA;
    } else {
      const term = Math.exp(logA - maxLog);
      sum += term;
      if (term === 0) {
        if (v > vmid) break;
      } else if (4 * (nTerms - v) * term < EPS * sum && v !== nTerms - 1) break;
    }
  }
  return clip01(x * sum * Math.exp(maxLog));
}

/** Above this n the Birnbaum–Tingey sum is evaluated on a grid instead of term by term. */
const SMIRNOV_EXACT_SUM_MAX_N = 20_000;
const SMOOTH_SUM_GRID = 4096;

/** Stirling correction `log Γ(k+1) − (k log k − k + ½ log(2πk))` for k >= 16 (8 terms; error < 1e-20). */
function stirlingCorrection(k: number): number {
  const y = 1 / (k * k);
  let poly = 0;
  for (const c of STIRLING_COEFFS) poly = poly * y + c;
  return poly / k;
}

/**
 * The Birnbaum–Tingey sum for large n (20 000 < n <= 10^6, x·√n >= 1), where summing ~n terms one by one costs
 * tens of milliseconds and accumulates rounding in the running log-binomial. For such n the terms
 * `A(v) = C(n,v)(x+v/n)^{v−1}(1−x−v/n)^{n−v}` form a smooth bump whose width is at least ~n/(4·19) (the
 * SF is 0 beyond n x² = 370), vanishing towards both ends. By Poisson summation, the integer sum and a
 * trapezoid sum of the analytic continuation on any grid of step s both equal ∫A up to a relative error of
 * order exp(−2π²(width/s)²), i.e. far below rounding for 4096 points. `log A(v)` uses Stirling's series in
 * a cancellation-free form. Agrees with SciPy's double-double `smirnov` to ~1e-12 relative
 * (kolmogorov.scipy.vectors.json) in under a millisecond.
 */
function smirnovSfSmoothSum(n: number, x: number): number {
  const nx = n * x;
  const s = (n - nx) / SMOOTH_SUM_GRID;
  const constant = 0.5 * Math.log(n / (2 * Math.PI)) + stirlingCorrection(n);
  const logs = new Float64Array(SMOOTH_SUM_GRID);
  let maxLog = Number.NEGATIVE_INFINITY;
  for (let j = 0; j < SMOOTH_SUM_GRID; j++) {
    const v = (j + 0.5) * s;
    // Terms this close to either end are below e^-700 relative to the peak: leave them out.
    if (v < 16 || n - v < 16) {
      logs[j] = Number.NEGATIVE_INFINITY;
      continue;
    }
    // log A(v) = v log(1 + nx/v) + (n−v) log(1 − nx/(n−v)) − log(x + v/n) + ½ log(n/(2π v (n−v)))
    //            + S(n) − S(v) − S(n−v)
    const l =
      v * Math.log1p(nx / v) +
      (n - v) * Math.log1p(-nx / (n - v)) -
      Math.log(x + v / n) +
      constant -
      0.5 * Math.log(v * (n - v)) -
      stirlingCorrection(v) -
      stirlingCorrection(n - v);
    logs[j] = l;
    if (l > maxLog) maxLog = l;
  }
  let sum = 0;
  for (let j = 0; j < SMOOTH_SUM_GRID; j++) sum += Math.exp(logs[j]! - maxLog);
  return clip01(x * s * sum * Math.exp(maxLog));
}

// ---------------------------------------------------------------------------------------------------
// Exact two-sided one-sample distribution kstwo(n)
// ---------------------------------------------------------------------------------------------------

/** B_{2j}/((2j)(2j−1)) for j = 8 … 1, highest power first (Stirling series of log n!). */
const STIRLING_COEFFS = [
  -3617 / 122400,
  1 / 156,
  -691 / 360360,
  1 / 1188,
  -1 / 1680,
  1 / 1260,
  -1 / 360,
  1 / 12,
];

/** log(n!/n^n) by Stirling's series with n·log(n) removed up front (no cancellation). */
function logNFactorialDivNPowN(n: number): number {
  const rn = 1 / n;
  const y = rn / n;
  let poly = 0;
  for (const c of STIRLING_COEFFS) poly = poly * y + c;
  return Math.log(n) / 2 - n + LOG_2PI / 2 + rn * poly;
}

/** Square matrix product (row-major, m×m). */
function matMul(a: Float64Array, b: Float64Array, m: number): Float64Array<ArrayBuffer> {
  const out = new Float64Array(m * m);
  for (let i = 0; i < m; i++) {
    for (let k = 0; k < m; k++) {
      const aik = a[i * m + k]!;
      if (aik === 0) continue;
      const rowB = k * m;
      const rowO = i * m;
      for (let j = 0; j < m; j++) out[rowO + j]! += aik * b[rowB + j]!;
    }
  }
  return out;
}

/** P(D_n <= d) by Durbin's matrix (Marsaglia–Tsang–Wang). Best for small n·d. */
function kolmognDurbinMatrix(n: number, d: number): number {
  if (d >= 1) return 1;
  const nd = n * d;
  if (nd <= 0.5) return 0;
  const k = Math.ceil(nd);
  const h = k - nd;
  const m = 2 * k - 1;
  const v = new Float64Array(m);
  const w = new Float64Array(m);
  let fac = 1;
  for (let j = 1; j <= m; j++) {
    v[j - 1] = 1 - h ** j;
    w[j - 1] = fac;
    fac /= j;
    v[j - 1]! *= fac;
  }
  const tt = Math.max(2 * h - 1, 0) ** m - 2 * h ** m;
  v[m - 1] = (1 + tt) * fac;
  let H: Float64Array = new Float64Array(m * m);
  for (let i = 1; i < m; i++) for (let r = i - 1; r < m; r++) H[r * m + i] = w[r - (i - 1)]!;
  for (let r = 0; r < m; r++) H[r * m] = v[r]!;
  for (let c = 0; c < m; c++) H[(m - 1) * m + c] = v[m - 1 - c]!;

  let Hpwr: Float64Array = new Float64Array(m * m);
  for (let i = 0; i < m; i++) Hpwr[i * m + i] = 1;
  let nn = n;
  let expnt = 0;
  let Hexpnt = 0;
  while (nn > 0) {
    if (nn % 2) {
      Hpwr = matMul(Hpwr, H, m);
      expnt += Hexpnt;
    }
    H = matMul(H, H, m);
    Hexpnt *= 2;
    if (Math.abs(H[(k - 1) * m + (k - 1)]!) > E128) {
      for (let i = 0; i < H.length; i++) H[i]! /= E128;
      Hexpnt += 128;
    }
    nn = Math.floor(nn / 2);
  }
  let p = Hpwr[(k - 1) * m + (k - 1)]!;
  // Multiply by n!/n^n
  for (let i = 1; i <= n; i++) {
    p = (i * p) / n;
    if (Math.abs(p) < EM128) {
      p *= E128;
      expnt -= 128;
    }
  }
  if (expnt !== 0) p = ldexp(p, expnt);
  return clip01(p);
}

function pomeranzJ1J2(i: number, n: number, ll: number, ceilf: number, roundf: number): [number, number] {
  let j1: number;
  let j2: number;
  if (i === 0) {
    j1 = -ll - ceilf - 1;
    j2 = ll + ceilf - 1;
  } else {
    const ip1div2 = Math.floor((i + 1) / 2);
    const ip1mod2 = (i + 1) % 2;
    if (ip1mod2 === 0) {
      if (ip1div2 === n + 1) {
        j1 = n - ll - ceilf - 1;
        j2 = n + ll + ceilf - 1;
      } else {
        j1 = ip1div2 - 1 - ll - roundf - 1;
        j2 = ip1div2 + ll - 1 + ceilf - 1;
      }
    } else {
      j1 = ip1div2 - 1 - ll - 1;
      j2 = ip1div2 + ll + roundf - 1;
    }
  }
  return [Math.max(j1 + 2, 0), Math.min(j2, n)];
}

/** P(D_n <= x) by the Pomeranz recursion. Best for moderate n·x². */
function kolmognPomeranz(n: number, x: number): number {
  const t = n * x;
  const ll = Math.floor(t);
  const f = t - ll;
  const g = Math.min(f, 1 - f);
  const ceilf = f > 0 ? 1 : 0;
  const roundf = f > 0.5 ? 1 : 0;
  const npwrs = 2 * (ll + 1);
  const gpower = new Float64Array(npwrs);
  const twogpower = new Float64Array(npwrs);
  const onem2gpower = new Float64Array(npwrs);
  gpower[0] = 1;
  twogpower[0] = 1;
  onem2gpower[0] = 1;
  const gOverN = g / n;
  const twoGOverN = (2 * g) / n;
  const oneMinus2GOverN = (1 - 2 * g) / n;
  for (let m = 1; m < npwrs; m++) {
    gpower[m] = (gpower[m - 1]! * gOverN) / m;
    twogpower[m] = (twogpower[m - 1]! * twoGOverN) / m;
    onem2gpower[m] = (onem2gpower[m - 1]! * oneMinus2GOverN) / m;
  }
  let V0 = new Float64Array(npwrs);
  let V1 = new Float64Array(npwrs);
  V1[0] = 1;
  let V0s = 0;
  let V1s = 0;
  let expnt = 0;
  let [j1, j2] = pomeranzJ1J2(0, n, ll, ceilf, roundf);
  for (let i = 1; i < 2 * n + 2; i++) {
    const k1 = j1;
    [V0, V1] = [V1, V0];
    [V0s, V1s] = [V1s, V0s];
    V1.fill(0);
    [j1, j2] = pomeranzJ1J2(i, n, ll, ceilf, roundf);
    const pwrs = i === 1 || i === 2 * n + 1 ? gpower : i % 2 ? twogpower : onem2gpower;
    const ln2 = j2 - k1 + 1;
    if (ln2 > 0) {
      // conv = convolve(V0[k1−V0s : k1−V0s+ln2], pwrs[:ln2]); keep conv[j1−k1 … j2−k1].
      const aStart = k1 - V0s;
      const aLen = Math.max(0, Math.min(ln2, npwrs - aStart));
      const bLen = Math.min(ln2, npwrs);
      const convStart = j1 - k1;
      const convLen = j2 - j1 + 1;
      let vmax = 0;
      for (let c = 0; c < convLen; c++) {
        const idx = convStart + c;
        let s = 0;
        const lo = Math.max(0, idx - (bLen - 1));
        const hi = Math.min(idx, aLen - 1);
        for (let q = lo; q <= hi; q++) s += V0[aStart + q]! * pwrs[idx - q]!;
        V1[c] = s;
        if (s > vmax) vmax = s;
      }
      if (vmax > 0 && vmax < EM128) {
        for (let c = 0; c < npwrs; c++) V1[c]! *= E128;
        expnt -= 128;
      }
      V1s = V0s + j1 - k1;
    }
  }
  let ans = V1[n - V1s]!;
  for (let m = 1; m <= n; m++) {
    if (Math.abs(ans) > E128) {
      ans *= EM128;
      expnt += 128;
    }
    ans *= m;
  }
  if (expnt !== 0) ans = ldexp(ans, expnt);
  return clip01(ans);
}

/** Pelz–Good asymptotic expansion of P(D_n <= x). Best for large n. */
function kolmognPelzGood(n: number, x: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const z = Math.sqrt(n) * x;
  const z2 = z * z;
  const z3 = z2 * z;
  const z4 = z2 * z2;
  const z6 = z4 * z2;
  const qlog = -PI2 / 8 / z2;
  if (qlog < MIN_LOG) return 0;
  let q = Math.exp(qlog);
  const k1a = -z2;
  const k1b = PI2 / 4;
  const k2a = 6 * z6 + 2 * z4;
  const k2b = ((2 * z4 - 5 * z2) * PI2) / 4;
  const k2c = (PI4 * (1 - 2 * z2)) / 16;
  const k3d = (PI6 * (5 - 30 * z2)) / 64;
  const k3c = (PI4 * (-60 * z2 + 212 * z4)) / 16;
  const k3b = (PI2 * (135 * z4 - 96 * z6)) / 4;
  const k3a = -30 * z6 - 90 * z ** 8;
  const K = [0, 0, 0, 0];
  const maxk = Math.ceil((16 * z) / Math.PI);
  // Horner scheme over odd integers m = 2k−1 of Σ c(m) q^{m²}.
  for (let k = maxk; k > 0; k--) {
    const m = 2 * k - 1;
    const m2 = m * m;
    const m4 = m2 * m2;
    const m6 = m4 * m2;
    const qpower = q ** (8 * k);
    K[0] = K[0]! * qpower + 1;
    K[1] = K[1]! * qpower + (k1a + k1b * m2);
    K[2] = K[2]! * qpower + (k2a + k2b * m2 + k2c * m4);
    K[3] = K[3]! * qpower + (k3a + k3b * m2 + k3c * m4 + k3d * m6);
  }
  const div = [z, 6 * z4, 72 * z ** 7, 6480 * z ** 10];
  for (let i = 0; i < 4; i++) K[i] = (K[i]! * q * SQRT2PI) / div[i]!;
  // The sums over all integers k for K2 and K3.
  q = Math.exp(-PI2 / 2 / z2);
  const sqrt3z = SQRT3 * z;
  let k2extra = 0;
  let k3extra = 0;
  for (let k = maxk; k > 0; k--) {
    const ks2 = k * k;
    const qp = q ** ks2;
    const kspi = Math.PI * k;
    k2extra += ks2 * qp;
    k3extra += (sqrt3z + kspi) * (sqrt3z - kspi) * ks2 * qp;
  }
  K[2] = K[2]! + (k2extra * PI2 * SQRT2PI) / (-36 * z3);
  K[3] = K[3]! + (k3extra * PI2 * SQRT2PI) / (216 * z6);
  let sum = 0;
  for (let i = 0; i < 4; i++) sum += K[i]! / n ** (i / 2);
  return sum;
}

function kolmogn(n: number, x: number, cdf: boolean): number {
  const pick = (cdfProb: number, sfProb: number): number => clip01(cdf ? cdfProb : sfProb);
  if (!Number.isInteger(n) || n <= 0 || Number.isNaN(x)) return Number.NaN;
  if (x >= 1) return pick(1, 0);
  if (x <= 0) return pick(0, 1);
  const t = n * x;
  if (t <= 1) {
    // Ruben–Gambino: 1/(2n) <= x <= 1/n
    if (t <= 0.5) return pick(0, 1);
    let prob: number;
    if (n <= 140) {
      prob = 1;
      for (let i = 1; i <= n; i++) prob *= i * (1 / n) * (2 * t - 1);
    } else prob = Math.exp(logNFactorialDivNPowN(n) + n * Math.log(2 * t - 1));
    return pick(prob, 1 - prob);
  }
  if (t >= n - 1) {
    const prob = 2 * (1 - x) ** n;
    return pick(1 - prob, prob);
  }
  if (x >= 0.5) {
    const prob = 2 * smirnovSf(n, x);
    return pick(1 - prob, prob);
  }
  const nx2 = t * x;
  if (n <= 140) {
    if (nx2 <= 0.754693) {
      const prob = kolmognDurbinMatrix(n, x);
      return pick(prob, 1 - prob);
    }
    if (nx2 <= 4) {
      const prob = kolmognPomeranz(n, x);
      return pick(prob, 1 - prob);
    }
    const prob = 2 * smirnovSf(n, x);
    return pick(1 - prob, prob);
  }
  if (!cdf) {
    if (nx2 >= 370) return 0;
    if (nx2 >= 2.2) return clip01(2 * smirnovSf(n, x));
  }
  let cdfProb: number;
  if (nx2 >= 18) cdfProb = 1;
  else if (n <= 100000 && n * x ** 1.5 <= 1.4) cdfProb = kolmognDurbinMatrix(n, x);
  else cdfProb = kolmognPelzGood(n, x);
  return pick(cdfProb, 1 - cdfProb);
}

/**
 * Survival function of the exact two-sided one-sample Kolmogorov–Smirnov statistic:
 * `P(D_n >= d)` — SciPy `kstwo.sf(d, n)` (Simard & L'Ecuyer 2011). Used by the asymptotic two-sample KS
 * p-value with `n = round(n₁n₂/(n₁+n₂))` (methods.md 1.1 step 3).
 *
 * Method by region (as SciPy): Ruben–Gambino closed forms for `n·d <= 1` and `n·d >= n−1`; `2·smirnov`
 * for `d >= 0.5`; for n <= 140 Durbin matrix (`n d² <= 0.754693`), Pomeranz (`<= 4`), else 2·smirnov;
 * for n > 140 the SF is `2·smirnov` when `n d² >= 2.2` (0 beyond 370), otherwise `1 − CDF` with the CDF
 * from Durbin (n <= 10^5 and `n d^1.5 <= 1.4`) or Pelz–Good.
 *
 * Edge cases: `d <= 0` → 1, `d >= 1` → 0; non-integer or non-positive `n` → NaN. Result clipped to [0, 1].
 *
 * @example kstwoSf(1 / 3, 5) // 0.532852674897 (methods.md vector 1.1-c)
 */
export function kstwoSf(d: number, n: number): number {
  return kolmogn(n, d, false);
}

/** CDF of the exact two-sided one-sample KS statistic, `P(D_n <= d)` — SciPy `kstwo.cdf(d, n)`. See {@link kstwoSf}. */
export function kstwoCdf(d: number, n: number): number {
  return kolmogn(n, d, true);
}
