"""Reference vectors for the Wilson score interval used by expectation evaluation.

Writes src/core/expectations/wilson-interval.vectors.json with
scipy.stats.binomtest(k, n).proportion_ci(confidence_level, method='wilson').
Run: python3 tools/vectors/wilson-interval.py
"""
import json
import pathlib

import scipy
from scipy.stats import binomtest

CASES = [
    (0, 10, 0.95), (5, 10, 0.95), (10, 10, 0.95), (1, 100, 0.95), (3, 200, 0.95),
    (20, 2000, 0.95), (985, 1000, 0.95), (990, 1000, 0.95), (999, 1000, 0.95), (81, 263, 0.95),
    (1, 1, 0.95), (0, 1, 0.95), (50, 100, 0.99), (7, 30, 0.9), (123456, 1000000, 0.95),
]

out = {
    "source": f"scipy.stats.binomtest(k, n).proportion_ci(confidence_level, method='wilson'), SciPy {scipy.__version__}",
    "tolerance": {"relative": 1e-9, "absolute": 1e-12},
    "cases": [],
}
for k, n, level in CASES:
    ci = binomtest(k, n).proportion_ci(confidence_level=level, method="wilson")
    out["cases"].append({"successes": k, "n": n, "level": level, "lower": ci.low, "upper": ci.high})

path = pathlib.Path(__file__).resolve().parents[2] / "src/core/expectations/wilson-interval.vectors.json"
path.write_text(json.dumps(out, indent=2) + "\n")
print(f"wrote {len(CASES)} cases to {path}")
