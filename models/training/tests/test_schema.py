import json
from pathlib import Path

from vigie_training.features import TREE_FEATURES, category_code_map, missing_code
from vigie_training.schema import CATEGORY_INPUTS, FIELDS, input_schema, input_schema_json

FIXTURE = Path(__file__).resolve().parents[3] / "tests" / "fixtures" / "input_schema.json"


def test_the_generated_input_schema_equals_the_typescript_fixture():
    assert input_schema() == json.loads(FIXTURE.read_text(encoding="utf-8"))


def test_the_generated_schema_keeps_the_fixture_field_order():
    fixture = json.loads(FIXTURE.read_text(encoding="utf-8"))
    assert [field.name for field in FIELDS] == list(fixture["properties"])
    assert json.loads(input_schema_json()) == fixture


def test_every_category_and_missing_get_distinct_codes():
    for name in CATEGORY_INPUTS:
        codes = list(category_code_map(name).values())
        assert len(set(codes)) == len(codes)
        assert missing_code(name) not in codes


def test_the_identifier_is_not_a_model_feature():
    assert "SK_ID_CURR" not in TREE_FEATURES
