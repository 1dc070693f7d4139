"""Reference vectors for src/core/metrics/classification.ts and regression.ts, from scikit-learn.

Run: python3 tools/vectors/classification_regression.py  (writes the two .vectors.json files)
Made with scikit-learn 1.6.1, NumPy 2.x. Probabilities stay inside (0, 1) and rows sum to 1, so the
log-loss clipping (1e-15 vs float64 eps) and renormalisation choices of different releases agree.
"""
import json
import pathlib

import numpy as np
import sklearn
from sklearn import metrics

root = pathlib.Path(__file__).resolve().parents[2] / "src" / "core" / "metrics"


def classification_case(name, y_true, y_pred, proba, labels, pos_label=None):
    binary = len(labels) == 2
    avg = "binary" if binary else "macro"
    kw = {"pos_label": pos_label} if binary else {}
    out = {
        "name": name,
        "labels": labels,
        "actual": y_true,
        "predicted": y_pred,
        "proba": proba,
        "accuracy": metrics.accuracy_score(y_true, y_pred),
        "precision": metrics.precision_score(y_true, y_pred, average=avg, zero_division=0, labels=labels, **kw),
        "recall": metrics.recall_score(y_true, y_pred, average=avg, zero_division=0, labels=labels, **kw),
        "f1": metrics.f1_score(y_true, y_pred, average=avg, zero_division=0, labels=labels, **kw),
        "confusionMatrix": metrics.confusion_matrix(y_true, y_pred, labels=labels).tolist(),
    }
    if proba is not None:
        p = np.array(proba)
        if binary:
            y_bin = [1 if y == pos_label else 0 for y in y_true]
            out["rocAuc"] = metrics.roc_auc_score(y_bin, p)
            out["logLoss"] = metrics.log_loss(y_bin, p)
        else:
            out["rocAuc"] = metrics.roc_auc_score(y_true, p, multi_class="ovr", average="macro", labels=labels)
            out["logLoss"] = metrics.log_loss(y_true, p, labels=labels)
    return {k: (float(v) if isinstance(v, (np.floating, float)) else v) for k, v in out.items()}


cases = [
    classification_case(
        "binary 0/1 with a tied score",
        ["0", "1", "1", "0", "1", "1", "0", "0", "1", "0"],
        ["0", "1", "0", "0", "1", "1", "1", "0", "1", "1"],
        [0.1, 0.9, 0.4, 0.35, 0.8, 0.7, 0.6, 0.2, 0.6, 0.65],
        ["0", "1"],
        pos_label="1",
    ),
    classification_case(
        "binary no/yes",
        ["no", "yes", "yes", "no", "no", "yes", "no", "no"],
        ["no", "yes", "no", "no", "yes", "yes", "no", "no"],
        [0.2, 0.85, 0.45, 0.3, 0.55, 0.9, 0.05, 0.4],
        ["no", "yes"],
        pos_label="yes",
    ),
    classification_case(
        "binary, nothing predicted positive (zero division)",
        ["0", "1", "1", "0"],
        ["0", "0", "0", "0"],
        None,
        ["0", "1"],
        pos_label="1",
    ),
    classification_case(
        "three classes",
        ["cat", "dog", "bird", "cat", "dog", "bird", "cat", "dog", "cat", "bird"],
        ["cat", "dog", "cat", "cat", "bird", "bird", "dog", "dog", "cat", "bird"],
        [
            [0.2, 0.7, 0.1],
            [0.1, 0.2, 0.7],
            [0.3, 0.5, 0.2],
            [0.1, 0.8, 0.1],
            [0.5, 0.2, 0.3],
            [0.6, 0.3, 0.1],
            [0.2, 0.3, 0.5],
            [0.2, 0.2, 0.6],
            [0.1, 0.6, 0.3],
            [0.4, 0.4, 0.2],
        ],
        ["bird", "cat", "dog"],
    ),
]


def regression_case(name, y_true, y_pred):
    return {
        "name": name,
        "actual": y_true,
        "predicted": y_pred,
        "mae": float(metrics.mean_absolute_error(y_true, y_pred)),
        "rmse": float(np.sqrt(metrics.mean_squared_error(y_true, y_pred))),
        "mape": float(metrics.mean_absolute_percentage_error(y_true, y_pred)),
        "r2": float(metrics.r2_score(y_true, y_pred)),
    }


regression = [
    regression_case("scikit-learn docstring example", [3, -0.5, 2, 7], [2.5, 0.0, 2, 8]),
    regression_case("an actual zero makes MAPE huge", [0, 1.5, 2.25, 10], [0.5, 1.0, 2.0, 9.0]),
    regression_case("constant actual values, imperfect fit", [4, 4, 4], [3, 4, 5]),
    regression_case("constant actual values, perfect fit", [4, 4, 4], [4, 4, 4]),
]

header = f"scikit-learn {sklearn.__version__}, numpy {np.__version__}; tools/vectors/classification_regression.py; compare with relative tolerance 1e-12"
(root / "classification.vectors.json").write_text(json.dumps({"source": header, "cases": cases}, indent=1) + "\n")
(root / "regression.vectors.json").write_text(json.dumps({"source": header, "cases": regression}, indent=1) + "\n")
