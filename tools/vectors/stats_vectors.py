"""Regenerates the SciPy/NumPy reference vectors of src/core/stats (the *.scipy.vectors.json files).

Usage: python3 tools/vectors/stats_vectors.py   (needs numpy and scipy; run from the repository root)
The methods.md vectors live in the hand-written *.vectors.json files; these files add wide grids that
exercise every branch of the ports (kstwo regions, exact/asymptotic KS, AD, CvM, binning rules).
"""
import json
import sys

import numpy as np
import scipy
import scipy.special as sp
import scipy.stats as st

OUT = "src/core/stats/"
HEADER = {
    "source": "tools/vectors/stats_vectors.py",
    "scipy": scipy.__version__,
    "numpy": np.__version__,
}


def dump(name, payload):
    with open(OUT + name, "w") as f:
        json.dump({**HEADER, **payload}, f, indent=1, allow_nan=False)
        f.write("\n")


def kolmogorov():
    cases = []
    # every kstwo region: Ruben-Gambino, DMTW, Pomeranz, 2*smirnov, Pelz-Good, large n
    ns = [1, 2, 3, 5, 10, 20, 50, 100, 140, 141, 200, 500, 1000, 5000, 20000, 100000, 100001, 400000]
    for n in ns:
        extra = [lam / np.sqrt(n) for lam in (1.2, 1.5, 2.0, 3.0, 5.0, 10.0)] if n >= 1000 else []
        for d in extra + [0.001, 0.3 / n, 0.5 / n, 0.7 / n, 1.0 / n, 1.5 / n, 0.01, 0.02, 0.03, 0.05, 0.08, 0.1,
                  0.15, 0.2, 0.3, 0.45, 0.5, 0.6, 0.9, 1 - 0.5 / n, 0.999]:
            if not (0 < d < 1):
                continue
            sf = float(st.kstwo.sf(d, n))
            cdf = float(st.kstwo.cdf(d, n))
            cases.append({"n": n, "d": d, "sf": sf, "cdf": cdf})
    big = [{"x": x, "sf": float(st.kstwobign.sf(x)), "cdf": float(st.kstwobign.cdf(x))}
           for x in [0.03, 0.05, 0.1, 0.3, 0.5, 0.8, 0.82, 0.83, 1.0, 1.5, 2.0, 3.0, 5.0, 10.0]]
    smir = []
    for n in [2, 5, 10, 37, 100, 1000, 1012, 1013, 5000, 19999, 20001, 100000, 777777, 2000000]:
        for x in [0.001, 0.01, 0.05, 0.1, 0.2, 0.3, 0.5, 0.7, 0.95] + [lam / np.sqrt(n) for lam in (1.2, 2.0, 5.0)]:
            if x <= 1:
                smir.append({"n": n, "x": x, "sf": float(sp.smirnov(n, x))})
    dump("kolmogorov.scipy.vectors.json", {"tolerance": {"relative": 1e-9, "absolute": 1e-14},
                                           "kstwo": cases, "kstwobign": big, "smirnov": smir})


def lattice(n, a, c, p, q, shift=0.0):
    """Deterministic sample: ((i*a + c) % p) / q + shift, i = 0..n-1. Integer arithmetic and one IEEE
    division (plus an exact-enough addition), so the TypeScript tests rebuild identical doubles."""
    i = np.arange(n, dtype=np.int64)
    return ((i * a + c) % p).astype(np.float64) / q + shift


def spec(n, a, c, p, q, shift=0.0):
    return {"n": n, "a": a, "c": c, "p": p, "q": q, "shift": shift}


def build(sp_):
    return lattice(sp_["n"], sp_["a"], sp_["c"], sp_["p"], sp_["q"], sp_["shift"])


KS_CASES = [
    ("equal sizes, exact square", spec(50, 37, 3, 101, 101), spec(50, 41, 7, 103, 103, 0.1), "auto"),
    ("unequal sizes, exact inside method", spec(37, 11, 2, 97, 97), spec(53, 13, 5, 89, 89, 0.05), "auto"),
    ("heavy ties", spec(80, 3, 1, 7, 7), spec(60, 5, 2, 7, 7), "auto"),
    ("one tiny sample", spec(3, 1, 0, 5, 5), spec(40, 7, 1, 41, 41), "auto"),
    ("sizes 300 vs 1000", spec(300, 101, 7, 997, 997), spec(1000, 103, 3, 991, 991, 0.02), "auto"),
    ("sizes 10000 vs 9000 (auto exact)", spec(10000, 7919, 1, 10007, 10007), spec(9000, 7907, 3, 9001, 9001, 0.01), "auto"),
    ("sizes 20000 vs 15000 (asymp)", spec(20000, 7919, 1, 20011, 20011), spec(15000, 7907, 3, 15013, 15013, 0.01), "auto"),
    ("sizes 200000 each (asymp, no drift)", spec(200000, 7919, 1, 200003, 200003), spec(200000, 7907, 3, 199999, 199999), "auto"),
    ("sizes 200000 vs 150000 (asymp, drift)", spec(200000, 7919, 1, 200003, 200003), spec(150000, 7907, 3, 150001, 150001, 0.01), "auto"),
    ("forced asymp small", spec(37, 11, 2, 97, 97), spec(53, 13, 5, 89, 89, 0.05), "asymp"),
    ("forced exact 3000 vs 2000", spec(3000, 101, 7, 2999, 2999), spec(2000, 103, 3, 1999, 1999, 0.01), "exact"),
    ("identical", spec(100, 37, 3, 101, 101), spec(100, 37, 3, 101, 101), "auto"),
    ("disjoint", spec(30, 7, 1, 31, 31), spec(25, 3, 1, 29, 29, 5.0), "auto"),
]


def ks():
    cases = []
    for name, a, b, method in KS_CASES:
        r = st.ks_2samp(build(a), build(b), method=method)
        cases.append({"name": name, "ref": a, "cur": b, "method": method, "statistic": float(r.statistic),
                      "pValue": float(r.pvalue), "location": float(r.statistic_location),
                      "sign": int(r.statistic_sign)})
    dump("ks.scipy.vectors.json", {"tolerance": {"statistic": 1e-12, "pValue": 1e-6}, "cases": cases})


def distances():
    """Wasserstein (SciPy) and NumPy histogram edges / quantiles on lattice data."""
    pairs = [
        ("small", spec(13, 5, 1, 17, 3), spec(9, 4, 2, 11, 2, 0.5)),
        ("ties", spec(200, 3, 1, 7, 1), spec(150, 5, 2, 9, 1)),
        ("medium", spec(5000, 7919, 1, 10007, 97), spec(7000, 7907, 3, 9001, 89, 3.0)),
        ("large", spec(300000, 7919, 1, 200003, 1000), spec(250000, 7907, 3, 199999, 1000, 10.0)),
        ("constant reference", spec(50, 0, 3, 7, 1), spec(40, 3, 1, 7, 1)),
    ]
    w = []
    for name, a, b in pairs:
        x, y = build(a), build(b)
        w.append({"name": name, "ref": a, "cur": b, "w1": float(st.wasserstein_distance(x, y)),
                  "refStd": float(np.std(x))})
    edges = []
    for name, a in [("60 points", spec(60, 1, 0, 60, 1)), ("skewed", spec(1000, 7, 3, 997, 13)),
                    ("constant", spec(10, 0, 4, 7, 1)), ("two points", spec(2, 1, 0, 2, 1)),
                    ("large", spec(100000, 7919, 1, 100003, 7)),
                    ("squares", {"n": 500, "square": True})]:
        if a.get("square"):
            x = np.arange(500, dtype=np.float64) ** 2 / 1000.0
        else:
            x = build(a)
        edges.append({"name": name, "sample": a,
                      "sturges": [float(e) for e in np.histogram_bin_edges(x, bins="sturges")],
                      "doane": [float(e) for e in np.histogram_bin_edges(x, bins="doane")],
                      "quantiles": {str(q): float(np.quantile(x, q)) for q in [0, 0.1, 0.25, 0.5, 0.9, 0.95, 1]}})
    dump("distances.scipy.vectors.json", {"tolerance": {"relative": 1e-9}, "wasserstein": w, "edges": edges})


def anderson_cvm():
    import warnings
    warnings.simplefilter("ignore")
    from scipy.stats._hypotests import _cdf_cvm_inf
    ad = []
    for name, specs in [
        ("two samples", [spec(30, 7, 1, 31, 10), spec(40, 3, 2, 41, 10, 0.3)]),
        ("ties", [spec(50, 3, 1, 7, 1), spec(60, 5, 2, 9, 1)]),
        ("three samples", [spec(20, 7, 1, 23, 10), spec(25, 3, 2, 29, 10), spec(30, 11, 4, 31, 10, 0.2)]),
        ("large no drift", [spec(20000, 7919, 1, 20011, 20011), spec(15000, 7907, 3, 15013, 15013)]),
        ("large drift", [spec(20000, 7919, 1, 20011, 20011), spec(15000, 7907, 3, 15013, 15013, 0.02)]),
        ("small p capped", [spec(40, 1, 0, 40, 1), spec(40, 1, 0, 40, 1, 30.0)]),
    ]:
        r = st.anderson_ksamp([build(s_) for s_ in specs], variant="midrank")
        ad.append({"name": name, "samples": specs, "statistic": float(r.statistic), "pValue": float(r.pvalue)})
    cvm = []
    for name, a, b, method in [
        ("exact 8 vs 9", spec(8, 3, 1, 11, 4), spec(9, 5, 2, 13, 4), "exact"),
        ("exact ties", spec(10, 3, 1, 5, 1), spec(7, 2, 1, 5, 1), "exact"),
        ("exact 20 vs 19", spec(20, 7, 1, 23, 10), spec(19, 3, 2, 29, 10, 0.3), "exact"),
        ("exact 2 vs 3", spec(2, 1, 0, 2, 1), spec(3, 1, 0, 3, 1, 0.5), "exact"),
        ("asymptotic medium", spec(300, 101, 7, 997, 997), spec(200, 103, 3, 991, 991, 0.05), "asymptotic"),
        ("asymptotic ties", spec(300, 3, 1, 7, 1), spec(200, 5, 2, 9, 1), "asymptotic"),
        ("asymptotic large", spec(100000, 7919, 1, 100003, 100003), spec(80000, 7907, 3, 80021, 80021, 0.003), "asymptotic"),
        ("asymptotic strong drift", spec(500, 7, 1, 503, 503), spec(400, 3, 2, 401, 401, 0.3), "asymptotic"),
    ]:
        r = st.cramervonmises_2samp(build(a), build(b), method=method)
        cvm.append({"name": name, "ref": a, "cur": b, "method": method, "statistic": float(r.statistic),
                    "pValue": float(r.pvalue)})
    kve = [{"q": q, "kve": float(sp.kve(0.25, q))} for q in [1e-4, 1e-3, 0.01, 0.0625, 0.1, 0.5, 1, 2, 5, 10, 50, 100, 1000]]
    limit = [{"x": x, "cdf": float(_cdf_cvm_inf(x))} for x in [0.003, 0.01, 0.02, 0.05, 0.1, 0.2, 0.3, 0.5, 0.8, 1.0, 1.5, 2.0, 3.0]]
    dump("anderson-cvm.scipy.vectors.json", {"tolerance": {"statistic": 1e-9, "pValue": 1e-6, "special": 1e-12},
                                             "anderson": ad, "cvm": cvm, "kve": kve, "cvmLimitCdf": limit})


def categorical():
    tables = [[[10, 20, 30], [15, 25, 20]], [[5, 0, 7], [3, 4, 9]], [[100, 1], [90, 11]], [[1000, 2000, 500, 10], [980, 2100, 450, 30]],
              [[3, 4], [4, 3]], [[12, 7, 0, 1], [11, 0, 5, 2]]]
    cont = []
    for t in tables:
        arr = np.array(t)
        arr = arr[:, arr.sum(axis=0) > 0]
        s_, p_, dof, _ = st.chi2_contingency(arr)
        cont.append({"ref": t[0], "cur": t[1], "statistic": float(s_), "pValue": float(p_), "df": int(dof)})
    gof = []
    for ref, cur in [([50, 30, 20], [30, 45, 25]), ([10, 10, 10, 10], [12, 8, 11, 9]), ([300, 200, 100], [280, 240, 80])]:
        ref = np.array(ref, dtype=float)
        cur = np.array(cur, dtype=float)
        r = st.chisquare(cur, ref * cur.sum() / ref.sum())
        gof.append({"ref": ref.tolist(), "cur": cur.tolist(), "statistic": float(r.statistic), "pValue": float(r.pvalue)})
    chi2 = [{"x": x, "df": df, "sf": float(st.chi2.sf(x, df))} for x, df in
            [(0.5, 1), (3.84, 1), (10, 3), (100, 5), (1e-3, 2), (50, 40), (0.2, 0.5), (400, 7)]]
    dump("chisquare.scipy.vectors.json", {"tolerance": {"relative": 1e-9}, "contingency": cont, "goodnessOfFit": gof, "chi2Sf": chi2})


if __name__ == "__main__":
    which = sys.argv[1:] or ["kolmogorov", "ks", "distances", "anderson_cvm", "categorical"]
    for w in which:
        globals()[w]()
