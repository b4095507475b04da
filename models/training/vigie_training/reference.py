"""Reference distribution for drift (docs/model-package.md): profile.json and sample.csv.gz from the training split."""

from __future__ import annotations

import csv
import gzip
import io
import json
import math
from pathlib import Path

import numpy as np
import pandas as pd

from .schema import FIELDS, MODEL_FIELDS, TARGET

DECILES = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]
SAMPLE_ROWS = 20_000


def number_profile(values: np.ndarray) -> dict[str, object]:
    values = values.astype(np.float64)
    present = values[~np.isnan(values)]
    profile: dict[str, object] = {
        "kind": "number",
        "count": int(len(present)),
        "missing": int(len(values) - len(present)),
        "missing_rate": float((len(values) - len(present)) / len(values)) if len(values) else 0.0,
    }
    if len(present) == 0:
        profile.update({"min": None, "max": None, "mean": None, "std": None, "edges": [], "bin_counts": []})
        return profile
    edges = np.unique(np.quantile(present, DECILES))
    bins = np.searchsorted(edges, present, side="left")
    profile.update(
        {
            "min": float(present.min()),
            "max": float(present.max()),
            "mean": float(present.mean()),
            "std": float(present.std()),
            "edges": [float(e) for e in edges],
            "bin_counts": [int(c) for c in np.bincount(bins, minlength=len(edges) + 1)],
        }
    )
    return profile


def category_profile(values: pd.Series, categories: tuple[str, ...]) -> dict[str, object]:
    present = values.dropna()
    counts = present.value_counts()
    missing = int(len(values) - len(present))
    return {
        "kind": "category",
        "count": int(len(present)),
        "missing": missing,
        "missing_rate": float(missing / len(values)) if len(values) else 0.0,
        "categories": {category: int(counts[category]) for category in categories if category in counts.index},
    }


def profile(train: pd.DataFrame, predictions: np.ndarray) -> dict[str, object]:
    """SK_ID_CURR is an identifier, not a model input: it is not profiled."""
    fields = {}
    for spec in MODEL_FIELDS:
        if spec.is_category:
            fields[spec.name] = category_profile(train[spec.name], spec.categories)
        else:
            fields[spec.name] = number_profile(train[spec.name].to_numpy(dtype=np.float64))
    return {
        "format_version": 1,
        "source": "training split",
        "rows": int(len(train)),
        "fields": fields,
        "prediction": number_profile(predictions.astype(np.float64)),
    }


def write_profile(path: Path, document: dict[str, object]) -> None:
    path.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def format_number(value: float) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    value = float(value)
    return str(int(value)) if value.is_integer() and abs(value) < 2**53 else repr(value)


def sample_indices(rows: int, seed: int, size: int) -> np.ndarray:
    if rows <= size:
        return np.arange(rows)
    return np.sort(np.random.default_rng(seed).choice(rows, size=size, replace=False))


def write_sample(path: Path, train: pd.DataFrame, predictions: np.ndarray, seed: int) -> int:
    """Columns: the input-schema fields in order, TARGET, prediction; empty cell = missing; gzip without mtime."""
    chosen = sample_indices(len(train), seed, SAMPLE_ROWS)
    rows = train.iloc[chosen]
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow([spec.name for spec in FIELDS] + [TARGET, "prediction"])
    columns = []
    for spec in FIELDS:
        column = rows[spec.name]
        if spec.is_category:
            columns.append(["" if v is None or (isinstance(v, float) and math.isnan(v)) else v for v in column])
        else:
            columns.append([format_number(v) for v in column.to_numpy(dtype=np.float64)])
    columns.append([str(int(v)) for v in rows[TARGET]])
    columns.append([repr(float(v)) for v in predictions[chosen]])
    writer.writerows(zip(*columns, strict=True))
    with open(path, "wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0) as handle:
        handle.write(text.getvalue().encode("utf-8"))
    return len(chosen)
