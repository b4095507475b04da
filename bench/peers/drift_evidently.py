"""Peer drift of two CSV files: Evidently's DataDriftPreset, reading the files with pandas.

    python drift_evidently.py <reference.csv> <current.csv>

Prints one JSON object: rows, columns, read_seconds, seconds (read + report, wall), cpu_seconds, peak_rss_mb,
drifted_columns, version. Run from bench/peers.ts.
"""

import json
import warnings
import resource
import sys
import time


def main() -> None:
    reference_file, current_file = sys.argv[1], sys.argv[2]
    warnings.filterwarnings("ignore")
    import evidently
    import pandas as pd
    from evidently import Report
    from evidently.presets import DataDriftPreset

    wall, cpu = time.perf_counter(), time.process_time()
    reference = pd.read_csv(reference_file)
    current = pd.read_csv(current_file)
    read_seconds = time.perf_counter() - wall
    result = Report([DataDriftPreset()]).run(current_data=current, reference_data=reference)
    summary = result.dict()
    seconds = time.perf_counter() - wall
    cpu_seconds = time.process_time() - cpu
    drifted = None
    for metric in summary.get("metrics", []):
        if "DriftedColumnsCount" in str(metric.get("metric_id", "")):
            drifted = metric.get("value", {}).get("count")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"peer": "evidently", "version": evidently.__version__, "rows": len(current),
                      "columns": current.shape[1], "read_seconds": read_seconds, "seconds": seconds,
                      "cpu_seconds": cpu_seconds, "peak_rss_mb": round(peak), "drifted_columns": drifted}))


if __name__ == "__main__":
    main()
