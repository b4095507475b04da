"""Logs a small training to a real `mlflow server` (SQLite backend, 127.0.0.1) and reads it back with the client."""

import socket
import subprocess
import sys
import time
import urllib.request

import pytest
from helpers import SMALL_TRAINING, read_mlmodel
from synthetic import applicants, write_csv

from vigie_training.cli import main

mlflow = pytest.importorskip(
    "mlflow", reason="mlflow is not installed (pip install -r models/training/requirements.txt)"
)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def mlflow_server(tmp_path):
    port = _free_port()
    command = [
        sys.executable,
        "-m",
        "mlflow",
        "server",
        "--backend-store-uri",
        f"sqlite:///{tmp_path / 'mlflow.db'}",
        "--artifacts-destination",
        str(tmp_path / "artifacts"),
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--workers",
        "1",
    ]
    log = open(tmp_path / "server.log", "wb")
    server = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, cwd=tmp_path)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while True:
        try:
            with urllib.request.urlopen(f"{url}/health", timeout=2) as response:
                if response.status == 200:
                    break
        except OSError:
            pass
        if server.poll() is not None or time.monotonic() > deadline:
            server.kill()
            pytest.fail("mlflow server did not start: " + (tmp_path / "server.log").read_text(errors="replace")[-2000:])
        time.sleep(0.5)
    yield url
    server.terminate()
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        server.kill()
    log.close()


def test_training_logs_runs_and_registers_model_versions(mlflow_server, tmp_path, monkeypatch):
    monkeypatch.setenv("MLFLOW_TRACKING_URI", mlflow_server)
    data = write_csv(applicants(3000, seed=4), tmp_path / "applicants.csv")
    models = tmp_path / "models"
    assert main(["--data", str(data), "--out", str(models), *SMALL_TRAINING]) == 0

    client = mlflow.tracking.MlflowClient(mlflow_server)
    experiment = client.get_experiment_by_name("vigie-training")
    runs = {run.data.tags["vigie.kind"]: run for run in client.search_runs([experiment.experiment_id])}
    assert set(runs) == {"lightgbm", "logistic_regression", "lightgbm_tensorized"}
    champion = runs["lightgbm"]
    assert champion.data.tags["vigie.data_fingerprint"].startswith("sha256:")
    assert "vigie.code_commit" in champion.data.tags
    assert champion.data.params["kind"] == "lightgbm" and "model.num_leaves" in champion.data.params
    assert 0.5 < champion.data.metrics["validation_roc_auc"] <= 1
    artifacts = {item.path for item in client.list_artifacts(champion.info.run_id, "model")}
    assert {"model/MLmodel", "model/model.onnx", "model/metrics.json"} <= artifacts

    versions = client.search_model_versions("name='credit-default'")
    assert sorted(v.tags["vigie.kind"] for v in versions) == ["lightgbm", "lightgbm_tensorized", "logistic_regression"]
    assert read_mlmodel(models / "credit-default" / "1")["run_id"] == champion.info.run_id
