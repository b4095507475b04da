"""The training run: data -> split -> three models -> evaluation -> packages -> registry (-> MLflow)."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import onnxruntime as ort
import pandas as pd

from . import evaluation, lightgbm_model, logistic_model, registry, tensorized_onnx, tree_ensemble_onnx
from .data import Limits, file_fingerprint, read_dataset
from .features import onnx_feeds, tree_features
from .package import GOLDEN_ROWS, PackageContent, library_versions, write
from .schema import TARGET
from .split import SPLIT_METHOD, SplitFractions, assign_parts

REPO_ROOT = Path(__file__).resolve().parents[3]
DEFAULT_ROWS = 300_000
DEFAULT_SEED = 42
DEFAULT_ALIASES = {"lightgbm": "champion", "logistic_regression": "fallback", "lightgbm_tensorized": "challenger"}
KINDS = ("lightgbm", "logistic_regression", "lightgbm_tensorized")
PARITY_TOLERANCE = 1e-5
SCORING_BATCH = 16384


class TrainingError(Exception):
    pass


@dataclass
class TrainOptions:
    data: Path | None = None
    rows: int = DEFAULT_ROWS
    seed: int = DEFAULT_SEED
    out: Path = REPO_ROOT / "models"
    name: str = "credit-default"
    register: bool = True
    promote: bool = False
    by: str = "training"
    reason: str = ""
    cache_dir: Path = REPO_ROOT / ".vigie" / "training-data"
    limits: Limits = field(default_factory=Limits)
    fractions: SplitFractions = field(default_factory=SplitFractions)
    lightgbm: lightgbm_model.LightgbmOptions = field(default_factory=lightgbm_model.LightgbmOptions)
    logistic: logistic_model.LogisticOptions = field(default_factory=logistic_model.LogisticOptions)


@dataclass
class PackageResult:
    kind: str
    version: str
    path: Path
    status: str  # registered | already registered | not registered (--no-register)
    metrics: dict[str, float]
    parity: dict[str, Any]


def log(message: str) -> None:
    print(f"[train] {message}", file=sys.stderr, flush=True)


def simulate_data(rows: int, seed: int, cache_dir: Path) -> Path:
    """The default data set: `vigie simulate applicants` with a fixed seed, generated once into the cache."""
    target = cache_dir / f"applicants-{rows}-seed{seed}.csv"
    if target.exists():
        return target
    cache_dir.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".partial.csv")
    command = [
        "npm",
        "run",
        "-s",
        "vigie",
        "--",
        "simulate",
        "applicants",
        "--rows",
        str(rows),
        "--seed",
        str(seed),
        "--out",
        str(partial),
    ]
    log("generating the default data: " + " ".join(command))
    result = subprocess.run(command, cwd=REPO_ROOT, capture_output=True, text=True)
    if result.returncode != 0 or not partial.exists():
        detail = (result.stderr or result.stdout).strip().splitlines()
        raise TrainingError(
            "could not generate the default data with `vigie simulate applicants` "
            f"(exit {result.returncode}: {detail[-1] if detail else 'no output'}); pass --data <csv> instead"
        )
    partial.replace(target)
    return target


def git_commit() -> tuple[str, bool]:
    """HEAD and whether the pipeline's own code differs from it (a run from uncommitted code says so)."""
    try:
        head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=REPO_ROOT, capture_output=True, text=True, check=True)
        status = subprocess.run(
            ["git", "status", "--porcelain", "--", "models/training"],
            cwd=REPO_ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
        return head.stdout.strip(), bool(status.stdout.strip())
    except (OSError, subprocess.CalledProcessError):
        return "unknown", False


def session(model_bytes: bytes, threads: int = 1) -> ort.InferenceSession:
    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.log_severity_level = 3
    return ort.InferenceSession(model_bytes, options, providers=["CPUExecutionProvider"])


def onnx_probabilities(model_bytes: bytes, frame: pd.DataFrame, output: dict[str, Any]) -> np.ndarray:
    """In batches: the tensorized graph holds several [batch, trees] tensors per level."""
    scorer = session(model_bytes, threads=1)
    feeds = onnx_feeds(frame)
    chunks = []
    for start in range(0, len(frame), SCORING_BATCH):
        batch = {name: values[start : start + SCORING_BATCH] for name, values in feeds.items()}
        result = scorer.run([output["name"]], batch)[0]
        chunks.append(result[:, output["class_index"]] if output["layout"] == "[N,2]" else result)
    return np.concatenate(chunks) if chunks else np.zeros(0, np.float32)


def _golden_positions(validation_rows: int, seed: int) -> np.ndarray:
    if validation_rows <= GOLDEN_ROWS:
        return np.arange(validation_rows)
    return np.sort(np.random.default_rng(seed + 1).choice(validation_rows, size=GOLDEN_ROWS, replace=False))


def build_contents(options: TrainOptions, frame: pd.DataFrame, parts: np.ndarray) -> list[PackageContent]:
    y = frame[TARGET].to_numpy(dtype=np.int64)
    frames = [frame[parts == p].reset_index(drop=True) for p in (0, 1, 2)]
    ys = [y[parts == p] for p in (0, 1, 2)]
    features = [tree_features(f) for f in frames]

    log(f"training LightGBM on {len(ys[0])} rows (early stopping on {len(ys[1])} calibration rows)")
    started = time.time()
    booster = lightgbm_model.train(features[0], ys[0], features[1], ys[1], options.lightgbm, options.seed)
    trees = lightgbm_model.trees(booster)
    log(f"LightGBM: {len(trees)} trees in {time.time() - started:.1f} s")
    native_tree = lightgbm_model.predict(booster, features[2])

    log("training the logistic regression")
    logistic = logistic_model.train(frames[0], ys[0], options.logistic, options.seed)
    native_logistic = logistic_model.predict(logistic, frames[2])

    champion_bytes = tree_ensemble_onnx.build(trees).SerializeToString()
    graphs = {
        "lightgbm": (
            champion_bytes,
            {"name": "probabilities", "layout": "[N]", "class_index": 1},
            native_tree,
            f"LightGBM, {len(trees)} trees of at most {options.lightgbm.num_leaves} leaves, one TreeEnsemble op",
        ),
        "logistic_regression": (
            logistic_model.build(logistic, frames[0]).SerializeToString(),
            {"name": "probabilities", "layout": "[N,2]", "class_index": 1},
            native_logistic,
            "Logistic regression: median imputation, standardisation, one-hot categories",
        ),
        "lightgbm_tensorized": (
            tensorized_onnx.build(trees).SerializeToString(),
            {"name": "probabilities", "layout": "[N]", "class_index": 1},
            native_tree,
            "The LightGBM trees as standard tensor operators (batched GEMM over all trees), for GPU providers",
        ),
    }
    golden = _golden_positions(len(frames[2]), options.seed)
    champion_validation = None
    contents = []
    for kind in KINDS:
        model_bytes, output, native, description = graphs[kind]
        log(f"evaluating {kind}")
        predicted = [onnx_probabilities(model_bytes, f, output) for f in frames]
        chosen = evaluation.choose_threshold(ys[1], predicted[1])
        threshold = chosen["threshold"]
        parity = evaluation.parity(native, predicted[2])
        parity["tolerance"] = PARITY_TOLERANCE
        parity["compared"] = "native library (float64) vs ONNX Runtime (Python, CPU) on the whole validation split"
        parity["explanation"] = _parity_explanation(kind)
        metrics: dict[str, Any] = {
            "format_version": 1,
            "kind": kind,
            "probabilities_from": "ONNX Runtime (Python, CPU), as served",
            "split": {
                "method": SPLIT_METHOD,
                "fractions": asdict(options.fractions),
                "rows": {"train": len(ys[0]), "calibration": len(ys[1]), "validation": len(ys[2])},
                "defaults": {
                    "train": int(ys[0].sum()),
                    "calibration": int(ys[1].sum()),
                    "validation": int(ys[2].sum()),
                },
                "uses": {
                    "train": "fitting (model and preprocessing statistics)",
                    "calibration": "LightGBM early stopping and the decision threshold",
                    "validation": "these metrics only",
                },
            },
            "threshold": {**chosen, "chosen_on": "calibration", "rule": "refuse when probability >= threshold"},
            "validation": evaluation.evaluate(frames[2], ys[2], predicted[2], threshold),
            "train": {"roc_auc": evaluation._auc(ys[0], predicted[0])},
            "calibration_split": {"roc_auc": evaluation._auc(ys[1], predicted[1])},
            "parity": parity,
            "model": _model_summary(kind, options, trees, booster, logistic),
        }
        if kind == "lightgbm":
            champion_validation = predicted[2]
        elif kind == "lightgbm_tensorized" and champion_validation is not None:
            metrics["parity"]["vs_champion_graph_max_abs_diff"] = float(
                np.max(np.abs(predicted[2] - champion_validation))
            )
        contents.append(
            PackageContent(
                kind=kind,
                description=description,
                model_bytes=model_bytes,
                output=output,
                threshold=threshold,
                metrics=metrics,
                train_frame=frames[0],
                train_predictions=predicted[0],
                golden_frame=frames[2].iloc[golden].reset_index(drop=True),
                golden_predictions=predicted[2][golden],
            )
        )
    return contents


def _parity_explanation(kind: str) -> str:
    if kind == "logistic_regression":
        return (
            "scikit-learn computes in float64, the graph (skl2onnx Scaler, LinearClassifier) in float32: "
            "differences are float32 rounding of the standardised values and the linear score."
        )
    return (
        "Features are computed in float32 identically in the graph and for the native model, and thresholds are "
        "rounded down to float32 (exact for float32 inputs), so every row takes the same tree paths; the remaining "
        "difference is float32 rounding of leaf values and the sigmoid."
    )


def _model_summary(kind: str, options: TrainOptions, trees: list, booster: Any, logistic: Any) -> dict[str, Any]:
    if kind == "logistic_regression":
        return {
            "library": "scikit-learn",
            "options": logistic_model.describe(options.logistic),
            "seed": options.seed,
            "coefficients": logistic_model.coefficients(logistic),
        }
    summary = {
        "library": "lightgbm",
        "options": lightgbm_model.describe(options.lightgbm),
        "seed": options.seed,
        "trees": len(trees),
        "max_leaves": max(sum(1 for n in t if n.is_leaf) for t in trees),
        "feature_importance_gain": lightgbm_model.importance(booster),
    }
    if kind == "lightgbm_tensorized":
        summary["strategy"] = (
            "batched GEMM over all trees (Hummingbird GEMM, splits read by Gather), standard ONNX operators only"
        )
    return summary


def check_acceptance(contents: list[PackageContent]) -> list[str]:
    """Problems that make the packages unfit to register (parity or leakage)."""
    problems = []
    for content in contents:
        parity = content.metrics["parity"]
        if parity["p99_9_abs_diff"] > PARITY_TOLERANCE:
            problems.append(f"{content.kind}: ONNX parity p99.9 {parity['p99_9_abs_diff']:.2e} > {PARITY_TOLERANCE}")
        if not content.metrics["validation"]["leakage_check"]["passed"]:
            problems.append(f"{content.kind}: validation AUC above {evaluation.LEAKAGE_AUC} (label leakage?)")
    return problems


def run(options: TrainOptions) -> list[PackageResult]:
    data_path = options.data or simulate_data(options.rows, options.seed, options.cache_dir)
    log(f"reading {data_path}")
    frame, report = read_dataset(Path(data_path), options.limits)
    log(report.render())
    parts = assign_parts(frame["SK_ID_CURR"].to_numpy(), options.fractions)
    for part, label in enumerate(("train", "calibration", "validation")):
        part_y = frame[TARGET].to_numpy()[parts == part]
        if len(np.unique(part_y)) < 2:
            raise TrainingError(f"the {label} split has {len(part_y)} rows and a single class: more data is needed")

    contents = build_contents(options, frame, parts)
    problems = check_acceptance(contents)
    if problems:
        raise TrainingError("packages not written: " + "; ".join(problems))

    commit, dirty = git_commit()
    provenance_base = {
        "data_fingerprint": file_fingerprint(Path(data_path)),
        "code_commit": commit,
        "code_dirty": dirty,
        "library_versions": library_versions(),
        "training": {
            "rows": int(len(frame)),
            "seed": options.seed,
            "split": "by SK_ID_CURR hash",
            "train_rows": int(np.sum(parts == 0)),
            "calibration_rows": int(np.sum(parts == 1)),
            "validation_rows": int(np.sum(parts == 2)),
        },
    }
    return publish(options, contents, provenance_base)


def publish(options: TrainOptions, contents: list[PackageContent], provenance: dict[str, Any]) -> list[PackageResult]:
    out = options.out
    out.mkdir(parents=True, exist_ok=True)
    if not options.register:
        return _publish(options, contents, provenance, {"format_version": 1, "models": {}, "history": []})
    with registry.locked(out):
        return _publish(options, contents, provenance, registry.load(out))


def _publish(
    options: TrainOptions, contents: list[PackageContent], provenance: dict[str, Any], document: dict[str, Any]
) -> list[PackageResult]:
    from . import mlflow_logging

    out = options.out
    results = []
    for content in contents:
        existing = registry.find_by_sha256(document, options.name, content.sha256) if options.register else None
        if existing is not None:
            log(f"{content.kind}: same model.onnx as {options.name} version {existing}, not registered again")
            results.append(_result(content, existing, out / options.name / existing, "already registered"))
            continue
        version = registry.next_version(document, options.name)
        final = out / options.name / version
        if final.exists():
            raise TrainingError(f"{final} exists but is not in the registry: move it away or register it")
        staging = Path(tempfile.mkdtemp(prefix=f".staging-{content.kind}-", dir=out))
        try:
            with mlflow_logging.tracked_run(options, content, provenance) as run_id:
                write(staging, content, options.name, version, run_id or uuid.uuid4().hex, provenance, options.seed)
                mlflow_logging.log_package(staging, content, options.name, version)
            final.parent.mkdir(parents=True, exist_ok=True)
            staging.replace(final)
        finally:
            if staging.exists():
                shutil.rmtree(staging)
        entry = {
            "path": f"{options.name}/{version}",
            "kind": content.kind,
            "created_at": registry.now_iso(),
            "model_sha256": content.sha256,
            "metrics": content.summary_metrics(),
            "threshold": content.threshold,
            "data_fingerprint": provenance["data_fingerprint"],
            "description": content.description,
        }
        # Without --no-register the document is only a scratch copy: versions still count up, nothing is saved.
        registry.register(
            document, options.name, version, entry, "training", f"trained on {provenance['data_fingerprint']}"
        )
        if options.promote:
            alias = DEFAULT_ALIASES[content.kind]
            if document["models"][options.name]["aliases"].get(alias) != version:
                registry.promote(document, options.name, alias, version, options.by, options.reason or "first release")
        if options.register:
            registry.save(out, document)
        log(f"{content.kind}: wrote {final}")
        results.append(_result(content, version, final, "registered" if options.register else "not registered"))
    return results


def _result(content: PackageContent, version: str, path: Path, status: str) -> PackageResult:
    return PackageResult(content.kind, version, path, status, content.summary_metrics(), content.metrics["parity"])
