"""Small synthetic applicant tables (schema columns + TARGET) with a learnable signal, for fast tests."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from vigie_training.schema import FIELD_BY_NAME, FIELDS, NOT_EMPLOYED_DAYS, TARGET


def _choice(rng: np.random.Generator, field: str, rows: int) -> np.ndarray:
    return rng.choice(np.array(FIELD_BY_NAME[field].categories[:4], dtype=object), size=rows)


def _mask(rng: np.random.Generator, values: np.ndarray, share: float) -> np.ndarray:
    values = values.astype(object if values.dtype == object else np.float64)
    values[rng.random(len(values)) < share] = None if values.dtype == object else np.nan
    return values


def applicants(rows: int, seed: int = 1, first_id: int = 100002) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    income = np.round(np.exp(rng.normal(11.9, 0.5, rows)) * 2) / 2
    credit = np.round(income * rng.uniform(1, 6, rows) * 2) / 2
    ext = [rng.uniform(0.01, 0.99, rows) for _ in range(3)]
    employed = np.where(rng.random(rows) < 0.15, NOT_EMPLOYED_DAYS, -rng.integers(0, 10000, rows))
    own_car = rng.choice(np.array(["Y", "N"], dtype=object), size=rows)
    children = rng.poisson(0.4, rows)
    frame = pd.DataFrame(
        {
            "SK_ID_CURR": np.arange(first_id, first_id + rows),
            "NAME_CONTRACT_TYPE": rng.choice(
                np.array(["Cash loans", "Revolving loans"], dtype=object), size=rows, p=[0.9, 0.1]
            ),
            "CODE_GENDER": rng.choice(np.array(["F", "M"], dtype=object), size=rows),
            "FLAG_OWN_CAR": own_car,
            "FLAG_OWN_REALTY": rng.choice(np.array(["Y", "N"], dtype=object), size=rows),
            "CNT_CHILDREN": children,
            "AMT_INCOME_TOTAL": income,
            "AMT_CREDIT": credit,
            "AMT_ANNUITY": _mask(rng, np.round(credit / rng.uniform(10, 30, rows), 1), 0.01),
            "AMT_GOODS_PRICE": _mask(rng, np.round(credit * rng.uniform(0.8, 1.0, rows)), 0.01),
            "NAME_INCOME_TYPE": _choice(rng, "NAME_INCOME_TYPE", rows),
            "NAME_EDUCATION_TYPE": _choice(rng, "NAME_EDUCATION_TYPE", rows),
            "NAME_FAMILY_STATUS": _choice(rng, "NAME_FAMILY_STATUS", rows),
            "NAME_HOUSING_TYPE": _choice(rng, "NAME_HOUSING_TYPE", rows),
            "REGION_POPULATION_RELATIVE": np.round(rng.uniform(0.001, 0.07, rows), 6),
            "DAYS_BIRTH": rng.integers(-25000, -7000, rows),
            "DAYS_EMPLOYED": employed,
            "DAYS_REGISTRATION": -np.round(rng.uniform(0, 15000, rows)),
            "DAYS_ID_PUBLISH": -rng.integers(0, 6000, rows),
            "OWN_CAR_AGE": np.where(own_car == "Y", rng.integers(0, 30, rows), np.nan),
            "OCCUPATION_TYPE": _mask(rng, _choice(rng, "OCCUPATION_TYPE", rows), 0.3),
            "CNT_FAM_MEMBERS": _mask(rng, children + rng.integers(1, 3, rows), 0.01),
            "REGION_RATING_CLIENT": rng.integers(1, 4, rows),
            "EXT_SOURCE_1": _mask(rng, np.round(ext[0], 6), 0.5),
            "EXT_SOURCE_2": _mask(rng, np.round(ext[1], 6), 0.05),
            "EXT_SOURCE_3": _mask(rng, np.round(ext[2], 6), 0.2),
            "DAYS_LAST_PHONE_CHANGE": _mask(rng, -rng.integers(0, 4000, rows).astype(np.float64), 0.01),
            "AMT_REQ_CREDIT_BUREAU_YEAR": _mask(rng, rng.poisson(2, rows).astype(np.float64), 0.1),
        }
    )
    logit = -2.4 - 1.6 * (ext[1] - 0.5) / 0.3 - 1.2 * (ext[2] - 0.5) / 0.3 + 0.4 * np.log(credit / income / 3)
    logit += np.where(frame["CODE_GENDER"] == "M", 0.3, 0.0) + np.where(employed == NOT_EMPLOYED_DAYS, -0.2, 0.0)
    frame[TARGET] = (rng.random(rows) < 1 / (1 + np.exp(-logit))).astype(int)
    return frame[[field.name for field in FIELDS] + [TARGET]]


def write_csv(frame: pd.DataFrame, path: Path) -> Path:
    frame.to_csv(path, index=False, na_rep="")
    return path
