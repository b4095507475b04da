"""One failure per class of data problem, each stopping training with a report that names it."""

import pytest
from synthetic import applicants, write_csv

from vigie_training.cli import main
from vigie_training.data import DataValidationError, Limits, read_dataset

LIMITS = Limits(min_rows=100, min_positives=5)


def _report(tmp_path, frame, limits=LIMITS):
    with pytest.raises(DataValidationError) as caught:
        read_dataset(write_csv(frame, tmp_path / "data.csv"), limits)
    return caught.value.report


def _checks(report):
    return {(issue.check, issue.column) for issue in report.issues}


def test_valid_data_passes_with_typed_columns(tmp_path):
    frame, report = read_dataset(write_csv(applicants(300), tmp_path / "data.csv"), LIMITS)
    assert report.ok and report.rows == 300
    assert frame["SK_ID_CURR"].dtype == "int64" and set(frame["TARGET"].unique()) <= {0, 1}


def test_extra_columns_are_ignored(tmp_path):
    frame = applicants(300)
    frame["FLAG_MOBIL"] = 1
    data, _ = read_dataset(write_csv(frame, tmp_path / "data.csv"), LIMITS)
    assert "FLAG_MOBIL" not in data.columns


def test_a_missing_schema_column_is_reported(tmp_path):
    report = _report(tmp_path, applicants(300).drop(columns=["EXT_SOURCE_2"]))
    assert report.issues[0].check == "columns" and "EXT_SOURCE_2" in report.issues[0].message


def test_a_missing_label_column_is_reported(tmp_path):
    report = _report(tmp_path, applicants(300).drop(columns=["TARGET"]))
    assert "TARGET" in report.issues[0].message


def test_a_non_numeric_value_is_a_type_error(tmp_path):
    frame = applicants(300).astype({"AMT_CREDIT": object})
    frame.loc[3, "AMT_CREDIT"] = "lots"
    report = _report(tmp_path, frame)
    assert ("type", "AMT_CREDIT") in _checks(report)
    assert "line 5: 'lots'" in report.render()


def test_a_fractional_value_in_an_integer_field_is_a_type_error(tmp_path):
    frame = applicants(300).astype({"CNT_CHILDREN": float})
    frame.loc[0, "CNT_CHILDREN"] = 1.5
    assert ("type", "CNT_CHILDREN") in _checks(_report(tmp_path, frame))


def test_an_empty_required_value_is_reported(tmp_path):
    frame = applicants(300)
    frame.loc[7, "CODE_GENDER"] = None
    assert ("missing", "CODE_GENDER") in _checks(_report(tmp_path, frame))


def test_an_out_of_range_value_is_reported(tmp_path):
    frame = applicants(300)
    frame.loc[1, "EXT_SOURCE_2"] = 1.5
    frame.loc[2, "DAYS_EMPLOYED"] = 12
    checks = _checks(_report(tmp_path, frame))
    assert ("range", "EXT_SOURCE_2") in checks and ("range", "DAYS_EMPLOYED") in checks


def test_the_not_employed_code_is_in_range(tmp_path):
    frame = applicants(300)
    frame.loc[:, "DAYS_EMPLOYED"] = 365243
    _, report = read_dataset(write_csv(frame, tmp_path / "data.csv"), LIMITS)
    assert report.ok


def test_an_unknown_category_is_reported(tmp_path):
    frame = applicants(300)
    frame.loc[4, "NAME_HOUSING_TYPE"] = "Castle"
    assert ("category", "NAME_HOUSING_TYPE") in _checks(_report(tmp_path, frame))


def test_a_label_that_is_not_binary_is_reported(tmp_path):
    frame = applicants(300)
    frame.loc[5, "TARGET"] = 2
    assert ("label", "TARGET") in _checks(_report(tmp_path, frame))


def test_a_label_with_a_single_class_is_reported(tmp_path):
    frame = applicants(300)
    frame["TARGET"] = 0
    assert ("label", "TARGET") in _checks(_report(tmp_path, frame))


def test_duplicate_application_ids_are_reported(tmp_path):
    frame = applicants(300)
    frame.loc[10, "SK_ID_CURR"] = frame.loc[11, "SK_ID_CURR"]
    issue = next(i for i in _report(tmp_path, frame).issues if i.check == "duplicates")
    assert issue.count == 2


def test_too_few_rows_are_reported(tmp_path):
    report = _report(tmp_path, applicants(50))
    assert any(issue.check == "size" for issue in report.issues)


def test_an_empty_file_is_reported(tmp_path):
    (tmp_path / "data.csv").write_text("")
    with pytest.raises(DataValidationError) as caught:
        read_dataset(tmp_path / "data.csv", LIMITS)
    assert caught.value.report.issues[0].check == "file"


def test_the_command_line_stops_with_exit_2_and_the_report(tmp_path, capsys):
    frame = applicants(300)
    frame.loc[4, "NAME_HOUSING_TYPE"] = "Castle"
    path = write_csv(frame, tmp_path / "data.csv")
    assert main(["--data", str(path), "--out", str(tmp_path / "models"), "--min-rows", "100"]) == 2
    error = capsys.readouterr().err
    assert "[category] NAME_HOUSING_TYPE: unknown category (1 rows)" in error
    assert not (tmp_path / "models" / "registry.json").exists()


def test_a_kaggle_style_file_with_other_column_order_and_float_integers_is_accepted(tmp_path):
    frame = applicants(300)
    frame["CNT_CHILDREN"] = frame["CNT_CHILDREN"].astype(float)  # written as "0.0", as some exports do
    frame["FLAG_MOBIL"] = 1
    shuffled = frame[list(reversed(frame.columns))]
    data, report = read_dataset(write_csv(shuffled, tmp_path / "application_train.csv"), LIMITS)
    assert report.ok and list(data.columns)[:2] == ["SK_ID_CURR", "NAME_CONTRACT_TYPE"]
    assert data["CNT_CHILDREN"].tolist() == frame["CNT_CHILDREN"].tolist()
