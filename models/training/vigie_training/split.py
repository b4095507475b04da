"""Train / calibration / validation split by a hash of SK_ID_CURR.

Why: docs/decisions/0002-training-split-threshold-tensorization.md.

The bucket of an applicant depends only on its id, never on the row order, the data size or the seed: an applicant
stays in the same part when the data grows or is reshuffled, so validation applicants never leak into training.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

SPLIT_METHOD = "splitmix64(SK_ID_CURR xor salt) mod 1000"
SALT = np.uint64(0x5649474945535031)  # "VIGIESP1"
BUCKETS = 1000


@dataclass(frozen=True)
class SplitFractions:
    train: float = 0.7
    calibration: float = 0.1
    validation: float = 0.2


def splitmix64(values: np.ndarray) -> np.ndarray:
    z = values.astype(np.uint64) ^ SALT
    with np.errstate(over="ignore"):
        z = z + np.uint64(0x9E3779B97F4A7C15)
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return z ^ (z >> np.uint64(31))


def assign_parts(ids: np.ndarray, fractions: SplitFractions = SplitFractions()) -> np.ndarray:
    """0 = train, 1 = calibration (early stopping and threshold), 2 = validation (evaluation only)."""
    bucket = splitmix64(ids) % np.uint64(BUCKETS)
    train_end = round(fractions.train * BUCKETS)
    calibration_end = train_end + round(fractions.calibration * BUCKETS)
    return np.where(bucket < train_end, 0, np.where(bucket < calibration_end, 1, 2)).astype(np.int8)
