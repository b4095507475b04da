"""The applicant fields (CONTRACT.md section 1), defined once for the input schema, the CSV reader and the graphs."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

SCHEMA_ID = "https://vigie.dev/schemas/applicant.json"
ID_FIELD = "SK_ID_CURR"
TARGET = "TARGET"
# DAYS_EMPLOYED's code for "not employed" in the Home Credit data (pensioners, unemployed).
NOT_EMPLOYED_DAYS = 365243


@dataclass(frozen=True)
class Field:
    name: str
    kind: str  # "integer" | "number" | "category"
    description: str
    required: bool = True
    categories: tuple[str, ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    exclusive_minimum: float | None = None
    # DAYS_EMPLOYED: "<= maximum, or exactly this code"
    or_exactly: int | None = None

    @property
    def is_category(self) -> bool:
        return self.kind == "category"

    @property
    def is_model_input(self) -> bool:
        return self.name != ID_FIELD


def _cat(name: str, description: str, categories: tuple[str, ...], required: bool = True) -> Field:
    return Field(name, "category", description, required=required, categories=categories)


# Order = the order of tests/fixtures/input_schema.json (and of the simulator's CSV columns).
FIELDS: tuple[Field, ...] = (
    Field(ID_FIELD, "integer", "Application id; pseudonymised in production logs.", exclusive_minimum=0),
    _cat("NAME_CONTRACT_TYPE", "Type of loan.", ("Cash loans", "Revolving loans")),
    _cat("CODE_GENDER", "Gender of the applicant (XNA: not available).", ("M", "F", "XNA")),
    _cat("FLAG_OWN_CAR", "Owns a car.", ("Y", "N")),
    _cat("FLAG_OWN_REALTY", "Owns a house or flat.", ("Y", "N")),
    Field("CNT_CHILDREN", "integer", "Number of children.", minimum=0, maximum=20),
    Field("AMT_INCOME_TOTAL", "number", "Annual income.", exclusive_minimum=0),
    Field("AMT_CREDIT", "number", "Credit amount of the loan.", exclusive_minimum=0),
    Field("AMT_ANNUITY", "number", "Loan annuity.", required=False, exclusive_minimum=0),
    Field(
        "AMT_GOODS_PRICE",
        "number",
        "Price of the goods the loan is for (consumer loans).",
        required=False,
        exclusive_minimum=0,
    ),
    _cat(
        "NAME_INCOME_TYPE",
        "Income type.",
        (
            "Working",
            "Commercial associate",
            "Pensioner",
            "State servant",
            "Unemployed",
            "Student",
            "Businessman",
            "Maternity leave",
        ),
    ),
    _cat(
        "NAME_EDUCATION_TYPE",
        "Highest education.",
        (
            "Secondary / secondary special",
            "Higher education",
            "Incomplete higher",
            "Lower secondary",
            "Academic degree",
        ),
    ),
    _cat(
        "NAME_FAMILY_STATUS",
        "Family status.",
        ("Married", "Single / not married", "Civil marriage", "Separated", "Widow", "Unknown"),
    ),
    _cat(
        "NAME_HOUSING_TYPE",
        "Housing situation.",
        (
            "House / apartment",
            "With parents",
            "Municipal apartment",
            "Rented apartment",
            "Office apartment",
            "Co-op apartment",
        ),
    ),
    Field(
        "REGION_POPULATION_RELATIVE",
        "number",
        "Normalised population of the applicant's region (higher: more populated).",
        minimum=0,
        maximum=1,
    ),
    Field(
        "DAYS_BIRTH",
        "integer",
        "Age in days, counted back from the application day (negative; 18 to 70 years).",
        minimum=-25550,
        maximum=-6570,
    ),
    Field(
        "DAYS_EMPLOYED",
        "integer",
        "Days employed before the application (negative), or 365243 for not employed (pensioners, unemployed).",
        maximum=0,
        or_exactly=NOT_EMPLOYED_DAYS,
    ),
    Field("DAYS_REGISTRATION", "number", "Days since the applicant changed registration (negative).", maximum=0),
    Field(
        "DAYS_ID_PUBLISH", "integer", "Days since the applicant changed the identity document (negative).", maximum=0
    ),
    Field("OWN_CAR_AGE", "number", "Age of the applicant's car in years.", required=False, minimum=0, maximum=100),
    _cat(
        "OCCUPATION_TYPE",
        "Occupation.",
        (
            "Laborers",
            "Sales staff",
            "Core staff",
            "Managers",
            "Drivers",
            "High skill tech staff",
            "Accountants",
            "Medicine staff",
            "Security staff",
            "Cooking staff",
            "Cleaning staff",
            "Private service staff",
            "Low-skill Laborers",
            "Waiters/barmen staff",
            "Secretaries",
            "Realty agents",
            "HR staff",
            "IT staff",
        ),
        required=False,
    ),
    Field("CNT_FAM_MEMBERS", "number", "Number of family members.", required=False, minimum=1, maximum=21),
    Field(
        "REGION_RATING_CLIENT", "integer", "Rating of the applicant's region (1 best, 3 worst).", minimum=1, maximum=3
    ),
    Field(
        "EXT_SOURCE_1",
        "number",
        "Normalised score from external data source 1.",
        required=False,
        minimum=0,
        maximum=1,
    ),
    Field(
        "EXT_SOURCE_2",
        "number",
        "Normalised score from external data source 2.",
        required=False,
        minimum=0,
        maximum=1,
    ),
    Field(
        "EXT_SOURCE_3",
        "number",
        "Normalised score from external data source 3.",
        required=False,
        minimum=0,
        maximum=1,
    ),
    Field(
        "DAYS_LAST_PHONE_CHANGE",
        "number",
        "Days since the applicant changed phone (negative).",
        required=False,
        maximum=0,
    ),
    Field(
        "AMT_REQ_CREDIT_BUREAU_YEAR",
        "number",
        "Credit bureau enquiries in the year before the application.",
        required=False,
        minimum=0,
    ),
)

FIELD_BY_NAME: dict[str, Field] = {field.name: field for field in FIELDS}
MODEL_FIELDS: tuple[Field, ...] = tuple(field for field in FIELDS if field.is_model_input)
NUMERIC_INPUTS: tuple[str, ...] = tuple(f.name for f in MODEL_FIELDS if not f.is_category)
CATEGORY_INPUTS: tuple[str, ...] = tuple(f.name for f in MODEL_FIELDS if f.is_category)


def _property(field: Field) -> dict[str, Any]:
    prop: dict[str, Any] = {}
    if field.is_category:
        prop["type"] = "string" if field.required else ["string", "null"]
        prop["enum"] = list(field.categories) + ([] if field.required else [None])
    else:
        prop["type"] = field.kind if field.required else [field.kind, "null"]
    prop["description"] = field.description
    if field.exclusive_minimum is not None:
        prop["exclusiveMinimum"] = field.exclusive_minimum
    if field.or_exactly is not None:
        prop["anyOf"] = [{"maximum": field.maximum}, {"const": field.or_exactly}]
        return prop
    if field.minimum is not None:
        prop["minimum"] = field.minimum
    if field.maximum is not None:
        prop["maximum"] = field.maximum
    return prop


def input_schema() -> dict[str, Any]:
    """JSON Schema (draft 2020-12) of one applicant, `additionalProperties: false`."""
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "Applicant",
        "description": "One loan application: raw columns of the Home Credit application table "
        "(CONTRACT.md section 1).",
        "type": "object",
        "properties": {field.name: _property(field) for field in FIELDS},
        "required": [field.name for field in FIELDS if field.required],
        "additionalProperties": False,
    }


def input_schema_json() -> str:
    return json.dumps(input_schema(), indent=2, ensure_ascii=False) + "\n"
