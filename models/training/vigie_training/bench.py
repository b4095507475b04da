"""Scoring throughput of packages with ONNX Runtime (Python): rows/s in batches, 1 and 2 intra-op threads.

Figures only, never pass/fail. On a shared 2-core machine they move with whatever else runs.
"""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import onnxruntime as ort
import yaml

from .data import read_dataset
from .features import onnx_feeds


def _session(model: Path, threads: int) -> ort.InferenceSession:
    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.log_severity_level = 3
    return ort.InferenceSession(str(model), options, providers=["CPUExecutionProvider"])


def bench(
    packages: list[Path], data: Path, rows: int, batch: int, threads: tuple[int, ...], repeats: int
) -> list[dict]:
    frame, _ = read_dataset(data)
    frame = frame.head(rows)
    feeds = onnx_feeds(frame)
    batches = [
        {name: values[start : start + batch] for name, values in feeds.items()} for start in range(0, len(frame), batch)
    ]
    results = []
    for package in packages:
        kind = yaml.safe_load((package / "MLmodel").read_text(encoding="utf-8"))["metadata"]["kind"]
        for count in threads:
            session = _session(package / "model.onnx", count)
            session.run(None, batches[0])  # warm-up
            best_wall, best_cpu = np.inf, np.inf
            for _ in range(repeats):
                wall, cpu = time.perf_counter(), time.process_time()
                for feed in batches:
                    session.run(None, feed)
                best_wall = min(best_wall, time.perf_counter() - wall)
                best_cpu = min(best_cpu, time.process_time() - cpu)
            results.append(
                {
                    "package": str(package),
                    "kind": kind,
                    "threads": count,
                    "batch": batch,
                    "rows": len(frame),
                    "rows_per_s": len(frame) / best_wall,
                    # Rows per CPU-second of this process: what one free core would do, less dependent on the load.
                    "rows_per_cpu_s": len(frame) / best_cpu,
                }
            )
    return results
