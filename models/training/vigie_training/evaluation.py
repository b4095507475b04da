"""Decision threshold and validation metrics. Probabilities are ONNX Runtime's, the numbers the API will serve."""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.metrics import roc_auc_score

# A missed default (approved, then defaults) costs 10 times a wrongly refused good client.
COST_FALSE_NEGATIVE = 10.0
COST_FALSE_POSITIVE = 1.0
THRESHOLD_GRID = np.round(np.arange(1, 1000) / 1000.0, 3)
CALIBRATION_BINS = 10
GROUP_FIELDS = ("CODE_GENDER", "NAME_CONTRACT_TYPE")
# An AUC above this on validation means the label leaked into the features.
LEAKAGE_AUC = 0.99


def _costs(y: np.ndarray, p: np.ndarray, thresholds: np.ndarray) -> np.ndarray:
    p = p.astype(np.float64)
    positives = np.sort(p[y == 1])
    negatives = np.sort(p[y == 0])
    # refuse when p >= t: a positive below t is a missed default; a negative at or above t is a wrong refusal.
    false_negatives = np.searchsorted(positives, thresholds, side="left")
    false_positives = len(negatives) - np.searchsorted(negatives, thresholds, side="left")
    return COST_FALSE_NEGATIVE * false_negatives + COST_FALSE_POSITIVE * false_positives


def choose_threshold(y: np.ndarray, p: np.ndarray) -> dict[str, float]:
    """Lowest business cost on the grid 0.001..0.999 (first minimum: the most lenient of equal-cost thresholds)."""
    costs = _costs(y, p, THRESHOLD_GRID)
    best = int(np.argmin(costs))
    return {
        "threshold": float(THRESHOLD_GRID[best]),
        "business_cost_per_applicant": float(costs[best] / len(y)),
        "grid": "0.001 to 0.999 by 0.001",
    }


def _auc(y: np.ndarray, p: np.ndarray) -> float | None:
    return float(roc_auc_score(y, p)) if len(np.unique(y)) == 2 else None


def _confusion(y: np.ndarray, refuse: np.ndarray) -> dict[str, int]:
    return {
        "true_positives": int(np.sum(refuse & (y == 1))),
        "false_positives": int(np.sum(refuse & (y == 0))),
        "true_negatives": int(np.sum(~refuse & (y == 0))),
        "false_negatives": int(np.sum(~refuse & (y == 1))),
    }


def _ratio(numerator: float, denominator: float) -> float | None:
    return float(numerator / denominator) if denominator else None


def calibration(y: np.ndarray, p: np.ndarray) -> dict[str, object]:
    """10 equal-width reliability bins on [0, 1] and the expected calibration error."""
    p = p.astype(np.float64)
    index = np.minimum((p * CALIBRATION_BINS).astype(np.int64), CALIBRATION_BINS - 1)
    bins = []
    ece = 0.0
    for b in range(CALIBRATION_BINS):
        mask = index == b
        count = int(mask.sum())
        entry: dict[str, object] = {"lower": b / CALIBRATION_BINS, "upper": (b + 1) / CALIBRATION_BINS, "count": count}
        if count:
            mean_predicted = float(p[mask].mean())
            observed = float(y[mask].mean())
            entry.update({"mean_predicted": mean_predicted, "observed_default_rate": observed})
            ece += count / len(y) * abs(observed - mean_predicted)
        else:
            entry.update({"mean_predicted": None, "observed_default_rate": None})
        bins.append(entry)
    return {"bins": bins, "expected_calibration_error": float(ece)}


def at_threshold(y: np.ndarray, p: np.ndarray, threshold: float) -> dict[str, object]:
    refuse = p.astype(np.float64) >= threshold
    confusion = _confusion(y, refuse)
    tp, fp, fn = confusion["true_positives"], confusion["false_positives"], confusion["false_negatives"]
    precision = _ratio(tp, tp + fp)
    recall = _ratio(tp, tp + fn)
    f1 = _ratio(2 * precision * recall, precision + recall) if precision is not None and recall is not None else None
    cost = COST_FALSE_NEGATIVE * fn + COST_FALSE_POSITIVE * fp
    return {
        "threshold": threshold,
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "approval_rate": float(np.mean(~refuse)),
        **confusion,
        "business_cost": {
            "cost_false_negative": COST_FALSE_NEGATIVE,
            "cost_false_positive": COST_FALSE_POSITIVE,
            "total": float(cost),
            "per_applicant": float(cost / len(y)),
            "approve_everyone_per_applicant": float(COST_FALSE_NEGATIVE * np.sum(y == 1) / len(y)),
        },
    }


def by_group(frame: pd.DataFrame, y: np.ndarray, p: np.ndarray, threshold: float) -> dict[str, object]:
    result: dict[str, object] = {}
    refuse = p.astype(np.float64) >= threshold
    for field in GROUP_FIELDS:
        values = frame[field].fillna("").to_numpy(dtype=object)
        groups = {}
        for value in sorted(set(values)):
            mask = values == value
            groups[value] = {
                "rows": int(mask.sum()),
                "default_rate": float(y[mask].mean()),
                "roc_auc": _auc(y[mask], p[mask]),
                "approval_rate": float(np.mean(~refuse[mask])),
            }
        result[field] = groups
    return result


def evaluate(frame: pd.DataFrame, y: np.ndarray, p: np.ndarray, threshold: float) -> dict[str, object]:
    p64 = np.clip(p.astype(np.float64), 1e-15, 1 - 1e-15)
    auc = _auc(y, p)
    return {
        "rows": int(len(y)),
        "defaults": int(np.sum(y == 1)),
        "roc_auc": auc,
        "brier": float(np.mean((p64 - y) ** 2)),
        "log_loss": float(-np.mean(y * np.log(p64) + (1 - y) * np.log(1 - p64))),
        "calibration": calibration(y, p),
        "at_threshold": at_threshold(y, p, threshold),
        "by_group": by_group(frame, y, p, threshold),
        "leakage_check": {"max_auc": LEAKAGE_AUC, "passed": auc is None or auc <= LEAKAGE_AUC},
    }


def parity(native: np.ndarray, onnx_output: np.ndarray) -> dict[str, object]:
    diff = np.abs(native.astype(np.float64) - onnx_output.astype(np.float64))
    return {
        "rows": int(len(diff)),
        "max_abs_diff": float(diff.max()) if len(diff) else 0.0,
        "p99_9_abs_diff": float(np.quantile(diff, 0.999)) if len(diff) else 0.0,
        "share_within_1e-5": float(np.mean(diff <= 1e-5)) if len(diff) else 1.0,
    }
