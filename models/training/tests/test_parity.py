"""Graphs against the native libraries, including edge rows: every optional field missing, not-employed code,
extreme ratios, unseen-in-training missing values."""

import numpy as np
import pandas as pd
import pytest
from synthetic import applicants

from vigie_training import lightgbm_model, logistic_model, tensorized_onnx, tree_ensemble_onnx
from vigie_training.features import onnx_feeds, tree_features
from vigie_training.pipeline import session
from vigie_training.schema import FIELDS, NOT_EMPLOYED_DAYS


def _edge_rows(base: pd.DataFrame) -> pd.DataFrame:
    rows = base.head(6).copy().reset_index(drop=True)
    optional = [spec.name for spec in FIELDS if not spec.required]
    rows.loc[0, optional] = None
    rows.loc[1, "DAYS_EMPLOYED"] = NOT_EMPLOYED_DAYS
    rows.loc[2, ["AMT_INCOME_TOTAL", "AMT_CREDIT"]] = [1.0, 4.0e6]
    rows.loc[3, ["AMT_ANNUITY", "AMT_GOODS_PRICE"]] = [1e-3, 1e-3]
    rows.loc[4, ["EXT_SOURCE_1", "EXT_SOURCE_2", "EXT_SOURCE_3"]] = [0.0, 1.0, 0.5]
    rows.loc[5, ["CODE_GENDER", "NAME_INCOME_TYPE", "NAME_FAMILY_STATUS"]] = ["XNA", "Maternity leave", "Unknown"]
    return rows


@pytest.fixture(scope="module")
def data():
    frame = applicants(3000, seed=11)
    # Training rows without any missing DAYS_LAST_PHONE_CHANGE: LightGBM then reads NaN as 0 for it.
    frame["DAYS_LAST_PHONE_CHANGE"] = frame["DAYS_LAST_PHONE_CHANGE"].fillna(-100.0)
    train, check = frame.iloc[:2000].reset_index(drop=True), frame.iloc[2000:].reset_index(drop=True)
    check = pd.concat([check, _edge_rows(check)], ignore_index=True)
    return train, check


@pytest.fixture(scope="module")
def booster(data):
    train, _ = data
    x, y = tree_features(train), train["TARGET"].to_numpy()
    options = lightgbm_model.LightgbmOptions(num_boost_round=60, min_data_in_leaf=20, early_stopping_rounds=60)
    return lightgbm_model.train(x[:1600], y[:1600], x[1600:], y[1600:], options, seed=5)


def test_the_tree_ensemble_graph_matches_lightgbm(data, booster):
    _, check = data
    native = lightgbm_model.predict(booster, tree_features(check))
    graph = session(tree_ensemble_onnx.build(lightgbm_model.trees(booster)).SerializeToString()).run(
        None, onnx_feeds(check)
    )[0]
    assert np.abs(native - graph).max() <= 1e-6


def test_the_tensorized_graph_matches_lightgbm_and_the_champion(data, booster):
    _, check = data
    trees = lightgbm_model.trees(booster)
    native = lightgbm_model.predict(booster, tree_features(check))
    tensorized = session(tensorized_onnx.build(trees).SerializeToString()).run(None, onnx_feeds(check))[0]
    champion = session(tree_ensemble_onnx.build(trees).SerializeToString()).run(None, onnx_feeds(check))[0]
    assert np.abs(native - tensorized).max() <= 1e-6
    assert np.abs(champion - tensorized).max() <= 1e-5


def test_the_logistic_regression_graph_matches_scikit_learn(data):
    train, check = data
    model = logistic_model.train(train, train["TARGET"].to_numpy(), logistic_model.LogisticOptions(), seed=5)
    graph = session(logistic_model.build(model, train).SerializeToString()).run(None, onnx_feeds(check))[0][:, 1]
    assert np.abs(logistic_model.predict(model, check) - graph).max() <= 1e-5


def test_round_down_keeps_every_float32_comparison():
    rng = np.random.default_rng(0)
    thresholds = rng.normal(0, 1e4, 500)
    for threshold in thresholds:
        t32 = np.float32(lightgbm_model.round_down_float32(threshold))
        neighbours = np.array([t32, np.nextafter(t32, np.float32(np.inf))], dtype=np.float32)
        assert list(neighbours <= t32) == list(neighbours.astype(np.float64) <= threshold)
