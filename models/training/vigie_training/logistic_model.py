"""Fallback: regularised logistic regression (median imputation, standardisation, one-hot) converted with skl2onnx.

skl2onnx converts the scikit-learn pipeline from the numeric feature columns and the category strings; the
engineered columns it reads are then produced by the shared preprocessing subgraph, so the package graph still takes
raw fields only.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np
import onnx
import pandas as pd
from onnx import helper
from skl2onnx import to_onnx
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

from .features import NUMERIC_FEATURES, category_strings, numeric_features
from .onnx_prefix import IR_VERSION, ML_OPSET, OPSET, PRODUCER, GraphParts, graph_inputs, numeric_columns
from .schema import CATEGORY_INPUTS, FIELD_BY_NAME

OUTPUT = "probabilities"
# Inner names of the numeric feature columns in the scikit-learn graph (prefixed: the raw field names are taken by
# the package graph's own inputs).
INNER = {name: f"lr_{name}" for name in NUMERIC_FEATURES}


@dataclass(frozen=True)
class LogisticOptions:
    c: float = 1.0
    max_iter: int = 1000


def design_frame(frame: pd.DataFrame) -> pd.DataFrame:
    numbers = pd.DataFrame(numeric_features(frame), columns=[INNER[n] for n in NUMERIC_FEATURES], index=frame.index)
    return pd.concat([numbers, category_strings(frame)], axis=1)


def train(frame: pd.DataFrame, target: np.ndarray, options: LogisticOptions, seed: int) -> Pipeline:
    numeric = Pipeline([("impute", SimpleImputer(strategy="median")), ("scale", StandardScaler())])
    categories = [list(FIELD_BY_NAME[name].categories) + [""] for name in CATEGORY_INPUTS]
    encode = OneHotEncoder(categories=categories, handle_unknown="ignore", dtype=np.float32)
    model = Pipeline(
        [
            (
                "prepare",
                ColumnTransformer(
                    [
                        ("numbers", numeric, [INNER[n] for n in NUMERIC_FEATURES]),
                        ("categories", encode, list(CATEGORY_INPUTS)),
                    ]
                ),
            ),
            ("classify", LogisticRegression(C=options.c, max_iter=options.max_iter, solver="lbfgs", random_state=seed)),
        ]
    )
    model.fit(design_frame(frame), target)
    return model


def predict(model: Pipeline, frame: pd.DataFrame) -> np.ndarray:
    return model.predict_proba(design_frame(frame))[:, 1]


def build(model: Pipeline, sample: pd.DataFrame) -> onnx.ModelProto:
    inner = to_onnx(
        model,
        design_frame(sample.head(5)),
        options={id(model.steps[-1][1]): {"zipmap": False}},
        target_opset={"": OPSET, "ai.onnx.ml": ML_OPSET},
        final_types=None,
    )
    inner = onnx.utils.Extractor(inner).extract_model(
        [i.name for i in inner.graph.input], [o.name for o in inner.graph.output if o.name == OUTPUT]
    )
    parts = GraphParts()
    columns = numeric_columns(parts)
    bridges = [
        helper.make_node("Identity", [columns[name]], [INNER[name]], name=f"bridge_{name}") for name in NUMERIC_FEATURES
    ]
    graph = helper.make_graph(
        parts.nodes + bridges + list(inner.graph.node),
        "credit_default_logistic_regression",
        graph_inputs(),
        list(inner.graph.output),
        parts.initializers + list(inner.graph.initializer),
    )
    merged = helper.make_model(
        graph,
        opset_imports=[helper.make_opsetid("", OPSET), helper.make_opsetid("ai.onnx.ml", ML_OPSET)],
        producer_name=PRODUCER,
        producer_version="1",
        ir_version=IR_VERSION,
    )
    onnx.checker.check_model(merged, full_check=True)
    return merged


def coefficients(model: Pipeline) -> dict[str, float]:
    """Intercept and one coefficient per standardised number or category indicator, largest magnitude first."""
    names = [name.split("__", 1)[1] for name in model.named_steps["prepare"].get_feature_names_out()]
    names = [name[3:] if name.startswith("lr_") else name for name in names]
    weights = model.named_steps["classify"].coef_[0]
    ranked = sorted(zip(names, weights, strict=True), key=lambda item: (-abs(item[1]), item[0]))
    return {"(intercept)": round(float(model.named_steps["classify"].intercept_[0]), 6)} | {
        name: round(float(weight), 6) for name, weight in ranked
    }


def describe(options: LogisticOptions) -> dict[str, object]:
    return asdict(options)
