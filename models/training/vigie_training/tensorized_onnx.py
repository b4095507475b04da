"""Tensorized champion: the same trees evaluated with standard ONNX tensor operators only (no TreeEnsemble op).

Hummingbird's tree-traversal strategy: every tree's nodes go into flat tables (feature, threshold, children, where
NaN goes, leaf value); a [N, trees] tensor of current node indices starts at the roots and advances one level per
unrolled step (Gather / GatherElements / LessOrEqual / Where) for the ensemble's depth; leaves point to themselves.
Categorical splits read a membership table indexed by (node offset + category code). Leaf values are gathered and
summed in float64, then the sigmoid, so the result matches LightGBM to float32 rounding.
"""

from __future__ import annotations

import numpy as np
import onnx
from onnx import TensorProto, helper

from .features import missing_code
from .lightgbm_model import Node
from .onnx_prefix import GraphParts, make_model, tree_feature_matrix
from .schema import CATEGORY_INPUTS

OUTPUT = "probabilities"


def _depth(nodes: list[Node], index: int = 0) -> int:
    node = nodes[index]
    if node.is_leaf:
        return 0
    return 1 + max(_depth(nodes, node.left), _depth(nodes, node.right))


def _tables(trees: list[list[Node]]) -> dict[str, np.ndarray]:
    # Each categorical node owns a slice of the membership table wide enough for every code of every category
    # field (missing included), so no code can read into a neighbour's slice.
    width = int(max(missing_code(name) for name in CATEGORY_INPUTS)) + 1
    feature, threshold, nan_left, is_cat, cat_offset, left, right, value, roots = [], [], [], [], [], [], [], [], []
    membership = [False] * width  # slice 0: used by numeric nodes and leaves, never read as a decision
    for nodes in trees:
        base = len(feature)
        roots.append(base)
        for local, node in enumerate(nodes):
            feature.append(max(node.feature, 0))
            # -inf on categorical nodes and leaves: the numeric test is then false there (NaN is never a code).
            threshold.append(node.threshold if not (node.is_leaf or node.is_categorical) else -np.inf)
            nan_left.append(node.nan_left)
            is_cat.append(node.is_categorical)
            left.append(base + (node.left if not node.is_leaf else local))
            right.append(base + (node.right if not node.is_leaf else local))
            value.append(node.value if node.is_leaf else 0.0)
            if node.is_categorical:
                cat_offset.append(len(membership))
                row = [False] * width
                for code in node.categories:
                    row[code] = True
                membership.extend(row)
            else:
                cat_offset.append(0)
    return {
        "feature": np.array(feature, np.int64),
        "threshold": np.array(threshold, np.float32),
        "nan_left": np.array(nan_left, np.bool_),
        "is_cat": np.array(is_cat, np.bool_),
        "cat_offset": np.array(cat_offset, np.int64),
        "membership": np.array(membership, np.bool_),
        "left": np.array(left, np.int64),
        "right": np.array(right, np.int64),
        "value": np.array(value, np.float64),
        "roots": np.array(roots, np.int64).reshape(1, -1),
    }


def build(trees: list[list[Node]]) -> onnx.ModelProto:
    parts = GraphParts()
    x = tree_feature_matrix(parts)
    tables = {name: parts.const(name, array) for name, array in _tables(trees).items()}
    zero = parts.const("zero", np.array(0.0, np.float32))
    depth = max(_depth(nodes) for nodes in trees)

    # [N,1] zeros + [1,T] roots -> [N,T] node indices.
    first_column = parts.op(
        "Slice",
        [
            x,
            parts.const("s0", np.array([0], np.int64)),
            parts.const("s1", np.array([1], np.int64)),
            parts.const("ax", np.array([1], np.int64)),
        ],
        "col0",
    )
    zeros = parts.op("Cast", [parts.op("Mul", [first_column, zero], "zero_col")], "zero_index", to=TensorProto.INT64)
    index = parts.op("Add", [zeros, tables["roots"]], "index")
    for _ in range(depth):
        feature = parts.op("Gather", [tables["feature"], index], "feature")
        value = parts.op("GatherElements", [x, feature], "value", axis=1)
        is_nan = parts.op("IsNaN", [value], "is_nan")
        below = parts.op("LessOrEqual", [value, parts.op("Gather", [tables["threshold"], index], "threshold")], "below")
        nan_left = parts.op(
            "And", [is_nan, parts.op("Gather", [tables["nan_left"], index], "nan_left")], "nan_goes_left"
        )
        numeric_left = parts.op("Or", [below, nan_left], "numeric_left")
        is_cat = parts.op("Gather", [tables["is_cat"], index], "is_cat")
        # Numeric values (maybe NaN, maybe large) are replaced by 0 before the cast; category codes are exact.
        code = parts.op("Cast", [parts.op("Where", [is_cat, value, zero], "code_f")], "code", to=TensorProto.INT64)
        slot = parts.op("Add", [parts.op("Gather", [tables["cat_offset"], index], "offset"), code], "slot")
        # Slot 0.. of the membership table is all false: numeric nodes never go left through it.
        category_left = parts.op("Gather", [tables["membership"], slot], "category_left")
        go_left = parts.op("Or", [numeric_left, category_left], "go_left")
        index = parts.op(
            "Where",
            [
                go_left,
                parts.op("Gather", [tables["left"], index], "left"),
                parts.op("Gather", [tables["right"], index], "right"),
            ],
            "index",
        )
    leaf_values = parts.op("Gather", [tables["value"], index], "leaf_values")
    raw = parts.op(
        "ReduceSum", [leaf_values, parts.const("sum_axis", np.array([1], np.int64))], "raw_score", keepdims=0
    )
    probability = parts.op("Sigmoid", [raw], "probability64")
    parts.nodes.append(helper.make_node("Cast", [probability], [OUTPUT], name="to_probabilities", to=TensorProto.FLOAT))
    output = helper.make_tensor_value_info(OUTPUT, TensorProto.FLOAT, ["N"])
    return make_model(parts, "credit_default_lightgbm_tensorized", [output])
