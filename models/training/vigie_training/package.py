"""Writes one model package directory (CONTRACT.md section 2, docs/model-package.md)."""

from __future__ import annotations

import hashlib
import json
import math
import platform
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import metadata as importlib_metadata
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml

from .reference import profile, write_profile, write_sample
from .schema import FIELDS, MODEL_FIELDS, input_schema_json

GOLDEN_ROWS = 500
LIBRARIES = ("lightgbm", "onnx", "onnxruntime", "scikit-learn", "skl2onnx", "numpy", "pandas", "scipy")
PACKAGE_FILES = (
    "MLmodel",
    "model.onnx",
    "input_schema.json",
    "metrics.json",
    "golden.jsonl",
    "reference/profile.json",
    "reference/sample.csv.gz",
)


@dataclass
class PackageContent:
    """Everything one package holds, computed before its version is known."""

    kind: str
    description: str
    model_bytes: bytes
    output: dict[str, Any]  # {name, layout, class_index}
    threshold: float
    metrics: dict[str, Any]
    train_frame: pd.DataFrame
    train_predictions: np.ndarray
    golden_frame: pd.DataFrame
    golden_predictions: np.ndarray

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.model_bytes).hexdigest()

    @property
    def model_uuid(self) -> str:
        return str(uuid.UUID(bytes=hashlib.sha256(self.model_bytes).digest()[:16], version=4).hex)

    def summary_metrics(self) -> dict[str, float]:
        validation = self.metrics["validation"]
        return {
            "roc_auc": validation["roc_auc"],
            "brier": validation["brier"],
            "log_loss": validation["log_loss"],
            "business_cost_per_applicant": validation["at_threshold"]["business_cost"]["per_applicant"],
        }


def library_versions() -> dict[str, str]:
    versions = {"python": platform.python_version()}
    for name in LIBRARIES:
        versions[name] = importlib_metadata.version(name)
    return versions


def _json_value(value: Any) -> Any:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, (float, np.floating)):
        number = float(value)
        return int(number) if number.is_integer() and abs(number) < 2**53 else number
    if isinstance(value, (int, np.integer)):
        return int(value)
    return value


def golden_lines(frame: pd.DataFrame, predictions: np.ndarray) -> str:
    lines = []
    for position in range(len(frame)):
        row = frame.iloc[position]
        applicant = {spec.name: _json_value(row[spec.name]) for spec in FIELDS}
        lines.append(json.dumps({"input": applicant, "expected_probability": float(predictions[position])}))
    return "\n".join(lines) + "\n"


def _signature() -> dict[str, str]:
    inputs = [
        {"type": "string" if spec.is_category else "float", "name": spec.name, "required": True}
        for spec in MODEL_FIELDS
    ]
    return {"inputs": json.dumps(inputs), "outputs": json.dumps([{"type": "float", "name": "probabilities"}])}


def mlmodel(
    content: PackageContent, name: str, version: str, run_id: str, provenance: dict[str, Any]
) -> dict[str, Any]:
    import onnx

    return {
        "artifact_path": "model",
        "flavors": {
            "onnx": {
                "onnx_version": onnx.__version__,
                "data": "model.onnx",
                "providers": ["CPUExecutionProvider"],
                "code": None,
            }
        },
        "model_uuid": content.model_uuid,
        "run_id": run_id,
        "utc_time_created": datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S.%f"),
        "signature": _signature(),
        "metadata": {
            "format_version": 1,
            "name": name,
            "version": version,
            "kind": content.kind,
            "description": content.description,
            "threshold": content.threshold,
            "output": content.output,
            "metrics": content.summary_metrics(),
            "model_sha256": content.sha256,
            "data_fingerprint": provenance["data_fingerprint"],
            "code_commit": provenance["code_commit"],
            "code_dirty": provenance["code_dirty"],
            "library_versions": provenance["library_versions"],
            "training": provenance["training"],
        },
    }


def write(
    directory: Path,
    content: PackageContent,
    name: str,
    version: str,
    run_id: str,
    provenance: dict[str, Any],
    seed: int,
) -> None:
    (directory / "reference").mkdir(parents=True, exist_ok=True)
    (directory / "model.onnx").write_bytes(content.model_bytes)
    (directory / "input_schema.json").write_text(input_schema_json(), encoding="utf-8")
    (directory / "metrics.json").write_text(json.dumps(content.metrics, indent=2) + "\n", encoding="utf-8")
    (directory / "golden.jsonl").write_text(
        golden_lines(content.golden_frame, content.golden_predictions), encoding="utf-8"
    )
    write_profile(directory / "reference" / "profile.json", profile(content.train_frame, content.train_predictions))
    write_sample(directory / "reference" / "sample.csv.gz", content.train_frame, content.train_predictions, seed)
    document = mlmodel(content, name, version, run_id, provenance)
    (directory / "MLmodel").write_text(yaml.safe_dump(document, sort_keys=False, allow_unicode=True), encoding="utf-8")
