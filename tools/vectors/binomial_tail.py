"""Regenerates src/core/detectors/operational/binomial-tail.vectors.json with SciPy.

Upper tail P(X >= k) = scipy.stats.binom.sf(k - 1, n, p); lower tail P(X <= k) = scipy.stats.binom.cdf(k, n, p).
Run from the repository root: python3 tools/vectors/binomial_tail.py
"""
import json

import scipy
from scipy.stats import binom

UPPER = [(3, 10, 0.1), (1, 300, 0.001), (5, 300, 0.001), (12, 1660, 0.00213), (14, 441, 0.0001), (9, 300, 0.0025),
         (218, 1413, 0.003), (0, 50, 0.2), (51, 50, 0.2), (50, 50, 0.2), (8, 300, 0.01), (150, 300, 0.5)]
LOWER = [(0, 10, 0.5), (40, 223, 1 / 3), (5, 200, 0.3), (14, 44, 0.5), (5, 160, 0.5), (0, 160, 0.5), (30, 90, 1 / 3),
         (89, 90, 0.5), (90, 90, 0.5), (7, 1000, 0.02)]

cases = [{"name": f"upper k={k} n={n} p={p}", "tail": "upper", "k": k, "n": n, "p": p,
          "expected": float(binom.sf(k - 1, n, p))} for (k, n, p) in UPPER]
cases += [{"name": f"lower k={k} n={n} p={p:.6g}", "tail": "lower", "k": k, "n": n, "p": p,
           "expected": float(binom.cdf(k, n, p))} for (k, n, p) in LOWER]
doc = {
    "source": "scipy.stats.binom.sf(k - 1, n, p) for the upper tail P(X >= k) and scipy.stats.binom.cdf(k, n, p) "
              "for the lower tail P(X <= k)",
    "library": f"scipy {scipy.__version__}",
    "tolerance": "relative 1e-9",
    "cases": cases,
}
with open("src/core/detectors/operational/binomial-tail.vectors.json", "w") as f:
    f.write(json.dumps(doc, indent=2) + "\n")
