import pytest
from synthetic import applicants, write_csv

from vigie_training import pipeline
from vigie_training.cli import main


def test_the_default_data_is_taken_from_the_cache_when_present(tmp_path):
    cached = tmp_path / "applicants-1000-seed3.csv"
    cached.write_text("cached")
    assert pipeline.simulate_data(1000, 3, tmp_path) == cached


def test_a_failing_simulator_stops_training_with_a_way_out(tmp_path, monkeypatch):
    monkeypatch.setattr(pipeline, "REPO_ROOT", tmp_path)
    with pytest.raises(pipeline.TrainingError, match="pass --data <csv> instead"):
        pipeline.simulate_data(1000, 3, tmp_path / "cache")
    assert not (tmp_path / "cache" / "applicants-1000-seed3.csv").exists()


def test_validate_prints_the_report_of_a_good_file(tmp_path, capsys):
    path = write_csv(applicants(300), tmp_path / "data.csv")
    assert main(["validate", "--data", str(path), "--min-rows", "100", "--min-defaults", "5"]) == 0
    assert "300 rows, passed" in capsys.readouterr().out
