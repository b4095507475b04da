"""Tensorized champion: the same trees evaluated with standard ONNX tensor operators only (no TreeEnsemble op).

Hummingbird's GEMM strategy, batched over all trees at once (no loop over tree levels):

1. Every split of every tree is one row of a [splits, N] decision matrix. The features are transposed once to
   [columns, N]; each split gathers its column and compares it with its threshold (LessOrEqual), so one Gather and one
   LessOrEqual decide every split of the ensemble. Where NaN goes is folded into the column a split reads: the
   columns come twice, NaN replaced by -inf (NaN goes left) and by +inf (NaN goes right). A categorical split reads a
   column of its own, "code not in the split's set" (0 or 1, from a membership table indexed by offset + code),
   with threshold 0.5.
2. Per tree, leaf l is reached exactly when every split on its path went the path's way. With C[t, l, s] = +1 when l
   lies left of split s, -1 when right, 0 otherwise, and D[t, l] = how many of l's ancestors it lies left of, the
   batched MatMul C · decisions equals D exactly at the reached leaf only (small integers, exact in float32).
3. A second batched MatMul with the leaf positions turns that one-hot into the reached leaf's index per tree; the
   leaf values are gathered in float64, summed over the trees, then the sigmoid, so the result matches LightGBM to
   float32 rounding, as the champion's TreeEnsemble does.

Trees are padded to the ensemble's most splits and leaves: a padded split has C = 0, a padded leaf a D that no sum
reaches. Every operator is a standard ONNX one (Gather, LessOrEqual, Cast, MatMul, Equal, ReduceSum, Sigmoid…) that
GPU execution providers implement.
"""

from __future__ import annotations

import numpy as np
import onnx
from onnx import TensorProto, helper

from .features import TREE_FEATURES, missing_code
from .lightgbm_model import Node
from .onnx_prefix import GraphParts, make_model, tree_feature_matrix
from .schema import CATEGORY_INPUTS

OUTPUT = "probabilities"
_CATEGORY_FEATURES = [(TREE_FEATURES.index(name), name) for name in CATEGORY_INPUTS]


def _paths(nodes: list[Node]) -> tuple[list[int], list[tuple[int, list[tuple[int, int]]]]]:
    """The tree's splits (node indices, pre-order) and each leaf with its path: (split node, +1 left / -1 right)."""
    splits: list[int] = []
    leaves: list[tuple[int, list[tuple[int, int]]]] = []

    def walk(index: int, path: list[tuple[int, int]]) -> None:
        node = nodes[index]
        if node.is_leaf:
            leaves.append((index, path))
            return
        splits.append(index)
        walk(node.left, [*path, (index, 1)])
        walk(node.right, [*path, (index, -1)])

    walk(0, [])
    return splits, leaves


def _tables(trees: list[list[Node]]) -> dict[str, np.ndarray]:
    features = len(TREE_FEATURES)
    # One-hot slots: every code (missing included) of every category feature, in feature order.
    slot_feature = [f for f, name in _CATEGORY_FEATURES for _ in range(int(missing_code(name)) + 1)]
    slot_code = [c for _, name in _CATEGORY_FEATURES for c in range(int(missing_code(name)) + 1)]
    first_slot = {f: slot_feature.index(f) for f, _ in _CATEGORY_FEATURES}
    shapes = [_paths(nodes) for nodes in trees]
    most_splits = max(1, max(len(splits) for splits, _ in shapes))
    most_leaves = max(len(leaves) for _, leaves in shapes)
    count = len(trees)
    column = np.zeros((count, most_splits), np.int64)
    threshold = np.zeros((count, most_splits), np.float32)
    paths = np.zeros((count, most_leaves, most_splits), np.float32)
    lefts = np.full((count, most_leaves, 1), most_splits + 1, np.float32)  # padded leaves: never reached
    position = np.zeros((count, 1, most_leaves), np.float32)
    values = np.zeros(count * most_leaves, np.float64)
    not_member: list[np.ndarray] = []
    for t, (nodes, (splits, leaves)) in enumerate(zip(trees, shapes, strict=True)):
        slot = {node: s for s, node in enumerate(splits)}
        for s, index in enumerate(splits):
            node = nodes[index]
            if node.is_categorical:
                # Reads "code not in this split's set": <= 0.5 exactly for the codes that go left.
                column[t, s] = 2 * features + len(not_member)
                threshold[t, s] = 0.5
                row = np.zeros(len(slot_feature), np.float32)
                codes = int(missing_code(TREE_FEATURES[node.feature])) + 1
                row[first_slot[node.feature] : first_slot[node.feature] + codes] = 1.0
                row[[first_slot[node.feature] + code for code in node.categories]] = 0.0
                not_member.append(row)
            else:
                # NaN left: read the copy where NaN is -inf (always <= threshold); else the +inf copy (never).
                column[t, s] = node.feature + (0 if node.nan_left else features)
                threshold[t, s] = node.threshold
        for leaf, (index, path) in enumerate(leaves):
            for split, side in path:
                paths[t, leaf, slot[split]] = side
            lefts[t, leaf, 0] = sum(1 for _, side in path if side > 0)
            position[t, 0, leaf] = leaf
            values[t * most_leaves + leaf] = nodes[index].value
    return {
        "column": column,
        "threshold": threshold.reshape(count, most_splits, 1),
        "paths": paths,
        "lefts": lefts,
        "position": position,
        "leaf_base": (np.arange(count, dtype=np.int64) * most_leaves).reshape(count, 1, 1),
        "values": values,
        "slot_feature": np.array(slot_feature, np.int64),
        "slot_code": np.array(slot_code, np.float32).reshape(-1, 1),
        "not_member": np.array(not_member, np.float32).reshape(-1, len(slot_feature)),
    }


def _categorical_rows(parts: GraphParts, by_feature: str, tables: dict[str, np.ndarray]) -> str:
    """[categorical splits, N] float32: 1 where the row's code is not in the split's set, else 0.

    The codes of the category features split on are one-hot encoded ([feature, code] slots × N, from one Gather and
    one Equal), then one MatMul with the splits' "not in the set" rows gives every categorical split at once.
    """
    codes = parts.op("Gather", [by_feature, parts.const("slot_feature", tables["slot_feature"])], "slot_code", axis=0)
    one_hot = parts.op(
        "Cast",
        [parts.op("Equal", [codes, parts.const("slot_code", tables["slot_code"])], "is_code")],
        "one_hot",
        to=TensorProto.FLOAT,
    )
    return parts.op("MatMul", [parts.const("not_member", tables["not_member"]), one_hot], "not_member_of")


def build(trees: list[list[Node]]) -> onnx.ModelProto:
    parts = GraphParts()
    tables = _tables(trees)
    # [features, N]: every Gather below copies whole contiguous rows.
    by_feature = parts.op("Transpose", [tree_feature_matrix(parts)], "by_feature", perm=[1, 0])
    is_nan = parts.op("IsNaN", [by_feature], "is_nan")
    nan_low = parts.op("Where", [is_nan, parts.const("minus_inf", np.array(-np.inf, np.float32)), by_feature], "low")
    nan_high = parts.op("Where", [is_nan, parts.const("plus_inf", np.array(np.inf, np.float32)), by_feature], "high")
    rows = [nan_low, nan_high]
    if len(tables["not_member"]):
        rows.append(_categorical_rows(parts, by_feature, tables))
    split_inputs = parts.op("Concat", rows, "split_inputs", axis=0)

    # [trees, splits, N] values -> decisions (1.0 = goes left).
    value = parts.op("Gather", [split_inputs, parts.const("column", tables["column"])], "split_value", axis=0)
    below = parts.op("LessOrEqual", [value, parts.const("threshold", tables["threshold"])], "goes_left")
    decisions = parts.op("Cast", [below], "decisions", to=TensorProto.FLOAT)

    # [trees, leaves, N]: 1.0 at each tree's reached leaf (C · decisions equals D there only), else 0.0.
    agreement = parts.op("MatMul", [parts.const("paths", tables["paths"]), decisions], "agreement")
    reached = parts.op(
        "Cast",
        [parts.op("Equal", [agreement, parts.const("lefts", tables["lefts"])], "is_reached")],
        "reached",
        to=TensorProto.FLOAT,
    )
    # [trees, 1, N] index of the reached leaf in the flat leaf-value table.
    leaf = parts.op("MatMul", [parts.const("position", tables["position"]), reached], "leaf_position")
    flat = parts.op(
        "Add",
        [parts.op("Cast", [leaf], "leaf_index", to=TensorProto.INT64), parts.const("leaf_base", tables["leaf_base"])],
        "flat_leaf",
    )
    leaf_values = parts.op("Gather", [parts.const("values", tables["values"]), flat], "leaf_values")
    raw = parts.op("ReduceSum", [leaf_values, parts.const("tree_axes", np.array([0, 1], np.int64))], "raw", keepdims=0)
    probability = parts.op("Sigmoid", [raw], "probability64")
    parts.nodes.append(helper.make_node("Cast", [probability], [OUTPUT], name="to_probabilities", to=TensorProto.FLOAT))
    output = helper.make_tensor_value_info(OUTPUT, TensorProto.FLOAT, ["N"])
    return make_model(parts, "credit_default_lightgbm_tensorized", [output])
