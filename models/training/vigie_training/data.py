"""Reads and validates the training CSV: the CONTRACT.md section 1 columns plus TARGET (extra columns ignored)."""

from __future__ import annotations

import csv
import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from .schema import FIELDS, ID_FIELD, TARGET, Field

EXAMPLES_PER_ISSUE = 5


@dataclass(frozen=True)
class Issue:
    check: str  # file | columns | type | missing | range | category | label | duplicates | size
    column: str | None
    message: str
    count: int = 0
    examples: tuple[str, ...] = ()

    def render(self) -> str:
        where = f"{self.column}: " if self.column else ""
        count = f" ({self.count} rows)" if self.count else ""
        examples = f"; e.g. {', '.join(self.examples)}" if self.examples else ""
        return f"[{self.check}] {where}{self.message}{count}{examples}"


@dataclass
class DataReport:
    path: str
    rows: int = 0
    issues: list[Issue] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.issues

    def render(self) -> str:
        head = f"data validation of {self.path}: {self.rows} rows, "
        if self.ok:
            return head + "passed"
        return head + f"{len(self.issues)} problem(s)\n" + "\n".join(f"  - {i.render()}" for i in self.issues)


class DataValidationError(Exception):
    def __init__(self, report: DataReport):
        super().__init__(report.render())
        self.report = report


@dataclass(frozen=True)
class Limits:
    min_rows: int = 1000
    min_positives: int = 50


def file_fingerprint(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return "sha256:" + digest.hexdigest()


def _examples(frame: pd.DataFrame, mask: np.ndarray | pd.Series, column: str, raw: pd.Series) -> tuple[str, ...]:
    rows = np.flatnonzero(np.asarray(mask))[:EXAMPLES_PER_ISSUE]
    # Line numbers in the file: header is line 1.
    return tuple(f"line {int(r) + 2}: {raw.iloc[r]!r}" for r in rows)


def _check_field(spec: Field, raw: pd.Series, frame: pd.DataFrame, issues: list[Issue]) -> pd.Series:
    present = raw.notna()
    if spec.required and (~present).any():
        mask = ~present
        issues.append(
            Issue(
                "missing", spec.name, "required value is empty", int(mask.sum()), _examples(frame, mask, spec.name, raw)
            )
        )
    if spec.is_category:
        unknown = present & ~raw.isin(spec.categories)
        if unknown.any():
            issues.append(
                Issue(
                    "category",
                    spec.name,
                    "unknown category",
                    int(unknown.sum()),
                    _examples(frame, unknown, spec.name, raw),
                )
            )
        return raw.where(present & ~unknown, None)

    values = pd.to_numeric(raw, errors="coerce")
    bad_type = present & ~np.isfinite(values.to_numpy(dtype=np.float64, na_value=np.nan))
    if spec.kind == "integer":
        finite = values.where(~bad_type)
        bad_type = bad_type | (present & finite.notna() & (finite != np.floor(finite)))
    if bad_type.any():
        issues.append(
            Issue(
                "type",
                spec.name,
                f"not a finite {spec.kind}",
                int(bad_type.sum()),
                _examples(frame, bad_type, spec.name, raw),
            )
        )
    values = values.where(~bad_type)
    ok = values.notna()
    in_range = pd.Series(True, index=raw.index)
    if spec.exclusive_minimum is not None:
        in_range &= values > spec.exclusive_minimum
    if spec.minimum is not None:
        in_range &= values >= spec.minimum
    if spec.maximum is not None:
        below = values <= spec.maximum
        in_range &= below | (values == spec.or_exactly) if spec.or_exactly is not None else below
    out = ok & ~in_range
    if out.any():
        issues.append(
            Issue("range", spec.name, _range_text(spec), int(out.sum()), _examples(frame, out, spec.name, raw))
        )
    return values.astype(np.float64)


def _range_text(spec: Field) -> str:
    parts = []
    if spec.exclusive_minimum is not None:
        parts.append(f"> {spec.exclusive_minimum:g}")
    if spec.minimum is not None:
        parts.append(f">= {spec.minimum:g}")
    if spec.maximum is not None:
        parts.append(f"<= {spec.maximum:g}")
    text = " and ".join(parts)
    if spec.or_exactly is not None:
        text += f" or exactly {spec.or_exactly}"
    return f"out of range (must be {text})"


def read_dataset(path: Path, limits: Limits = Limits()) -> tuple[pd.DataFrame, DataReport]:
    """Returns the typed frame (numbers float64 with NaN, categories str or None, SK_ID_CURR int64, TARGET int8).

    Raises DataValidationError with the full report when anything is wrong.
    """
    report = DataReport(str(path))
    wanted = [spec.name for spec in FIELDS] + [TARGET]
    try:
        with open(path, newline="", encoding="utf-8") as handle:
            header = next(csv.reader(handle), None)
    except (OSError, UnicodeDecodeError) as error:
        report.issues.append(Issue("file", None, f"cannot be read: {error}"))
        raise DataValidationError(report) from None
    if not header:
        report.issues.append(Issue("file", None, "is empty (no header row)"))
        raise DataValidationError(report)
    missing_columns = [name for name in wanted if name not in header]
    if missing_columns:
        report.issues.append(Issue("columns", None, "missing columns: " + ", ".join(missing_columns)))
        raise DataValidationError(report)

    try:
        raw = pd.read_csv(path, usecols=wanted, dtype=str, keep_default_na=False, na_values=[""], encoding="utf-8")[
            wanted
        ]
    except (ValueError, pd.errors.ParserError) as error:
        report.issues.append(Issue("file", None, f"is not a readable CSV: {error}"))
        raise DataValidationError(report) from None
    report.rows = len(raw)
    raw = raw.reset_index(drop=True)

    typed: dict[str, pd.Series] = {}
    issues = report.issues
    for spec in FIELDS:
        typed[spec.name] = _check_field(spec, raw[spec.name], raw, issues)

    ids = typed[ID_FIELD]
    duplicated = ids.notna() & ids.duplicated(keep=False)
    if duplicated.any():
        issues.append(
            Issue(
                "duplicates",
                ID_FIELD,
                "duplicate application ids",
                int(duplicated.sum()),
                _examples(raw, duplicated, ID_FIELD, raw[ID_FIELD]),
            )
        )

    label_raw = raw[TARGET]
    label = pd.to_numeric(label_raw, errors="coerce")
    not_binary = label_raw.isna() | ~label.isin([0, 1])
    if not_binary.any():
        issues.append(
            Issue(
                "label",
                TARGET,
                "must be 0 or 1 on every row",
                int(not_binary.sum()),
                _examples(raw, not_binary, TARGET, label_raw),
            )
        )
    elif label.nunique() < 2:
        issues.append(Issue("label", TARGET, f"has a single class ({int(label.iloc[0]) if len(label) else 'none'})"))

    if report.rows < limits.min_rows:
        issues.append(Issue("size", None, f"{report.rows} rows, at least {limits.min_rows} are needed"))
    positives = int((label == 1).sum())
    if not not_binary.any() and positives < limits.min_positives:
        issues.append(
            Issue("size", TARGET, f"{positives} defaults (TARGET=1), at least {limits.min_positives} are needed")
        )

    if issues:
        raise DataValidationError(report)

    frame = pd.DataFrame(typed)
    frame[ID_FIELD] = frame[ID_FIELD].astype(np.int64)
    frame[TARGET] = label.astype(np.int8)
    return frame, report
