import json
from pathlib import Path

import numpy as np
import onnxruntime as ort
import yaml

from vigie_training.schema import MODEL_FIELDS

SMALL_TRAINING = ["--trees", "40", "--min-rows", "500", "--min-defaults", "20", "--seed", "7"]


def read_mlmodel(package: Path) -> dict:
    return yaml.safe_load((package / "MLmodel").read_text(encoding="utf-8"))


def feeds_from_applicants(applicants: list[dict]) -> dict[str, np.ndarray]:
    """Builds the graph inputs from JSON applicants the way the TypeScript engine does."""
    feeds = {}
    for spec in MODEL_FIELDS:
        values = [a.get(spec.name) for a in applicants]
        if spec.is_category:
            feeds[spec.name] = np.array(["" if v is None else v for v in values], dtype=object).reshape(-1, 1)
        else:
            feeds[spec.name] = np.array([np.nan if v is None else v for v in values], dtype=np.float32).reshape(-1, 1)
    return feeds


def score(package: Path, feeds: dict[str, np.ndarray]) -> np.ndarray:
    output = read_mlmodel(package)["metadata"]["output"]
    session = ort.InferenceSession(str(package / "model.onnx"), providers=["CPUExecutionProvider"])
    result = session.run([output["name"]], feeds)[0]
    return result[:, output["class_index"]] if output["layout"] == "[N,2]" else result


def read_golden(package: Path) -> list[dict]:
    return [json.loads(line) for line in (package / "golden.jsonl").read_text(encoding="utf-8").splitlines()]
