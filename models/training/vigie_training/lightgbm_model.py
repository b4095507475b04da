"""LightGBM champion candidate: training (native categorical handling) and its trees in a neutral form."""

from __future__ import annotations

from dataclasses import asdict, dataclass

import lightgbm as lgb
import numpy as np

from .features import NUMERIC_FEATURES, TREE_FEATURES


@dataclass(frozen=True)
class LightgbmOptions:
    """Capped for serving speed: at most num_boost_round trees of at most num_leaves leaves and max_depth levels."""

    num_boost_round: int = 300
    num_leaves: int = 15
    max_depth: int = 5
    learning_rate: float = 0.2
    min_data_in_leaf: int = 100
    feature_fraction: float = 0.9
    bagging_fraction: float = 0.8
    bagging_freq: int = 1
    lambda_l2: float = 1.0
    cat_smooth: float = 10.0
    early_stopping_rounds: int = 30
    # One thread: the same trees on every machine, and no OpenMP spinning on a shared CPU.
    num_threads: int = 1


@dataclass
class Node:
    feature: int = -1  # -1 = leaf
    threshold: float = 0.0  # float32 value, rounded down: x <= threshold <=> x <= threshold64 for float32 x
    threshold64: float = 0.0  # LightGBM's own threshold
    categories: tuple[int, ...] = ()  # categorical split: these codes go left
    nan_left: bool = False
    left: int = -1
    right: int = -1
    value: float = 0.0  # leaf value (float64)

    @property
    def is_leaf(self) -> bool:
        return self.feature < 0

    @property
    def is_categorical(self) -> bool:
        return bool(self.categories)


def categorical_indices() -> list[int]:
    return list(range(len(NUMERIC_FEATURES), len(TREE_FEATURES)))


def params(options: LightgbmOptions, seed: int) -> dict[str, object]:
    return {
        "objective": "binary",
        "metric": "binary_logloss",
        "boosting_type": "gbdt",
        "num_leaves": options.num_leaves,
        "max_depth": options.max_depth,
        "learning_rate": options.learning_rate,
        "min_data_in_leaf": options.min_data_in_leaf,
        "feature_fraction": options.feature_fraction,
        "bagging_fraction": options.bagging_fraction,
        "bagging_freq": options.bagging_freq,
        "lambda_l2": options.lambda_l2,
        "cat_smooth": options.cat_smooth,
        "zero_as_missing": False,
        "use_missing": True,
        "seed": seed,
        "deterministic": True,
        "force_row_wise": True,
        "num_threads": options.num_threads,
        "verbosity": -1,
    }


def train(
    x_train: np.ndarray, y_train: np.ndarray, x_cal: np.ndarray, y_cal: np.ndarray, options: LightgbmOptions, seed: int
) -> lgb.Booster:
    """Fits on train, stops early on calibration; returns a booster holding only the kept trees."""
    train_set = lgb.Dataset(
        x_train.astype(np.float64),
        label=y_train,
        feature_name=list(TREE_FEATURES),
        categorical_feature=categorical_indices(),
        free_raw_data=False,
    )
    cal_set = lgb.Dataset(x_cal.astype(np.float64), label=y_cal, reference=train_set)
    booster = lgb.train(
        params(options, seed),
        train_set,
        num_boost_round=options.num_boost_round,
        valid_sets=[cal_set],
        valid_names=["calibration"],
        callbacks=[lgb.early_stopping(options.early_stopping_rounds, verbose=False)],
    )
    best = booster.best_iteration or booster.current_iteration()
    return lgb.Booster(model_str=booster.model_to_string(num_iteration=best))


def predict(booster: lgb.Booster, features: np.ndarray) -> np.ndarray:
    """Native probabilities (float64) on float32 features widened to float64, as the graph sees them."""
    return booster.predict(features.astype(np.float64), num_threads=1)


def round_down_float32(value: float) -> float:
    # LightGBM writes 1e300 for "everything goes left"; it becomes float32 max here, the same for finite inputs.
    with np.errstate(over="ignore"):
        rounded = np.float32(value)
    if float(rounded) > value:
        rounded = np.nextafter(rounded, np.float32(-np.inf))
    return float(rounded)


def _parse(structure: dict, nodes: list[Node]) -> int:
    index = len(nodes)
    node = Node()
    nodes.append(node)
    if "leaf_value" in structure:
        node.value = float(structure["leaf_value"])
        return index
    node.feature = int(structure["split_feature"])
    missing_type = structure["missing_type"]
    if structure["decision_type"] == "==":
        node.categories = tuple(sorted(int(c) for c in str(structure["threshold"]).split("||")))
        # Category codes are never NaN (missing is a code of its own), so nan_left is never used.
        node.nan_left = False
    else:
        threshold = float(structure["threshold"])
        node.threshold64 = threshold
        node.threshold = round_down_float32(threshold)
        if missing_type == "NaN":
            node.nan_left = bool(structure["default_left"])
        elif missing_type == "None":
            # LightGBM predicts NaN as 0.0 on a feature that had no missing value in training.
            node.nan_left = 0.0 <= threshold
        else:
            raise ValueError(f"unsupported LightGBM missing type {missing_type!r} (zero_as_missing is off)")
    node.left = _parse(structure["left_child"], nodes)
    node.right = _parse(structure["right_child"], nodes)
    return index


def trees(booster: lgb.Booster) -> list[list[Node]]:
    """Each tree as a list of nodes, root first (pre-order)."""
    dump = booster.dump_model()
    result = []
    for info in dump["tree_info"]:
        nodes: list[Node] = []
        _parse(info["tree_structure"], nodes)
        result.append(nodes)
    return result


def importance(booster: lgb.Booster) -> dict[str, float]:
    """Share of the total split gain per feature, largest first (ties by name)."""
    gains = booster.feature_importance(importance_type="gain")
    total = float(gains.sum()) or 1.0
    ranked = sorted(zip(booster.feature_name(), gains, strict=True), key=lambda item: (-item[1], item[0]))
    return {name: round(float(gain) / total, 6) for name, gain in ranked}


def describe(options: LightgbmOptions) -> dict[str, object]:
    return asdict(options)
