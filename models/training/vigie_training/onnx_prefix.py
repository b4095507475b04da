"""The preprocessing subgraph shared by every package: raw field tensors in, model features out.

Mirrors features.py operation for operation in float32 (Equal, Where, Div), so graph and native features are equal.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

from .features import ENGINEERED, NOT_EMPLOYED_FLAG, RATIOS, category_code_map, missing_code
from .schema import CATEGORY_INPUTS, MODEL_FIELDS, NOT_EMPLOYED_DAYS, NUMERIC_INPUTS

OPSET = 17
ML_OPSET = 3
IR_VERSION = 8
PRODUCER = "vigie-training"


@dataclass
class GraphParts:
    """Nodes and constants accumulated while building one graph."""

    nodes: list[onnx.NodeProto] = field(default_factory=list)
    initializers: list[onnx.TensorProto] = field(default_factory=list)
    _counter: int = 0

    def name(self, prefix: str) -> str:
        self._counter += 1
        return f"{prefix}_{self._counter}"

    def const(self, prefix: str, value: np.ndarray) -> str:
        tensor_name = self.name(prefix)
        self.initializers.append(numpy_helper.from_array(np.asarray(value), tensor_name))
        return tensor_name

    def op(self, op_type: str, inputs: list[str], prefix: str, domain: str = "", **attrs: object) -> str:
        output = self.name(prefix)
        self.nodes.append(helper.make_node(op_type, inputs, [output], name=output, domain=domain, **attrs))
        return output


def graph_inputs() -> list[onnx.ValueInfoProto]:
    """One [N,1] tensor per model input field, in schema order."""
    inputs = []
    for spec in MODEL_FIELDS:
        elem = TensorProto.STRING if spec.is_category else TensorProto.FLOAT
        inputs.append(helper.make_tensor_value_info(spec.name, elem, ["N", 1]))
    return inputs


def numeric_columns(parts: GraphParts) -> dict[str, str]:
    """Tensor name of each numeric feature column ([N,1] float32), raw DAYS_EMPLOYED replaced by its masked value."""
    columns = {name: name for name in NUMERIC_INPUTS}
    not_employed = parts.op(
        "Equal", ["DAYS_EMPLOYED", parts.const("not_employed_days", np.array(NOT_EMPLOYED_DAYS, np.float32))], "is_ne"
    )
    columns["DAYS_EMPLOYED"] = parts.op(
        "Where", [not_employed, parts.const("nan", np.array(np.nan, np.float32)), "DAYS_EMPLOYED"], "days_employed"
    )
    columns[NOT_EMPLOYED_FLAG] = parts.op("Cast", [not_employed], "not_employed", to=TensorProto.FLOAT)
    for ratio, numerator, denominator in RATIOS:
        columns[ratio] = parts.op("Div", [columns[numerator], columns[denominator]], ratio.lower())
    return columns


def numeric_matrix(parts: GraphParts) -> str:
    """[N, len(NUMERIC_FEATURES)] float32."""
    columns = numeric_columns(parts)
    ordered = [columns[name] for name in NUMERIC_INPUTS + ENGINEERED]
    return parts.op("Concat", ordered, "numeric_features", axis=1)


def category_code_columns(parts: GraphParts) -> list[str]:
    """[N,1] float32 code per category field (see features.category_code_map)."""
    codes = []
    for name in CATEGORY_INPUTS:
        mapping = category_code_map(name)
        codes.append(
            parts.op(
                "LabelEncoder",
                [name],
                f"code_{name.lower()}",
                domain="ai.onnx.ml",
                keys_strings=list(mapping),
                values_floats=list(mapping.values()),
                default_float=missing_code(name),
            )
        )
    return codes


def tree_feature_matrix(parts: GraphParts) -> str:
    """[N, len(TREE_FEATURES)] float32: numbers then category codes."""
    numeric = numeric_matrix(parts)
    return parts.op("Concat", [numeric, *category_code_columns(parts)], "tree_features", axis=1)


def make_model(parts: GraphParts, graph_name: str, outputs: list[onnx.ValueInfoProto]) -> onnx.ModelProto:
    graph = helper.make_graph(parts.nodes, graph_name, graph_inputs(), outputs, parts.initializers)
    model = helper.make_model(
        graph,
        opset_imports=[helper.make_opsetid("", OPSET), helper.make_opsetid("ai.onnx.ml", ML_OPSET)],
        producer_name=PRODUCER,
        producer_version="1",
        ir_version=IR_VERSION,
    )
    onnx.checker.check_model(model, full_check=True)
    return model
