"""One small end-to-end training (module fixture) checked file by file, then a second run for determinism."""

import gzip
import json
from pathlib import Path

import numpy as np
import pytest
from helpers import SMALL_TRAINING, read_golden, read_mlmodel, score
from synthetic import applicants, write_csv

from vigie_training.cli import main
from vigie_training.package import PACKAGE_FILES
from vigie_training.schema import FIELDS, MODEL_FIELDS, input_schema

KINDS = {"1": "lightgbm", "2": "logistic_regression", "3": "lightgbm_tensorized"}
FIXTURE = Path(__file__).resolve().parents[3] / "tests" / "fixtures" / "input_schema.json"


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    root = tmp_path_factory.mktemp("training")
    data = write_csv(applicants(4000, seed=3), root / "applicants.csv")
    models = root / "models"
    args = ["--data", str(data), "--out", str(models), *SMALL_TRAINING]
    assert main([*args, "--promote", "--by", "vigie-bootstrap", "--reason", "first release"]) == 0
    return {"data": data, "models": models, "args": args}


def _package(trained, version):
    return trained["models"] / "credit-default" / version


@pytest.mark.parametrize("version", sorted(KINDS))
def test_each_package_has_every_file(trained, version):
    for name in PACKAGE_FILES:
        path = _package(trained, version) / name
        assert path.is_file() and path.stat().st_size > 0, name


@pytest.mark.parametrize("version", sorted(KINDS))
def test_mlmodel_carries_the_fields_the_typescript_side_reads(trained, version):
    document = read_mlmodel(_package(trained, version))
    assert document["flavors"]["onnx"]["data"] == "model.onnx"
    assert len(document["model_uuid"]) == 32 and document["run_id"] and document["utc_time_created"]
    metadata = document["metadata"]
    assert metadata["name"] == "credit-default" and metadata["version"] == version
    assert metadata["kind"] == KINDS[version]
    assert 0 < metadata["threshold"] < 1
    assert metadata["output"]["name"] == "probabilities" and metadata["output"]["layout"] in ("[N]", "[N,2]")
    assert set(metadata["metrics"]) == {"roc_auc", "brier", "log_loss", "business_cost_per_applicant"}
    assert metadata["data_fingerprint"].startswith("sha256:")
    assert {"lightgbm", "onnx", "onnxruntime", "scikit-learn"} <= set(metadata["library_versions"])
    inputs = json.loads(document["signature"]["inputs"])
    assert [i["name"] for i in inputs] == [spec.name for spec in MODEL_FIELDS]


@pytest.mark.parametrize("version", sorted(KINDS))
def test_the_package_schema_equals_the_fixture(trained, version):
    written = json.loads((_package(trained, version) / "input_schema.json").read_text(encoding="utf-8"))
    assert written == json.loads(FIXTURE.read_text(encoding="utf-8")) == input_schema()


@pytest.mark.parametrize("version", sorted(KINDS))
def test_metrics_cover_validation_threshold_groups_and_parity(trained, version):
    metrics = json.loads((_package(trained, version) / "metrics.json").read_text(encoding="utf-8"))
    validation = metrics["validation"]
    assert 0.6 < validation["roc_auc"] <= 0.99
    assert len(validation["calibration"]["bins"]) == 10
    assert {"precision", "recall", "f1", "business_cost"} <= set(validation["at_threshold"])
    assert set(validation["by_group"]) == {"CODE_GENDER", "NAME_CONTRACT_TYPE"}
    assert metrics["threshold"]["chosen_on"] == "calibration"
    assert sum(metrics["split"]["rows"].values()) == 4000
    assert (
        metrics["parity"]["p99_9_abs_diff"] <= 1e-5
        and metrics["parity"]["rows"] == metrics["split"]["rows"]["validation"]
    )
    explained = metrics["model"].get("feature_importance_gain") or metrics["model"]["coefficients"]
    assert "EXT_SOURCE_2" in list(explained)[:3]


@pytest.mark.parametrize("version", sorted(KINDS))
def test_golden_probabilities_are_what_onnx_runtime_computes_from_the_json_inputs(trained, version):
    from helpers import feeds_from_applicants

    package = _package(trained, version)
    golden = read_golden(package)
    assert len(golden) == 500
    assert all(set(line["input"]) == {spec.name for spec in FIELDS} for line in golden)
    computed = score(package, feeds_from_applicants([line["input"] for line in golden]))
    assert np.array_equal(computed, np.array([line["expected_probability"] for line in golden], dtype=np.float32))


def test_the_tensorized_graph_uses_no_tree_ensemble_operator(trained):
    import onnx

    model = onnx.load(str(_package(trained, "3") / "model.onnx"))
    assert not any(node.op_type.startswith("TreeEnsemble") for node in model.graph.node)


def test_the_tensorized_variant_matches_the_champion_within_1e_5(trained):
    from helpers import feeds_from_applicants

    inputs = [line["input"] for line in read_golden(_package(trained, "1"))]
    feeds = feeds_from_applicants(inputs)
    difference = np.abs(score(_package(trained, "1"), feeds) - score(_package(trained, "3"), feeds))
    assert difference.max() <= 1e-5


@pytest.mark.parametrize("version", sorted(KINDS))
def test_the_reference_profile_follows_the_documented_layout(trained, version):
    profile = json.loads((_package(trained, version) / "reference" / "profile.json").read_text(encoding="utf-8"))
    assert profile["source"] == "training split"
    assert set(profile["fields"]) == {spec.name for spec in MODEL_FIELDS}
    for entry in [*profile["fields"].values(), profile["prediction"]]:
        assert entry["count"] + entry["missing"] == profile["rows"]
        if entry["kind"] == "number":
            assert len(entry["bin_counts"]) == len(entry["edges"]) + 1 and sum(entry["bin_counts"]) == entry["count"]
            assert entry["edges"] == sorted(set(entry["edges"]))
        else:
            assert sum(entry["categories"].values()) == entry["count"]


def test_the_reference_sample_has_schema_columns_target_and_prediction(trained):
    with gzip.open(_package(trained, "1") / "reference" / "sample.csv.gz", "rt", encoding="utf-8") as handle:
        lines = handle.read().splitlines()
    assert lines[0].split(",") == [spec.name for spec in FIELDS] + ["TARGET", "prediction"]
    metrics = json.loads((_package(trained, "1") / "metrics.json").read_text(encoding="utf-8"))
    assert len(lines) - 1 == metrics["split"]["rows"]["train"]


def test_the_registry_holds_three_versions_with_their_aliases_and_history(trained):
    registry = json.loads((trained["models"] / "registry.json").read_text(encoding="utf-8"))
    model = registry["models"]["credit-default"]
    assert {v: e["kind"] for v, e in model["versions"].items()} == KINDS
    assert model["aliases"] == {"champion": "1", "fallback": "2", "challenger": "3"}
    actions = [(h["action"], h["by"]) for h in registry["history"]]
    assert actions.count(("register", "training")) == 3 and actions.count(("promote", "vigie-bootstrap")) == 3


def test_training_again_on_the_same_data_registers_nothing_and_moves_no_alias(trained):
    before = (trained["models"] / "registry.json").read_text(encoding="utf-8")
    assert main(trained["args"]) == 0
    assert (trained["models"] / "registry.json").read_text(encoding="utf-8") == before
    assert sorted(p.name for p in (trained["models"] / "credit-default").iterdir()) == ["1", "2", "3"]


def test_two_runs_give_byte_identical_models_and_identical_metrics(trained, tmp_path):
    assert main(["--data", str(trained["data"]), "--out", str(tmp_path), "--no-register", *SMALL_TRAINING]) == 0
    assert not (tmp_path / "registry.json").exists()
    for version in KINDS:
        first, second = _package(trained, version), tmp_path / "credit-default" / version
        assert (first / "model.onnx").read_bytes() == (second / "model.onnx").read_bytes()
        assert (first / "metrics.json").read_text() == (second / "metrics.json").read_text()
        assert (first / "golden.jsonl").read_text() == (second / "golden.jsonl").read_text()
        assert (first / "reference" / "sample.csv.gz").read_bytes() == (
            second / "reference" / "sample.csv.gz"
        ).read_bytes()


def test_the_benchmark_prints_rows_per_second_for_each_package_and_thread_count(trained, capsys):
    args = ["bench", "--models", str(trained["models"]), "--data", str(trained["data"]), "--rows", "300"]
    assert main([*args, "--repeats", "1", "--batch", "128"]) == 0
    lines = [line for line in capsys.readouterr().out.splitlines() if "rows/s" in line]
    assert len(lines) == 6 and all("batch=128" in line for line in lines)
