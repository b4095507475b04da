"""MLflow tracking, only when MLFLOW_TRACKING_URI is set: one run per package, then a registered model version."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .package import PackageContent
    from .pipeline import TrainOptions

EXPERIMENT = "vigie-training"


def enabled() -> bool:
    return bool(os.environ.get("MLFLOW_TRACKING_URI"))


def _flat_params(options: TrainOptions, content: PackageContent) -> dict[str, Any]:
    params: dict[str, Any] = {"kind": content.kind, "seed": options.seed, "rows": options.rows}
    for key, value in content.metrics["model"].get("options", {}).items():
        params[f"model.{key}"] = value
    for key, value in content.metrics["split"]["fractions"].items():
        params[f"split.{key}"] = value
    params["threshold"] = content.threshold
    return params


def _flat_metrics(content: PackageContent) -> dict[str, float]:
    validation = content.metrics["validation"]
    at = validation["at_threshold"]
    values = {
        **{f"validation_{k}": v for k, v in content.summary_metrics().items()},
        "validation_ece": validation["calibration"]["expected_calibration_error"],
        "validation_precision": at["precision"],
        "validation_recall": at["recall"],
        "validation_f1": at["f1"],
        "validation_approval_rate": at["approval_rate"],
        "parity_max_abs_diff": content.metrics["parity"]["max_abs_diff"],
        "parity_p99_9_abs_diff": content.metrics["parity"]["p99_9_abs_diff"],
    }
    return {k: float(v) for k, v in values.items() if v is not None}


@contextlib.contextmanager
def tracked_run(options: TrainOptions, content: PackageContent, provenance: dict[str, Any]) -> Iterator[str | None]:
    """Yields the MLflow run id (None when tracking is off) for the package's MLmodel run_id."""
    if not enabled():
        yield None
        return
    import mlflow

    mlflow.set_experiment(EXPERIMENT)
    with mlflow.start_run(run_name=f"{options.name}-{content.kind}") as run:
        mlflow.log_params(_flat_params(options, content))
        mlflow.log_metrics(_flat_metrics(content))
        mlflow.set_tags(
            {
                "vigie.model": options.name,
                "vigie.kind": content.kind,
                "vigie.data_fingerprint": provenance["data_fingerprint"],
                "vigie.code_commit": provenance["code_commit"],
                "vigie.model_sha256": content.sha256,
                "mlflow.source.git.commit": provenance["code_commit"],
            }
        )
        yield run.info.run_id


def log_package(directory: Path, content: PackageContent, name: str, version: str) -> None:
    """Logs the package directory as the run's `model` artifact and registers it as a model version."""
    if not enabled():
        return
    import mlflow
    from mlflow.tracking import MlflowClient

    run = mlflow.active_run()
    mlflow.log_artifacts(str(directory), artifact_path="model")
    client = MlflowClient()
    with contextlib.suppress(mlflow.exceptions.MlflowException):
        client.create_registered_model(name)
    source = f"{run.info.artifact_uri}/model"
    model_version = client.create_model_version(
        name,
        source,
        run_id=run.info.run_id,
        tags={"vigie.version": version, "vigie.kind": content.kind, "vigie.model_sha256": content.sha256},
        description=content.description,
    )
    mlflow.set_tag("vigie.registered_version", f"{name}/{version} (MLflow version {model_version.version})")
