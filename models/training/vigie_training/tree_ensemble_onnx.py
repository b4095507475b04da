"""Champion graph: preprocessing subgraph + one ai.onnx.ml TreeEnsembleRegressor + sigmoid.

Written from the booster's own tree dump rather than through onnxmltools, whose converter stores float32 thresholds
and leaf values: here the features are cast to float64 and the thresholds and leaf values kept in float64, so every
comparison is LightGBM's own, the trees are summed in float64 whatever ONNX Runtime's threading, and LightGBM's
missing-value rules (NaN read as 0 on features without missing values in training) are carried exactly.
A categorical split (code in set) becomes a chain of BRANCH_EQ nodes sharing the left subtree; ONNX Runtime merges
such chains into set-membership tests."""

from __future__ import annotations

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

from .lightgbm_model import Node
from .onnx_prefix import GraphParts, make_model, tree_feature_matrix

OUTPUT = "probabilities"


def _ensemble_attributes(trees: list[list[Node]]) -> dict[str, list]:
    attrs: dict[str, list] = {
        key: []
        for key in (
            "nodes_treeids",
            "nodes_nodeids",
            "nodes_featureids",
            "nodes_modes",
            "nodes_values",
            "nodes_truenodeids",
            "nodes_falsenodeids",
            "nodes_missing_value_tracks_true",
            "target_treeids",
            "target_nodeids",
            "target_ids",
            "target_weights",
        )
    }

    def add(
        tree_id: int, node_id: int, feature: int, mode: str, value: float, true_id: int, false_id: int, nan_true: bool
    ) -> None:
        attrs["nodes_treeids"].append(tree_id)
        attrs["nodes_nodeids"].append(node_id)
        attrs["nodes_featureids"].append(feature)
        attrs["nodes_modes"].append(mode)
        attrs["nodes_values"].append(value)
        attrs["nodes_truenodeids"].append(true_id)
        attrs["nodes_falsenodeids"].append(false_id)
        attrs["nodes_missing_value_tracks_true"].append(int(nan_true))

    for tree_id, nodes in enumerate(trees):
        next_id = len(nodes)
        for node_id, node in enumerate(nodes):
            if node.is_leaf:
                add(tree_id, node_id, 0, "LEAF", 0.0, 0, 0, False)
                attrs["target_treeids"].append(tree_id)
                attrs["target_nodeids"].append(node_id)
                attrs["target_ids"].append(0)
                attrs["target_weights"].append(node.value)
            elif node.is_categorical:
                chain = [node_id] + list(range(next_id, next_id + len(node.categories) - 1))
                next_id += len(node.categories) - 1
                for position, code in enumerate(node.categories):
                    false_id = chain[position + 1] if position + 1 < len(chain) else node.right
                    add(tree_id, chain[position], node.feature, "BRANCH_EQ", float(code), node.left, false_id, False)
            else:
                add(
                    tree_id, node_id, node.feature, "BRANCH_LEQ", node.threshold64, node.left, node.right, node.nan_left
                )
    return attrs


def build(trees: list[list[Node]]) -> onnx.ModelProto:
    parts = GraphParts()
    features = parts.op("Cast", [tree_feature_matrix(parts)], "tree_features64", to=TensorProto.DOUBLE)
    attrs = _ensemble_attributes(trees)
    # Double thresholds and leaf values make ONNX Runtime compare like LightGBM and sum the trees in float64, so
    # the output does not depend on how ONNX Runtime splits the work between threads.
    for name in ("nodes_values", "target_weights"):
        attrs[f"{name}_as_tensor"] = numpy_helper.from_array(np.array(attrs.pop(name), np.float64), name)
    raw = parts.op(
        "TreeEnsembleRegressor",
        [features],
        "raw_score",
        domain="ai.onnx.ml",
        n_targets=1,
        aggregate_function="SUM",
        post_transform="NONE",
        base_values_as_tensor=numpy_helper.from_array(np.array([0.0], np.float64), "base_values"),
        **attrs,
    )
    probability = parts.op("Sigmoid", [raw], "probability")
    parts.nodes.append(
        helper.make_node(
            "Reshape", [probability, parts.const("flat", np.array([-1], np.int64))], [OUTPUT], name="to_probabilities"
        )
    )
    output = helper.make_tensor_value_info(OUTPUT, TensorProto.FLOAT, ["N"])
    return make_model(parts, "credit_default_lightgbm", [output])
