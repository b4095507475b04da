"""Feature engineering, computed in float32 exactly as the ONNX preprocessing subgraph does (onnx_prefix.py).

The native libraries are trained and checked on these arrays, so a float32 graph input gives the tree models the
same feature values bit for bit: no training/serving skew and no threshold straddling.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .schema import CATEGORY_INPUTS, FIELD_BY_NAME, NOT_EMPLOYED_DAYS, NUMERIC_INPUTS

NOT_EMPLOYED_FLAG = "NOT_EMPLOYED"
# (name, numerator, denominator); DAYS_EMPLOYED means the masked value (NaN when not employed).
RATIOS: tuple[tuple[str, str, str], ...] = (
    ("CREDIT_INCOME_RATIO", "AMT_CREDIT", "AMT_INCOME_TOTAL"),
    ("ANNUITY_INCOME_RATIO", "AMT_ANNUITY", "AMT_INCOME_TOTAL"),
    ("ANNUITY_CREDIT_RATIO", "AMT_ANNUITY", "AMT_CREDIT"),
    ("CREDIT_GOODS_RATIO", "AMT_CREDIT", "AMT_GOODS_PRICE"),
    ("EMPLOYED_AGE_RATIO", "DAYS_EMPLOYED", "DAYS_BIRTH"),
)
ENGINEERED: tuple[str, ...] = (NOT_EMPLOYED_FLAG,) + tuple(name for name, _, _ in RATIOS)
# Numbers the models see: the raw numbers (DAYS_EMPLOYED masked), then the engineered ones.
NUMERIC_FEATURES: tuple[str, ...] = NUMERIC_INPUTS + ENGINEERED
# Tree models also see one integer code per category field, after the numbers.
TREE_FEATURES: tuple[str, ...] = NUMERIC_FEATURES + CATEGORY_INPUTS


def category_code_map(field_name: str) -> dict[str, float]:
    """Category -> code; missing ("") and anything unknown get the last code, a category of its own."""
    return {value: float(index) for index, value in enumerate(FIELD_BY_NAME[field_name].categories)}


def missing_code(field_name: str) -> float:
    return float(len(FIELD_BY_NAME[field_name].categories))


def numeric_features(frame: pd.DataFrame) -> np.ndarray:
    """[N, len(NUMERIC_FEATURES)] float32 with NaN for missing or undefined values."""
    raw = {name: frame[name].to_numpy(dtype=np.float64).astype(np.float32) for name in NUMERIC_INPUTS}
    not_employed = raw["DAYS_EMPLOYED"] == np.float32(NOT_EMPLOYED_DAYS)
    raw["DAYS_EMPLOYED"] = np.where(not_employed, np.float32(np.nan), raw["DAYS_EMPLOYED"]).astype(np.float32)
    columns = [raw[name] for name in NUMERIC_INPUTS]
    columns.append(not_employed.astype(np.float32))
    with np.errstate(divide="ignore", invalid="ignore"):
        for _, numerator, denominator in RATIOS:
            columns.append(np.divide(raw[numerator], raw[denominator], dtype=np.float32))
    return np.stack(columns, axis=1).astype(np.float32, copy=False)


def category_codes(frame: pd.DataFrame) -> np.ndarray:
    """[N, len(CATEGORY_INPUTS)] float32 codes (exact small integers)."""
    columns = []
    for name in CATEGORY_INPUTS:
        codes = frame[name].map(category_code_map(name)).fillna(missing_code(name))
        columns.append(codes.to_numpy(dtype=np.float32))
    return np.stack(columns, axis=1)


def tree_features(frame: pd.DataFrame) -> np.ndarray:
    return np.concatenate([numeric_features(frame), category_codes(frame)], axis=1)


def category_strings(frame: pd.DataFrame) -> pd.DataFrame:
    """Category fields as strings, "" for missing, as the graph receives them."""
    return pd.DataFrame({name: frame[name].fillna("").astype(str) for name in CATEGORY_INPUTS}, index=frame.index)


def onnx_feeds(frame: pd.DataFrame) -> dict[str, np.ndarray]:
    """One [N,1] tensor per model input field, as the TypeScript engine builds them."""
    feeds: dict[str, np.ndarray] = {}
    for name in NUMERIC_INPUTS:
        feeds[name] = frame[name].to_numpy(dtype=np.float64).astype(np.float32).reshape(-1, 1)
    strings = category_strings(frame)
    for name in CATEGORY_INPUTS:
        feeds[name] = strings[name].to_numpy(dtype=object).reshape(-1, 1)
    return feeds
