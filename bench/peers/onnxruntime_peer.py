"""Raw ONNX Runtime (Python) on a model package: the peer `vigie bench engine` prints beside Vigie's engine.

Reads the package's golden applicants (the rows Vigie's benchmark cycles through), builds the [N,1] feeds once as
NumPy arrays (float32, strings as object arrays: what the graph declares), then measures `session.run` only:

- `session`: one session with `--threads` intra-op threads, one batch at a time;
- `concurrent`: one session with 1 intra-op thread and `--threads` Python threads calling `run` at once
  (`run` releases the GIL), the way Vigie keeps one worker per core busy;
- `single`: one row at a time on a 1-thread session, per-call latency.

Prints one JSON object on stdout. Figures only, never pass/fail; the CPU is shared with whatever else runs.
Versions: bench/peers/requirements-onnxruntime.txt.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import threading
import time
from pathlib import Path

import numpy as np
import onnxruntime as ort


def read_golden(package: Path) -> list[dict]:
    rows = []
    with open(package / "golden.jsonl", encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                rows.append(json.loads(line)["input"])
    if not rows:
        raise SystemExit(f"{package / 'golden.jsonl'} has no applicant")
    return rows


def session(model: Path, threads: int) -> ort.InferenceSession:
    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    options.log_severity_level = 3
    return ort.InferenceSession(str(model), options, providers=["CPUExecutionProvider"])


def feeds_for(sess: ort.InferenceSession, rows: list[dict], start: int, size: int) -> dict[str, np.ndarray]:
    batch = [rows[(start + i) % len(rows)] for i in range(size)]
    feeds = {}
    for value in sess.get_inputs():
        column = [row.get(value.name) for row in batch]
        if value.type == "tensor(string)":
            feeds[value.name] = np.array(["" if v is None else v for v in column], dtype=object).reshape(-1, 1)
        else:
            feeds[value.name] = np.array([np.nan if v is None else v for v in column], dtype=np.float32).reshape(-1, 1)
    return feeds


def quantile(sorted_values: list[float], q: float) -> float:
    return sorted_values[min(len(sorted_values) - 1, int(q * len(sorted_values)))] if sorted_values else float("nan")


def measure(sess: ort.InferenceSession, feeds: list[dict], size: int, seconds: float, lanes: int) -> dict:
    for feed in feeds[:2]:
        sess.run(None, feed)
    latencies: list[float] = []
    count = [0]
    end = time.perf_counter() + seconds

    def lane(offset: int) -> None:
        local = []
        i = offset
        while time.perf_counter() < end:
            t0 = time.perf_counter()
            sess.run(None, feeds[i % len(feeds)])
            local.append((time.perf_counter() - t0) * 1000)
            i += 1
        latencies.extend(local)
        count[0] += len(local)

    wall, cpu = time.perf_counter(), time.process_time()
    if lanes == 1:
        lane(0)
    else:
        threads = [threading.Thread(target=lane, args=(k,)) for k in range(lanes)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    latencies.sort()
    rows = count[0] * size
    return {
        "batch_size": size,
        "rows_per_s": round(rows / wall),
        "rows_per_cpu_s": round(rows / max(cpu, 1e-6)),
        "p50_ms": round(quantile(latencies, 0.5), 4),
        "p99_ms": round(quantile(latencies, 0.99), 4),
        "calls": count[0],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--package", type=Path, required=True)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--duration-s", type=float, default=2.0)
    parser.add_argument("--batch-sizes", default="1,8,64,512,4096")
    args = parser.parse_args()
    model = args.package / "model.onnx"
    rows = read_golden(args.package)
    sizes = [int(part) for part in args.batch_sizes.split(",")]
    many = session(model, args.threads)
    one = session(model, 1)
    result = {
        "peer": "onnxruntime (Python)",
        "versions": {"onnxruntime": ort.__version__, "numpy": np.__version__, "python": platform.python_version()},
        "threads": args.threads,
        "session": [],
        "concurrent": [],
    }
    for size in sizes:
        # A few distinct batches, as Vigie's benchmark slides over its pool of applicants.
        feeds = [feeds_for(many, rows, k * size, size) for k in range(4)]
        result["session"].append(measure(many, feeds, size, args.duration_s, 1))
        result["concurrent"].append(measure(one, feeds, size, args.duration_s, args.threads))
    singles = [feeds_for(one, rows, k, 1) for k in range(64)]
    single = measure(one, singles, 1, args.duration_s, 1)
    result["single_row"] = {"p50_ms": single["p50_ms"], "p99_ms": single["p99_ms"], "calls": single["calls"]}
    result["load_average"] = [round(load, 2) for load in os.getloadavg()]
    json.dump(result, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
